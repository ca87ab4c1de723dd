import type { Page } from 'playwright-core';
import type { SiteName } from './sites';
import { sineWav } from './wav';

/** One kind of page a reader can land on, as the browser tests visit it. */
export interface PageType {
  name: string;
  site: SiteName;
  path: string;
  /** HTTP status the page is served with. */
  status?: number;
  /** Brings the page into the state under test (results shown, a panel open…) after load. */
  prepare?: (page: Page) => Promise<void>;
}

/** Waits until the search page lists at least one result. */
export async function waitForSearchResults(page: Page): Promise<void> {
  await page.locator('[data-search-results] li').first().waitFor({ state: 'visible' });
}

const TONE = sineWav({ seconds: 60 });

/** Opens the docked player bar and starts the live stream, served here as a generated tone
 * (the HLS source is missing, so the player falls back to the WAV one, as it would live). */
export async function playLiveRadio(page: Page): Promise<void> {
  await page.route('**/test-audio/**', (route) =>
    route.request().url().endsWith('.wav')
      ? route.fulfill({ status: 200, contentType: 'audio/wav', body: TONE })
      : route.fulfill({ status: 404, body: 'not found' }),
  );
  await page.locator('[data-play-live]').first().click();
  await page.locator('live-player[data-state="playing"]').waitFor({ state: 'attached' });
  // Start keyboard navigation from the top of the page again, as a reader tabbing in would.
  await page.evaluate(() => {
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute('tabindex');
  });
}

/** Every page type of the fixture site. Add a row for each new kind of page (audio story,
 * player open, …); the axe, keyboard and network tests run over all of them. */
export const PAGE_TYPES: PageType[] = [
  { name: 'home', site: 'fixtures', path: '/' },
  { name: 'article with photo', site: 'fixtures', path: '/news/2026/11/20/local-story-with-photo/' },
  { name: 'wire story', site: 'fixtures', path: '/news/2026/11/21/wire-story/' },
  { name: 'multi-author story with correction', site: 'fixtures', path: '/news/2026/11/18/updated-with-correction/' },
  { name: 'audio story with transcript', site: 'fixtures', path: '/news/2026/11/17/audio-story-with-transcript/' },
  { name: 'article with the player bar playing', site: 'fixtures', path: '/news/2026/11/21/wire-story/', prepare: playLiveRadio },
  { name: 'station (own accent)', site: 'fixtures', path: '/stations/kfix/' },
  { name: 'station (default accent)', site: 'fixtures', path: '/stations/wfix/' },
  { name: 'stations index', site: 'fixtures', path: '/stations/' },
  { name: 'schedule', site: 'fixtures', path: '/stations/kfix/schedule/' },
  { name: 'author', site: 'fixtures', path: '/authors/ada-reporter/' },
  { name: 'topic', site: 'fixtures', path: '/topics/education/' },
  { name: 'topics index', site: 'fixtures', path: '/topics/' },
  { name: 'archive', site: 'fixtures', path: '/archive/' },
  { name: 'archive month', site: 'fixtures', path: '/archive/2026/11/' },
  { name: 'search with results', site: 'fixtures', path: '/search/?q=library', prepare: waitForSearchResults },
  { name: 'search, filtered by station', site: 'fixtures', path: '/search/?station=WFIX+88.3', prepare: waitForSearchResults },
  { name: '404', site: 'fixtures', path: '/no/such/page/', status: 404 },
  // The demo's stations carry the other brand colours the chrome must stay legible on.
  { name: 'demo station KXPR', site: 'demo', path: '/stations/kxpr/' },
  { name: 'demo station KVLT', site: 'demo', path: '/stations/kvlt/' },
  { name: 'demo station WBND', site: 'demo', path: '/stations/wbnd/' },
];

export const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1366, height: 900 },
] as const;

export const COLOR_SCHEMES = ['light', 'dark'] as const;

import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeSearchIndex, type SearchStory } from '../../src/outputs/search-index';
import { SEARCH_BUNDLE_DIR } from '../../src/lib/search-params';
import { serveDist, useBrowser } from '../helpers/browser';
import { FIXTURE_NOW, SITES, TMP } from '../helpers/sites';

/**
 * The full-text window, sorting and filters on an archive that spans years: the fixture site's real
 * search page, with a search index written by the build's own code (`writeSearchIndex`) from stories
 * of 2019 to 2026. The fixture content itself is all from 2026.
 */
const KFIX = { data: { name: 'KFIX 90.1', timezone: 'America/Chicago' } };
const WFIX = { data: { name: 'WFIX 88.3', timezone: 'America/New_York' } };

function story(
  path: string,
  iso: string,
  station: typeof KFIX,
  parts: { title: string; dek: string; byline: string[]; topics: string[]; body: string },
): SearchStory {
  const publishedAt = new Date(iso);
  return {
    path,
    publishedAt,
    month: {
      year: Number(path.slice('/news/'.length, '/news/'.length + 4)),
      month: Number(path.slice('/news/yyyy/'.length, '/news/yyyy/'.length + 2)),
    },
    station,
    byline: parts.byline.map((name) => ({ name })),
    topics: parts.topics.map((name) => ({ name })),
    entry: { data: { title: parts.title, dek: parts.dek }, rendered: { html: parts.body } },
  };
}

// "quillwort" is in every body and nowhere else; the window (two years at FIXTURE_NOW: 2025 and 2026)
// decides which of them it finds. "Harbor" is in every headline.
const STORIES = [
  story('/news/2019/05/02/harbor-museum-reopens/', '2019-05-02T15:00:00Z', KFIX, {
    title: 'Harbor museum reopens after the flood',
    dek: 'Volunteers dried out a century of ledgers by hand.',
    byline: ['Marguerite Oldfield'],
    topics: ['Education'],
    body: '<p>The curator pointed to a pressed quillwort from the 1911 survey.</p>',
  }),
  story('/news/2024/12/31/harbor-dredging-ends/', '2024-12-31T20:00:00Z', WFIX, {
    title: 'Harbor dredging ends a year late',
    dek: 'The channel is deep enough for the ferry again.',
    byline: ['Ada Reporter'],
    topics: ['Water'],
    body: '<p>Divers found quillwort growing on the old pilings.</p>',
  }),
  story('/news/2025/01/02/harbor-ferry-returns/', '2025-01-02T14:00:00Z', WFIX, {
    title: 'Harbor ferry returns for the new year',
    dek: 'Riders lined up before dawn.',
    byline: ['Ada Reporter'],
    topics: ['Water', 'Local Government'],
    body: '<p>A deckhand kept a jar of quillwort by the wheelhouse.</p>',
  }),
  story('/news/2026/06/10/harbor-budget/', '2026-06-10T16:00:00Z', KFIX, {
    title: 'Harbor budget passes the council',
    dek: 'Fees for moorings rise next spring.',
    byline: ['Casey Guest'],
    topics: ['Local Government'],
    body: '<p>One speaker asked the council to protect the quillwort beds.</p>',
  }),
];

/** The fixture site with a search index of STORIES, each era holding at most `eraStories` stories. */
async function siteWithIndex(name: string, eraStories: number) {
  const dist = join(TMP, name);
  rmSync(dist, { recursive: true, force: true });
  cpSync(SITES.fixtures.outDir, dist, { recursive: true });
  rmSync(join(dist, SEARCH_BUNDLE_DIR), { recursive: true });
  await writeSearchIndex(STORIES, join(dist, SEARCH_BUNDLE_DIR), { now: FIXTURE_NOW, fullTextYears: 2, eraStories, lang: 'en-US' });
  return serveDist(dist);
}

const e2e = useBrowser({
  site: () => siteWithIndex('search-window-dist', 10_000),
  // One story a year, so each of 2026, 2025, 2024 and 2019 is an era of its own.
  eras: () => siteWithIndex('search-eras-dist', 1),
});

type Search = (query: string) => Promise<string[]>;

/** Runs `check` with a `search` that loads the search page afresh for each query and returns the
 * results' links. The queries of one test share a browser context: a context of its own per query
 * cost more CPU than the query. */
async function withSearch(check: (search: Search) => Promise<void>) {
  const context = await e2e.browser.newContext();
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await check(async (query) => {
      await page.goto(`${e2e.servers.site.origin}/search/${query}`);
      await page.locator('[data-search-status]:not(:empty)').waitFor();
      const hrefs = await page
        .locator('[data-search-results] li h2 a')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
      expect(errors, `page errors searching ${query}`).toEqual([]);
      return hrefs;
    });
  } finally {
    await context.close();
  }
}

const [OLD, LAST_OF_2024, FIRST_OF_2025, RECENT] = STORIES.map((s) => s.path) as [string, string, string, string];

describe('search across the years', () => {
  it('finds a story older than the full-text window by its headline, dek, byline and topic', () =>
    withSearch(async (search) => {
      expect(await search('?q=museum')).toEqual([OLD]);
      expect(await search('?q=ledgers')).toEqual([OLD]);
      expect(await search('?q=Marguerite+Oldfield')).toEqual([OLD]);
      expect(await search('?q=Education')).toEqual([OLD]);
    }));

  it('finds body words only in stories of the last fullTextYears calendar years', () =>
    withSearch(async (search) => {
      expect((await search('?q=quillwort')).sort()).toEqual([FIRST_OF_2025, RECENT].sort());
      expect(await search('?q=curator')).toEqual([]);
      expect(await search('?q=pilings')).toEqual([]);
      expect(await search('?q=deckhand')).toEqual([FIRST_OF_2025]);
    }));

  it('sorts old and new stories together, newest first', () =>
    withSearch(async (search) => {
      expect(await search('?q=harbor&sort=newest')).toEqual([RECENT, FIRST_OF_2025, LAST_OF_2024, OLD]);
    }));

  it('filters by station and by topic, old stories included', () =>
    withSearch(async (search) => {
      expect(await search('?q=harbor&station=KFIX+90.1&sort=newest')).toEqual([RECENT, OLD]);
      expect(await search('?q=harbor&station=WFIX+88.3&sort=newest')).toEqual([FIRST_OF_2025, LAST_OF_2024]);
      expect(await search('?topic=Water')).toEqual([FIRST_OF_2025, LAST_OF_2024]);
      expect(await search('?topic=Local+Government&station=WFIX+88.3')).toEqual([FIRST_OF_2025]);
    }));
});

describe('search in eras, newest first', () => {
  async function withPage(run: (page: Page, fetched: string[]) => Promise<void>) {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    const fetched: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    try {
      await run(page, fetched);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }
  const shown = (page: Page) =>
    page.locator('[data-search-results] li h2 a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const status = (page: Page) => page.locator('[data-search-status]').textContent();
  const more = (page: Page) => page.locator('[data-search-more]');
  // Loading an era's runtime and index can take seconds on a busy machine (expect.poll waits 1 s by default).
  const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 });
  /** Presses the button below the results from the keyboard, as a reader without a mouse would. */
  async function pressMore(page: Page, count: number) {
    await more(page).focus();
    await page.keyboard.press('Enter');
    await poll(async () => (await shown(page)).length).toBe(count);
  }

  it('searches the newest era first, downloading only its index, and says the older years are not searched yet', () => {
    return withPage(async (page, fetched) => {
      await page.goto(`${e2e.servers.eras.origin}/search/?q=harbor&sort=newest`);
      await poll(() => status(page)).toBe('1 story matches “harbor” in 2026; older stories not yet searched');
      expect(await shown(page)).toEqual([RECENT]);
      expect(await more(page).textContent()).toBe('Search older stories (2025)');
      const bundle = fetched.filter((p) => p.startsWith(`/${SEARCH_BUNDLE_DIR}/`));
      expect(bundle).toContain(`/${SEARCH_BUNDLE_DIR}/pagefind.js`);
      expect(bundle.filter((p) => p.startsWith(`/${SEARCH_BUNDLE_DIR}/archive/`))).toEqual([]);
    });
  });

  it('searches older eras on request, keeping newest first across them, and moves focus to the first new result', () => {
    return withPage(async (page) => {
      await page.goto(`${e2e.servers.eras.origin}/search/?q=harbor&sort=newest`);
      await poll(async () => (await shown(page)).length).toBe(1);
      await pressMore(page, 2);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe(FIRST_OF_2025);
      expect(await status(page)).toBe('2 stories match “harbor” in 2025–2026; older stories not yet searched');
      expect(await more(page).textContent()).toBe('Search older stories (2024)');
      await pressMore(page, 3);
      expect(await more(page).textContent()).toBe('Search older stories (2019)');
      await pressMore(page, 4);
      expect(await shown(page)).toEqual([RECENT, FIRST_OF_2025, LAST_OF_2024, OLD]);
      // The whole archive is counted now, so the sentence gives the total and the button goes.
      expect(await status(page)).toBe('4 stories match “harbor”');
      expect(await more(page).isHidden()).toBe(true);
    });
  });

  it('applies the filters in every era and says when an era has nothing', () => {
    return withPage(async (page) => {
      await page.goto(`${e2e.servers.eras.origin}/search/?q=harbor&station=KFIX+90.1&sort=newest`);
      await poll(() => status(page)).toBe('1 story matches “harbor” from KFIX 90.1 in 2026; older stories not yet searched');
      // 2025 and 2024 have only WFIX stories: the count stays, the searched years grow, focus stays on the button.
      await more(page).focus();
      await page.keyboard.press('Enter');
      await poll(() => status(page)).toBe('1 story matches “harbor” from KFIX 90.1 in 2025–2026; older stories not yet searched');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Search older stories (2024)');
      await page.keyboard.press('Enter');
      await poll(() => more(page).textContent()).toBe('Search older stories (2019)');
      await page.keyboard.press('Enter');
      await poll(async () => (await shown(page)).length).toBe(2);
      expect(await shown(page)).toEqual([RECENT, OLD]);
      expect(await status(page)).toBe('2 stories match “harbor” from KFIX 90.1');
    });
  });

  it('lists a topic across eras, newest first', () => {
    return withPage(async (page) => {
      await page.goto(`${e2e.servers.eras.origin}/search/?topic=Water`);
      await poll(() => status(page)).toBe('No stories in Water in 2026; older stories not yet searched');
      await pressMore(page, 1);
      await pressMore(page, 2);
      expect(await shown(page)).toEqual([FIRST_OF_2025, LAST_OF_2024]);
    });
  });
});

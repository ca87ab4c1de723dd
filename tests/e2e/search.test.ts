import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { serveDist, SHOTS, useBrowser } from '../helpers/browser';
import { COLOR_SCHEMES, VIEWPORTS, waitForSearchResults } from '../helpers/page-types';
import { SITES } from '../helpers/sites';

const e2e = useBrowser({ fixtures: () => serveDist(SITES.fixtures.outDir) });

async function withPage(run: (page: Page) => Promise<void>, options: BrowserContextOptions = {}) {
  const context = await e2e.browser.newContext(options);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await run(page);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
}

interface ShownResult {
  headline: string;
  href: string;
  dek: string;
  station: string;
  date: string;
  datetime: string;
}

async function searchFor(page: Page, query: string): Promise<ShownResult[]> {
  await page.goto(`${e2e.servers.fixtures.origin}/search/${query}`);
  return shownResults(page);
}

async function shownResults(page: Page): Promise<ShownResult[]> {
  await page.locator('[data-search-status]:not(:empty)').waitFor();
  return page.locator('[data-search-results] li').evaluateAll((items) =>
    items.map((li) => ({
      headline: li.querySelector('h2 a')?.textContent ?? '',
      href: li.querySelector('h2 a')?.getAttribute('href') ?? '',
      dek: li.querySelector('.dek')?.textContent ?? '',
      station: li.querySelector('.station')?.textContent ?? '',
      date: li.querySelector('time')?.textContent ?? '',
      datetime: li.querySelector('time')?.getAttribute('datetime') ?? '',
    })),
  );
}

const status = (page: Page) => page.locator('[data-search-status]').textContent();

describe('search', () => {
  it('finds the one story whose body holds a word, first, with its headline, dek, date and station', () => {
    return withPage(async (page) => {
      // "Fireworks" is only in the body of naive-time-uses-station-zone.md, not in any title or dek.
      const results = await searchFor(page, '?q=fireworks');
      expect(results[0]).toEqual({
        headline: 'A story dated without an offset',
        href: '/news/2026/07/04/naive-time-uses-station-zone/',
        dek: "Its time is read in the station's zone, America/New_York.",
        station: 'WFIX 88.3',
        date: 'July 4, 2026',
        datetime: '2026-07-04T12:00:00-04:00',
      });
      expect(results).toHaveLength(1);
      expect(await status(page)).toBe('1 story matches “fireworks”');
      // The excerpt shows the match in context.
      expect(await page.locator('[data-search-results] .excerpt mark').first().textContent()).toMatch(/^fireworks$/i);
    });
  });

  it('narrows the results to one station with the station filter', () => {
    return withPage(async (page) => {
      const everywhere = await searchFor(page, '?q=story');
      expect(new Set(everywhere.map((r) => r.station))).toEqual(new Set(['KFIX 90.1', 'WFIX 88.3']));

      await page.locator('#search-station').selectOption('WFIX 88.3');
      await expect.poll(() => page.evaluate(() => location.search)).toBe('?q=story&station=WFIX+88.3');
      await expect.poll(async () => (await shownResults(page)).length).toBeLessThan(everywhere.length);
      const narrowed = await shownResults(page);
      expect(narrowed.length).toBeGreaterThan(0);
      expect(narrowed.every((r) => r.station === 'WFIX 88.3')).toBe(true);
      expect(narrowed.map((r) => r.href)).toEqual(everywhere.filter((r) => r.station === 'WFIX 88.3').map((r) => r.href));
      expect(await status(page)).toBe(
        `${narrowed.length === 1 ? '1 story matches' : `${narrowed.length} stories match`} “story” from WFIX 88.3`,
      );
    });
  });

  it('lists a topic’s stories, newest first, when only a topic is chosen', () => {
    return withPage(async (page) => {
      const results = await searchFor(page, '?topic=Education');
      expect(results.map((r) => r.href)).toEqual([
        '/news/2026/11/20/local-story-with-photo/',
        '/news/2026/11/18/updated-with-correction/',
        '/news/2026/11/17/audio-story-with-transcript/',
      ]);
      expect(await page.locator('#search-topic').inputValue()).toBe('Education');
      expect(await status(page)).toBe('3 stories in Education');
    });
  });

  it('sorts by date, newest first, on request', () => {
    return withPage(async (page) => {
      const results = await searchFor(page, '?q=story&sort=newest');
      expect(results.length).toBeGreaterThan(2);
      const times = results.map((r) => Date.parse(r.datetime));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });
  });

  it('searches as the reader types and keeps the query in the address', () => {
    return withPage(async (page) => {
      await page.goto(`${e2e.servers.fixtures.origin}/search/`);
      expect(await page.locator('[data-search-results] li').count()).toBe(0);
      await page.locator('#search-q').fill('library');
      await waitForSearchResults(page);
      expect((await shownResults(page))[0]!.headline).toBe('Fixture Falls opens its new riverfront library');
      expect(await page.evaluate(() => location.search)).toBe('?q=library');
    });
  });

  it('indexes the stories’ deks, bylines and topics, but not the station chrome or author bios', () => {
    return withPage(async (page) => {
      // Words found only in the chrome (donate buttons) and in Ada Reporter's title and bio, never
      // in a fixture story. (Pagefind also matches word prefixes, so words like "independent" hit "in".)
      for (const word of ['donate', 'statehouse', 'legislature']) {
        expect(await searchFor(page, `?q=${word}`)).toEqual([]);
        expect(await status(page)).toBe(`No stories match “${word}”`);
      }
      // Deks, bylines and topics are searchable. "thousands" is only in multi-author.md's dek.
      expect((await searchFor(page, '?q=thousands')).map((r) => r.href)).toEqual(['/news/2026/11/19/multi-author/']);
      expect((await searchFor(page, '?q=Local+Government&sort=newest')).map((r) => r.href)).toEqual([
        '/news/2026/11/20/local-story-with-photo/',
        '/news/2026/11/19/multi-author/',
        '/news/2026/03/01/late-evening-local-time/',
      ]);
      expect((await searchFor(page, '?q=Casey+Guest')).map((r) => r.href).sort()).toEqual([
        '/news/2026/10/02/slug-from-frontmatter/',
        '/news/2026/11/19/multi-author/',
      ]);
    });
  });

  it('says so, leaves the browse links, and tries again, when the search runtime cannot load', () => {
    return withPage(async (page) => {
      await page.route('**/_pagefind/**', (route) => route.abort());
      await page.goto(`${e2e.servers.fixtures.origin}/search/?q=library`);
      await expect.poll(() => status(page)).toBe('Search is not available right now. Browse by topic or month below.');
      expect(await page.getByRole('link', { name: 'All topics' }).last().isVisible()).toBe(true);
      // Once the runtime can load again, the next search works.
      await page.unroute('**/_pagefind/**');
      await page.locator('#search-q').fill('fireworks');
      // Loading the runtime and index afresh can take seconds on a busy machine (expect.poll waits 1 s by default).
      await expect.poll(() => status(page), { timeout: 15_000 }).toBe('1 story matches “fireworks”');
    });
  });
});

describe('search without JavaScript', () => {
  it('the header form still goes to the search page, which points to topics and the archive', () => {
    return withPage(
      async (page) => {
        await page.goto(`${e2e.servers.fixtures.origin}/`);
        await page.locator('#header-search-q').fill('library');
        await page.locator('#header-search-q').press('Enter');
        await page.waitForURL(/\/search\/\?q=library$/);
        // (Playwright's text locators skip <noscript>, so find the notice by its class.)
        const notice = page.locator('.search-panel .notice');
        expect(await notice.isVisible()).toBe(true);
        expect(await notice.textContent()).toContain('Search runs in your browser and needs JavaScript');
        const browse = page.getByRole('navigation', { name: 'Browse stories' });
        expect(await browse.getByRole('link', { name: 'All topics' }).getAttribute('href')).toBe('/topics/');
        expect(await browse.getByRole('link', { name: /archive/ }).getAttribute('href')).toBe('/archive/');
      },
      { javaScriptEnabled: false },
    );
  });
});

describe('the search page looks right', () => {
  const cases = VIEWPORTS.flatMap((viewport) => COLOR_SCHEMES.map((colorScheme) => ({ viewport, colorScheme })));
  it.each(cases)('on a $viewport.name in the $colorScheme scheme', ({ viewport, colorScheme }) => {
    return withPage(
      async (page) => {
        await page.goto(`${e2e.servers.fixtures.origin}/search/?q=story`);
        await waitForSearchResults(page);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        await page.screenshot({ path: `${SHOTS}/search-${viewport.name}-${colorScheme}.png`, fullPage: true });
      },
      { viewport: { width: viewport.width, height: viewport.height }, colorScheme },
    );
  });
});

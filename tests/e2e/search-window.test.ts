import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeSearchIndex, type SearchStory } from '../../src/outputs/search-index';
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
    month: { year: Number(path.slice('/news/'.length, '/news/'.length + 4)) },
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

const DIST = join(TMP, 'search-window-dist');

const e2e = useBrowser({
  site: async () => {
    rmSync(DIST, { recursive: true, force: true });
    cpSync(SITES.fixtures.outDir, DIST, { recursive: true });
    rmSync(join(DIST, '_pagefind'), { recursive: true });
    await writeSearchIndex(STORIES, join(DIST, '_pagefind'), { now: FIXTURE_NOW, fullTextYears: 2, lang: 'en-US' });
    return serveDist(DIST);
  },
});

async function search(query: string): Promise<string[]> {
  const context = await e2e.browser.newContext();
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${e2e.servers.site.origin}/search/${query}`);
    await page.locator('[data-search-status]:not(:empty)').waitFor();
    const hrefs = await page
      .locator('[data-search-results] li h2 a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(errors).toEqual([]);
    return hrefs;
  } finally {
    await context.close();
  }
}

const [OLD, LAST_OF_2024, FIRST_OF_2025, RECENT] = STORIES.map((s) => s.path) as [string, string, string, string];

describe('search across the years', () => {
  it('finds a story older than the full-text window by its headline, dek, byline and topic', async () => {
    expect(await search('?q=museum')).toEqual([OLD]);
    expect(await search('?q=ledgers')).toEqual([OLD]);
    expect(await search('?q=Marguerite+Oldfield')).toEqual([OLD]);
    expect(await search('?q=Education')).toEqual([OLD]);
  });

  it('finds body words only in stories of the last fullTextYears calendar years', async () => {
    expect((await search('?q=quillwort')).sort()).toEqual([FIRST_OF_2025, RECENT].sort());
    expect(await search('?q=curator')).toEqual([]);
    expect(await search('?q=pilings')).toEqual([]);
    expect(await search('?q=deckhand')).toEqual([FIRST_OF_2025]);
  });

  it('sorts old and new stories together, newest first', async () => {
    expect(await search('?q=harbor&sort=newest')).toEqual([RECENT, FIRST_OF_2025, LAST_OF_2024, OLD]);
  });

  it('filters by station and by topic, old stories included', async () => {
    expect(await search('?q=harbor&station=KFIX+90.1&sort=newest')).toEqual([RECENT, OLD]);
    expect(await search('?q=harbor&station=WFIX+88.3&sort=newest')).toEqual([FIRST_OF_2025, LAST_OF_2024]);
    expect(await search('?topic=Water')).toEqual([FIRST_OF_2025, LAST_OF_2024]);
    expect(await search('?topic=Local+Government&station=WFIX+88.3')).toEqual([FIRST_OF_2025]);
  });
});

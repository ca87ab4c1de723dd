import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eraOf, FULL_TEXT_WEIGHT, planEras, type EraItem } from '../../src/outputs/search-eras';
import { writeSearchIndex, type SearchStory } from '../../src/outputs/search-index';
import {
  describeResults,
  periodLabel,
  SEARCH_ERAS_FILE,
  type SearchEra,
  type SearchErasManifest,
  type SearchState,
} from '../../src/lib/search-params';
import { TMP } from '../helpers/sites';
import { searchStory } from '../helpers/search-stories';

/** `n` stories in each month of `year` (from `fromMonth`), full text or not. */
function year(y: number, n: number, fullText = false, fromMonth = 1): EraItem[] {
  return Array.from({ length: 13 - fromMonth }, (_, i) =>
    Array.from({ length: n }, () => ({ month: { year: y, month: fromMonth + i }, fullText })),
  ).flat();
}

const ids = (items: EraItem[], stories: number, weight = Infinity) => planEras(items, { stories, weight }, 'en-US').map((e) => e.id);

describe('planEras', () => {
  it('keeps a small archive in one era, at the bundle root', () => {
    const eras = planEras([...year(2025, 10), ...year(2026, 10, true, 1)], { stories: 10_000, weight: 30_000 }, 'en-US');
    expect(eras).toEqual([
      {
        dir: '',
        id: '2025-2026',
        from: { year: 2025, month: 1 },
        to: { year: 2026, month: 12 },
        label: '2025–2026',
        searchedLabel: '2025–2026',
        stories: 240,
        fullText: 120,
      },
    ]);
  });

  it('packs whole calendar years oldest first while an era stays under its story cap, and lists them newest first', () => {
    // 120 stories a year; a cap of 250 holds two years.
    const items = [2019, 2020, 2021, 2022, 2023].flatMap((y) => year(y, 10));
    expect(ids(items, 250)).toEqual(['2023', '2021-2022', '2019-2020']);
    const eras = planEras(items, { stories: 250, weight: Infinity }, 'en-US');
    expect(eras.map((e) => e.dir)).toEqual(['', 'archive/2021-2022/', 'archive/2019-2020/']);
    expect(eras.map((e) => [e.label, e.searchedLabel])).toEqual([
      ['2023', '2023'],
      ['2021–2022', '2021–2023'],
      ['2019–2020', '2019–2023'],
    ]);
    expect(eras.reduce((n, e) => n + e.stories, 0)).toBe(items.length);
  });

  it('does not depend on the order the stories come in', () => {
    const items = [2019, 2020, 2021].flatMap((y) => year(y, 10));
    expect(ids([...items].reverse(), 250)).toEqual(ids(items, 250));
  });

  it('weighs full-text stories for the indexer’s memory and splits a heavy year into runs of months', () => {
    // 2026: 10 full-text stories a month from January to November = 110 stories weighing 1,100.
    const items = [...year(2025, 10), ...year(2026, 10, true).filter((i) => i.month.month <= 11)];
    const eras = planEras(items, { stories: 10_000, weight: 40 * FULL_TEXT_WEIGHT }, 'en-US');
    // Four months of 2026's stories per era at most, from January; the newest run reaches to December.
    expect(eras.map((e) => e.id)).toEqual(['2026-09-2026-12', '2026-05-2026-08', '2026-01-2026-04', '2025']);
    expect(eras.map((e) => e.stories)).toEqual([30, 40, 40, 120]);
    expect(eras.every((e) => e.stories + (FULL_TEXT_WEIGHT - 1) * e.fullText <= 400)).toBe(true);
  });

  // The build cache keys each era by its stories (src/outputs/search-cache.ts): what today's stories
  // or an edit change must be as few eras as possible.
  it('keeps every older era as it was while the newest year grows, whole or in months', () => {
    const era = (e: SearchEra) => [e.id, e.stories, e.fullText];
    const plan = (items: EraItem[]) => planEras(items, { stories: 250, weight: 40 * FULL_TEXT_WEIGHT, separate: 0 }, 'en-US').map(era);
    const old = [2017, 2018, 2019, 2020, 2021, 2022].flatMap((y) => year(y, 10));
    // 2026 grows month by month, in full text: first a whole year of its own, then runs of months.
    let previous = plan([...old, ...year(2026, 1, true).filter((i) => i.month.month <= 1)]);
    for (let through = 2; through <= 12; through++) {
      const now = plan([...old, ...year(2026, 8, true).filter((i) => i.month.month <= through)]);
      // Every era of the old years is the same; only 2026's change.
      expect(now.filter(([id]) => !String(id).startsWith('2026'))).toEqual(previous.filter(([id]) => !String(id).startsWith('2026')));
      previous = now;
    }
    expect(previous.filter(([id]) => !String(id).startsWith('2026'))).toEqual([
      ['2021-2022', 240, 0],
      ['2019-2020', 240, 0],
      ['2017-2018', 240, 0],
    ]);
    // And 2026's own runs of months: adding to December changes only the newest.
    const dec = plan([...old, ...year(2026, 8, true), { month: { year: 2026, month: 12 }, fullText: true }]);
    expect(dec.slice(1)).toEqual(previous.slice(1));
    expect(dec[0]).not.toEqual(previous[0]);
  });

  it('keeps the newest year and full-text years apart from older headline-only years past `separate`', () => {
    const items = [...[2019, 2020, 2021].flatMap((y) => year(y, 10)), ...year(2022, 5, true), ...year(2023, 5, true)];
    // 480 stories weighing 360 + 1,200.
    const plan = (separate: number) => planEras(items, { stories: 10_000, weight: 10_000, separate }, 'en-US').map((e) => e.id);
    expect(plan(1_560)).toEqual(['2019-2023']);
    expect(plan(1_559)).toEqual(['2023', '2022', '2019-2021']);
  });

  it('gives a month over the limit an era of its own rather than dropping stories', () => {
    const items = [...year(2026, 1), ...Array.from({ length: 50 }, () => ({ month: { year: 2026, month: 3 }, fullText: false }))];
    const eras = planEras(items, { stories: 20, weight: Infinity }, 'en-US');
    expect(eras.reduce((n, e) => n + e.stories, 0)).toBe(items.length);
    expect(eras.find((e) => e.stories > 20)?.id).toBe('2026-03-2026-03');
  });

  it('finds every story’s era, and says when none holds it', () => {
    const items = [2019, 2020, 2021, 2022].flatMap((y) => year(y, 10));
    const eras = planEras(items, { stories: 250, weight: Infinity }, 'en-US');
    for (const item of items) {
      const era = eraOf(eras, item.month);
      expect(era.from.year <= item.month.year && item.month.year <= era.to.year).toBe(true);
    }
    expect(() => eraOf(eras, { year: 2030, month: 1 })).toThrow(/no era holds 2030-1/);
  });
});

describe('periodLabel', () => {
  it.each([
    [{ year: 2019, month: 1 }, { year: 2019, month: 12 }, '2019'],
    [{ year: 2016, month: 1 }, { year: 2019, month: 12 }, '2016–2019'],
    [{ year: 2026, month: 3 }, { year: 2026, month: 10 }, 'March–October 2026'],
    [{ year: 2026, month: 3 }, { year: 2026, month: 3 }, 'March 2026'],
    [{ year: 2025, month: 11 }, { year: 2026, month: 2 }, 'November 2025 – February 2026'],
  ])('%o to %o reads "%s"', (from, to, text) => expect(periodLabel(from, to, 'en-US')).toBe(text));
});

describe('describeResults with eras left to search', () => {
  const state = (s: Partial<SearchState>): SearchState => ({ q: '', station: '', topic: '', sort: 'relevance', ...s });

  it('names the years it counted and never claims a total it did not count', () => {
    expect(describeResults(12, state({ q: 'x' }), '2025–2026')).toBe('12 stories match “x” in 2025–2026; older stories not yet searched');
    expect(describeResults(0, state({ topic: 'Water' }), '2025–2026')).toBe(
      'No stories in Water in 2025–2026; older stories not yet searched',
    );
  });

  it('reads as before once the whole archive is searched', () => {
    expect(describeResults(12, state({ q: 'x' }), undefined)).toBe('12 stories match “x”');
  });
});

describe('writeSearchIndex in eras', () => {
  const story = (iso: string, slug: string): SearchStory => searchStory(iso, slug, { dek: 'A dek.' });
  const stories = [
    story('2019-05-02T15:00:00Z', 'museum'),
    story('2019-08-02T15:00:00Z', 'ledgers'),
    story('2024-06-02T15:00:00Z', 'dredging'),
    story('2026-06-10T16:00:00Z', 'budget'),
  ];
  const options = { now: new Date('2026-11-25T12:00:00Z'), fullTextYears: 2, eraStories: 2, lang: 'en-US' };
  const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, SEARCH_ERAS_FILE), 'utf8')) as SearchErasManifest;

  it('writes the newest era at the root and older ones in folders named by their content, listed newest first', async () => {
    const dir = join(TMP, 'search-eras-unit-a');
    const written = await writeSearchIndex(stories, dir, options);
    const { eras } = manifest(dir);
    expect(eras).toEqual(written.eras);
    expect(eras.map((e) => [e.id, e.stories])).toEqual([
      ['2024-2026', 2],
      ['2019', 2],
    ]);
    expect(eras[0]!.dir).toBe('');
    expect(eras[1]!.dir).toMatch(/^archive\/2019-[0-9a-f]{12}\/$/);
    for (const era of eras) {
      const entry = JSON.parse(readFileSync(join(dir, era.dir, 'pagefind-entry.json'), 'utf8')) as {
        languages: Record<string, { page_count: number }>;
      };
      expect(Object.values(entry.languages)[0]!.page_count).toBe(era.stories);
    }
  });

  it('leaves an older era’s bundle, and its address, as they were when newer stories arrive', async () => {
    const before = manifest(join(TMP, 'search-eras-unit-a')).eras.at(-1)!;
    const dir = join(TMP, 'search-eras-unit-b');
    await writeSearchIndex([...stories, story('2026-11-01T16:00:00Z', 'ferry')].reverse(), dir, options);
    const after = manifest(dir).eras;
    expect(after.map((e) => e.id)).toEqual(['2026', '2024', '2019']);
    expect(after.at(-1)).toEqual(before);
  });
});

import { describe, expect, it } from 'vitest';
import { eraOf, FULL_TEXT_WEIGHT, planEras, type EraItem } from '../../src/outputs/search-eras';
import { describeResults, periodLabel, type SearchState } from '../../src/lib/search-params';

/** `n` stories in each month of `year` (from `fromMonth`), full text or not. */
function year(y: number, n: number, fullText = false, fromMonth = 1): EraItem[] {
  return Array.from({ length: 13 - fromMonth }, (_, i) =>
    Array.from({ length: n }, () => ({ month: { year: y, month: fromMonth + i }, fullText })),
  ).flat();
}

const ids = (items: EraItem[], stories: number, weight = Infinity) => planEras(items, { stories, weight }).map((e) => e.id);

describe('planEras', () => {
  it('keeps a small archive in one era, at the bundle root', () => {
    const eras = planEras([...year(2025, 10), ...year(2026, 10, true, 1)], { stories: 10_000, weight: 30_000 });
    expect(eras).toEqual([
      { dir: '', id: '2025-2026', from: { year: 2025, month: 1 }, to: { year: 2026, month: 12 }, stories: 240, fullText: 120 },
    ]);
  });

  it('packs whole calendar years newest first while an era stays under its story cap', () => {
    // 120 stories a year; a cap of 250 holds two years.
    const items = [2019, 2020, 2021, 2022, 2023].flatMap((y) => year(y, 10));
    expect(ids(items, 250)).toEqual(['2022-2023', '2020-2021', '2019']);
    const eras = planEras(items, { stories: 250, weight: Infinity });
    expect(eras.map((e) => e.dir)).toEqual(['', 'archive/2020-2021/', 'archive/2019/']);
    expect(eras.reduce((n, e) => n + e.stories, 0)).toBe(items.length);
  });

  it('does not depend on the order the stories come in', () => {
    const items = [2019, 2020, 2021].flatMap((y) => year(y, 10));
    expect(ids([...items].reverse(), 250)).toEqual(ids(items, 250));
  });

  it('weighs full-text stories for the indexer’s memory and splits a heavy year into runs of months', () => {
    // 2026: 10 full-text stories a month from January to November = 110 stories weighing 1,100.
    const items = [...year(2025, 10), ...year(2026, 10, true).filter((i) => i.month.month <= 11)];
    const eras = planEras(items, { stories: 10_000, weight: 40 * FULL_TEXT_WEIGHT });
    // Four months of 2026's stories per era at most; the newest run reaches to December, the oldest back to January.
    expect(eras.map((e) => e.id)).toEqual(['2026-08-2026-12', '2026-04-2026-07', '2026-01-2026-03', '2025']);
    expect(eras.map((e) => e.stories)).toEqual([40, 40, 30, 120]);
    expect(eras.every((e) => e.stories + (FULL_TEXT_WEIGHT - 1) * e.fullText <= 400)).toBe(true);
  });

  it('gives a month over the limit an era of its own rather than dropping stories', () => {
    const items = [...year(2026, 1), ...Array.from({ length: 50 }, () => ({ month: { year: 2026, month: 3 }, fullText: false }))];
    const eras = planEras(items, { stories: 20, weight: Infinity });
    expect(eras.reduce((n, e) => n + e.stories, 0)).toBe(items.length);
    expect(eras.find((e) => e.stories > 20)?.id).toBe('2026-03-2026-03');
  });

  it('finds every story’s era, and says when none holds it', () => {
    const items = [2019, 2020, 2021, 2022].flatMap((y) => year(y, 10));
    const eras = planEras(items, { stories: 250, weight: Infinity });
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
  const scope = (remaining: number) => ({ from: { year: 2025, month: 1 }, to: { year: 2026, month: 12 }, remaining, lang: 'en-US' });

  it('names the years it counted and never claims a total it did not count', () => {
    expect(describeResults(12, state({ q: 'x' }), scope(2))).toBe('12 stories match “x” in 2025–2026; older stories not yet searched');
    expect(describeResults(0, state({ topic: 'Water' }), scope(1))).toBe(
      'No stories in Water in 2025–2026; older stories not yet searched',
    );
  });

  it('reads as before once the whole archive is searched', () => {
    expect(describeResults(12, state({ q: 'x' }), scope(0))).toBe('12 stories match “x”');
  });
});

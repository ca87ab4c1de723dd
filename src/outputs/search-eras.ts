import { periodLabel, SEARCH_ARCHIVE_DIR, type SearchEra, type YearMonth } from '../lib/search-params.ts';

/**
 * The archive split into eras for search: runs of consecutive calendar years (or, for a year too big
 * for one era, of months), each indexed as its own Pagefind bundle. A bundle's cost grows with its
 * stories twice over: Pagefind's indexer holds about 40 KB a story and 430 KB a full-text story while
 * it writes (bench/results.md, "Search"), and every query loads its `pf_meta` file, 8.5 bytes a story.
 * So an era is capped in both, and the indexer's peak and a query's bytes stay those of one era
 * however long the archive grows. Eras never overlap in time, so "newest first" across them is their
 * order; relevance is ranked within an era.
 */

/** What the plan needs of a story: its calendar month in its station's zone (as the archive files
 * it) and whether it is indexed with its full text. */
export interface EraItem {
  month: YearMonth;
  fullText: boolean;
}

export interface EraLimits {
  /** The most stories in one era: a query's bytes (`pf_meta`, filters) grow with it. */
  stories: number;
  /** The most indexer weight in one era, a headline-only story weighing 1 and a full-text one
   * FULL_TEXT_WEIGHT: the indexer's peak memory grows with it. */
  weight: number;
  /** Past this total weight, the newest year, and years with full text, never share an era with
   * older or headline-only years (SEPARATE_WEIGHT). Absent: any years may share one. */
  separate?: number;
}

/** A full-text story costs Pagefind's indexer about ten headline-only ones (430 KB against 40 KB;
 * bench/results.md, "Search"). */
export const FULL_TEXT_WEIGHT = 10;

/** About 1.2 GB of indexer at 40 KB a unit: under the 1.5 GB target with room for Pagefind's own start-up. */
export const ERA_WEIGHT = 30_000;

/**
 * An archive heavier than this (a third of ERA_WEIGHT: 10,000 headline-only stories, or about 1,000
 * with their full text, some 10 to 20 s of Pagefind) keeps its newest year, and its full-text years,
 * in eras of their own, so a story added or edited today re-indexes only this year's stories (or its
 * latest months'), and an edit to an old headline only headline-only years. Lighter archives stay
 * one era, searched at once: indexing them all again costs less than a reader's extra step.
 */
export const SEPARATE_WEIGHT = 10_000;

interface Chunk {
  from: YearMonth;
  to: YearMonth;
  stories: number;
  fullText: number;
}

const key = (m: YearMonth) => m.year * 12 + (m.month - 1);
const weightOf = (c: Pick<Chunk, 'stories' | 'fullText'>) => c.stories + (FULL_TEXT_WEIGHT - 1) * c.fullText;

/** "2014-2015" for whole years, "2026-03-2026-10" for months: stable names for the eras' folders. */
function eraId(from: YearMonth, to: YearMonth): string {
  if (from.month === 1 && to.month === 12) return from.year === to.year ? `${from.year}` : `${from.year}-${to.year}`;
  const ym = (m: YearMonth) => `${m.year}-${String(m.month).padStart(2, '0')}`;
  return `${ym(from)}-${ym(to)}`;
}

/**
 * The eras of an archive, newest first. Whole calendar years are packed together, oldest first,
 * while the era stays within both limits; a year over a limit is split into runs of whole months the
 * same way. A single month over a limit is an era of its own (a newsroom would need 3,000 full-text
 * stories in a month to reach it). The newest era's folder is '' (the bundle root). Pure: the same
 * stories give the same eras.
 *
 * Packing from the oldest year makes the plan stable for the build cache (src/outputs/search-cache.ts):
 * an era depends only on the years up to its own, so a story added to the newest period changes only
 * the newest era (or starts a new one), and an edit in an old year only that year's era. Packed
 * newest first, every story added today would shift the boundary of every older era. A story added
 * to an old year may move the later eras' boundaries (once).
 */
export function planEras(items: Iterable<EraItem>, limits: EraLimits, lang: string): SearchEra[] {
  const months = new Map<number, Chunk>();
  for (const item of items) {
    const k = key(item.month);
    const c = months.get(k) ?? { from: item.month, to: item.month, stories: 0, fullText: 0 };
    c.stories++;
    if (item.fullText) c.fullText++;
    months.set(k, c);
  }
  const fits = (c: Pick<Chunk, 'stories' | 'fullText'>) => c.stories <= limits.stories && weightOf(c) <= limits.weight;
  // Years oldest first, each one chunk spanning January to December, or its months if it is too big.
  const years = new Map<number, Chunk[]>();
  for (const [, c] of [...months].sort((a, b) => a[0] - b[0])) {
    const list = years.get(c.from.year) ?? [];
    list.push({ ...c, from: { ...c.from }, to: { ...c.to } });
    years.set(c.from.year, list);
  }
  const chunks: Chunk[] = [];
  for (const [year, list] of years) {
    const whole = { stories: 0, fullText: 0 };
    for (const c of list) {
      whole.stories += c.stories;
      whole.fullText += c.fullText;
    }
    if (fits(whole)) chunks.push({ from: { year, month: 1 }, to: { year, month: 12 }, ...whole });
    else chunks.push(...monthRuns(list));
  }
  // Pack oldest first, then list newest first.
  const total = chunks.reduce((t, c) => ({ stories: t.stories + c.stories, fullText: t.fullText + c.fullText }), { stories: 0, fullText: 0 });
  const separate = weightOf(total) > (limits.separate ?? Infinity);
  const newest = chunks.at(-1)?.to.year;
  const apart = (older: Chunk, c: Chunk) =>
    separate && (older.fullText > 0 !== c.fullText > 0 || (older.to.year === newest) !== (c.from.year === newest));
  const packed: Chunk[] = [];
  for (const c of chunks) {
    const last = packed.at(-1);
    const merged = last && { from: last.from, to: c.to, stories: last.stories + c.stories, fullText: last.fullText + c.fullText };
    // Whole years join only whole years, so an era's label reads as years or as months, never both.
    if (last && merged && fits(merged) && isWholeYears(last) === isWholeYears(c) && !apart(last, c)) packed[packed.length - 1] = merged;
    else packed.push({ ...c });
  }
  const eras = packed.reverse();
  return eras.map((e, i) => {
    const id = eraId(e.from, e.to);
    // The folder is settled once the bundle is written (src/outputs/search-index.ts names it by its content).
    return {
      dir: i === 0 ? '' : `${SEARCH_ARCHIVE_DIR}/${id}/`,
      id,
      from: e.from,
      to: e.to,
      // Labels are made here, in the build, so the search page needs no month names of its own.
      label: periodLabel(e.from, e.to, lang),
      searchedLabel: periodLabel(e.from, eras[0]!.to, lang),
      stories: e.stories,
      fullText: e.fullText,
    };
  });

  /** A year's months (oldest first) with the gaps between them filled, so its runs tile the year. */
  function monthRuns(list: Chunk[]): Chunk[] {
    const year = list[0]!.from.year;
    return list.map((c, i) => ({
      ...c,
      // A run reaches up to the month before the next newer one (December for the newest) and, for the oldest, back to January.
      from: i === 0 ? { year, month: 1 } : c.from,
      to: i === list.length - 1 ? { year, month: 12 } : { year, month: list[i + 1]!.from.month - 1 },
    }));
  }

  function isWholeYears(c: Chunk): boolean {
    return c.from.month === 1 && c.to.month === 12;
  }
}

/** The era a story belongs to: the one whose months hold its month. */
export function eraOf(eras: readonly SearchEra[], month: YearMonth): SearchEra {
  const k = key(month);
  const era = eras.find((e) => key(e.from) <= k && k <= key(e.to));
  if (!era) throw new Error(`search: no era holds ${month.year}-${month.month} (eras: ${eras.map((e) => e.id).join(', ')})`);
  return era;
}

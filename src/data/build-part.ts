import { DEFAULT_OPEN_YEARS, firstOpenYear, isClosedYear } from './shards.ts';

/**
 * Which part of the site a build renders (the sharded build, src/data/shards.ts):
 * - `full`: everything, as `npm run build` always did;
 * - `core`: everything except the story pages of closed years (those come from kept shards);
 * - `shard`: only the story pages of one closed year, nothing that lists stories.
 * Set by `MASTHEAD_SHARD` (`core` or a year); `MASTHEAD_OPEN_YEARS` says how many years, the current one
 * included, the core build keeps (default 1).
 */
export type BuildPart = { kind: 'full' } | { kind: 'core'; firstOpenYear: number } | { kind: 'shard'; year: number; firstOpenYear: number };

/** Reads the build part from the environment; the current year is taken in `timeZone` at `now`. */
export function resolveBuildPart(env: Record<string, string | undefined>, now: Date, timeZone: string): BuildPart {
  const shard = env.MASTHEAD_SHARD?.trim();
  if (!shard) return { kind: 'full' };
  const open = env.MASTHEAD_OPEN_YEARS?.trim();
  const openYears = open ? Number(open) : DEFAULT_OPEN_YEARS;
  if (!/^\d+$/.test(open ?? '1') || openYears < 1) {
    throw new Error(`MASTHEAD_OPEN_YEARS: "${open}" is not a number of years (hint: a whole number of at least 1, e.g. 1)`);
  }
  const first = firstOpenYear(now, timeZone, openYears);
  if (shard === 'core') return { kind: 'core', firstOpenYear: first };
  if (!/^\d{4}$/.test(shard)) {
    throw new Error(
      `MASTHEAD_SHARD: "${shard}" is neither "core" nor a year (hint: e.g. MASTHEAD_SHARD=2016; npm run shards -- plan lists them)`,
    );
  }
  const year = Number(shard);
  if (!isClosedYear(year, first)) {
    throw new Error(
      `MASTHEAD_SHARD: ${year} is not a closed year; years from ${first} on are built by the core build (hint: MASTHEAD_SHARD=core)`,
    );
  }
  return { kind: 'shard', year, firstOpenYear: first };
}

/** Whether this build renders the story page of a story whose permalink is in `year`. */
export function rendersStoryOf(part: BuildPart, year: number): boolean {
  if (part.kind === 'full') return true;
  if (part.kind === 'shard') return year === part.year;
  return !isClosedYear(year, part.firstOpenYear);
}

/** Whether this build renders the pages that are not story pages (listings, feeds, cards, aliases…). */
export const rendersSharedPages = (part: BuildPart) => part.kind !== 'shard';

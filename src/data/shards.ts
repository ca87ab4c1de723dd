import { createHash } from 'node:crypto';
import { zonedParts } from '../lib/dates.ts';

/**
 * The sharded build's plan (docs/scaling.md, "Frozen archive pages"): story pages of closed
 * periods (past years) are built as shards whose output is kept and reused while its key holds;
 * the core build (listings, feeds, sitemaps, the recent period) runs every time.
 *
 * A shard's key covers everything its pages show: the build's code and data inputs (templates,
 * stations, authors, the photo pipeline, dependencies), the site-wide chrome every page wears
 * (navigation topics, the footer's year) and one digest per story of what its own page shows
 * (its file and assets, and the cards of its related stories; see `storyPageDigest`). So a
 * corrected 2016 story changes the 2016 key only, and a template change changes every key.
 * Pure: the clock, the file digests and what was kept come in as arguments.
 */

/** A shard is one calendar year of story pages (the year of the story's permalink). */
export const PERIOD = 'year';

/** Years before the current one are closed; the current year is built by the core build. */
export const DEFAULT_OPEN_YEARS = 1;

export interface ShardStory {
  /** The story file, as the plan's caller names it (relative to the project root). */
  file: string;
  /** The year of its permalink (`/news/YYYY/…`), in its station's time zone. */
  year: number;
  /** A digest of everything its own page shows (`storyPageDigest`). */
  digest: string;
}

/** What a key is made of, kept beside each shard output so a new plan can say why it is dirty. */
export interface ShardParts {
  /** Digest per input group (`INPUT_GROUPS`). */
  inputs: Record<string, string>;
  /** Site-wide facts every story page shows. */
  chrome: string;
  /** Digest per story file in the shard. */
  stories: Record<string, string>;
}

export interface KeptShard {
  key: string;
  parts: ShardParts;
}

export interface PlanInput {
  stories: readonly ShardStory[];
  now: Date;
  /** The zone whose calendar decides the current year (the default station's). */
  timeZone: string;
  /** How many years, the current one included, the core build keeps (default 1). */
  openYears?: number;
  /** Digest per input group. */
  inputs: Readonly<Record<string, string>>;
  chrome: string;
  /** Outputs kept from earlier builds, by shard id. */
  kept?: Readonly<Record<string, KeptShard | undefined>>;
}

export interface Shard {
  /** The year, as a string: `2016`. */
  id: string;
  year: number;
  /** Story files, sorted. */
  stories: string[];
  key: string;
  parts: ShardParts;
  /** True when no output with this key is kept. */
  dirty: boolean;
  /** Why it must be built, or that it is reused. */
  why: string;
}

export interface ShardPlan {
  period: typeof PERIOD;
  currentYear: number;
  /** Stories dated from this year on are built by the core build. */
  firstOpenYear: number;
  /** Closed years that have published stories, oldest first. */
  shards: Shard[];
  /** Ids of the shards to build. */
  dirty: string[];
  /** Story files the core build renders pages for. */
  coreStories: string[];
}

/** The first year the core build renders story pages for; every earlier year is a shard. */
export function firstOpenYear(now: Date, timeZone: string, openYears = DEFAULT_OPEN_YEARS): number {
  if (!Number.isInteger(openYears) || openYears < 1) throw new Error(`openYears must be a whole number of at least 1, got ${openYears}`);
  return zonedParts(now, timeZone).year - openYears + 1;
}

/** Whether a story page of `year` belongs to a shard (true) or to the core build. */
export const isClosedYear = (year: number, firstOpen: number) => year < firstOpen;

const sha = (parts: Iterable<string>) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('base64url').slice(0, 32);
};

const sortedEntries = (r: Readonly<Record<string, string>>) => Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The key of a shard: a digest of its parts, in a fixed order. */
export function shardKey(id: string, parts: ShardParts): string {
  return sha([
    `shard:${id}`,
    ...sortedEntries(parts.inputs).map(([k, v]) => `input:${k}:${v}`),
    `chrome:${parts.chrome}`,
    ...sortedEntries(parts.stories).map(([k, v]) => `story:${k}:${v}`),
  ]);
}

/** Why a shard whose kept output has other parts must be built again, in words. */
export function whyDirty(kept: KeptShard | undefined, parts: ShardParts): string {
  if (!kept) return 'no kept output';
  const reasons: string[] = [];
  const inputs = new Set([...Object.keys(kept.parts.inputs), ...Object.keys(parts.inputs)]);
  const changedInputs = [...inputs].sort().filter((k) => kept.parts.inputs[k] !== parts.inputs[k]);
  if (changedInputs.length) reasons.push(`${changedInputs.join(', ')} changed`);
  if (kept.parts.chrome !== parts.chrome) reasons.push('site-wide chrome (navigation topics, footer year) changed');
  const files = new Set([...Object.keys(kept.parts.stories), ...Object.keys(parts.stories)]);
  const added: string[] = [];
  const removed: string[] = [];
  const edited: string[] = [];
  for (const f of [...files].sort()) {
    const before = kept.parts.stories[f];
    const now = parts.stories[f];
    if (before === undefined) added.push(f);
    else if (now === undefined) removed.push(f);
    else if (before !== now) edited.push(f);
  }
  const list = (what: string, fs: string[]) =>
    fs.length && reasons.push(`${what}: ${fs.slice(0, 3).join(', ')}${fs.length > 3 ? ` and ${fs.length - 3} more` : ''}`);
  list('changed', edited);
  list('added', added);
  list('removed', removed);
  return reasons.length ? reasons.join('; ') : 'the kept output has another key';
}

/** Which shards exist, which are closed, each one's key, and which must be built. */
export function planShards(input: PlanInput): ShardPlan {
  const firstOpen = firstOpenYear(input.now, input.timeZone, input.openYears);
  const byYear = new Map<number, ShardStory[]>();
  const coreStories: string[] = [];
  for (const s of input.stories) {
    if (!Number.isInteger(s.year)) throw new Error(`${s.file}: year: ${s.year} is not a year`);
    if (!isClosedYear(s.year, firstOpen)) {
      coreStories.push(s.file);
      continue;
    }
    const list = byYear.get(s.year);
    if (list) list.push(s);
    else byYear.set(s.year, [s]);
  }
  const inputs = Object.fromEntries(sortedEntries(input.inputs));
  const shards = [...byYear]
    .sort(([a], [b]) => a - b)
    .map(([year, list]): Shard => {
      const id = String(year);
      const stories: Record<string, string> = {};
      for (const s of [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
        if (s.file in stories) throw new Error(`${s.file}: listed twice in the shard plan`);
        stories[s.file] = s.digest;
      }
      const parts: ShardParts = { inputs, chrome: input.chrome, stories };
      const key = shardKey(id, parts);
      const kept = input.kept?.[id];
      const dirty = kept?.key !== key;
      return { id, year, stories: Object.keys(stories), key, parts, dirty, why: dirty ? whyDirty(kept, parts) : 'kept output reused' };
    });
  return {
    period: PERIOD,
    currentYear: zonedParts(input.now, input.timeZone).year,
    firstOpenYear: firstOpen,
    shards,
    dirty: shards.filter((s) => s.dirty).map((s) => s.id),
    coreStories: coreStories.sort(),
  };
}

/**
 * The input groups a shard key covers, by path from the project root (content paths from the
 * content folder). A change in any of them dirties every shard; `groupOf` says which one a
 * changed file belongs to, or undefined for a file only stories and listings depend on.
 */
export const INPUT_GROUPS = {
  /** Templates, data layer, outputs: everything under src/ except the photo pipeline. */
  templates: ['src/', 'astro.config.mjs', 'tsconfig.json', 'scripts/shards.ts'],
  /** The photo pipeline: what a photo's files look like. */
  photos: ['src/images/'],
  /** Dependencies (Astro, Sätteri, sharp…). */
  dependencies: ['package-lock.json'],
  /** Files copied into dist/ as they are (fonts, icons), which pages may refer to. */
  public: ['public/'],
  stations: ['content:stations/'],
  authors: ['content:authors/'],
} as const satisfies Record<string, readonly string[]>;

export type InputGroup = keyof typeof INPUT_GROUPS;

/** The input group of a changed file: project paths as `src/x.ts`, content paths as `content:stations/kxpr.yaml`. */
export function groupOf(file: string): InputGroup | undefined {
  let found: InputGroup | undefined;
  let longest = -1;
  for (const [group, prefixes] of Object.entries(INPUT_GROUPS) as [InputGroup, readonly string[]][]) {
    for (const p of prefixes) {
      const hit = p.endsWith('/') ? file.startsWith(p) : file === p;
      // The most specific prefix wins: src/images/ is the photo pipeline, not templates.
      if (hit && p.length > longest) {
        found = group;
        longest = p.length;
      }
    }
  }
  return found;
}

/** What a set of changed files dirties, for a log line and the plan's tests: `all`, or shard ids and the core. */
export function dirtiedBy(changed: readonly string[], plan: Pick<ShardPlan, 'shards'>, storyYear: (file: string) => number | undefined) {
  const groups = new Set<InputGroup>();
  const shards = new Set<string>();
  const ids = new Set(plan.shards.map((s) => s.id));
  for (const file of changed) {
    const group = groupOf(file);
    if (group) groups.add(group);
    const year = storyYear(file);
    if (year !== undefined && ids.has(String(year))) shards.add(String(year));
  }
  return { all: groups.size > 0, groups: [...groups].sort(), shards: groups.size ? [...ids] : [...shards].sort(), core: true };
}

/** A digest of one story page's facts; the caller gathers them (scripts/shards.ts). */
export function storyPageDigest(facts: {
  /** The story file's bytes and those of every local file it names (photos, audio), digested. */
  files: string;
  /** What the page resolves from other files: permalink, topic names, byline names, share card. */
  resolved: unknown;
  /** Each related story's card (its permalink, frontmatter and photo digest), as text that differs exactly when the card does (`stableJson`). */
  related: readonly string[];
}): string {
  return sha([facts.files, stableJson(facts.resolved), ...facts.related]);
}

/** JSON with object keys sorted, so equal data always gives equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (!v || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

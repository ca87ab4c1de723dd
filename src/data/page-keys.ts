import { createHash } from 'node:crypto';
import type { Article, SiteIndex } from './site-index';

/**
 * Cache keys for Astro's incremental build (`experimental.incrementalBuild`): a page whose
 * key and templates are unchanged since the last build is copied from the cache instead of
 * rendered. Astro tracks template code itself; the key must cover every piece of data the
 * page shows.
 *
 * Only story pages carry one. Listing pages are kept by the listing cache instead, outside this
 * manifest, each on a key of what it shows (src/data/listing-keys.ts).
 *
 * A story page shows its own file (body and frontmatter), its related stories' cards, its share
 * card, and site-wide facts: bylines and bios (authors), station chrome, the navigation's topics,
 * the footer's year and the settings. Its key covers exactly those: fixing a typo in a story's
 * text re-renders that one page, a new headline that page and the pages that show the story as
 * related, and a change to site-wide data (an author's name, a station's tagline, the navigation)
 * every story page. A story page that shows anything else that varies (say, the clock finer
 * than the year) must fold it into its key too, or it goes stale.
 */
export interface PageKeys {
  /** The key of a story's own page; none (always render) above `limits.stories` or without a digest. */
  article(article: Article): string | undefined;
}

/**
 * Astro writes the incremental manifest as one JSON string, and a V8 string stops at 512 MB
 * (the build would then fail with "Invalid string length"). The manifest records every image
 * transform of every keyed page: the benchmark measured 15 KB per story page (and 22 KB of
 * listing pages per story, which is why listings are kept outside it). Keys stop where the
 * manifest would pass half the limit (room for larger photos): those pages then render on
 * every build instead of the build failing. The count is the story pages the build renders
 * (all of them, or a part of the sharded build's).
 */
export const INCREMENTAL_LIMITS = { stories: 17_000 } as const;

const hash = (parts: Iterable<string>) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('base64url').slice(0, 24);
};

/** JSON with object keys sorted, so equal data always gives equal text (image objects read through their `clone`). */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (!v || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return v;
    // An image's `clone`: reading Astro's image object itself marks the camera original as used,
    // which publishes it beside its resized files (see sizeOf in src/images/photo-set.ts).
    const plain = ((v as { clone?: unknown }).clone ?? v) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(plain).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

export function pageKeys(
  index: SiteIndex,
  /** Site-wide facts every page shows: settings, the footer's years, the navigation's topics. */
  settings: { years: number[]; site: unknown; nav?: unknown },
  limits: { stories: number } = INCREMENTAL_LIMITS,
  /** How many story pages this build renders, so keys: a part of the sharded build renders a year or two of them. */
  storyPages: number = index.articles.length,
  /** The share card a story's page names (it depends on the newest stories: src/outputs/share-cards/). */
  socialCard: (article: Article) => unknown = () => null,
): PageKeys {
  function* parts() {
    yield stableJson(settings);
    for (const s of index.stations) yield `station:${s.id}:${stableJson(s.data)}`;
    for (const a of index.authors) yield `author:${a.id}:${stableJson(a.data)}`;
  }
  const site = hash(parts());
  // A story with everything derived from other files (permalink, topic names as first spelled,
  // resolved byline, the audio file's content-hashed URL and size), not only its frontmatter.
  // Photos are covered by their metadata, whose built URL carries a hash of the file.
  // Once per story: each story's facts also go into the keys of the stories that show it as related.
  const known = new WeakMap<Article, string>();
  const facts = (a: Article) => {
    let f = known.get(a);
    if (f === undefined) {
      f = `article:${a.id}:${a.path}:${stableJson(a.entry.data)}:${stableJson(a.topics)}:${a.byline.map((b) => b.name).join('|')}:${stableJson(a.audio ?? null)}`;
      known.set(a, f);
    }
    return f;
  };
  return {
    // Its own file and facts, its share card, and the cards of its related stories: another
    // story's edit re-renders only the pages that show it as related.
    article: (article) =>
      storyPages <= limits.stories && article.entry.digest
        ? hash([
            site,
            article.id,
            String(article.entry.digest),
            facts(article),
            `card:${stableJson(socialCard(article) ?? null)}`,
            ...index.related(article).map((r) => `related:${facts(r)}`),
          ])
        : undefined,
  };
}

/**
 * The story pages (files relative to dist/) the story route renders or restores in this build, told
 * by the route to src/integrations/reuse-pages.ts, which moves the last build's pages back into
 * dist/ and must drop those no route wrote. The route and the integration live in two module
 * graphs of one process (see shared-index.ts), so the set hangs on `globalThis`.
 */
const STORY_PAGES = Symbol.for('masthead.story-pages');
type Holder = { [STORY_PAGES]?: Set<string> };

export function noteStoryPages(files: Iterable<string>): void {
  const set = ((globalThis as Holder)[STORY_PAGES] ??= new Set());
  for (const f of files) set.add(f);
}

/** The story pages the route listed in this build; undefined if it has not run. */
export const storyPagesOfBuild = (): ReadonlySet<string> | undefined => (globalThis as Holder)[STORY_PAGES];

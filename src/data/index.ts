import { getCollection } from 'astro:content';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { contentDir } from '../content/paths';
import { checkOriginalSize, confineFile } from '../content/confine';
import { siteConfig } from '../site.config';
import { zonedParts } from '../lib/dates';
import { pageKeys, type PageKeys } from './page-keys';
import { rawDatesFromFile } from '../content/raw-dates';
import { buildSiteIndex, type AudioFileFacts, type AudioFileRefusal, type SiteIndex } from './site-index';
import { listPublicFiles } from './site-routes';
import { shareSiteIndex } from './shared-index';
import { rendersSharedPages as sharedPages, rendersStoryOf, resolveBuildPart, type BuildPart } from './build-part';
import { getBuildTime } from './build-time';
import { socialCardOf } from '../outputs/share-cards/index';
import { cardDigest, listingChrome, listingKey, type ListingPage } from './listing-keys';
import { listingCacheState } from './listing-cache-state';
import { navTopics, type Article } from './site-index';
import type { PageSlice } from '../lib/paginate';

export { getBuildTime };
export { rendersStoryOf, type BuildPart } from './build-part';
export type { Article, ArticleAudio, BylineName, SiteIndex, StationEntry, AuthorEntry, Topic } from './site-index';
export type { PageKeys } from './page-keys';

const indexes = new Map<number, Promise<SiteIndex>>();

/** The one index of the site's content, built once per build (per `now`) and shared by
 * every page, feed and sitemap. Calling `getCollection()` per page would be quadratic. */
export function getSiteIndex({ now }: { now: Date }): Promise<SiteIndex> {
  let index = indexes.get(now.getTime());
  if (!index) {
    index = (async () => {
      const [articles, stations, authors] = await Promise.all([
        getCollection('articles'),
        getCollection('stations'),
        getCollection('authors'),
      ]);
      return buildSiteIndex({
        articles,
        stations,
        authors,
        now,
        rawDates: (entry) => rawDatesFromFile(entry.filePath ?? `content/articles/${entry.id}.md`),
        relatedCount: siteConfig.relatedCount,
        audioFile,
        // Builds run from the project root, as `npm run build` does.
        publicFiles: listPublicFiles(process.cwd()),
        preview: import.meta.env.MASTHEAD_SHOWS_UNPUBLISHED === true,
      });
    })();
    indexes.set(now.getTime(), index);
    // The search index is made from it after the pages are written (src/integrations/pagefind.ts).
    shareSiteIndex(index);
  }
  return index;
}

/** A local audio file's size and content hash (12 hex digits of SHA-256), or undefined if it is
 * missing. Confined again here (check:content did it first), so the build never reads, let alone
 * publishes, a file outside content/ or over the host's size limit, even if the gate were skipped. */
function audioFile(path: string): AudioFileFacts | AudioFileRefusal | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const confined = confineFile(contentDir, resolve(path));
  if ('refused' in confined) return confined;
  const big = checkOriginalSize(confined.path);
  if (big) return { refused: big };
  const bytes = readFileSync(confined.path);
  return { bytes: bytes.length, contentHash: createHash('sha256').update(bytes).digest('hex').slice(0, 12), source: confined.path };
}

const keys = new Map<number, Promise<PageKeys>>();

/** The incremental build's page keys (see `page-keys.ts`), computed once per build. */
export function getPageKeys({ now }: { now: Date }): Promise<PageKeys> {
  let k = keys.get(now.getTime());
  if (!k) {
    k = Promise.all([getSiteIndex({ now }), getBuildPart()]).then(([index, part]) =>
      pageKeys(
        index,
        {
          site: siteConfig,
          // The footer shows the year in each station's zone; nothing else on a page reads the clock.
          years: index.stations.map((s) => zonedParts(now, s.data.timezone).year),
          nav: navTopics(index, siteConfig.lang),
        },
        undefined,
        // The manifest holds the story pages this build keys: a part of the sharded build keys its own.
        part.kind === 'full' ? index.articles.length : index.articles.filter((a) => rendersStoryOf(part, a.month.year)).length,
        (article) => {
          const card = socialCardOf(index, article);
          return card ? { path: card.path, input: card.input } : null;
        },
      ),
    );
    keys.set(now.getTime(), k);
  }
  return k;
}

/** Published stories (no drafts, nothing dated after `now`), newest first. */
export async function getPublishedArticles({ now }: { now: Date }) {
  return (await getSiteIndex({ now })).articles;
}

/** The station whose chrome a site-wide page wears. */
export async function getDefaultStation({ now }: { now: Date }) {
  const index = await getSiteIndex({ now });
  const station = index.stations.find((s) => s.id === siteConfig.defaultStation);
  if (!station) {
    throw new Error(
      `src/site.config.ts: defaultStation: no content/stations/${siteConfig.defaultStation}.yaml; use one of: ${index.stations.map((s) => s.id).join(', ')}`,
    );
  }
  return station;
}

let buildPart: Promise<BuildPart> | undefined;

/** Which part of the site this build renders (`MASTHEAD_SHARD`, see build-part.ts); the current
 * year is the default station's. */
export function getBuildPart(): Promise<BuildPart> {
  const now = getBuildTime();
  buildPart ??= getDefaultStation({ now }).then((station) => resolveBuildPart(process.env, now, station.data.timezone));
  return buildPart;
}

/** False in a shard build, which renders story pages only: routes that list stories return no paths. */
export async function rendersSharedPages(): Promise<boolean> {
  return sharedPages(await getBuildPart());
}

const chromes = new Map<number, Promise<string>>();
const cards = new WeakMap<Article, string>();

const cardOf = (a: Article) => {
  let d = cards.get(a);
  if (d === undefined) {
    d = cardDigest({
      id: a.id,
      path: a.path,
      data: a.entry.data,
      topics: a.topics,
      station: a.station.id,
      publishedAt: a.publishedAt,
      isDraft: a.isDraft,
      byline: a.byline.map((b) => b.name),
      audio: a.audio,
    });
    cards.set(a, d);
  }
  return d;
};

/**
 * The listing pages a route renders in this build: those whose key (src/data/listing-keys.ts)
 * matches the page the listing cache keeps are left out, and the cache puts the kept page in
 * dist/ (src/integrations/listing-cache.ts). Without a listing cache (`astro dev`, a preview
 * build) every page is rendered.
 */
export async function renderedListings<T>(
  route: string,
  pages: readonly { path: string; slice: PageSlice<Article>; shows?: unknown; entry: T }[],
): Promise<T[]> {
  const state = listingCacheState();
  if (!state) return pages.map((p) => p.entry);
  const now = getBuildTime();
  let chrome = chromes.get(now.getTime());
  if (!chrome) {
    chrome = getSiteIndex({ now }).then((index) =>
      listingChrome({
        code: state.code,
        settings: siteConfig,
        years: index.stations.map((s) => zonedParts(now, s.data.timezone).year),
        stations: index.stations,
        authors: index.authors,
        nav: navTopics(index, siteConfig.lang),
      }),
    );
    chromes.set(now.getTime(), chrome);
  }
  const digest = await chrome;
  const rendered: T[] = [];
  for (const p of pages) {
    const page: ListingPage = {
      route,
      path: p.path,
      current: p.slice.current,
      last: p.slice.last,
      shows: p.shows,
      cards: p.slice.items.map(cardOf),
    };
    const key = listingKey(digest, page);
    const kept = state.kept.get(p.path) === key;
    if (state.decided.has(p.path)) throw new Error(`listing cache: ${p.path} is listed twice (${route})`);
    state.decided.set(p.path, { key, kept });
    if (!kept) rendered.push(p.entry);
  }
  return rendered;
}

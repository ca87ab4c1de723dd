import { createHash } from 'node:crypto';
import { stableJson } from './page-keys.ts';

/**
 * Cache keys of listing pages (home pagination, station, author, topic and month pages) for the
 * listing cache (src/integrations/listing-cache.ts), which lives outside Astro's incremental
 * manifest: a listing whose key matches the page kept from an earlier build is not rendered,
 * its kept file is put in dist/ instead. So a key must cover every fact the page prints:
 * - the code (`code`: templates, the photo pipeline, dependencies, public files, stations and
 *   authors, the digests the sharded build's plan uses, src/data/shard-facts.ts);
 * - the chrome every page wears (`listingChrome`): the site settings, every station (header,
 *   navigation, player, footer), every author, the navigation topics and the footer's year;
 * - what the page itself shows (`listingKey`): its route and address, its page number and page
 *   count (pagination, titles, list positions), the route's own facts (the station, author,
 *   topic or month it lists) and, in order, a digest of each card (`cardDigest`).
 * Pure: every input comes in as an argument.
 */

const hash = (parts: Iterable<string>) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('base64url').slice(0, 32);
};

/** The facts every listing page's chrome shows, as one digest. */
export function listingChrome(input: {
  /** A digest of the build's code and data inputs (src/data/shard-facts.ts, `inputDigests`). */
  code: string;
  /** The site settings (src/site.config.ts). */
  settings: unknown;
  /** The year in each station's zone (the footer). */
  years: readonly number[];
  stations: readonly { id: string; data: unknown }[];
  authors: readonly { id: string; data: unknown }[];
  /** The navigation's topics, in order. */
  nav: readonly unknown[];
}): string {
  return hash([
    `code:${input.code}`,
    `settings:${stableJson(input.settings)}`,
    `years:${input.years.join(',')}`,
    ...input.stations.map((s) => `station:${s.id}:${stableJson(s.data)}`),
    ...input.authors.map((a) => `author:${a.id}:${stableJson(a.data)}`),
    `nav:${stableJson(input.nav)}`,
  ]);
}

/** What a story card and a listing's JSON-LD can show of a story. */
export interface CardFacts {
  id: string;
  path: string;
  /** All frontmatter: headline, dek, photo (its built URL carries a hash of the file), dates… */
  data: unknown;
  /** Resolved topics, names as first spelled across the site (the kicker). */
  topics: unknown;
  /** The station whose name and zone the card shows (station data is in the chrome). */
  station: string;
  publishedAt: Date;
  isDraft: boolean;
  byline: readonly string[];
  audio?: unknown;
}

/** A digest of everything a story's card shows; more than it shows (the whole frontmatter) is safe, less is a stale page. */
export function cardDigest(card: CardFacts): string {
  return hash([
    card.id,
    card.path,
    stableJson(card.data),
    stableJson(card.topics),
    card.station,
    card.publishedAt.toISOString(),
    String(card.isDraft),
    card.byline.join('|'),
    stableJson(card.audio ?? null),
  ]);
}

/** One listing page as its route lays it out. */
export interface ListingPage {
  /** The route file, e.g. `topics/[slug]/[...page]`. */
  route: string;
  /** The page's address, e.g. `/topics/water/page/2/`. */
  path: string;
  current: number;
  last: number;
  /** What the route shows besides its cards: the station, author, topic or month listed. */
  shows: unknown;
  /** `cardDigest` of each story on the page, in order. */
  cards: readonly string[];
}

/** The key of one listing page: the chrome's digest and everything the page itself shows. */
export function listingKey(chrome: string, page: ListingPage): string {
  return hash([
    `chrome:${chrome}`,
    `route:${page.route}`,
    `path:${page.path}`,
    `page:${page.current}/${page.last}`,
    `shows:${stableJson(page.shows ?? null)}`,
    ...page.cards.map((c) => `card:${c}`),
  ]);
}

/**
 * What the listing cache (src/integrations/listing-cache.ts) tells the listing routes, and what
 * they tell it back: which pages it keeps and under which key, and which pages each route kept
 * or rendered in this build. The integration and the pages live in two module graphs of one
 * process (see shared-index.ts), so the state hangs on `globalThis`.
 */
export interface ListingCacheState {
  /** A digest of the build's code and data inputs, part of every key (src/data/listing-keys.ts). */
  code: string;
  /** Page address → key of the page kept in the cache. */
  kept: ReadonlyMap<string, string>;
  /** Page address → its key this build, and whether the kept page is used (true) or the page is rendered. */
  decided: Map<string, { key: string; kept: boolean }>;
}

const KEY = Symbol.for('masthead.listing-cache');
type Holder = { [KEY]?: ListingCacheState };

export function shareListingCache(state: ListingCacheState | undefined): void {
  (globalThis as Holder)[KEY] = state;
}

/** The listing cache of this build, or undefined when there is none (`astro dev`, a preview or shard build). */
export function listingCacheState(): ListingCacheState | undefined {
  return (globalThis as Holder)[KEY];
}

import type { SiteIndex } from './site-index.ts';

/**
 * Hands the build's site index from the pages to the integrations that run after them (the search
 * index). Vite bundles the pages and Astro loads the integrations from the config: two module graphs
 * in one process, so a module-level variable would be two variables. `globalThis` is the one object
 * both see.
 */
const KEY = Symbol.for('masthead.site-index');
type Holder = { [KEY]?: Promise<SiteIndex> };

export function shareSiteIndex(index: Promise<SiteIndex>): void {
  (globalThis as Holder)[KEY] = index;
}

/** The site index the pages of this build used, or undefined if no page asked for it. */
export function sharedSiteIndex(): Promise<SiteIndex> | undefined {
  return (globalThis as Holder)[KEY];
}

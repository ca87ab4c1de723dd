/**
 * Where the content lives. The default is the repo's `content/`; tests and the benchmark
 * point `MASTHEAD_CONTENT_DIR` at fixture or generated corpora instead.
 */
export const contentDir = (process.env.MASTHEAD_CONTENT_DIR ?? './content').replace(/\/+$/, '');

/** Astro's cache (content store, optimised images) and ours (social cards). Tests and benchmarks
 * give each corpus its own with `MASTHEAD_CACHE_DIR`, so builds never evict each other. */
// A preview build (MASTHEAD_PREVIEW=1) renders other pages from the same content, so it never
// shares the incremental page cache with production builds.
export const cacheDir =
  (process.env.MASTHEAD_CACHE_DIR ?? './node_modules/.astro').replace(/\/+$/, '') +
  (process.env.MASTHEAD_PREVIEW === '1' ? '-preview' : '');

/**
 * Where the content lives. The default is the repo's `content/`; tests and the benchmark
 * point `MASTHEAD_CONTENT_DIR` at fixture or generated corpora instead.
 */
export const contentDir = (process.env.MASTHEAD_CONTENT_DIR ?? './content').replace(/\/+$/, '');

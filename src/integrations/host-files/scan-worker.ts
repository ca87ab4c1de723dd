import { parentPort, workerData } from 'node:worker_threads';
import { describePages } from './page-facts.ts';

/**
 * Reads built pages off the main thread (see `scanPagesInWorker`): every page's head facts and the
 * merged CSP scan, and each page of `describe` on its own too. With `cache` (a folder and the readers'
 * code digest), a page whose bytes a build read before is not parsed again.
 */
const { dist, files, describe, cache } = workerData as {
  dist: string;
  files: string[];
  describe: string[];
  cache?: { dir: string; code: string };
};
const { scan, pages, heads, stats } = describePages(dist, files, { cache, own: new Set(describe) });
parentPort!.postMessage({ scan, pages, heads, stats: cache ? stats : undefined });

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { HeadFacts } from '../../outputs/page-head.ts';
import { openPageFactsCache, type PageFacts } from './page-facts.ts';
import { emptyScan, mergeScan } from './scan.ts';

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
const wanted = new Set(describe);
const facts = openPageFactsCache(cache);
const scan = emptyScan();
const pages: Record<string, PageFacts> = {};
const heads: Record<string, HeadFacts> = {};
for (const file of files) {
  const own = facts.factsOf(readFileSync(join(dist, file)));
  heads[file] = own.head;
  if (wanted.has(file)) pages[file] = own;
  mergeScan(scan, own.scan);
}
facts.save();
parentPort!.postMessage({ scan, pages, heads, stats: cache ? facts.stats : undefined });

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { readHeadFacts, type HeadFacts } from '../../outputs/page-head.ts';
import { emptyScan, mergeScan, scanHtml, type PageScan } from './scan.ts';
import { openScanCache, pageDigest } from './scan-cache.ts';

/**
 * Scans built pages off the main thread (see `scanPagesInWorker`); describes each page of `describe` on its own too.
 * With `cache` (a file and the scanner's code digest), a page whose bytes a build scanned before is not parsed again.
 */
const { dist, files, describe, cache } = workerData as {
  dist: string;
  files: string[];
  describe: string[];
  cache?: { file: string; code: string };
};
const wanted = new Set(describe);
const scans = cache ? openScanCache(cache.file, cache.code) : undefined;
const scan = emptyScan();
const pages: Record<string, { head: HeadFacts; scan: PageScan }> = {};
for (const file of files) {
  const bytes = readFileSync(join(dist, file));
  const digest = scans ? pageDigest(bytes) : '';
  let own = scans?.get(digest);
  const html = own && !wanted.has(file) ? '' : bytes.toString('utf8');
  own ??= scanHtml(html);
  scans?.keep(digest, own);
  if (wanted.has(file)) pages[file] = { head: readHeadFacts(html), scan: own };
  mergeScan(scan, own);
}
scans?.save();
parentPort!.postMessage({ scan, pages, stats: scans?.stats });

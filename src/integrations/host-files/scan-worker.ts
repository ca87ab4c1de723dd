import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { readHeadFacts, type HeadFacts } from '../../outputs/page-head.ts';
import { emptyScan, mergeScan, scanHtml, type PageScan } from './scan.ts';

/** Scans built pages off the main thread (see `scanPagesInWorker`); describes each page of `describe` on its own too. */
const { dist, files, describe } = workerData as { dist: string; files: string[]; describe: string[] };
const wanted = new Set(describe);
const scan = emptyScan();
const pages: Record<string, { head: HeadFacts; scan: PageScan }> = {};
for (const file of files) {
  const html = readFileSync(join(dist, file), 'utf8');
  const own = scanHtml(html);
  if (wanted.has(file)) pages[file] = { head: readHeadFacts(html), scan: own };
  mergeScan(scan, own);
}
parentPort!.postMessage({ scan, pages });

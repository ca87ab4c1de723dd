import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { emptyScan, mergeScan, scanHtml } from './scan.ts';

/** Scans built pages off the main thread (see `scanPagesInWorker`). */
const { dist, files } = workerData as { dist: string; files: string[] };
const scan = emptyScan();
for (const file of files) mergeScan(scan, scanHtml(readFileSync(join(dist, file), 'utf8')));
parentPort!.postMessage(scan);

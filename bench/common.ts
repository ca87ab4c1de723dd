/** What every part of the benchmark shares: where things are, the log, figures as text. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBytes } from '../src/lib/bytes.ts';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BENCH = join(ROOT, 'bench');
export const WORK = join(BENCH, '.work');
export const ASTRO_BIN = join(ROOT, 'node_modules/astro/bin/astro.mjs');
export const RESULTS_JSON = join(BENCH, 'results.json');

export const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
export const fmtS = (s: number) => `${s.toFixed(2)} s`;
export const fmtCpu = (s: number | undefined) => (s === undefined ? 'n/a' : fmtS(s));
/** A bench table's last two cells: when a run was measured, and the load average before → after it
 * (wall times mean little without it on a shared 2-core machine). */
export const whenAndLoad = (measuredAt: string, before: number, after: number) =>
  `${measuredAt.slice(0, 16).replace('T', ' ')} UTC | ${before.toFixed(1)} → ${after.toFixed(1)}`;
export const fmtMB = (b: number | undefined) => (b === undefined ? 'n/a' : formatBytes(b));

/**
 * Deleting a previous build's thousands of files leaves the file system work to finish (journal
 * commits, discards) that otherwise lands inside the next timed build: measured here, a cold
 * build right after `rm -rf` spent up to 3 s more in the kernel. Flush it before timing.
 */
export function settleDisk(): void {
  spawnSync('sync');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}

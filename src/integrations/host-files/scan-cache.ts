import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { plainScan, toScan, type PlainScan } from '../shard-outputs.ts';
import type { PageScan } from './scan.ts';

/**
 * Each built page's CSP scan, kept between builds by the digest of the page's bytes: a rebuild
 * restores thousands of unchanged story pages from Astro's cache, and parsing each of them again
 * was most of `_headers`' time (at 10,000 stories, ~15 s of CPU on every build). Reading and
 * hashing a page costs a fraction of parsing it. Keyed by the bytes, so a page that changed in
 * any way is parsed; and by `code` (the scanner's code and dependencies), so a new scanner
 * starts afresh.
 *
 * In `<cacheDir>/page-scans.json`: `scans`, each distinct scan once (most pages ask the same
 * of the CSP), and `pages`, page digest → index in `scans`. Only the pages of the last build are
 * kept, so it does not grow with edits.
 */
export const SCAN_CACHE_VERSION = 1;

interface ScanCacheFile {
  version: number;
  code: string;
  scans: PlainScan[];
  pages: Record<string, number>;
}

export const pageDigest = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('base64url');

export interface ScanCache {
  /** The scan of a page with these bytes' digest, if a build scanned one. */
  get(digest: string): PageScan | undefined;
  /** Records a page's scan for the next build (pages read from the cache too). */
  keep(digest: string, scan: PageScan): void;
  /** Writes the pages kept in this build, replacing the file in one rename. */
  save(): void;
  readonly stats: { hits: number; misses: number };
}

/** The cache in `file` for scanner `code`; empty if missing, damaged, of another version or code. */
export function openScanCache(file: string, code: string): ScanCache {
  let old: ScanCacheFile | undefined;
  if (existsSync(file)) {
    try {
      const read = JSON.parse(readFileSync(file, 'utf8')) as ScanCacheFile;
      if (read.version === SCAN_CACHE_VERSION && read.code === code && Array.isArray(read.scans) && read.pages) old = read;
    } catch {
      // Damaged (a build killed mid-write of an older layout): start afresh.
    }
  }
  const oldScans = new Map<number, PageScan>();
  const scans: PlainScan[] = [];
  const scanIndex = new Map<string, number>();
  const pages: Record<string, number> = {};
  const stats = { hits: 0, misses: 0 };
  const known = new WeakMap<PageScan, number>();
  return {
    stats,
    get(digest) {
      const i = old && Object.hasOwn(old.pages, digest) ? old.pages[digest] : undefined;
      const plain = i === undefined ? undefined : old!.scans[i];
      if (i === undefined || !plain) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      let scan = oldScans.get(i);
      if (!scan) {
        scan = toScan(plain);
        oldScans.set(i, scan);
      }
      return scan;
    },
    keep(digest, scan) {
      let i = known.get(scan);
      if (i === undefined) {
        const plain = plainScan(scan);
        const text = JSON.stringify(plain);
        i = scanIndex.get(text);
        if (i === undefined) {
          i = scans.push(plain) - 1;
          scanIndex.set(text, i);
        }
        known.set(scan, i);
      }
      pages[digest] = i;
    },
    save() {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ version: SCAN_CACHE_VERSION, code, scans, pages } satisfies ScanCacheFile));
      renameSync(tmp, file);
    },
  };
}

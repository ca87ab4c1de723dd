import { openDigestCache } from '../../lib/digest-cache.ts';
import { plainScan, toScan, type PageScan, type PlainScan } from './scan.ts';

export { pageDigest } from '../../lib/digest-cache.ts';

/**
 * Each built page's CSP scan, kept between builds by the digest of its bytes (src/lib/digest-cache.ts)
 * in `<cacheDir>/page-scans.json`: at 10,000 stories, parsing the unchanged story pages a rebuild
 * puts back was ~15 s of CPU on every build.
 */
export interface ScanCache {
  get(digest: string): PageScan | undefined;
  keep(digest: string, scan: PageScan): void;
  save(): void;
  readonly stats: { hits: number; misses: number };
}

export function openScanCache(file: string, code: string): ScanCache {
  const cache = openDigestCache<PlainScan>(file, code);
  // One PageScan per distinct scan read back, and one plain scan per PageScan kept.
  const scans = new Map<PlainScan, PageScan>();
  const plains = new WeakMap<PageScan, PlainScan>();
  return {
    stats: cache.stats,
    get(digest) {
      const plain = cache.get(digest);
      if (!plain) return undefined;
      let scan = scans.get(plain);
      if (!scan) {
        scan = toScan(plain);
        scans.set(plain, scan);
        plains.set(scan, plain);
      }
      return scan;
    },
    keep(digest, scan) {
      let plain = plains.get(scan);
      if (!plain) {
        plain = plainScan(scan);
        plains.set(scan, plain);
      }
      cache.keep(digest, plain);
    },
    save: () => cache.save(),
  };
}

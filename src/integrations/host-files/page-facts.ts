import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDigestCache, pageDigest } from '../../lib/digest-cache.ts';
import { parseHtml } from '../../lib/html.ts';
import { headFacts, type HeadFacts } from '../../outputs/page-head.ts';
import { openScanCache } from './scan-cache.ts';
import { emptyScan, mergeScan, scanHtml, type PageScan } from './scan.ts';

/**
 * What the build reads from each built page: its head facts (the sitemap) and its CSP scan
 * (`_headers`), from one parse. They were two readers, each reading, hashing and parsing every
 * page: at 10,000 stories the sitemap's own pass was ~25 s of the main thread and as much again
 * in garbage collection, beside the scan worker's parse of the same pages.
 */
export interface PageFacts {
  head: HeadFacts;
  scan: PageScan;
}

/** Both facts of one page, from one parse5 tree. */
export function readPageFacts(html: string): PageFacts {
  const document = parseHtml(html);
  return { head: headFacts(document), scan: scanHtml(document) };
}

/** Where they are kept between builds, in a build's `cacheDir`: two files, since pages share scans but not heads. */
export const PAGE_SCANS_FILE = 'page-scans.json';
export const PAGE_HEADS_FILE = 'page-heads.json';

export interface PageFactsCache {
  /** The facts of a page with these bytes: kept by an earlier build, else read now and kept. */
  factsOf(bytes: Buffer): PageFacts;
  save(): void;
  /** Pages whose facts were kept, and pages parsed. */
  readonly stats: { hits: number; misses: number };
}

/**
 * With `cache` (the folder and the readers' code digest), each page's facts are kept by the digest of its
 * bytes (src/lib/digest-cache.ts), so a rebuild parses only the pages that changed; without, every page is parsed.
 */
export function openPageFactsCache(cache?: { dir: string; code: string }): PageFactsCache {
  const scans = cache ? openScanCache(join(cache.dir, PAGE_SCANS_FILE), cache.code) : undefined;
  const heads = cache ? openDigestCache<HeadFacts>(join(cache.dir, PAGE_HEADS_FILE), cache.code) : undefined;
  const stats = { hits: 0, misses: 0 };
  return {
    stats,
    factsOf(bytes) {
      const digest = cache ? pageDigest(bytes) : '';
      const head = heads?.get(digest);
      const scan = head && scans?.get(digest);
      let facts: PageFacts;
      if (head && scan) {
        facts = { head, scan };
        stats.hits++;
      } else {
        facts = readPageFacts(bytes.toString('utf8'));
        stats.misses++;
      }
      heads?.keep(digest, facts.head);
      scans?.keep(digest, facts.scan);
      return facts;
    },
    save() {
      scans?.save();
      heads?.save();
    },
  };
}

/** What a set of built pages tells: each page's head facts, each of `own` on its own, and every page's CSP scan merged. */
export interface DescribedPages {
  heads: Record<string, HeadFacts>;
  pages: Record<string, PageFacts>;
  scan: PageScan;
}

/**
 * Reads `files` (relative to `dir`) once each, through the cache of `cache` when given: for the page
 * scan of a build (scan-worker.ts) and for a kept shard's `pages.json` (src/integrations/shard-outputs.ts).
 */
export function describePages(
  dir: string,
  files: readonly string[],
  { cache, own = new Set() }: { cache?: { dir: string; code: string }; own?: ReadonlySet<string> } = {},
): DescribedPages & { stats: PageFactsCache['stats'] } {
  const facts = openPageFactsCache(cache);
  const scan = emptyScan();
  const heads: Record<string, HeadFacts> = {};
  const pages: Record<string, PageFacts> = {};
  for (const file of files) {
    const found = facts.factsOf(readFileSync(join(dir, file)));
    heads[file] = found.head;
    if (own.has(file)) pages[file] = found;
    mergeScan(scan, found.scan);
  }
  facts.save();
  return { heads, pages, scan, stats: facts.stats };
}

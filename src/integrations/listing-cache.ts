import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentDir } from '../content/paths.ts';
import { isPreviewBuild } from '../data/build-time.ts';
import { shareListingCache, type ListingCacheState } from '../data/listing-cache-state.ts';
import { inputDigests } from '../data/shard-facts.ts';
import { stableJson } from '../data/shards.ts';
import { distFileOf } from '../lib/dist-path.ts';
import { linkOrCopy } from '../lib/link-file.ts';
import { writeAtomic } from '../lib/write-atomic.ts';
import type { HeadFacts } from '../outputs/page-head.ts';
import { emptyScan, mergeScan, type PageScan } from './host-files/scan.ts';
import type { DescribedPage, ScannedPages } from './host-files/index.ts';
import { plainScan, toScan, type PlainScan } from './shard-outputs.ts';

/**
 * The listing cache (src/data/listing-keys.ts): listing pages kept between builds outside Astro's
 * incremental manifest, which cannot hold them past a few thousand stories (src/data/page-keys.ts).
 *
 * In `<cacheDir>/listings/`: `index.json` (each kept page's address, key, file, the `/_astro/`
 * files it refers to, its head facts and CSP scan), `pages/` (the pages, named by key) and
 * `assets/` (the images they show, which a build that does not render the page does not write).
 * The listing routes leave out the pages whose key matches (`renderedListings`, src/data/index.ts);
 * once Astro has written the rest, this puts each kept page and its images into dist/ (hard links,
 * as kept shards are merged), keeps every rendered listing for the next build, and drops what this
 * build did not use. Sitemaps and `_headers` take kept pages' facts from the index, as they take
 * kept shards' from `pages.json`.
 */

/** Bumped when the cache's layout or what a key means changes: an index of another version is ignored. */
export const LISTING_CACHE_VERSION = 1;

export interface KeptListing {
  key: string;
  /** The page, relative to the cache's `pages/`. */
  file: string;
  /** Files under dist/_astro/ the page refers to. */
  assets: string[];
  head: HeadFacts;
  scan: PlainScan;
}

export interface ListingIndex {
  version: number;
  /** By page address (`/topics/water/page/2/`). */
  pages: Record<string, KeptListing>;
}

const ASSETS = '_astro';
const IMAGE_FILE = /\.(avif|webp|jpe?g|png|gif|svg)$/i;

/** The `/_astro/` files a page refers to (its images, styles and scripts), by name. */
export function referencedAssets(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/\/_astro\/([^"'\s)<>?#,/]+)/g)) found.add(m[1]!);
  // A match is a slice of the page, and V8 keeps the whole page alive while a slice lives: the
  // names are kept until the build ends, so they are copied out (else every rendered listing's
  // HTML stayed in memory: 350 MB at 10,000 stories, and the heap grew to four times that).
  return [...found].sort().map(ownCopy);
}

/** `text` in a string of its own, not a slice of a larger one. */
const ownCopy = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

/** The cache's index, with only the pages whose files are all there; empty if missing or of another version. */
export function readListingIndex(dir: string): ListingIndex {
  const file = join(dir, 'index.json');
  const empty: ListingIndex = { version: LISTING_CACHE_VERSION, pages: {} };
  if (!existsSync(file)) return empty;
  let index: ListingIndex;
  try {
    index = JSON.parse(readFileSync(file, 'utf8')) as ListingIndex;
  } catch {
    return empty;
  }
  if (index.version !== LISTING_CACHE_VERSION || !index.pages) return empty;
  const names = (sub: string) => new Set(existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)) : []);
  const files = names('pages');
  const assets = names('assets');
  const pages: Record<string, KeptListing> = {};
  for (const [path, page] of Object.entries(index.pages)) {
    if (files.has(page.file) && page.assets.every((a) => !IMAGE_FILE.test(a) || assets.has(a))) pages[path] = page;
  }
  return { version: LISTING_CACHE_VERSION, pages };
}

/** A hard link, or a copy where links are not possible (another file system). */
function place(from: string, to: string) {
  mkdirSync(dirname(to), { recursive: true });
  linkOrCopy(from, to);
}

export function listingCache(env: Record<string, string | undefined> = process.env): AstroIntegration & {
  /** Kept pages' addresses without the leading `/`, as Astro lists the pages it rendered (for the sitemap). */
  pages: () => string[];
  /** Kept pages' head facts, by file relative to dist/. */
  heads: () => ReadonlyMap<string, HeadFacts>;
  /** Kept pages' CSP scan, so `_headers` does not read them again. */
  scanned: () => ScannedPages | undefined;
  /** Rendered listing pages (relative to dist/), whose own facts the page scan hands back to `described`. */
  describe: () => ReadonlySet<string>;
  /** Keeps the rendered listings with their facts, and writes the cache's index. */
  described: (pages: ReadonlyMap<string, DescribedPage>) => void;
} {
  let building = false;
  let dir: string | undefined;
  let state: ListingCacheState | undefined;
  let index: ListingIndex | undefined;
  const keptPaths: string[] = [];
  const heads = new Map<string, HeadFacts>();
  const scannedFiles = new Set<string>();
  const scan = emptyScan();
  const rendered = new Map<string, { path: string; key: string; file: string; assets: string[] }>();
  let next: ListingIndex | undefined;
  let log: AstroIntegrationLogger | undefined;
  return {
    name: 'masthead:listing-cache',
    pages: () => keptPaths.map((p) => p.slice(1)),
    heads: () => heads,
    scanned: () => (scannedFiles.size ? { files: scannedFiles, scan } : undefined),
    hooks: {
      // `astro dev` serves every page itself: only a build keeps listings.
      'astro:config:setup': ({ command }) => void (building = command === 'build'),
      'astro:config:done': ({ config, logger }) => {
        if (!building) return;
        // A preview build shows drafts and marks (by the clock) that no key covers; a shard build renders no listing.
        if (isPreviewBuild(env) || /^\d{4}$/.test(env.MASTHEAD_SHARD ?? '')) return;
        const started = performance.now();
        dir = fileURLToPath(new URL('listings/', config.cacheDir));
        index = readListingIndex(dir);
        const root = fileURLToPath(config.root);
        state = {
          code: stableJson(inputDigests(root, resolve(root, contentDir))),
          kept: new Map(Object.entries(index.pages).map(([path, page]) => [path, page.key])),
          decided: new Map(),
        };
        shareListingCache(state);
        logger.info(`${state.kept.size} listing page(s) kept from the last build (${Math.round(performance.now() - started)} ms)`);
      },
      'astro:build:generated': ({ dir: distUrl, logger }) => {
        if (!dir || !state || !index) return;
        log = logger;
        const started = performance.now();
        const dist = fileURLToPath(distUrl);
        const pagesDir = join(dir, 'pages');
        const assetsDir = join(dir, 'assets');
        mkdirSync(pagesDir, { recursive: true });
        mkdirSync(assetsDir, { recursive: true });
        next = { version: LISTING_CACHE_VERSION, pages: {} };
        for (const [path, { key, kept }] of state.decided) {
          const rel = distFileOf(path);
          const to = join(dist, rel);
          if (kept) {
            const page = index.pages[path]!;
            if (existsSync(to)) throw new Error(`listing cache: ${rel} was both kept and rendered (hint: delete ${dir})`);
            place(join(pagesDir, page.file), to);
            for (const asset of page.assets) {
              const published = join(dist, ASSETS, asset);
              if (existsSync(published)) continue;
              // Styles and scripts are written by every build; one that is missing means the page was made by other code.
              if (!IMAGE_FILE.test(asset)) {
                throw new Error(
                  `listing cache: the kept page ${rel} refers to /${ASSETS}/${asset}, which this build did not write (hint: its key missed a code change; delete ${dir} and build again)`,
                );
              }
              place(join(assetsDir, asset), published);
            }
            keptPaths.push(path);
            heads.set(rel, page.head);
            scannedFiles.add(rel);
            mergeScan(scan, toScan(page.scan));
            next.pages[path] = page;
            continue;
          }
          if (!existsSync(to)) throw new Error(`listing cache: ${path} was to be rendered, but ${rel} is not in ${dist}`);
          // What it names under /_astro/ and this build wrote (text that merely looks like such a name is not a file).
          const assets = referencedAssets(readFileSync(to, 'utf8')).filter((a) => existsSync(join(dist, ASSETS, a)));
          const file = `${key}.html`;
          if (!existsSync(join(pagesDir, file))) place(to, join(pagesDir, file));
          for (const asset of assets) {
            if (IMAGE_FILE.test(asset) && !existsSync(join(assetsDir, asset))) place(join(dist, ASSETS, asset), join(assetsDir, asset));
          }
          rendered.set(rel, { path, key, file, assets });
        }
        logger.info(
          `listing pages: ${rendered.size} rendered, ${keptPaths.length} kept from the last build (${Math.round(performance.now() - started)} ms)`,
        );
      },
    },
    // The rendered listings' head facts and CSP scans come from the page scan `_headers` runs anyway
    // (src/integrations/host-files/), which parses every rendered page once, off the main thread.
    describe: () => new Set(rendered.keys()),
    described: (described) => {
      if (!dir || !next) return;
      for (const [rel, page] of rendered) {
        const facts = described.get(rel);
        // Not described: not kept, so rendered again next time.
        if (facts)
          next.pages[page.path] = { key: page.key, file: page.file, assets: page.assets, head: facts.head, scan: plainScan(facts.scan) };
      }
      // The index names only what this build used; it is replaced in one rename, then the rest goes.
      writeAtomic(join(dir, 'index.json'), JSON.stringify(next));
      const usedPages = new Set(Object.values(next.pages).map((p) => p.file));
      const usedAssets = new Set(Object.values(next.pages).flatMap((p) => p.assets));
      let dropped = 0;
      for (const name of readdirSync(join(dir, 'pages'))) {
        if (!usedPages.has(name)) {
          rmSync(join(dir, 'pages', name), { force: true });
          dropped++;
        }
      }
      for (const name of readdirSync(join(dir, 'assets'))) if (!usedAssets.has(name)) rmSync(join(dir, 'assets', name), { force: true });
      log?.info(`listing cache: ${Object.keys(next.pages).length} page(s) kept for the next build, ${dropped} no longer used dropped`);
    },
  };
}

/** Two sets of pages scanned ahead of time as one, for `_headers`. */
export function joinScanned(...parts: (ScannedPages | undefined)[]): ScannedPages | undefined {
  const present = parts.filter((p): p is ScannedPages => p !== undefined);
  if (present.length <= 1) return present[0];
  const files = new Set<string>();
  const scan: PageScan = emptyScan();
  for (const p of present) {
    for (const f of p.files) files.add(f);
    mergeScan(scan, p.scan);
  }
  return { files, scan };
}

import type { AstroIntegration } from 'astro';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { linkOrCopy } from '../lib/link-file.ts';
import { listFiles } from '../lib/list-files.ts';
import type { ShardParts } from '../data/shards.ts';
import type { HeadFacts } from '../outputs/page-head.ts';
import { emptyScan, mergeScan, plainScan, toScan, type PageScan, type PlainScan } from './host-files/scan.ts';
import { describePages } from './host-files/page-facts.ts';

// Moved to host-files/scan.ts; kept here for the modules that import them from this one.
export { plainScan, toScan, type PlainScan };

/** What `npm run shards` keeps of a shard build, beside its files (see scripts/shards.ts). */
export const SHARD_MANIFEST = 'shard.json';
/** The folder of a kept shard's files, inside its folder. */
export const SHARD_FILES = 'files';
/** What the core build would otherwise read from every kept page again (see `describeShardPages`). */
export const SHARD_PAGES = 'pages.json';

/** A kept shard's pages as the sitemap and `_headers` see them, made once when the shard is built. */
export interface ShardPages {
  /** Each HTML page (relative to the shard's files) → its head facts (src/integrations/sitemap.ts). */
  heads: Record<string, HeadFacts>;
  /** Every HTML page's CSP scan, merged (src/integrations/host-files/scan.ts), sets as sorted arrays. */
  scan: PlainScan;
}

/**
 * Reads a kept shard's pages once, when it is built: the core build, which runs on every publish,
 * then takes their head facts and CSP scan from `pages.json` instead of parsing 10,000s of kept
 * pages again (at 10,000 stories that was most of the sitemap's and `_headers`' time).
 */
export function describeShardPages(
  filesDir: string,
  /** Where the pages' facts are kept by the digest of their bytes (src/lib/digest-cache.ts), and the readers' code digest: a rebuilt shard reads only its changed pages. */
  cache?: { dir: string; code: string },
): ShardPages {
  const files = listFiles(filesDir)
    .filter((f) => f.endsWith('.html'))
    .sort();
  const { heads, scan } = describePages(filesDir, files, { cache });
  return { heads, scan: plainScan(scan) };
}

export function writeShardPages(shardDir: string, cache?: { dir: string; code: string }): void {
  writeFileSync(join(shardDir, SHARD_PAGES), JSON.stringify(describeShardPages(join(shardDir, SHARD_FILES), cache)));
}

/** A kept shard's `pages.json`, or undefined for a shard kept before it existed (its pages are then read). */
function readShardPages(shardDir: string): ShardPages | undefined {
  const file = join(shardDir, SHARD_PAGES);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ShardPages) : undefined;
}

export interface ShardManifest {
  id: string;
  year: number;
  key: string;
  parts: ShardParts;
  /** When it was built, for the log. */
  builtAt: string;
}

/** The kept shards in `dir` (`<dir>/<year>/shard.json`), oldest first. */
export function readKeptShards(dir: string): ShardManifest[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^\d{4}$/.test(name) && existsSync(join(dir, name, SHARD_MANIFEST)))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name, SHARD_MANIFEST), 'utf8')) as ShardManifest);
}

/**
 * Shards being built beside the core build (`npm run shards -- sharded`), as `year:key` pairs joined by
 * commas: the core build renders its own pages meanwhile and waits for them before it merges.
 */
export const AWAIT_SHARDS_ENV = 'MASTHEAD_AWAIT_SHARDS';

/**
 * Waits until every shard of `awaited` (`year:key,…`) is kept in `dir` with that key; returns the time
 * waited in ms. A shard is kept by one rename once complete (scripts/shards.ts), so a manifest with the key
 * means its files are all there. Gives up if the command building them has stopped (this process was
 * orphaned); that command stops this build when a shard build fails.
 */
export async function awaitShards(dir: string, awaited: string, pollMs = 250): Promise<number> {
  const want = awaited
    .split(',')
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf(':')), pair.slice(pair.indexOf(':') + 1)] as const);
  const keptWith = (id: string) => {
    try {
      return (JSON.parse(readFileSync(join(dir, id, SHARD_MANIFEST), 'utf8')) as ShardManifest).key;
    } catch {
      // Not there yet, or being replaced.
      return undefined;
    }
  };
  const parent = process.ppid;
  const started = performance.now();
  while (!want.every(([id, key]) => keptWith(id) === key)) {
    if (process.ppid !== parent) {
      throw new Error(`${dir}: the command building shard(s) ${want.map(([id]) => id).join(', ')} stopped before they were kept`);
    }
    await sleep(pollMs);
  }
  return performance.now() - started;
}

/**
 * Copies kept shard files into `dist`. A file both sides wrote (Astro's CSS and JS, a photo
 * shown on a listing and on a story page) must be byte-identical, or the shard was built from
 * other code or content and is refused. Returns the story page files added.
 */
export function mergeShardFiles(dist: string, shardDir: string): string[] {
  const files = join(shardDir, SHARD_FILES);
  const pages: string[] = [];
  for (const rel of listFiles(files)) {
    const from = join(files, rel);
    const to = join(dist, rel);
    if (existsSync(to)) {
      if (!readFileSync(to).equals(readFileSync(from))) {
        throw new Error(
          `${join(shardDir, SHARD_FILES, rel)}: differs from the core build's ${rel} (hint: the shard was built from other code or content; build it again with npm run shards -- build ${shardDir.split('/').pop()})`,
        );
      }
      continue;
    }
    mkdirSync(dirname(to), { recursive: true });
    // A hard link costs no copy (9,341 pages took 19 s to copy at 10,000 stories). Astro empties
    // dist/ by unlinking, and nothing writes into a page once built, so the kept file stays intact.
    linkOrCopy(from, to);
    if (rel.endsWith('/index.html') && rel.startsWith('news/')) pages.push(rel);
  }
  return pages;
}

/**
 * The core build of the sharded build (`MASTHEAD_SHARD=core`) with `MASTHEAD_SHARDS_DIR` set merges
 * the kept shards into dist/ once its own pages are written, before the sitemaps, the search index
 * and the host files are made from dist/: so they cover the whole site, as in a full build. It
 * then checks every published story has its page. `pages()` gives the merged story pages to the
 * sitemap, which otherwise lists only the pages Astro rendered.
 */
export function shardOutputs(env: Record<string, string | undefined> = process.env): AstroIntegration & {
  pages: () => string[];
  heads: () => ReadonlyMap<string, HeadFacts>;
  scanned: () => { files: ReadonlySet<string>; scan: PageScan } | undefined;
} {
  const merged: string[] = [];
  // Facts of merged pages that kept shards carry (`pages.json`), by page file relative to dist/.
  const heads = new Map<string, HeadFacts>();
  const scannedFiles = new Set<string>();
  const scan = emptyScan();
  return {
    name: 'masthead:shard-outputs',
    pages: () => merged.map((file) => file.slice(0, -'index.html'.length)),
    heads: () => heads,
    scanned: () => (scannedFiles.size ? { files: scannedFiles, scan } : undefined),
    hooks: {
      'astro:build:generated': async ({ dir, logger }) => {
        const shardsDir = env.MASTHEAD_SHARDS_DIR;
        if (env.MASTHEAD_SHARD !== 'core' || !shardsDir) return;
        const awaited = env[AWAIT_SHARDS_ENV];
        if (awaited) {
          const waited = await awaitShards(shardsDir, awaited);
          logger.info(`shard(s) built beside this build are kept (waited ${(waited / 1000).toFixed(1)} s for them)`);
        }
        const dist = fileURLToPath(dir);
        const started = performance.now();
        const kept = readKeptShards(shardsDir);
        for (const shard of kept) {
          const dir = join(shardsDir, shard.id);
          const pages = mergeShardFiles(dist, dir);
          merged.push(...pages);
          const described = readShardPages(dir);
          if (!described) continue;
          // Only pages this merge added: a page the core also built is read from dist/ as usual.
          const added = new Set(pages);
          for (const [rel, facts] of Object.entries(described.heads)) {
            if (added.has(rel)) heads.set(rel, facts);
          }
          if (pages.length && Object.keys(described.heads).every((rel) => added.has(rel))) {
            for (const rel of pages) scannedFiles.add(rel);
            mergeScan(scan, toScan(described.scan));
          }
        }
        // Every permalink must now have its page: a missing shard would silently drop a year.
        const data = join(dist, '_masthead/build-data.json');
        if (existsSync(data)) {
          const { permalinks } = JSON.parse(readFileSync(data, 'utf8')) as { permalinks: string[] };
          const missing = permalinks.filter((p) => !existsSync(join(dist, p, 'index.html')));
          if (missing.length) {
            const years = [...new Set(missing.map((p) => p.split('/')[2]))].join(', ');
            throw new Error(
              `${shardsDir}: no kept shard has the pages of ${missing.length} stories (${missing[0]}…) of ${years} (hint: npm run shards -- build ${years.split(', ')[0]}, or npm run build:sharded)`,
            );
          }
        }
        logger.info(
          `merged ${kept.length} shard(s), ${merged.length} story pages, ${scannedFiles.size} of them described by their shard's ${SHARD_PAGES} (${Math.round(performance.now() - started)} ms)`,
        );
      },
    },
  };
}

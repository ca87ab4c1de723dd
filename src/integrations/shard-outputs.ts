import type { AstroIntegration } from 'astro';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from '../lib/list-files.ts';
import type { ShardParts } from '../data/shards.ts';

/** What `npm run shards` keeps of a shard build, beside its files (see scripts/shards.ts). */
export const SHARD_MANIFEST = 'shard.json';
/** The folder of a kept shard's files, inside its folder. */
export const SHARD_FILES = 'files';

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
    copyFileSync(from, to);
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
export function shardOutputs(env: Record<string, string | undefined> = process.env): AstroIntegration & { pages: () => string[] } {
  const merged: string[] = [];
  return {
    name: 'masthead:shard-outputs',
    pages: () => merged.map((file) => file.slice(0, -'index.html'.length)),
    hooks: {
      'astro:build:generated': ({ dir, logger }) => {
        const shardsDir = env.MASTHEAD_SHARDS_DIR;
        if (env.MASTHEAD_SHARD !== 'core' || !shardsDir) return;
        const dist = fileURLToPath(dir);
        const started = performance.now();
        const kept = readKeptShards(shardsDir);
        for (const shard of kept) merged.push(...mergeShardFiles(dist, join(shardsDir, shard.id)));
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
        logger.info(`merged ${kept.length} shard(s), ${merged.length} story pages (${Math.round(performance.now() - started)} ms)`);
      },
    },
  };
}

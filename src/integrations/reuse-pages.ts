import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPreviewBuild } from '../data/build-time.ts';
import { storyPagesOfBuild } from '../data/page-keys.ts';
import { moveAside, removeAside } from '../lib/set-aside.ts';
import { writeAtomic } from '../lib/write-atomic.ts';

/**
 * A plain `astro build` used to begin by emptying dist/, one file at a time on the main thread
 * (at 10,000 stories, ~15,000 pages and their folders: ~30 s), and then copy the 10,000 story
 * pages whose key had not changed back from Astro's incremental cache. Instead:
 *
 * - the old dist/ is renamed aside (one system call) and deleted in the background while the
 *   build runs, as `npm run shards` does for the core build;
 * - the story pages the last build wrote are moved back into the new dist/ before Astro renders.
 *   Astro reuses a page already in dist/ when its key still matches ("(cached)" in the log) and
 *   writes over it when not; story pages no route wrote this time are removed afterwards.
 *
 * A page is moved back only if it is still the very file the last complete build left (same
 * inode, size and modification time, recorded in `<cacheDir>/reusable-pages.json` once Astro
 * has written every page): a page changed by hand, by another build (a preview build into the
 * same dist/, the sharded build's merge) or cut short by a killed build is never reused.
 * Every build deletes that record before it starts; only a full production build writes it.
 */
export const REUSABLE_PAGES_FILE = 'reusable-pages.json';

interface Fingerprint {
  ino: string;
  size: string;
  mtimeNs: string;
}

interface ReusableRecord {
  version: 1;
  outDir: string;
  pages: Record<string, Fingerprint>;
}

function fingerprint(file: string): Fingerprint | undefined {
  const st = statSync(file, { bigint: true, throwIfNoEntry: false });
  return st?.isFile() ? { ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs) } : undefined;
}

const same = (a: Fingerprint | undefined, b: Fingerprint) => a?.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;

function readRecord(file: string): ReusableRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as ReusableRecord;
    return r.version === 1 && typeof r.outDir === 'string' && r.pages ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Removes now-empty folders from `dir` up to (not including) `root`. */
function pruneEmpty(dir: string, root: string) {
  for (let d = dir; d.startsWith(`${root}/`); d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
  }
}

export function reusePages(env: Record<string, string | undefined> = process.env): AstroIntegration {
  let building = false;
  let outDir = '';
  let recordFile = '';
  // A full production build with Astro's incremental build: the kind that writes the record.
  let full = false;
  let aside: string | undefined;
  let record: ReusableRecord | undefined;
  const moved = new Map<string, Fingerprint>();
  let removal: Promise<void> | undefined;
  let log: AstroIntegrationLogger | undefined;
  return {
    name: 'masthead:reuse-pages',
    hooks: {
      'astro:config:setup': ({ command }) => void (building = command === 'build'),
      'astro:config:done': ({ config }) => {
        outDir = fileURLToPath(config.outDir).replace(/\/+$/, '');
        recordFile = fileURLToPath(new URL(REUSABLE_PAGES_FILE, config.cacheDir));
        full = building && !isPreviewBuild(env) && !env.MASTHEAD_SHARD && config.experimental.incrementalBuild === true;
      },
      'astro:build:start': ({ logger }) => {
        log = logger;
        if (full) record = readRecord(recordFile);
        // Whatever happens next, dist/ no longer is what the record describes.
        rmSync(recordFile, { force: true });
        // The sharded build's parts manage their own output folders (scripts/shards.ts).
        if (env.MASTHEAD_SHARD || existsSync(join(outDir, '.git'))) return;
        try {
          aside = moveAside(outDir);
        } catch (e) {
          // Astro empties it, as it always did.
          logger.info(`could not move ${outDir} aside (${(e as Error).message}); Astro empties it`);
        }
      },
      // After Astro emptied dist/ (nothing to empty now) and before it renders a page.
      'astro:build:setup': () => {
        if (env.MASTHEAD_SHARD || removal) return;
        const started = performance.now();
        if (aside && record?.outDir === outDir) {
          for (const [rel, print] of Object.entries(record.pages)) {
            const from = join(aside, rel);
            if (!same(fingerprint(from), print)) continue;
            const to = join(outDir, rel);
            mkdirSync(dirname(to), { recursive: true });
            renameSync(from, to);
            moved.set(rel, print);
          }
        }
        removal = removeAside(outDir).catch((e: Error) => log?.warn(`could not delete the previous output: ${e.message}`));
        if (aside) {
          log?.info(
            `${moved.size} story page(s) of the last build moved back into ${basename(outDir)}/, the rest deleted meanwhile (${Math.round(performance.now() - started)} ms)`,
          );
        }
      },
      'astro:build:generated': ({ dir }) => {
        const dist = fileURLToPath(dir).replace(/\/+$/, '');
        const pages = storyPagesOfBuild();
        let dropped = 0;
        for (const [rel, print] of moved) {
          // Written by this build (a route's page at that address), or the route's page: kept.
          if (pages?.has(rel)) continue;
          const file = join(dist, rel);
          if (!same(fingerprint(file), print)) continue;
          unlinkSync(file);
          pruneEmpty(dirname(file), dist);
          dropped++;
        }
        if (dropped) log?.info(`${dropped} story page(s) of the last build no longer built, removed`);
        if (!full || !pages || dist !== outDir) return;
        const next: ReusableRecord = { version: 1, outDir, pages: {} };
        for (const rel of pages) {
          const print = fingerprint(join(dist, rel));
          if (print) next.pages[rel] = print;
        }
        writeAtomic(recordFile, JSON.stringify(next));
      },
      'astro:build:done': async () => {
        await removal;
      },
    },
  };
}

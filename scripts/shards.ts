/**
 * The sharded build (docs/scaling.md, "Frozen archive pages"; plan in src/data/shards.ts).
 * Story pages of closed years are built as shards whose output is kept in `.shards/<year>/`
 * and reused while its key holds; the core build (listings, feeds, sitemaps, the current year)
 * runs every time and merges the kept shards into dist/, byte for byte what `npm run build` makes.
 *
 *   npm run shards -- plan [--json] [--github-output FILE]   which shards exist, their keys, which to build
 *   npm run shards -- build 2016 [2017 …]                    build those shards (dirty or not) and keep them
 *   npm run shards -- assemble                               the core build, merging the kept shards into dist/
 *   npm run shards -- sharded                                plan, build the dirty shards one after another while
 *                                                            the core build runs beside them, waiting for them before it merges
 *
 * Options: --shards DIR (kept shards, default .shards), --out DIR (default dist), --open-years N.
 * The build's "now" is SOURCE_DATE_EPOCH or the clock, as for `npm run build`.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { listFiles } from '../src/lib/list-files';
import { moveAside, removeAside } from '../src/lib/set-aside';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentDir, cacheDir } from '../src/content/paths';
import { cliArgs } from './lib/cli';
import { resolveBuildTime } from '../src/data/build-time';
import { PLAN_CACHE_SALT, readShardFacts, type ShardFacts } from '../src/data/shard-facts';
import { openPlanCache } from '../src/data/plan-cache';
import { planShards, type KeptShard, type ShardPlan } from '../src/data/shards';
import { AWAIT_SHARDS_ENV, readKeptShards, SHARD_FILES, SHARD_MANIFEST, writeShardPages, type ShardManifest } from '../src/integrations/shard-outputs';
import { siteConfig } from '../src/site.config';
import { RENDERING, TURN_MESSAGE, WAIT_FOR_TURN_ENV } from '../src/integrations/astro-turn';
import { openCheckerCache } from '../src/checks/facts-cache';
import { pathUnder } from '../src/checks/story';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

const USAGE = 'usage: npm run shards -- plan|build YEAR…|assemble|sharded [--shards DIR] [--out DIR] [--open-years N] [--json]';
const parsed = cliArgs('shards', USAGE, {
  allowPositionals: true,
  options: {
    shards: { type: 'string', default: '.shards' },
    out: { type: 'string', default: 'dist' },
    'open-years': { type: 'string' },
    json: { type: 'boolean' },
    'github-output': { type: 'string' },
  },
});
const { values: args, positionals } = parsed;
const [command, ...rest] = positionals;
if (!command || !['plan', 'build', 'assemble', 'sharded'].includes(command)) {
  console.error(`shards: ${command ? `unknown command "${command}"` : 'no command'}\n${USAGE}`);
  process.exit(2);
}

const shardsDir = resolve(ROOT, args.shards);
const outDir = resolve(ROOT, args.out);
const openYears = args['open-years'] ?? process.env.MASTHEAD_OPEN_YEARS;
const now = resolveBuildTime(process.env);
const log = (line: string) => console.log(`[shards] ${line}`);

let facts: ShardFacts | undefined;

function plan(): ShardPlan {
  const started = performance.now();
  // Read once: the content does not change while one command builds the shards and assembles them.
  // What check:content kept about each unchanged story is not parsed again (it runs just before, in CI and locally).
  if (!facts) {
    const cache = openCheckerCache(ROOT, siteConfig.embedHosts);
    const content = resolve(ROOT, contentDir);
    // Unchanged stories and photos are trusted by their stat and not read (src/data/plan-cache.ts).
    const files = openPlanCache(join(resolve(ROOT, cacheDir), 'shard-plan-files.txt'), PLAN_CACHE_SALT);
    facts = readShardFacts({
      root: ROOT,
      contentDir,
      now,
      site: siteConfig,
      cachedStory: (file, bytes) => cache.get(cache.key(pathUnder(content, file), bytes))?.entry,
      checkedByStat: (file, stat) => cache.byStat(pathUnder(content, file), stat)?.entry,
      planCache: files,
    });
    files.save();
    log(`${cache.stats.hits} stories' frontmatter from check:content's cache, ${cache.stats.misses} read afresh`);
    const { byStat, read, racy, ignored } = files.stats;
    log(
      `${byStat} files trusted by their size, times and inode unread, ${read} read and hashed (${racy} too recent to trust)${ignored ? `; plan cache ignored: ${ignored}` : ''}`,
    );
  }
  const kept: Record<string, KeptShard> = {};
  for (const m of readKeptShards(shardsDir)) kept[m.id] = { key: m.key, parts: m.parts };
  const p = planShards({
    stories: facts.stories,
    now,
    timeZone: facts.timeZone,
    openYears: openYears === undefined ? undefined : Number(openYears),
    inputs: facts.inputs,
    chrome: facts.chrome,
    kept,
  });
  log(
    `planned ${p.shards.length} shard(s) and ${p.coreStories.length} core stories from ${facts.stories.length} published stories in ${Math.round(performance.now() - started)} ms`,
  );
  return p;
}

/** Builds take their turn in `.astro/` in the order they ask (src/integrations/astro-turn.ts). */
let lastTurn: Promise<void> = Promise.resolve();
function takeTurn(): Promise<() => void> {
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const before = lastTurn;
  lastTurn = before.then(() => mine);
  return before.then(() => release);
}

/**
 * `astro build` as `npm run build` runs it, with the sharded build's settings. With `label`, each line it
 * prints starts with `[label]`, so a shard build's output reads apart from the core build's beside it.
 * Aborting `signal` stops it; `onTurn` runs when its turn in `.astro/` comes. With `early`, it starts at
 * once and waits for its turn inside Astro, its config loaded and its content gate passed (waitForTurn).
 */
async function astroBuild(
  env: Record<string, string>,
  out: string,
  { label, signal, onTurn, early = false }: { label?: string; signal?: AbortSignal; onTurn?: () => void; early?: boolean } = {},
): Promise<void> {
  const turn = takeTurn();
  let release: (() => void) | undefined;
  const given = (r: () => void) => {
    release = r;
    onTurn?.();
  };
  try {
    if (!early) given(await turn);
    signal?.throwIfAborted();
    await new Promise<void>((done, fail) => {
      const child = spawn(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', out], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe', ...(early ? (['ipc'] as const) : [])],
        signal,
        env: {
          ...process.env,
          ASTRO_TELEMETRY_DISABLED: '1',
          NODE_ENV: 'production',
          // One "now" for the plan and every build, even across midnight on New Year's Eve.
          SOURCE_DATE_EPOCH: String(Math.floor(now.getTime() / 1000)),
          ...(openYears === undefined ? {} : { MASTHEAD_OPEN_YEARS: openYears }),
          ...(early ? { [WAIT_FOR_TURN_ENV]: 'ipc' } : {}),
          ...env,
        },
      });
      if (early) {
        turn.then((r) => {
          // A build that already stopped (its gate refused the content) takes no turn: `onTurn` would delete the
          // previous output after a failed build. The turn is passed on below.
          if (!child.connected) return;
          given(r);
          child.send(TURN_MESSAGE);
        }, fail);
      }
      for (const [from, to] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ] as const) {
        createInterface({ input: from! }).on('line', (line) => {
          if (RENDERING.test(line)) release?.();
          to.write(label ? `[${label}] ${line}\n` : `${line}\n`);
        });
      }
      child.on('error', fail);
      child.on('close', (code, sig) =>
        code === 0 ? done() : fail(new Error(`astro build (${JSON.stringify(env)}) failed: exit ${code ?? sig}`)),
      );
    });
  } finally {
    // A build that stopped before its turn still passes it on when it comes.
    if (release) release();
    else void turn.then((r) => r());
  }
}

/** Writes the ids of the stories whose bodies a part of the build renders (MASTHEAD_BODIES). */
function writeBodies(name: string, files: readonly string[], more: Iterable<string> = []): string {
  const ids = new Set(more);
  for (const f of files) {
    const id = facts?.ids.get(f);
    if (!id) throw new Error(`shards: ${f} is not a published story`);
    ids.add(id);
  }
  mkdirSync(shardsDir, { recursive: true });
  const file = join(shardsDir, `.bodies-${name}.txt`);
  writeFileSync(file, `${[...ids].sort().join('\n')}\n`);
  return file;
}

/**
 * Moves Astro's scripts and styles and the images the kept pages show into `<kept>/_astro/`.
 * A shard build also emits the original of every photo the content imports whose files it did
 * not make (other years' stories), which a full build never publishes.
 */
function keepReferencedAssets(astro: string, kept: string) {
  if (!existsSync(astro)) return;
  const shown = new Set<string>();
  for (const page of listFiles(kept).filter((f) => f.endsWith('.html'))) {
    for (const m of readFileSync(join(kept, page), 'utf8').matchAll(/\/_astro\/([^"'\s)<>?#,]+)/g)) shown.add(m[1]!);
  }
  mkdirSync(join(kept, '_astro'), { recursive: true });
  for (const name of readdirSync(astro)) {
    if (IMAGE_FILE.test(name) && !shown.has(name)) continue;
    renameSync(join(astro, name), join(kept, '_astro', name));
  }
}

const IMAGE_FILE = /\.(avif|webp|jpe?g|png|gif|svg)$/i;

/** Builds one shard into a scratch folder and keeps its story pages and assets as `.shards/<year>/`. */
async function buildShard(p: ShardPlan, id: string, signal?: AbortSignal) {
  const shard = p.shards.find((s) => s.id === id);
  if (!shard) {
    throw new Error(
      `shards: ${id} is not a shard (closed years with published stories: ${p.shards.map((s) => s.id).join(', ') || 'none'})`,
    );
  }
  const started = performance.now();
  const scratch = join(shardsDir, `.build-${id}`);
  rmSync(scratch, { recursive: true, force: true });
  // Each shard has its own cache (content store, photos) beside the core build's, so they never evict
  // each other and its store holds only this year's bodies (src/content/story-loader.ts).
  const bodies = writeBodies(`shard-${id}`, shard.stories);
  const shardCache = `${cacheDir}-shard-${id}`;
  await astroBuild({ MASTHEAD_SHARD: id, MASTHEAD_CACHE_DIR: shardCache, MASTHEAD_BODIES: bodies }, scratch, { label: `shard ${id}`, signal });
  const keep = join(shardsDir, `.keep-${id}`);
  rmSync(keep, { recursive: true, force: true });
  mkdirSync(join(keep, SHARD_FILES), { recursive: true });
  if (existsSync(join(scratch, 'news', id))) {
    mkdirSync(join(keep, SHARD_FILES, 'news'), { recursive: true });
    renameSync(join(scratch, 'news', id), join(keep, SHARD_FILES, 'news', id));
  }
  keepReferencedAssets(join(scratch, '_astro'), join(keep, SHARD_FILES));
  // Head facts and CSP scan of its pages, read once here instead of by every core build; an unchanged
  // page's are taken from the last time this shard was built (kept in its cache by the page's digest).
  writeShardPages(keep, {
    dir: resolve(ROOT, shardCache),
    code: `${shard.parts.inputs.templates}:${shard.parts.inputs.dependencies}`,
  });
  const manifest: ShardManifest = {
    id,
    year: shard.year,
    key: shard.key,
    parts: shard.parts,
    builtAt: new Date().toISOString(),
  };
  writeFileSync(join(keep, SHARD_MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  rmSync(join(shardsDir, id), { recursive: true, force: true });
  renameSync(keep, join(shardsDir, id));
  rmSync(scratch, { recursive: true, force: true });
  log(
    `built shard ${id}: ${shard.stories.length} story pages in ${((performance.now() - started) / 1000).toFixed(1)} s (key ${shard.key})`,
  );
}

/** Moves the previous output out of the core build's way and deletes it while the build runs (src/lib/set-aside.ts). */
function setAside(out: string): Promise<void> {
  try {
    moveAside(out);
  } catch (e) {
    // Astro empties it itself, as in a plain build.
    log(`could not move ${out} aside (${(e as Error).message}); the build empties it`);
  }
  return removeAside(out).catch((e: Error) => log(`could not delete the previous output: ${e.message}`));
}

/**
 * The core build, merging every kept shard; refuses if one is missing or stale, unless it is one of
 * `building`: shards built beside it, which it waits for before it merges (src/integrations/shard-outputs.ts).
 */
async function assemble(p: ShardPlan, building: readonly string[] = [], signal?: AbortSignal) {
  const stale = p.shards.filter((s) => s.dirty && !building.includes(s.id));
  if (stale.length) {
    throw new Error(
      `shards: ${stale.map((s) => `${s.id} (${s.why})`).join('; ')} must be built first (hint: npm run shards -- build ${stale.map((s) => s.id).join(' ')}, or npm run build:sharded)`,
    );
  }
  // Shards of years that no longer have stories (or became open) must not reach dist/.
  const wanted = new Set(p.shards.map((s) => s.id));
  for (const m of readKeptShards(shardsDir)) {
    if (!wanted.has(m.id)) {
      log(`removing kept shard ${m.id}: no longer a closed year with stories`);
      rmSync(join(shardsDir, m.id), { recursive: true, force: true });
    }
  }
  const started = performance.now();
  let removed: Promise<void> | undefined;
  // The current year's bodies and those some feed shows in full.
  const bodies = writeBodies('core', p.coreStories, facts?.feedStories);
  try {
    const awaited = p.shards.filter((s) => building.includes(s.id)).map((s) => `${s.id}:${s.key}`);
    await astroBuild(
      {
        MASTHEAD_SHARD: 'core',
        MASTHEAD_SHARDS_DIR: shardsDir,
        MASTHEAD_BODIES: bodies,
        ...(awaited.length ? { [AWAIT_SHARDS_ENV]: awaited.join(',') } : {}),
      },
      outDir,
      // It starts at once: its config and content gate need no turn in .astro/. The old dist/ is deleted
      // when its turn comes, beside its own content sync, not beside a shard build's.
      { signal, early: true, onTurn: () => void (removed = setAside(outDir)) },
    );
  } finally {
    await removed;
  }
  log(`assembled ${outDir} from the core build and ${p.shards.length} shard(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function report(p: ShardPlan) {
  if (args.json) {
    console.log(
      JSON.stringify({ ...p, shards: p.shards.map(({ parts: _parts, stories, ...s }) => ({ ...s, stories: stories.length })) }, null, 1),
    );
  } else {
    log(`current year ${p.currentYear}; stories from ${p.firstOpenYear} on are built by the core build`);
    for (const s of p.shards) log(`${s.id}: ${s.stories.length} stories, key ${s.key}: ${s.dirty ? `build (${s.why})` : s.why}`);
  }
  if (args['github-output']) {
    // For a matrix of shard jobs: the dirty ones with their keys, and every shard's key for the cache restore.
    const dirty = p.shards.filter((s) => s.dirty).map((s) => ({ shard: s.id, key: s.key }));
    const all = p.shards.map((s) => ({ shard: s.id, key: s.key }));
    appendFileSync(args['github-output'], `dirty=${JSON.stringify(dirty)}\nshards=${JSON.stringify(all)}\nany-dirty=${dirty.length > 0}\n`);
  }
}

try {
  if (command === 'plan') report(plan());
  else if (command === 'build') {
    if (!rest.length) throw new Error('shards: build needs one or more years, e.g. npm run shards -- build 2016');
    const p = plan();
    for (const id of rest) await buildShard(p, id);
  } else if (command === 'assemble') await assemble(plan());
  else {
    const p = plan();
    report(p);
    // The core build's gate, content sync and rendering need no shard, so they run beside the shard
    // builds (on a second core); it waits for them before it merges. The first failure stops both.
    const stop = new AbortController();
    let failure: unknown;
    const failed = (e: unknown) => {
      failure ??= e;
      stop.abort();
    };
    await Promise.all([
      (async () => {
        for (const id of p.dirty) await buildShard(p, id, stop.signal);
      })().catch(failed),
      assemble(p, p.dirty, stop.signal).catch(failed),
    ]);
    if (failure) throw failure;
  }
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}

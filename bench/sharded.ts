/**
 * The sharded build at archive scale (issue 15): on a generated corpus without photos, a cold full
 * `astro build`, a cold sharded build (`npm run build:sharded`: every shard, then the core build),
 * and sharded rebuilds after one story edit in an old year and in the current one; plus
 * `check:content`. Wall time, CPU and the peak memory of all processes together (each command's
 * process tree, polled). Results go to bench/results.json (`sharded`) and bench/results.md.
 *
 *   npm run bench -- --sharded 30000 [--skip-full]
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { ASTRO_BIN, ROOT, WORK, whenAndLoad } from './common.ts';
import { formatBytes } from '../src/lib/bytes.ts';
import { BENCH_NOW, generateCorpus } from './gen-corpus.ts';
import { measure, walkFiles, type Measured } from './measure.ts';

export interface ShardedStep {
  label: string;
  wallSeconds: number;
  cpuSeconds?: number;
  /** The most all processes of the step held at once. */
  peakTreeRssBytes?: number;
  peakRssBytes?: number;
  /** Shards the step built (sharded steps only). */
  shardsBuilt?: string[];
}

export interface ShardedResult {
  stories: number;
  shards: number;
  htmlPages?: number;
  steps: ShardedStep[];
  measuredAt: string;
  load: [number, number];
  /** True when the assembled dist/ equalled the full build's, file for file. */
  identical?: boolean;
}

const log = (s: string) => console.log(`[bench:sharded] ${s}`);

function step(label: string, m: Measured, extra: Partial<ShardedStep> = {}): ShardedStep {
  if (!m.ok) throw new Error(`${label} failed (exit ${m.code}):\n${m.output.slice(-4000)}`);
  const s = {
    label,
    wallSeconds: m.wallSeconds,
    cpuSeconds: m.cpuSeconds,
    peakTreeRssBytes: m.peakTreeRssBytes,
    peakRssBytes: m.peakRssBytes,
    ...extra,
  };
  log(
    `${label}: ${m.wallSeconds.toFixed(1)} s, CPU ${m.cpuSeconds?.toFixed(1) ?? '?'} s, all processes ${((m.peakTreeRssBytes ?? 0) / 2 ** 30).toFixed(2)} GB`,
  );
  return s;
}

const built = (output: string) => [...output.matchAll(/\[shards\] built shard (\d{4}):/g)].map((m) => m[1]!);

/** Appends a line to the story, as an editor's correction would. */
function edit(file: string) {
  writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\n\nCorrection: this story was edited for the benchmark (${Date.now()}).\n`);
}

export async function benchSharded(stories: number, { skipFull = false, skipCheck = false } = {}): Promise<ShardedResult> {
  const dir = join(WORK, `sharded-${stories}`);
  const content = join(dir, 'content');
  const marker = join(dir, 'corpus.json');
  if (!existsSync(marker) || JSON.parse(readFileSync(marker, 'utf8')).stories !== stories) {
    log(`generating ${stories} stories (no photos) in ${content}`);
    await generateCorpus({ dir: content, stories, photos: false });
    writeFileSync(marker, JSON.stringify({ stories }));
  }
  const env = {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    NODE_ENV: 'production',
    MASTHEAD_CONTENT_DIR: content,
    MASTHEAD_DEFAULT_STATION: 'kxpr',
    SOURCE_DATE_EPOCH: String(BENCH_NOW.getTime() / 1000),
    NODE_OPTIONS: '--max-old-space-size=12288',
  };
  const load0 = loadavg()[0]!;
  const steps: ShardedStep[] = [];

  if (!skipCheck) {
    steps.push(
      step(
        'check:content',
        await measure(process.execPath, ['--import', 'tsx', 'scripts/check-content.ts', '--now', BENCH_NOW.toISOString()], {
          cwd: ROOT,
          env,
        }),
      ),
    );
  }

  const full = join(dir, 'full');
  if (!skipFull) {
    rmSync(full, { recursive: true, force: true });
    rmSync(join(dir, 'cache-full'), { recursive: true, force: true });
    steps.push(
      step(
        'full build, cold',
        await measure(process.execPath, [ASTRO_BIN, 'build', '--outDir', full], {
          cwd: ROOT,
          env: { ...env, MASTHEAD_CACHE_DIR: join(dir, 'cache-full') },
        }),
      ),
    );
  }

  const shardsDir = join(dir, 'shards');
  const out = join(dir, 'assembled');
  const sharded = (label: string) =>
    measure(process.execPath, ['--import', 'tsx', 'scripts/shards.ts', 'sharded', '--shards', shardsDir, '--out', out], {
      cwd: ROOT,
      env: { ...env, MASTHEAD_CACHE_DIR: join(dir, 'cache-sharded') },
    }).then((m) => {
      writeFileSync(join(dir, `${label.replace(/\W+/g, '-')}.log`), m.output);
      return step(label, m, { shardsBuilt: m.ok ? built(m.output) : [] });
    });
  // Each shard has its own cache beside the core's (`<cache>-shard-<year>`, scripts/shards.ts): cold means none of them.
  const caches = readdirSync(dir).filter((d) => d.startsWith('cache-sharded-shard-'));
  for (const d of [shardsDir, out, join(dir, 'cache-sharded'), ...caches.map((c) => join(dir, c))])
    rmSync(d, { recursive: true, force: true });
  steps.push(await sharded('sharded build, cold'));

  let identical: boolean | undefined;
  if (!skipFull) {
    const a = walkFiles(full).map((f) => f.path.slice(full.length));
    const b = new Set(walkFiles(out).map((f) => f.path.slice(out.length)));
    identical = a.length === b.size && a.every((f) => b.has(f) && readFileSync(join(full, f)).equals(readFileSync(join(out, f))));
    log(`assembled dist/ ${identical ? 'is' : 'is NOT'} identical to the full build's`);
  }

  const years = readdirSync(join(content, 'articles'))
    .filter((y) => /^\d{4}$/.test(y))
    .sort();
  const old = years.find((y) => Number(y) <= BENCH_NOW.getUTCFullYear() - 5) ?? years[0]!;
  const current = String(BENCH_NOW.getUTCFullYear());
  const first = (y: string) =>
    join(
      content,
      'articles',
      y,
      readdirSync(join(content, 'articles', y)).find((f) => f.endsWith('.md'))!,
    );
  edit(first(old));
  steps.push(await sharded(`one edit in ${old}, sharded rebuild`));
  edit(first(current));
  steps.push(await sharded(`one edit in ${current}, sharded rebuild`));

  const html = walkFiles(out).filter((f) => f.path.endsWith('.html')).length;
  return {
    stories,
    shards: readdirSync(shardsDir).filter((d) => /^\d{4}$/.test(d)).length,
    htmlPages: html,
    steps,
    measuredAt: new Date().toISOString(),
    load: [load0, loadavg()[0]!],
    identical,
  };
}

const gb = (b?: number) => (b === undefined ? 'n/a' : formatBytes(b));

/** The section of bench/results.md. */
export function renderSharded(results: readonly ShardedResult[]): string[] {
  const out = [
    '## Sharded build (story pages of past years kept as shards)',
    '',
    '`npm run bench -- --sharded N` (bench/sharded.ts): a generated corpus without photos, built at the benchmark\'s "now"',
    '(2026-11-25). Cold = no caches, no kept shards. The sharded build plans, builds every dirty shard one after another',
    'and assembles (the core build merging the shards, with the search index, sitemaps and host files over the whole',
    "site). All processes = the most the step's whole process tree held at once.",
    '',
    '| stories | step | wall | CPU | all processes | largest process | shards built | measured | load before → after |',
    '|---:|---|---:|---:|---:|---:|---|---|---|',
  ];
  for (const r of results) {
    for (const s of r.steps) {
      out.push(
        `| ${r.stories.toLocaleString('en-US')} | ${s.label} | ${s.wallSeconds.toFixed(1)} s | ${s.cpuSeconds?.toFixed(1) ?? 'n/a'} s | ${gb(s.peakTreeRssBytes)} | ${gb(s.peakRssBytes)} | ${s.shardsBuilt ? (s.shardsBuilt.length > 4 ? `${s.shardsBuilt.length} (all)` : s.shardsBuilt.join(', ') || 'none') : ''} | ${whenAndLoad(r.measuredAt, r.load[0], r.load[1])} |`,
      );
    }
  }
  for (const r of results) {
    if (r.identical !== undefined) {
      out.push(
        '',
        `${r.stories.toLocaleString('en-US')} stories: ${r.shards} shards, ${r.htmlPages?.toLocaleString('en-US')} HTML pages; the assembled dist/ ${r.identical ? 'is byte-identical to' : '**differs from**'} the full build's.`,
      );
    }
  }
  // Where the core build's time goes (profiles), kept by hand beside the generated table.
  const notes = fileURLToPath(new URL('./sharded-core.md', import.meta.url));
  if (existsSync(notes)) out.push('', readFileSync(notes, 'utf8').trimEnd());
  out.push('');
  return out;
}

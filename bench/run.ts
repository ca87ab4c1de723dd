/**
 * The newsroom-scale benchmark: `npm run bench -- --stories 1000,4000 --runs 3`.
 *
 * For each corpus size it generates a deterministic corpus into bench/.work/, then builds
 * Masthead and the bare Astro baseline (bench/baseline/) on it, in the same run and
 * interleaved, so the ratio between them survives a noisy machine. Each run is a cold build
 * (no cache, no dist) followed by a warm rebuild after one story is edited (cache and dist kept).
 * It writes bench/results.json, bench/results.md and bench/build-times.svg.
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { cpus, totalmem, release, type } from 'node:os';
import { join } from 'node:path';
import { benchOptions } from './args.ts';
import { ASTRO_BIN, BENCH, fmtS, log, RESULTS_JSON, ROOT, WORK } from './common.ts';
import { benchImport } from './import.ts';
import { rssMethod } from './measure.ts';
import { benchPhotos } from './photos.ts';
import { renderChart, renderResults, type ResultsFile } from './report.ts';
import { benchSharded } from './sharded.ts';
import { benchSize } from './sizes.ts';

function machine(): ResultsFile['machine'] {
  const astro = JSON.parse(readFileSync(join(ROOT, 'node_modules/astro/package.json'), 'utf8')) as { version: string };
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
    os: `${type()} ${release()}`,
    node: process.versions.node,
    astro: astro.version,
    rss: rssMethod(),
  };
}

async function main() {
  const opts = benchOptions();
  if (opts.importPosts) {
    await benchImport(opts.importPosts);
    return;
  }
  if (opts.reportOnly) {
    const saved = JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as ResultsFile;
    writeFileSync(join(BENCH, 'results.md'), renderResults(saved));
    writeFileSync(join(BENCH, 'build-times.svg'), renderChart(saved));
    log('re-rendered bench/results.md and bench/build-times.svg from bench/results.json');
    return;
  }
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  if (major < 22 || (major === 22 && minor < 12)) {
    throw new Error(
      `Astro 7 needs Node >= 22.12; this is ${process.versions.node}. Run through npm (\`npm run bench\`), which uses the project's Node.`,
    );
  }
  if (!existsSync(ASTRO_BIN)) throw new Error('astro is not installed; run `npm ci` first');
  mkdirSync(join(WORK, 'logs'), { recursive: true });
  log(`stories ${opts.stories.join(', ')}; ${opts.runs} run(s) each; sites ${opts.sites.join(', ')}; peak RSS via ${rssMethod()}`);
  if (opts.runs < 3) log('fewer than 3 runs: figures are not medians of 3 and are marked so in the results');

  const previous: ResultsFile | undefined = existsSync(RESULTS_JSON)
    ? (JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as ResultsFile)
    : undefined;
  if (opts.sharded !== undefined) {
    const r = await benchSharded(opts.sharded, { skipFull: opts.skipFull, skipCheck: opts.skipCheck });
    const results: ResultsFile = {
      ...(previous ?? { sizes: [] }),
      machine: machine(),
      sharded: [...(previous?.sharded ?? []).filter((x) => x.stories !== r.stories), r].sort((a, b) => a.stories - b.stories),
    };
    writeFileSync(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(BENCH, 'results.md'), renderResults(results));
    log(`sharded: ${r.stories} stories; wrote bench/results.md`);
    return;
  }
  if (opts.photos !== undefined) {
    const r = await benchPhotos({ root: ROOT, work: WORK, stories: opts.photos, runs: opts.runs, label: opts.label });
    const results: ResultsFile = {
      machine: machine(),
      sizes: previous?.sizes ?? [],
      photos: [...(previous?.photos ?? []).filter((p) => p.label !== r.label || p.stories !== r.stories), r],
      sharded: previous?.sharded,
    };
    writeFileSync(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(BENCH, 'results.md'), renderResults(results));
    log(`photos: ${r.cpuPerPhoto?.toFixed(2) ?? 'n/a'} s CPU per unique photo; wrote bench/results.md`);
    return;
  }
  const results: ResultsFile = {
    machine: machine(),
    sizes: previous?.sizes.filter((s) => !opts.stories.includes(s.stories)) ?? [],
    photos: previous?.photos ?? [],
    sharded: previous?.sharded,
  };
  for (const n of opts.stories) {
    const r = await benchSize(n, opts);
    results.sizes = [...results.sizes.filter((s) => s.stories !== n), r].sort((a, b) => a.stories - b.stories);
    // Written after every size, so a long run that is interrupted keeps what it measured.
    writeFileSync(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(BENCH, 'results.md'), renderResults(results));
    writeFileSync(join(BENCH, 'build-times.svg'), renderChart(results));
    const m = r.sites.masthead;
    const b = r.sites.baseline;
    if (m && b) {
      log(
        `${n} stories: Masthead cold ${fmtS(m.cold.medianSeconds)} (${(m.cold.medianSeconds / b.cold.medianSeconds).toFixed(2)}x baseline ${fmtS(b.cold.medianSeconds)}), ` +
          `warm ${fmtS(m.warm.medianSeconds)} (${(m.warm.medianSeconds / m.cold.medianSeconds).toFixed(2)}x cold)`,
      );
    }
  }
  log('wrote bench/results.md, bench/results.json and bench/build-times.svg');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

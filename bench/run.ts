/**
 * The newsroom-scale benchmark: `npm run bench -- --stories 1000,4000 --runs 3`.
 *
 * For each corpus size it generates a deterministic corpus into bench/.work/, then builds
 * Masthead and the bare Astro baseline (bench/baseline/) on it, in the same run and
 * interleaved, so the ratio between them survives a noisy machine. Each run is a cold build
 * (no cache, no dist) followed by a warm rebuild after one story is edited (cache and dist kept).
 * It writes bench/results.json, bench/results.md and bench/build-times.svg.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, release, type } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAstroLog, type AstroPhases } from './astro-log.ts';
import { benchImport } from './import.ts';
import { BENCH_NOW, generateCorpus, type CorpusInfo } from './gen-corpus.ts';
import { measure, median, rssMethod, walkFiles, type Measured } from './measure.ts';
import { benchSharded } from './sharded.ts';
import { pageWeight, type PageWeight } from './page-weight.ts';
import { benchPhotos } from './photos.ts';
import {
  renderChart,
  renderResults,
  type CheckContentResult,
  type PublishDiff,
  type ResultsFile,
  type SiteResult,
  type SizeResult,
  type RunSample,
} from './report.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BENCH = join(ROOT, 'bench');
const WORK = join(BENCH, '.work');
const ASTRO_BIN = join(ROOT, 'node_modules/astro/bin/astro.mjs');
const RESULTS_JSON = join(BENCH, 'results.json');

type SiteName = 'masthead' | 'baseline';
const SITE_ROOTS: Record<SiteName, string> = { masthead: ROOT, baseline: join(BENCH, 'baseline') };

interface Options {
  stories: number[];
  runs: number;
  sites: SiteName[];
  /** Re-render results.md and the chart from results.json without building. */
  reportOnly: boolean;
  /** Benchmark `npm run import` on a generated WordPress export of this many posts instead of building. */
  importPosts?: number;
  /** Stories of the photo benchmark (bench/photos.ts) instead of the build-time sizes. */
  photos?: number;
  /** What the photo figures are labelled in the results, e.g. "before (main)". */
  label: string;
  /** Stories of the sharded-build benchmark (bench/sharded.ts) instead of the build-time sizes. */
  sharded?: number;
  /** Sharded benchmark: skip the full build it is compared with, or check:content. */
  skipFull: boolean;
  skipCheck: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { stories: [1000, 4000], runs: 3, sites: ['masthead', 'baseline'], reportOnly: false, label: 'current', skipFull: false, skipCheck: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--stories') {
      opts.stories = value()
        .split(',')
        .map((s) => Number(s.replace(/[_k]/g, (c) => (c === 'k' ? '000' : ''))));
      if (opts.stories.some((n) => !Number.isInteger(n) || n < 10))
        throw new Error('--stories takes whole numbers of at least 10, e.g. --stories 1000,4000');
    } else if (flag === '--runs') {
      opts.runs = Number(value());
      if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs takes a whole number of at least 1');
    } else if (flag === '--sites') {
      const sites = value().split(',');
      for (const s of sites)
        if (s !== 'masthead' && s !== 'baseline') throw new Error(`--sites: unknown site "${s}"; use masthead, baseline`);
      opts.sites = sites as SiteName[];
    } else if (flag === '--import') {
      opts.importPosts ??= 10_000;
    } else if (flag === '--posts') {
      opts.importPosts = Number(value());
      if (!Number.isInteger(opts.importPosts) || opts.importPosts < 1) throw new Error('--posts takes a whole number, e.g. --posts 10000');
    } else if (flag === '--photos') {
      opts.photos = Number(value());
      if (!Number.isInteger(opts.photos) || opts.photos < 10) throw new Error('--photos takes a whole number of stories, at least 10');
    } else if (flag === '--sharded') {
      opts.sharded = Number(value().replace(/k$/, '000'));
      if (!Number.isInteger(opts.sharded) || opts.sharded < 10) throw new Error('--sharded takes a whole number of stories, at least 10');
    } else if (flag === '--skip-full') {
      opts.skipFull = true;
    } else if (flag === '--skip-check') {
      opts.skipCheck = true;
    } else if (flag === '--label') {
      opts.label = value();
    } else if (flag === '--report-only') {
      opts.reportOnly = true;
    } else if (flag === '--help' || flag === '-h') {
      console.log(
        'usage: npm run bench -- [--stories 1000,4000] [--runs 3] [--sites masthead,baseline] [--report-only]\n' +
          '       npm run bench -- --import [--posts 10000]   (time npm run import on a generated WordPress export)',
          '       npm run bench -- --photos 60 [--runs 3] [--label current]   (what one unique photo costs)\n' +
          '       npm run bench -- --sharded 30000 [--skip-full]   (the sharded build: cold, one old and one current edit)',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${flag}; try --help`);
  }
  return opts;
}

const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const fmtS = (s: number) => `${s.toFixed(2)} s`;
const fmtCpu = (s: number | undefined) => (s === undefined ? 'n/a' : fmtS(s));
const fmtMB = (b: number | undefined) => (b === undefined ? 'n/a' : `${Math.round(b / 1048576)} MB`);

/** Every built page's directory under `dist/news/`, by its last path segment (the slug). */
function storyPages(dist: string): Map<string, string> {
  const out = new Map<string, string>();
  const root = join(dist, 'news');
  if (!existsSync(root)) return out;
  const stack = [root];
  while (stack.length) {
    const d = stack.pop()!;
    const entries = readdirSync(d, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name === 'index.html')) out.set(d.slice(d.lastIndexOf('/') + 1), join(d, 'index.html'));
    for (const e of entries) if (e.isDirectory()) stack.push(join(d, e.name));
  }
  return out;
}

/** Content hash of every file in a build, by path: what a publish would compare. */
function hashDist(dist: string): Map<string, string> {
  return new Map(walkFiles(dist).map((f) => [relative(dist, f.path), createHash('sha256').update(readFileSync(f.path)).digest('hex')]));
}

function diffDist(before: Map<string, string>, after: Map<string, string>): PublishDiff {
  const changed = [...after].filter(([p, h]) => before.has(p) && before.get(p) !== h).map(([p]) => p);
  const added = [...after.keys()].filter((p) => !before.has(p));
  const removed = [...before.keys()].filter((p) => !after.has(p));
  return {
    files: after.size,
    changed: changed.length,
    added: added.length,
    removed: removed.length,
    examples: [...changed, ...added, ...removed].sort().slice(0, 12),
  };
}

interface Build {
  measured: Measured;
  phases: AstroPhases;
  htmlPages: number;
  distBytes: number;
}

/**
 * Deleting a previous build's thousands of files leaves the file system work to finish (journal
 * commits, discards) that otherwise lands inside the next timed build: measured here, a cold
 * build right after `rm -rf` spent up to 3 s more in the kernel. Flush it before timing.
 */
function settleDisk(): void {
  spawnSync('sync');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}

async function build(site: SiteName, corpus: CorpusInfo, label: string): Promise<Build> {
  const dist = join(WORK, `dist-${site}-${corpus.stories}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    MASTHEAD_CONTENT_DIR: corpus.dir,
    MASTHEAD_CACHE_DIR: join(WORK, `cache-${site}-${corpus.stories}`),
    MASTHEAD_DEFAULT_STATION: 'kxpr',
    SOURCE_DATE_EPOCH: String(BENCH_NOW.getTime() / 1000),
  };
  const measured = await measure(process.execPath, [ASTRO_BIN, 'build', '--root', SITE_ROOTS[site], '--outDir', dist], { cwd: ROOT, env });
  const logFile = join(WORK, 'logs', `${corpus.stories}-${site}-${label}.log`);
  writeFileSync(logFile, measured.output);
  if (!measured.ok) {
    throw new Error(
      `${site} ${label} build of ${corpus.stories} stories failed (exit ${measured.code}); log: ${logFile}\n${measured.output.slice(-3000)}`,
    );
  }
  const files = walkFiles(dist);
  return {
    measured,
    phases: parseAstroLog(measured.output),
    htmlPages: files.filter((f) => f.path.endsWith('.html')).length,
    distBytes: files.reduce((n, f) => n + f.bytes, 0),
  };
}

function sample(b: Build): RunSample {
  return {
    wallSeconds: b.measured.wallSeconds,
    cpuSeconds: b.measured.cpuSeconds,
    peakRssBytes: b.measured.peakRssBytes,
    peakTreeRssBytes: b.measured.peakTreeRssBytes,
    htmlPages: b.htmlPages,
    distBytes: b.distBytes,
    phases: b.phases,
  };
}

/** Appends a paragraph to one story; returns the text to find on its rebuilt page. */
function editStory(file: string, original: string, marker: string): string {
  writeFileSync(file, `${original.trimEnd()}\n\nThis story was edited for the benchmark (${marker}).\n`);
  return marker;
}

async function benchSize(n: number, opts: Options): Promise<SizeResult> {
  const corpusDir = join(WORK, `corpus-${n}`);
  log(`generating ${n} stories in ${corpusDir}`);
  const corpus = await generateCorpus({ dir: corpusDir, stories: n });
  // The edited story is in the middle of the corpus and has a photo, like a typical story.
  const editIndex = corpus.files.findIndex(
    (f, i) => i >= n / 2 && readFileSync(join(corpusDir, 'articles', f), 'utf8').includes('\nimage:'),
  );
  const editFile = join(corpusDir, 'articles', corpus.files[editIndex]!);
  const editSlug = corpus.files[editIndex]!.replace(/^.*\//, '').replace(/\.md$/, '');
  const original = readFileSync(editFile, 'utf8');
  const loadBefore = loadavg()[0]!;

  const publishDiffs: Partial<Record<SiteName, PublishDiff>> = {};
  const samples: Record<SiteName, { cold: RunSample[]; warm: RunSample[] }> = {
    masthead: { cold: [], warm: [] },
    baseline: { cold: [], warm: [] },
  };
  for (let run = 1; run <= opts.runs; run++) {
    // Alternate which site goes first, so drift in machine load does not favour one of them.
    const order = run % 2 ? opts.sites : [...opts.sites].reverse();
    for (const site of order) {
      writeFileSync(editFile, original);
      rmSync(join(WORK, `cache-${site}-${n}`), { recursive: true, force: true });
      rmSync(join(WORK, `dist-${site}-${n}`), { recursive: true, force: true });
      settleDisk();
      const cold = await build(site, corpus, `cold-${run}`);
      const stories = storyPages(join(WORK, `dist-${site}-${n}`));
      if (stories.size !== n) throw new Error(`${site} cold build of ${n} stories made ${stories.size} story pages, expected ${n}`);
      log(
        `${site} ${n} run ${run}/${opts.runs}: cold ${fmtS(cold.measured.wallSeconds)} (CPU ${fmtCpu(cold.measured.cpuSeconds)}), ${fmtMB(cold.measured.peakRssBytes)}, ${cold.htmlPages} pages`,
      );

      const beforeEdit = hashDist(join(WORK, `dist-${site}-${n}`));
      const marker = editStory(editFile, original, `bench edit ${site} ${run}`);
      settleDisk();
      const warm = await build(site, corpus, `warm-${run}`);
      publishDiffs[site] = diffDist(beforeEdit, hashDist(join(WORK, `dist-${site}-${n}`)));
      const page = storyPages(join(WORK, `dist-${site}-${n}`)).get(editSlug);
      if (!page || !readFileSync(page, 'utf8').includes(marker)) {
        throw new Error(
          `${site} warm rebuild of ${n} stories did not show the edit to ${editFile} (looked for "${marker}" in ${page ?? 'a missing page'})`,
        );
      }
      log(
        `${site} ${n} run ${run}/${opts.runs}: warm ${fmtS(warm.measured.wallSeconds)} (CPU ${fmtCpu(warm.measured.cpuSeconds)}), ${fmtMB(warm.measured.peakRssBytes)}`,
      );
      samples[site].cold.push(sample(cold));
      samples[site].warm.push(sample(warm));
    }
  }
  writeFileSync(editFile, original);

  const sites: Partial<Record<SiteName, SiteResult>> = {};
  for (const site of opts.sites) sites[site] = summarise(samples[site].cold, samples[site].warm);

  const checkContent = await timeCheckContent(corpus, opts.runs);
  const weights = pageWeights(corpus, opts.sites);
  return {
    stories: n,
    runs: opts.runs,
    measuredAt: new Date().toISOString(),
    loadAverage: { before: loadBefore, after: loadavg()[0]! },
    editedStory: corpus.files[editIndex]!,
    sites,
    pairedColdRatio: paired(samples, 'cold'),
    pairedWarmRatio: paired(samples, 'warm'),
    checkContent,
    pageWeights: weights,
    publishDiff: publishDiffs,
  };
}

/** Median of per-run Masthead/baseline ratios: each pair ran back to back, under the same load. */
function paired(samples: Record<SiteName, { cold: RunSample[]; warm: RunSample[] }>, kind: 'cold' | 'warm'): number | undefined {
  const m = samples.masthead[kind];
  const b = samples.baseline[kind];
  if (!m.length || m.length !== b.length) return undefined;
  return median(m.map((s, i) => s.wallSeconds / b[i]!.wallSeconds));
}

function summarise(cold: RunSample[], warm: RunSample[]): SiteResult {
  const stat = (xs: RunSample[]) => {
    const walls = xs.map((x) => x.wallSeconds);
    const rss = xs.map((x) => x.peakRssBytes).filter((x): x is number => x !== undefined);
    const tree = xs.map((x) => x.peakTreeRssBytes).filter((x): x is number => x !== undefined);
    const cpu = xs.map((x) => x.cpuSeconds).filter((x): x is number => x !== undefined);
    const phase = (k: keyof AstroPhases) => {
      const v = xs.map((x) => x.phases[k]).filter((x): x is number => x !== undefined);
      return v.length ? median(v) : undefined;
    };
    return {
      medianSeconds: median(walls),
      medianCpuSeconds: cpu.length ? median(cpu) : undefined,
      minSeconds: Math.min(...walls),
      maxSeconds: Math.max(...walls),
      peakRssBytes: rss.length ? Math.max(...rss) : undefined,
      medianRssBytes: rss.length ? median(rss) : undefined,
      peakTreeRssBytes: tree.length ? Math.max(...tree) : undefined,
      htmlPages: xs.at(-1)!.htmlPages,
      distBytes: xs.at(-1)!.distBytes,
      phases: {
        setupSeconds: phase('setupSeconds'),
        bundleSeconds: phase('bundleSeconds'),
        pagesSeconds: phase('pagesSeconds'),
        imagesSeconds: phase('imagesSeconds'),
        afterSeconds: phase('afterSeconds'),
        totalSeconds: phase('totalSeconds'),
      },
      samples: xs,
    };
  };
  return { cold: stat(cold), warm: stat(warm) };
}

async function timeCheckContent(corpus: CorpusInfo, runs: number): Promise<CheckContentResult> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const script = pkg.scripts?.['check:content'];
  if (!script) return { available: false, note: 'not available: package.json has no `check:content` script' };
  // Run the script's command the way npm would, minus npm's own start-up time.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
    MASTHEAD_CONTENT_DIR: corpus.dir,
    MASTHEAD_DEFAULT_STATION: 'kxpr',
    SOURCE_DATE_EPOCH: String(BENCH_NOW.getTime() / 1000),
  };
  // First prove it reads the generated corpus: one invalid story there must make it fail.
  const invalid = join(corpus.dir, 'articles', 'zz-bench-invalid-story.md');
  writeFileSync(invalid, '---\ntitle: ""\n---\n\nA story with no dek, byline, station or date.\n');
  const probe = await measure('sh', ['-c', script], { cwd: ROOT, env }).finally(() => rmSync(invalid, { force: true }));
  writeFileSync(join(WORK, 'logs', `${corpus.stories}-check-content-probe.log`), probe.output);
  if (probe.ok) {
    return {
      available: true,
      script,
      ok: false,
      note: 'not timed: it passed with an invalid story in MASTHEAD_CONTENT_DIR, so it is not checking the generated corpus',
    };
  }
  const times: number[] = [];
  let rss: number | undefined;
  for (let i = 0; i < runs; i++) {
    const r = await measure('sh', ['-c', script], { cwd: ROOT, env });
    writeFileSync(join(WORK, 'logs', `${corpus.stories}-check-content-${i + 1}.log`), r.output);
    if (!r.ok) {
      return {
        available: true,
        script,
        ok: false,
        note: `exit ${r.code} on the generated corpus: ${r.output.trim().split('\n').slice(-5).join(' / ')}`,
      };
    }
    times.push(r.wallSeconds);
    rss = Math.max(rss ?? 0, r.peakRssBytes ?? 0) || undefined;
  }
  log(`check:content ${corpus.stories}: ${fmtS(median(times))}`);
  return { available: true, script, ok: true, medianSeconds: median(times), minSeconds: Math.min(...times), peakRssBytes: rss };
}

function pageWeights(corpus: CorpusInfo, sites: SiteName[]): Partial<Record<SiteName, PageWeight[]>> {
  const out: Partial<Record<SiteName, PageWeight[]>> = {};
  // A story with a photo and a dateline: the heaviest common case.
  const withPhoto = corpus.files.find((f) => /\nimage:/.test(readFileSync(join(corpus.dir, 'articles', f), 'utf8')))!;
  const slug = withPhoto.replace(/^.*\//, '').replace(/\.md$/, '');
  for (const site of sites) {
    const dist = join(WORK, `dist-${site}-${corpus.stories}`);
    const story = storyPages(dist).get(slug);
    const first = (dir: string) => {
      const d = join(dist, dir);
      if (!existsSync(d)) return undefined;
      const sub = readdirSync(d, { withFileTypes: true }).find((e) => e.isDirectory() && existsSync(join(d, e.name, 'index.html')));
      return sub ? `/${dir}/${sub.name}/` : undefined;
    };
    const month = (() => {
      const archive = join(dist, 'archive');
      if (!existsSync(archive)) return undefined;
      const year = readdirSync(archive, { withFileTypes: true }).find((e) => e.isDirectory() && /^\d{4}$/.test(e.name));
      return year ? first(`archive/${year.name}`) : undefined;
    })();
    const candidates: [string, string | undefined][] =
      site === 'masthead'
        ? [
            ['article', story ? story.slice(dist.length, -'index.html'.length) : undefined],
            ['home', '/'],
            ['topic', first('topics')],
            ['author', first('authors')],
            ['station', first('stations')],
            ['archive month', month],
          ]
        : [
            ['article', story ? story.slice(dist.length, -'index.html'.length) : undefined],
            ['home', '/'],
            ['tag', first('tags')],
          ];
    out[site] = candidates
      .filter((c): c is [string, string] => !!c[1] && existsSync(join(dist, c[1], 'index.html')))
      .map(([t, p]) => pageWeight(dist, t, p));
  }
  return out;
}

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
  const opts = parseArgs(process.argv.slice(2));
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

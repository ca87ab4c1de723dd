/** One corpus size of the build-time benchmark: Masthead and the bare baseline, cold and warm, interleaved. */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Options, SiteName } from './args.ts';
import { parseAstroLog, type AstroPhases } from './astro-log.ts';
import { timeCheckContent } from './check-content-time.ts';
import { ASTRO_BIN, BENCH, fmtCpu, fmtMB, fmtS, log, ROOT, settleDisk, WORK } from './common.ts';
import { diffDist, hashDist, storyPages } from './dist-files.ts';
import { BENCH_NOW, generateCorpus, type CorpusInfo } from './gen-corpus.ts';
import { measure, median, walkFiles, type Measured } from './measure.ts';
import { pageWeight, type PageWeight } from './page-weight.ts';
import type { PublishDiff, RunSample, SiteResult, SizeResult } from './report.ts';

const SITE_ROOTS: Record<SiteName, string> = { masthead: ROOT, baseline: join(BENCH, 'baseline') };

interface Build {
  measured: Measured;
  phases: AstroPhases;
  htmlPages: number;
  distBytes: number;
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

export async function benchSize(n: number, opts: Options): Promise<SizeResult> {
  const corpusDir = join(WORK, `corpus-${n}`);
  // Without photos: this compares the page pipeline with a bare Astro site's, which draws none; what a photo
  // costs is bench/photos.ts's job (with one unique photo a story, 10,000 stories are over an hour of encoding).
  log(`generating ${n} stories (no photos) in ${corpusDir}`);
  const corpus = await generateCorpus({ dir: corpusDir, stories: n, photos: false });
  // The edited story is in the middle of the corpus.
  const editIndex = Math.floor(n / 2);
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

function pageWeights(corpus: CorpusInfo, sites: SiteName[]): Partial<Record<SiteName, PageWeight[]>> {
  const out: Partial<Record<SiteName, PageWeight[]>> = {};
  // A story with a dateline: the heaviest common case in a corpus without photos.
  const withDateline = corpus.files.find((f) => /\ndateline:/.test(readFileSync(join(corpus.dir, 'articles', f), 'utf8')))!;
  const slug = withDateline.replace(/^.*\//, '').replace(/\.md$/, '');
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

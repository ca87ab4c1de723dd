/**
 * Lighthouse over a built site: the home page, the newest story with a photo and the biggest
 * topic page, served on 127.0.0.1 with gzip (as a CDN would), mobile with Lighthouse's default
 * throttling, in Debian's Chromium with a fresh profile per run.
 *
 *   node scripts/lighthouse.ts [dist] [--runs 5] [--out reports] [--pages /,/topics/water/]
 *
 * Each page runs up to `--runs` times and the median run (by Performance) counts; a page stops as
 * soon as a majority of its runs settles that median's verdict (3 passing runs of 5). Writes
 * `<out>/lighthouse.json` (scores, metrics and anything that lost points), `<out>/lighthouse.md`
 * and each median run's full report under `<out>/lighthouse/`, and exits non-zero when a page
 * scores below the thresholds.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { createGzip } from 'node:zlib';
import { attr, elements, hasClass, isInside, parseHtml } from '../src/lib/html.ts';
import { OFFLINE_CHROMIUM_FLAGS } from './lib/chromium.ts';
import { cliArgs, usageError, wholeNumber } from './lib/cli.ts';

export const THRESHOLDS = { performance: 0.95, accessibility: 1, 'best-practices': 1, seo: 1 } as const;
type Category = keyof typeof THRESHOLDS;
const CATEGORIES = Object.keys(THRESHOLDS) as Category[];

const CHROME_FLAGS = ['--headless', ...OFFLINE_CHROMIUM_FLAGS];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.avif': 'image/avif',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};
const COMPRESSIBLE = /^(text\/|application\/(json|xml|manifest)|image\/svg)/;

/** A static server for `dist` on 127.0.0.1 that gzips text and caches hashed assets, like a CDN. */
async function serve(dist: string) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(dist, path));
    if (!file.startsWith(dist)) file = join(dist, '404.html');
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    let status = 200;
    if (!existsSync(file)) {
      status = 404;
      file = join(dist, '404.html');
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'content-type': type };
    headers['cache-control'] = path.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate';
    const gzip = COMPRESSIBLE.test(type) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) headers['content-encoding'] = 'gzip';
    res.writeHead(status, headers);
    const stream = createReadStream(file);
    (gzip ? stream.pipe(createGzip()) : stream).pipe(res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((done) => server.close(() => done())) };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** How many `<article>`s a page's `<main>` lists. */
function countArticles(html: string): number {
  const all = [...elements(parseHtml(html))];
  const main = all.find((el) => el.tagName === 'main');
  return main ? all.filter((el) => el.tagName === 'article' && isInside(el, main)).length : 0;
}

/** Home, the newest story whose lead is a photo, and the topic page listing the most stories. */
export function pickPages(dist: string): string[] {
  const pages = ['/'];
  const stories = walk(join(dist, 'news'))
    .filter((f) => f.endsWith('index.html'))
    .map((f) => {
      const all = [...elements(parseHtml(readFileSync(f, 'utf8')))];
      const photos = all.filter((el) => el.tagName === 'figure' && hasClass(el, 'photo'));
      const leadPhoto = all.some(
        (el) => el.tagName === 'img' && attr(el, 'fetchpriority') === 'high' && photos.some((p) => isInside(el, p)),
      );
      const published = all.find((el) => el.tagName === 'time' && attr(el, 'data-published') !== undefined);
      return { f, leadPhoto, published: (published && attr(published, 'datetime')) ?? '' };
    })
    .filter((s) => s.leadPhoto)
    .sort((a, b) => b.published.localeCompare(a.published));
  if (stories[0]) pages.push(`/${stories[0].f.slice(dist.length + 1, -'index.html'.length)}`);
  const topics = readdirSync(join(dist, 'topics'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({
      path: `/topics/${e.name}/`,
      stories: countArticles(readFileSync(join(dist, 'topics', e.name, 'index.html'), 'utf8')),
    }))
    .sort((a, b) => b.stories - a.stories || a.path.localeCompare(b.path));
  if (topics[0]) pages.push(topics[0].path);
  return pages;
}

interface LighthouseReport {
  lighthouseVersion: string;
  environment: { hostUserAgent: string };
  categories: Record<Category, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { score: number | null; scoreDisplayMode: string; numericValue?: number; title: string; displayValue?: string }>;
  runtimeError?: { message: string };
}

interface Run {
  scores: Record<Category, number>;
  metrics: Record<string, number>;
  /** Audits that cost points (score < 1), per category. */
  lostPoints: Record<Category, string[]>;
  report: LighthouseReport;
}

const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index'];

/** Runs the Lighthouse CLI in a child process (asynchronously: the server lives in this one). */
function lighthouseCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  const cli = join(dirname(createRequire(import.meta.url).resolve('lighthouse/package.json')), 'cli/index.js');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
  });
}

async function runLighthouse(url: string, chromePath: string, reportFile: string): Promise<Run> {
  const profile = mkdtempSync(join(tmpdir(), 'masthead-lh-'));
  try {
    const r = await lighthouseCli(
      [
        url,
        '--quiet',
        '--output=json',
        `--output-path=${reportFile}`,
        `--only-categories=${CATEGORIES.join(',')}`,
        `--chrome-flags=${[...CHROME_FLAGS, `--user-data-dir=${profile}`].join(' ')}`,
      ],
      { ...process.env, CHROME_PATH: chromePath },
    );
    if (r.code !== 0) throw new Error(`Lighthouse failed on ${url} (exit ${r.code}):\n${r.stderr}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as LighthouseReport;
  if (report.runtimeError) throw new Error(`Lighthouse could not load ${url}: ${report.runtimeError.message}`);
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, report.categories[c].score ?? 0])) as Record<Category, number>;
  const lostPoints = Object.fromEntries(
    CATEGORIES.map((c) => [
      c,
      report.categories[c].auditRefs
        .filter((ref) => {
          const audit = report.audits[ref.id];
          return (
            audit &&
            audit.scoreDisplayMode !== 'notApplicable' &&
            audit.scoreDisplayMode !== 'informative' &&
            audit.score !== null &&
            audit.score < 1 &&
            (ref.weight > 0 || c !== 'performance')
          );
        })
        .map((ref) => `${ref.id} (${report.audits[ref.id]!.score})`),
    ]),
  ) as Record<Category, string[]>;
  const metrics = Object.fromEntries(METRICS.map((m) => [m, report.audits[m]?.numericValue ?? NaN]));
  return { scores, metrics, lostPoints, report };
}

/**
 * Whether the median Performance of `runs` runs is already settled by the runs done: once a
 * majority is at or above the threshold (or below it), the runs left cannot move the median
 * across it. A page that passes steadily takes 3 runs of 5, with the verdict 5 would give.
 */
export function medianDecided(done: readonly { scores: Record<Category, number> }[], runs: number): boolean {
  const majority = Math.floor(runs / 2) + 1;
  const passing = done.filter((r) => r.scores.performance >= THRESHOLDS.performance).length;
  return passing >= majority || done.length - passing >= majority;
}

export function belowThreshold(scores: Record<Category, number>): string[] {
  return CATEGORIES.filter((c) => scores[c] < THRESHOLDS[c]).map((c) => `${c} ${scores[c]} < ${THRESHOLDS[c]}`);
}

if (import.meta.main) {
  const usage = 'usage: node scripts/lighthouse.ts [DIST] [--runs 5] [--out reports] [--pages /,/topics/water/]   (DIST: dist/ by default)';
  const { values, positionals } = cliArgs('lighthouse', usage, {
    allowPositionals: true,
    options: { runs: { type: 'string', default: '5' }, out: { type: 'string', default: 'reports' }, pages: { type: 'string' } },
  });
  if (positionals.length > 1) usageError('lighthouse', usage, `one folder to audit, not ${positionals.length}`);
  const dist = resolve(positionals[0] ?? 'dist');
  const runs = wholeNumber('lighthouse', usage, '--runs', values.runs, 1);
  const out = resolve(values.out);
  const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  if (!existsSync(join(dist, 'index.html'))) {
    console.error(`No built site at ${dist}. Run \`npm run build\` first (or \`npm run lighthouse\`, which builds).`);
    process.exit(2);
  }
  if (!existsSync(chromePath)) {
    console.error(`No Chromium at ${chromePath}. Install Debian's (apt-get install chromium) or set CHROME_PATH.`);
    process.exit(2);
  }
  const paths = values.pages?.split(',') ?? pickPages(dist);
  mkdirSync(join(out, 'lighthouse'), { recursive: true });
  const server = await serve(dist);
  const results = [];
  try {
    for (const path of paths) {
      const slug = path.replace(/^\/|\/$/g, '').replace(/\W+/g, '-') || 'home';
      const all: Run[] = [];
      for (let i = 0; i < runs && !medianDecided(all, runs); i++) {
        const run = await runLighthouse(server.origin + path, chromePath, join(out, 'lighthouse', `${slug}.run${i + 1}.json`));
        all.push(run);
        console.log(`${path} run ${i + 1}/${runs}: ${CATEGORIES.map((c) => `${c} ${run.scores[c]}`).join(', ')}`);
      }
      const median = [...all].sort((a, b) => a.scores.performance - b.scores.performance)[Math.floor(all.length / 2)]!;
      writeFileSync(join(out, 'lighthouse', `${slug}.json`), JSON.stringify(median.report));
      for (let i = 0; i < all.length; i++) rmSync(join(out, 'lighthouse', `${slug}.run${i + 1}.json`), { force: true });
      results.push({
        path,
        scores: median.scores,
        metrics: median.metrics,
        lostPoints: median.lostPoints,
        below: belowThreshold(median.scores),
        runs: all.map((r) => ({ scores: r.scores, metrics: r.metrics })),
        lighthouseVersion: median.report.lighthouseVersion,
        userAgent: median.report.environment.hostUserAgent,
      });
    }
  } finally {
    await server.close();
  }

  const failed = results.filter((r) => r.below.length > 0);
  writeFileSync(
    join(out, 'lighthouse.json'),
    JSON.stringify(
      { thresholds: THRESHOLDS, formFactor: 'mobile', throttling: 'Lighthouse default (simulated)', runsPerPage: runs, pages: results },
      null,
      2,
    ),
  );
  const ms = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '–' : `${Math.round(n)} ms`);
  const md = [
    `# Lighthouse ${results[0]?.lighthouseVersion ?? ''}, mobile, default throttling`,
    '',
    `Median of up to ${runs} run${runs === 1 ? '' : 's'} per page (by Performance; a page stops once a majority of ${runs} settles its verdict). Thresholds: ${CATEGORIES.map((c) => `${c} ≥ ${THRESHOLDS[c]}`).join(', ')}.`,
    '',
    '| page | Performance | Accessibility | Best Practices | SEO | FCP | LCP | TBT | CLS | verdict |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.path} | ${r.scores.performance} | ${r.scores.accessibility} | ${r.scores['best-practices']} | ${r.scores.seo} | ${ms(r.metrics['first-contentful-paint'])} | ${ms(r.metrics['largest-contentful-paint'])} | ${ms(r.metrics['total-blocking-time'])} | ${r.metrics['cumulative-layout-shift']?.toFixed(3)} | ${r.below.length ? `FAIL: ${r.below.join('; ')}` : 'pass'} |`,
    ),
    '',
    ...results.flatMap((r) => {
      const lost = CATEGORIES.flatMap((c) => r.lostPoints[c].map((a) => `${c}: ${a}`));
      return lost.length ? [`Points lost on ${r.path}: ${lost.join(', ')}`] : [];
    }),
  ].join('\n');
  writeFileSync(join(out, 'lighthouse.md'), `${md}\n`);
  console.log(`\n${md}\n\nWrote ${join(out, 'lighthouse.json')} and ${join(out, 'lighthouse.md')}`);
  if (failed.length > 0) {
    console.error(`\n${failed.length} page(s) below the thresholds.`);
    process.exit(1);
  }
}

/**
 * The search index at 10,000 to 100,000 stories, without an Astro build: what the indexer holds in
 * memory, what it writes, and what a reader downloads for a query (bench/results.md, "Search").
 *
 *   npm run bench:search -- --stories 10000,30000,100000 --years 2,3 [--today DIST]
 *   npm run bench:search -- --cache --stories 30000,100000 [--years 2]
 *
 * For each size it generates the seeded corpus (no photos), turns each story into the document
 * the build indexes (src/outputs/search-index.ts) and writes the Pagefind bundle in a child process,
 * measured with bench/measure.ts (the Pagefind indexer is that child's child). `--today DIST` also
 * indexes the story pages of a built site as the build did before (Pagefind reading dist/news/**.html).
 * Then headless Chromium loads the bundle and runs the queries the search page runs, counting the
 * bytes of every file fetched.
 *
 * `--cache` measures the build cache of era bundles (src/outputs/search-cache.ts) instead: the index
 * written with an empty cache, again with nothing changed, after one old-year headline edit, and
 * after that plus one new story this month, each in a child timed around `writeSearchIndex` alone
 * (CPU of the child and its Pagefind processes; the corpus is read and rendered before).
 */
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { markdownToHtml } from 'satteri';
import sirv from 'sirv';
import { chromium } from 'playwright-core';
import * as pagefind from 'pagefind';
import { BENCH_NOW, generateCorpus } from './gen-corpus.ts';
import { childPids, measure, procStatusKb, walkFiles } from './measure.ts';
import { cliArgs } from '../scripts/lib/cli.ts';
import { writeSearchIndex, type SearchStory } from '../src/outputs/search-index.ts';
import { articlePath } from '../src/lib/permalinks.ts';
import { parseEditorDate, zonedParts } from '../src/lib/dates.ts';
import { formatBytes } from '../src/lib/bytes.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WORK = join(ROOT, 'bench/.work/search');
const LANG = 'en-US';

/** The corpus as the data layer would give it: enough of each story for its search document. */
export function* corpusStories(dir: string, bodiesFrom = 0): Generator<SearchStory> {
  const stations = new Map<string, { name: string; timezone: string }>();
  for (const f of readdirSync(join(dir, 'stations'))) {
    const y = parseYaml(readFileSync(join(dir, 'stations', f), 'utf8')) as { name: string; timezone: string };
    stations.set(f.replace(/\.yaml$/, ''), { name: y.name, timezone: y.timezone });
  }
  const authors = new Map<string, string>();
  for (const f of readdirSync(join(dir, 'authors')).filter((f) => f.endsWith('.yaml'))) {
    authors.set(f.replace(/\.yaml$/, ''), (parseYaml(readFileSync(join(dir, 'authors', f), 'utf8')) as { name: string }).name);
  }
  const articles = join(dir, 'articles');
  for (const folder of readdirSync(articles).filter((d) => /^\d{4}$/.test(d))) {
    for (const file of readdirSync(join(articles, folder))) {
      const text = readFileSync(join(articles, folder, file), 'utf8');
      const end = text.indexOf('\n---\n', 4);
      const fm = parseYaml(text.slice(4, end)) as {
        title: string;
        dek: string;
        byline: string | string[];
        station: string;
        date: string | Date;
        tags: string[];
      };
      const station = stations.get(fm.station)!;
      const date = fm.date instanceof Date ? { ok: true as const, date: fm.date } : parseEditorDate(fm.date, station.timezone);
      if (!date.ok) throw new Error(`${file}: ${date.error}`);
      const byline = (Array.isArray(fm.byline) ? fm.byline : [fm.byline]).map((b) => ({ name: authors.get(b) ?? b }));
      const { year } = zonedParts(date.date, station.timezone);
      yield {
        path: articlePath(date.date, station.timezone, file.replace(/\.md$/, '')),
        publishedAt: date.date,
        month: { year, month: zonedParts(date.date, station.timezone).month },
        station: { data: station },
        byline,
        topics: fm.tags.map((name) => ({ name })),
        // Only bodies the index will read are rendered (the build has them all rendered already).
        entry: {
          data: { title: fm.title, dek: fm.dek },
          ...(year >= bodiesFrom ? { rendered: { html: markdownToHtml(text.slice(end + 5)).html } } : {}),
        },
      };
    }
  }
}

interface Args {
  stories: number[];
  years: number[];
  today?: string;
}

/** The old year whose first story's headline the `old-edit` change corrects. */
const OLD_YEAR = 2016;

/** The changes `--cache` runs make to the generated stories, in memory: an editor's headline
 * correction to a story of OLD_YEAR (a body edit there changes no search document, as only recent
 * years are indexed with their text), and a story published an hour before BENCH_NOW. */
function applyChanges(stories: SearchStory[], changes: string[]): SearchStory[] {
  const out = [...stories];
  for (const change of changes) {
    if (change === 'old-edit') {
      const i = out.findIndex((s) => s.month.year === OLD_YEAR);
      const s = out[i]!;
      out[i] = { ...s, entry: { ...s.entry, data: { ...s.entry.data, title: `${s.entry.data.title} (corrected)` } } };
    } else if (change === 'new-story') {
      const newest = out.reduce((a, b) => (b.publishedAt > a.publishedAt ? b : a));
      const publishedAt = new Date(BENCH_NOW.getTime() - 3_600_000);
      const { year, month } = zonedParts(publishedAt, newest.station.data.timezone);
      out.push({ ...newest, path: newest.path.replace(/\/$/, '-bench-new/'), publishedAt, month: { year, month } });
    } else if (change !== 'none') throw new Error(`bench:search: unknown change "${change}"`);
  }
  return out;
}

/** User + system CPU seconds of this process and of its children that have exited (Pagefind's). */
function cpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // Fields 14-17 of proc(5) (utime, stime, cutime, cstime), counted from field 3 here.
  return fields.slice(11, 15).reduce((n, f) => n + Number(f), 0) / 100;
}

const USAGE = `usage: node bench/search.ts [--stories 10000,30000] [--years 2,3] [--today DIR]
       node bench/search.ts --cache [--stories 30000,100000] [--years 2]
       node bench/search.ts --index CORPUS OUT YEARS|today [CACHE CHANGES]   (the measured child)
       node bench/search.ts --bundle DIR CORPUS               (bytes a reader fetches from a built bundle)`;

function args(): Args & { index: boolean; bundle: boolean; cache: boolean; rest: string[] } {
  const { values, positionals } = cliArgs('bench:search', USAGE, {
    allowPositionals: true,
    options: {
      stories: { type: 'string', default: '10000' },
      years: { type: 'string', default: '2' },
      today: { type: 'string' },
      index: { type: 'boolean', default: false },
      bundle: { type: 'boolean', default: false },
      cache: { type: 'boolean', default: false },
    },
  });
  return {
    stories: values.stories.split(',').map(Number),
    years: values.years.split(',').map(Number),
    ...(values.today ? { today: values.today } : {}),
    index: values.index,
    bundle: values.bundle,
    cache: values.cache,
    rest: positionals,
  };
}

/** One query as the search page runs it: Pagefind's search, then the data of the first ten results. */
interface Query {
  label: string;
  term: string | null;
  options: { filters?: Record<string, string>; sort?: Record<string, 'desc'> };
}

interface Fetched {
  label: string;
  /** The newest era: what the page searches first. */
  first: { results: number; files: number; bytes: number };
  /** The next era, as "Search older stories" fetches it on top (absent with one era). */
  older?: { results: number; files: number; bytes: number };
}

async function fetchedBytes(bundleDir: string, queries: Query[]): Promise<Fetched[]> {
  const assets = sirv(bundleDir, { dev: false });
  const server = createServer((req, res) => {
    if (req.url === '/') {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>search bench</title>');
      return;
    }
    assets(req, res, () => {
      res.statusCode = 404;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const out: Fetched[] = [];
  try {
    for (const q of queries) {
      // A fresh context per query: an empty cache, as a reader's first search.
      const context = await browser.newContext();
      const page = await context.newPage();
      let sizes: Promise<number>[] = [];
      page.on('response', (r) =>
        sizes.push(
          r.body().then(
            (b) => (r.url().endsWith('/') ? 0 : b.length),
            () => 0,
          ),
        ),
      );
      const take = async () => {
        const bytes = (await Promise.all(sizes)).filter((b) => b > 0);
        sizes = [];
        return { files: bytes.length, bytes: bytes.reduce((a, b) => a + b, 0) };
      };
      await page.goto(`http://127.0.0.1:${port}/`);
      await take();
      // As the search page does (src/components/search/SearchPanel.astro): the eras list, then the
      // newest era's own pagefind.js; "Search older stories" then loads the next era's.
      const search = (era: number) =>
        page.evaluate(
          async ({ query, era }) => {
            interface Pagefind {
              options(o: object): Promise<void>;
              search(term: string | null, o: object): Promise<{ results: { data(): Promise<unknown> }[] }>;
            }
            const listed = await fetch('/_pagefind/eras.json');
            // A bundle without eras (`--today`, Pagefind crawling a built site) is one era at the root.
            const { eras } = listed.ok ? ((await listed.json()) as { eras: { dir: string }[] }) : { eras: [{ dir: '' }] };
            if (era >= eras.length) return null;
            const pf = (await import(/* @vite-ignore */ `/_pagefind/${eras[era]!.dir}pagefind.js`)) as Pagefind;
            await pf.options({ excerptLength: 24 });
            const found = await pf.search(query.term, query.options);
            await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
            return found.results.length;
          },
          { query: q, era },
        );
      const firstResults = await search(0);
      const first = { results: firstResults ?? 0, ...(await take()) };
      const olderResults = await search(1);
      const older = olderResults === null ? undefined : { results: olderResults, ...(await take()) };
      out.push({ label: q.label, first, ...(older ? { older } : {}) });
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  return out;
}

const mb = formatBytes;
const kb = formatBytes;

function queriesFor(dir: string): Query[] {
  // Words from a story of the oldest year (a headline word, a dek word) and the most common topic.
  const stories = corpusStories(dir);
  const first = stories.next().value as SearchStory;
  const headlineWord = first.entry.data.title.split(' ').find((w) => w.length > 6) ?? first.entry.data.title.split(' ')[0]!;
  return [
    { label: `headline word "${headlineWord}", best match`, term: headlineWord, options: {} },
    {
      label: `headline word, newest first, station filter`,
      term: headlineWord,
      options: { filters: { station: first.station.data.name }, sort: { date: 'desc' } },
    },
    {
      label: 'a topic, no words, newest first',
      term: null,
      options: { filters: { topic: first.topics[0]!.name }, sort: { date: 'desc' } },
    },
    { label: 'a common word ("council"), best match', term: 'council', options: {} },
  ];
}

async function main() {
  const a = args();
  // The child: index one corpus (or a built site) and exit, so its memory is measured alone.
  if (a.index) {
    const [corpus, out, years, cacheDir, changes] = a.rest;
    rmSync(out!, { recursive: true, force: true });
    if (years === 'today') {
      const { index } = await pagefind.createIndex({});
      await index!.addDirectory({ path: corpus!, glob: 'news/**/*.html' });
      await index!.writeFiles({ outputPath: out! });
      await pagefind.close();
    } else {
      // Each era is indexed by a Pagefind process of its own (a child of this one): its peak is the
      // figure the target bounds, apart from this process, which holds the stories as the build does.
      const peaks = new Map<number, number>();
      const watch = setInterval(() => {
        for (const pid of childPids(process.pid)) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, procStatusKb(pid, 'VmHWM')));
      }, 100);
      const stories = applyChanges([...corpusStories(corpus!, BENCH_NOW.getUTCFullYear() - Number(years))], (changes ?? 'none').split(','));
      const [cpu, wall] = [cpuSeconds(), performance.now()];
      const w = await writeSearchIndex(stories, out!, {
        now: BENCH_NOW,
        fullTextYears: Number(years),
        eraStories: Number(process.env.MASTHEAD_SEARCH_ERA_STORIES ?? 10_000),
        lang: LANG,
        ...(process.env.BENCH_MAX_FRAGMENTS ? { maxFragments: Number(process.env.BENCH_MAX_FRAGMENTS) } : {}),
        ...(cacheDir ? { cacheDir } : {}),
      });
      const wallSeconds = (performance.now() - wall) / 1000;
      // Pagefind's processes count once reaped (they are killed as each era ends).
      for (let i = 0; i < 100 && childPids(process.pid).length; i++) await new Promise((r) => setTimeout(r, 50));
      const index = { cpuSeconds: cpuSeconds() - cpu, wallSeconds };
      clearInterval(watch);
      const indexers = [...peaks.values()].map((kb) => Math.round(kb / 1024));
      console.log(
        JSON.stringify({
          stories: w.stories,
          fullText: w.fullText,
          eras: w.eras.map((e) => `${e.id}:${e.stories}/${e.fullText}`).join(' '),
          indexed: w.indexed.join(' '),
          reused: w.reused.length,
          indexCpuSeconds: Number(index.cpuSeconds.toFixed(1)),
          indexWallSeconds: Number(index.wallSeconds.toFixed(1)),
          indexerPeakMB: indexers.length ? Math.max(...indexers) : 0,
          // One per era, newest first.
          indexerPeaksMB: indexers.join(' '),
          selfPeakMB: Math.round(procStatusKb(process.pid, 'VmHWM') / 1024),
        }),
      );
    }
    return;
  }
  mkdirSync(WORK, { recursive: true });
  // `--bundle DIR CORPUS`: only the bytes a reader fetches from a bundle already written (e.g. by a build).
  if (a.bundle) {
    console.log(JSON.stringify(await fetchedBytes(a.rest[0]!, queriesFor(a.rest[1]!))));
    return;
  }
  const rows: string[] = [];
  if (a.cache) {
    for (const n of a.stories) {
      const dir = join(WORK, `corpus-${n}`);
      if (!statSync(join(dir, 'articles'), { throwIfNoEntry: false })) await generateCorpus({ dir, stories: n, photos: false });
      for (const y of a.years) {
        const cache = join(WORK, `cache-${n}-${y}y`);
        rmSync(cache, { recursive: true, force: true });
        for (const [label, changes] of [
          ['cold (empty cache)', 'none'],
          ['nothing changed', 'none'],
          [`one ${OLD_YEAR} headline edited`, 'old-edit'],
          ['and one new story this month', 'old-edit,new-story'],
        ] as const) {
          const out = join(WORK, `bundle-cache-${n}-${y}y`, '_pagefind');
          const load = loadavg()[0]!.toFixed(2);
          const m = await measure(process.execPath, [fileURLToPath(import.meta.url), '--index', dir, out, String(y), cache, changes], {
            cwd: ROOT,
            env: process.env,
          });
          if (!m.ok) throw new Error(`indexing ${n} (${label}) failed:\n${m.output.slice(-2000)}`);
          const r = JSON.parse(m.output.trim().split('\n').at(-1)!) as Record<string, string | number>;
          console.log(JSON.stringify({ stories: n, years: y, label, load, childCpuSeconds: m.cpuSeconds, ...r }));
          rows.push(
            `| ${n.toLocaleString('en')} | ${y} | ${label} | ${r.indexed || '—'} | ${r.reused} | ${r.indexCpuSeconds} s | ${r.indexWallSeconds} s (load ${load}) | ${r.indexerPeakMB ? `${r.indexerPeakMB} MB` : '—'} | ${mb(m.peakTreeRssBytes ?? 0)} |`,
          );
        }
        // What a reader downloads, from the bundle after the last change.
        const fetched = await fetchedBytes(join(WORK, `bundle-cache-${n}-${y}y`), queriesFor(dir));
        console.log(JSON.stringify({ stories: n, years: y, fetched }));
        rows.push(
          `|  |  | a query's download (newest era / + next older) | ${fetched.map((f) => `${kb(f.first.bytes)}${f.older ? ` / +${kb(f.older.bytes)}` : ''}`).join('; ')} |  |  |  |  |  |`,
        );
      }
    }
    const header =
      '| stories | full-text years | index written | eras indexed by Pagefind | eras reused | CPU (index) | wall (index) | largest indexer | whole child tree peak |\n|---|---|---|---|---|---|---|---|---|';
    const file = join(WORK, `cache-results-${Date.now()}.md`);
    writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
    console.log(`\n${header}\n${rows.join('\n')}\n(${relative(ROOT, file)})`);
    return;
  }
  const run = async (name: string, stories: number, source: string, years: string, queryDir: string) => {
    let label = name;
    if (process.env.BENCH_MAX_FRAGMENTS) label += `-mf${process.env.BENCH_MAX_FRAGMENTS}`;
    if (process.env.MASTHEAD_SEARCH_ERA_STORIES) label += `-era${process.env.MASTHEAD_SEARCH_ERA_STORIES}`;
    const out = join(WORK, `bundle-${label}`, '_pagefind');
    const m = await measure(process.execPath, [fileURLToPath(import.meta.url), '--index', source, out, years], {
      cwd: ROOT,
      env: process.env,
    });
    if (!m.ok) throw new Error(`indexing ${label} failed:\n${m.output.slice(-2000)}`);
    const files = walkFiles(out);
    const fetched = await fetchedBytes(join(out, '..'), queriesFor(queryDir));
    const row = {
      label,
      stories,
      years,
      wallSeconds: m.wallSeconds,
      peakRssBytes: m.peakRssBytes,
      peakTreeRssBytes: m.peakTreeRssBytes,
      files: files.length,
      bytes: files.reduce((n, f) => n + f.bytes, 0),
      fullText: m.output.trim().split('\n').at(-1),
      fetched,
    };
    console.log(JSON.stringify(row));
    rows.push(
      `| ${label} | ${stories.toLocaleString('en')} | ${years} | ${row.fullText ?? ''} | ${m.cpuSeconds?.toFixed(0) ?? '?'} s | ${mb(m.peakRssBytes ?? 0)} | ${mb(m.peakTreeRssBytes ?? 0)} | ${files.length.toLocaleString('en')} | ${mb(row.bytes)} | ${fetched.map((f) => `${kb(f.first.bytes)} (${f.first.results})`).join(' / ')} | ${fetched.map((f) => (f.older ? `+${kb(f.older.bytes)} (${f.older.results})` : '—')).join(' / ')} |`,
    );
  };
  for (const n of a.stories) {
    const dir = join(WORK, `corpus-${n}`);
    if (!statSync(join(dir, 'articles'), { throwIfNoEntry: false })) await generateCorpus({ dir, stories: n, photos: false });
    if (a.today && n === a.stories[0]) await run(`today-${n}`, n, a.today, 'today', dir);
    for (const y of a.years) await run(`data-${n}-${y}y`, n, dir, String(y), dir);
  }
  const file = join(WORK, `results-${Date.now()}.md`);
  writeFileSync(file, rows.join('\n') + '\n');
  console.log(`\n${rows.join('\n')}\n(${relative(ROOT, file)})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

/**
 * Page weight: what a reader downloads to load each page of a built site, compressed. The one
 * measurement of it: `npm run budget`, verify's budget check and the bench (bench/page-weight.ts)
 * all call `pageWeigher`.
 *
 * The total counts the HTML, its stylesheets and its scripts (with the chunks they import).
 * Images (the `src` of each `<img>`, the fallback; which candidate a browser picks depends on
 * the screen) and fonts (preloaded, or named by `url()` in the page's stylesheets) are reported
 * beside it, not in it, at their file size (hosts send them as they are): photos vary per story
 * and load lazily. The search runtime loads only when
 * a reader searches and is reported on its own. What a page loads is read from its parse5 tree.
 *
 * Sizes are gzip at level 6 (GZIP_LEVEL: the default of nginx's gzip_comp_level 6, zlib's own,
 * and what CDNs that compress on the fly come close to), with brotli 11 (what hosts that
 * precompress serve) beside it.
 *
 *   node scripts/page-weight.ts [dist] [--json reports/page-weight.json]
 *
 * Exits non-zero when a page is over budget. `measureSite` and `overBudget` are pure apart from
 * reading `dist`, so other checks can import them.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { attr, elements, parseHtml, relTokens, type Document } from '../src/lib/html.ts';
import { formatBytes } from '../src/lib/bytes.ts';
import { isReaderPage } from '../src/lib/dist-path.ts';
import { listFiles } from '../src/lib/list-files.ts';
import { SEARCH_BUNDLE_DIR, SEARCH_ERAS_FILE } from '../src/lib/search-params.ts';
import { cliArgs, usageError } from './lib/cli.ts';
import { cssReferences } from './lib/links.ts';

/** The one gzip level every page weight is measured at (see above). */
export const GZIP_LEVEL = 6;

/** Budgets in bytes, gzip level 6. The ceilings
 * asked for are 60 KB per page and 10 KB of JS. The heaviest demo page measured 12.5 KB, so the
 * page budget is tightened to 30 KB, leaving room for the persistent player's markup and script. */
export const BUDGETS = {
  /** HTML + CSS + JS of one page. */
  pageBytes: 30 * 1024,
  /** JS of one page. */
  jsBytes: 10 * 1024,
} as const;

export type Budgets = { pageBytes: number; jsBytes: number };

export interface Compressed {
  raw: number;
  gzip: number;
  brotli: number;
}

export interface PageWeight {
  /** URL path, e.g. `/news/2026/11/20/council-vote/`. */
  path: string;
  html: Compressed;
  css: Compressed;
  js: Compressed;
  /** HTML + CSS + JS: what the budget holds. */
  total: Compressed;
  /** Reported beside the total, not in it. */
  images: Compressed;
  fonts: Compressed;
  /** Stylesheets and scripts the page loads, as site paths. */
  assets: string[];
}

export interface BudgetProblem {
  path: string;
  what: 'page' | 'js';
  bytes: number;
  budget: number;
}

const ZERO: Compressed = { raw: 0, gzip: 0, brotli: 0 };
const add = (a: Compressed, b: Compressed): Compressed => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });

export function compressedSize(content: Buffer | string): Compressed {
  const buf = typeof content === 'string' ? Buffer.from(content) : content;
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: GZIP_LEVEL }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function htmlFiles(dist: string): string[] {
  return listFiles(dist)
    .filter(isReaderPage)
    .map((f) => join(dist, f));
}

/** Static imports of an ES module chunk (`import "./a.js"`, `import {x} from "./b.js"`). */
function staticImports(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/(?:\bimport|\bexport)\s*(?:[\w*$\s{},]*?\bfrom\s*)?["']([^"']+\.m?js)["']/g)) found.add(m[1]!);
  return [...found];
}

/** What a page loads, as written in it: stylesheets, scripts (`<script src>`, `modulepreload`),
 * image fallbacks (`<img src>`) and preloaded fonts. */
export interface PageAssets {
  stylesheets: string[];
  scripts: string[];
  images: string[];
  fonts: string[];
}

export function pageAssets(document: Document): PageAssets {
  const assets: PageAssets = { stylesheets: [], scripts: [], images: [], fonts: [] };
  for (const el of elements(document)) {
    const href = attr(el, 'href');
    const src = attr(el, 'src');
    if (el.tagName === 'link' && href !== undefined) {
      const rel = relTokens(el);
      if (rel.includes('stylesheet')) assets.stylesheets.push(href);
      if (rel.includes('modulepreload')) assets.scripts.push(href);
      if (rel.includes('preload') && attr(el, 'as')?.toLowerCase() === 'font') assets.fonts.push(href);
    }
    if (el.tagName === 'script' && src !== undefined) assets.scripts.push(src);
    if (el.tagName === 'img' && src !== undefined) assets.images.push(src);
  }
  return assets;
}

/** Photos and fonts are compressed formats hosts send as they are: all three sizes are the file's. */
const sentAsIs = (file: string): Compressed => {
  const { size } = statSync(file);
  return { raw: size, gzip: size, brotli: size };
};

const FONT_FILE = /\.(woff2?|ttf|otf|eot)$/i;

const memo = <T>(f: (key: string) => T) => {
  const cache = new Map<string, T>();
  return (key: string) => {
    if (!cache.has(key)) cache.set(key, f(key));
    return cache.get(key)!;
  };
};

/** Measures pages one at a time; `sizes` of shared stylesheets and scripts are kept between pages. */
export function pageWeigher(dist: string): (file: string, html: Buffer | string, assets: PageAssets) => PageWeight {
  const sizes = new Map<string, Compressed>();
  const sizeOf = (file: string) => {
    let s = sizes.get(file);
    if (!s) sizes.set(file, (s = compressedSize(readFileSync(file))));
    return s;
  };
  /** The dist file `ref` names; a missing stylesheet or script is an error, a missing photo is
   * one an image CDN serves (`/cdn-cgi/image/…`), not the build. */
  const local = (ref: string, from: string, required = true) => {
    if (/^(?:[a-z]+:)?\/\//i.test(ref) || /^(data|blob):/i.test(ref)) return undefined;
    const file = ref.startsWith('/') ? join(dist, ref.split(/[?#]/)[0]!) : resolve(dirname(from), ref.split(/[?#]/)[0]!);
    if (existsSync(file)) return file;
    if (required) throw new Error(`${relative(dist, from)} loads ${ref}, which is not in ${dist}`);
    return undefined;
  };
  // Shared files are read once, not once a page.
  const importsOf = memo((f: string) => staticImports(readFileSync(f, 'utf8')).map((ref) => local(ref, f)));
  const fontsOf = memo((sheet: string) =>
    cssReferences(readFileSync(sheet, 'utf8')).map(({ url }) =>
      FONT_FILE.test(url.split(/[?#]/)[0]!) ? local(url, sheet, false) : undefined,
    ),
  );
  return (rel, html, assets) => {
    const file = join(dist, rel);
    const css = new Set<string>();
    const js = new Set<string>();
    for (const href of assets.stylesheets) {
      const f = local(href, file);
      if (f) css.add(f);
    }
    const queue: string[] = [];
    for (const src of assets.scripts) {
      const f = local(src, file);
      if (f) queue.push(f);
    }
    while (queue.length > 0) {
      const f = queue.shift()!;
      if (js.has(f)) continue;
      js.add(f);
      for (const imported of importsOf(f)) if (imported) queue.push(imported);
    }
    const images = new Set<string>();
    for (const src of assets.images) {
      const f = local(src, file, false);
      if (f) images.add(f);
    }
    const fonts = new Set<string>();
    for (const href of assets.fonts) {
      const f = local(href, file, false);
      if (f) fonts.add(f);
    }
    for (const sheet of css) for (const f of fontsOf(sheet)) if (f) fonts.add(f);
    const htmlSize = compressedSize(html);
    const cssSize = [...css].map(sizeOf).reduce(add, ZERO);
    const jsSize = [...js].map(sizeOf).reduce(add, ZERO);
    return {
      path: `/${rel
        .split('\\')
        .join('/')
        .replace(/(^|\/)index\.html$/, '$1')}`,
      html: htmlSize,
      css: cssSize,
      js: jsSize,
      total: add(add(htmlSize, cssSize), jsSize),
      images: [...images].map(sentAsIs).reduce(add, ZERO),
      fonts: [...fonts].map(sentAsIs).reduce(add, ZERO),
      assets: [...css, ...js].map((f) => `/${relative(dist, f).split('\\').join('/')}`),
    };
  };
}

/** Measures every HTML page under `dist` (the search index's own files aside). */
export function measureSite(dist: string): PageWeight[] {
  const weigh = pageWeigher(dist);
  return htmlFiles(dist)
    .sort()
    .map((file) => {
      const html = readFileSync(file, 'utf8');
      return weigh(relative(dist, file), html, pageAssets(parseHtml(html)));
    });
}

export function overBudget(pages: PageWeight[], budgets: Budgets = BUDGETS): BudgetProblem[] {
  return pages.flatMap((p) => [
    ...(p.total.gzip > budgets.pageBytes ? [{ path: p.path, what: 'page' as const, bytes: p.total.gzip, budget: budgets.pageBytes }] : []),
    ...(p.js.gzip > budgets.jsBytes ? [{ path: p.path, what: 'js' as const, bytes: p.js.gzip, budget: budgets.jsBytes }] : []),
  ]);
}

/** What the search page fetches on a reader's first search (before any result fragments): the eras
 * list and the newest era's bundle, at the root (older eras load only on request). */
export function measureSearchRuntime(dist: string): { files: string[]; size: Compressed } {
  const dir = join(dist, SEARCH_BUNDLE_DIR);
  if (!existsSync(dir)) return { files: [], size: ZERO };
  const files = readdirSync(dir).filter(
    (f) =>
      f === SEARCH_ERAS_FILE ||
      f === 'pagefind.js' ||
      f === 'pagefind-entry.json' ||
      /^wasm\..*\.pagefind$/.test(f) ||
      f.endsWith('.pf_meta'),
  );
  // One wasm file per language is fetched; count the largest as the worst case.
  const wasm = files.filter((f) => f.startsWith('wasm.')).sort((a, b) => sizeOfFile(join(dir, b)) - sizeOfFile(join(dir, a)));
  const fetched = files.filter((f) => !f.startsWith('wasm.')).concat(wasm.slice(0, 1));
  return {
    files: fetched.map((f) => `/${SEARCH_BUNDLE_DIR}/${f}`),
    size: fetched.map((f) => compressedSize(readFileSync(join(dir, f)))).reduce(add, ZERO),
  };
}
const sizeOfFile = (f: string) => readFileSync(f).length;

/** The kind of page a path is, for the summary. */
export function pageKind(path: string): string {
  if (path === '/') return 'home';
  if (path === '/404.html') return '404';
  const first = path.split('/')[1]!;
  if (first === 'news') return 'story';
  if (first === 'stations') return path.endsWith('/schedule/') ? 'schedule' : 'station';
  if (first === 'page') return 'home, later pages';
  return first;
}

const kb = formatBytes;

export function summary(pages: PageWeight[], runtime: ReturnType<typeof measureSearchRuntime>, budgets: Budgets = BUDGETS): string {
  const kinds = new Map<string, PageWeight[]>();
  for (const p of pages) kinds.set(pageKind(p.path), [...(kinds.get(pageKind(p.path)) ?? []), p]);
  const rows = [...kinds].map(([kind, list]) => {
    const heaviest = list.reduce((a, b) => (b.total.gzip > a.total.gzip ? b : a));
    return `| ${kind} | ${list.length} | ${heaviest.path} | ${kb(heaviest.html.gzip)} | ${kb(heaviest.css.gzip)} | ${kb(heaviest.js.gzip)} | **${kb(heaviest.total.gzip)}** | ${kb(heaviest.total.brotli)} |`;
  });
  return [
    `Page weight, compressed (gzip -${GZIP_LEVEL}; brotli for comparison), images and fonts excluded. Budgets: ${kb(budgets.pageBytes)} per page, ${kb(budgets.jsBytes)} of JS.`,
    '',
    '| page type | pages | heaviest | HTML | CSS | JS | total gzip | total brotli |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Search runtime, fetched on the first search only: ${kb(runtime.size.gzip)} gzip (${kb(runtime.size.brotli)} brotli) — ${runtime.files.join(', ')}; plus about 1 KB per result shown.`,
  ].join('\n');
}

if (import.meta.main) {
  const usage = 'usage: node scripts/page-weight.ts [DIST] [--json FILE]   (DIST: dist/ by default; npm run budget builds first)';
  const { values, positionals } = cliArgs('page-weight', usage, { allowPositionals: true, options: { json: { type: 'string' } } });
  if (positionals.length > 1) usageError('page-weight', usage, `one folder to measure, not ${positionals.length}`);
  const jsonPath = values.json;
  const dist = resolve(positionals[0] ?? 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    console.error(`No built site at ${dist}. Run \`npm run build\` first (or \`npm run budget\`, which builds).`);
    process.exit(2);
  }
  const pages = measureSite(dist);
  const runtime = measureSearchRuntime(dist);
  const problems = overBudget(pages);
  console.log(summary(pages, runtime));
  if (jsonPath) {
    mkdirSync(dirname(resolve(jsonPath)), { recursive: true });
    writeFileSync(jsonPath, JSON.stringify({ budgets: BUDGETS, pages, searchRuntime: runtime, problems }, null, 2));
    console.log(`\nWrote ${jsonPath}`);
  }
  if (problems.length > 0) {
    console.error(`\n${problems.length} over budget:`);
    for (const p of problems) console.error(`  ${p.path}: ${p.what} ${kb(p.bytes)} > ${kb(p.budget)}`);
    process.exit(1);
  }
  console.log(`\nAll ${pages.length} pages within budget.`);
}

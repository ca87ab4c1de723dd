/** What a reader downloads for one page: its HTML plus the CSS and JS it loads, compressed. */
import { load } from 'cheerio';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface Weight {
  raw: number;
  gzip: number;
  brotli: number;
}

export interface PageWeight {
  type: string;
  path: string;
  html: Weight;
  css: Weight;
  js: Weight;
  total: Weight;
  /** Stylesheet and script files counted (site paths). */
  files: string[];
}

const weigh = (buf: Buffer): Weight => ({
  raw: buf.length,
  gzip: gzipSync(buf, { level: 9 }).length,
  brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const add = (a: Weight, b: Weight): Weight => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
const ZERO: Weight = { raw: 0, gzip: 0, brotli: 0 };

export function fileForPath(dist: string, path: string): string {
  return join(dist, path.endsWith('/') ? `${path}index.html` : path);
}

/** Weighs the page at `path` in `dist`. Images are not counted (they load lazily and vary per story). */
export function pageWeight(dist: string, type: string, path: string): PageWeight {
  const htmlBuf = readFileSync(fileForPath(dist, path));
  const $ = load(htmlBuf.toString('utf8'));
  const local = (href: string | undefined) => (href && href.startsWith('/') && !href.startsWith('//') ? href.split(/[?#]/)[0]! : undefined);
  const css = new Set<string>();
  const js = new Set<string>();
  $('link[rel="stylesheet"]').each((_, el) => {
    const href = local($(el).attr('href'));
    if (href) css.add(href);
  });
  const pending: string[] = [];
  $('script[src]').each((_, el) => {
    const src = local($(el).attr('src'));
    if (src) pending.push(src);
  });
  // Follow static imports between bundled modules, so shared chunks are counted too.
  while (pending.length) {
    const src = pending.pop()!;
    if (js.has(src)) continue;
    js.add(src);
    const file = join(dist, src);
    if (!existsSync(file)) continue;
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:import|from)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) pending.push(posix.join(posix.dirname(src), m[1]!));
  }
  const sum = (paths: Set<string>) =>
    [...paths].reduce((w, p) => (existsSync(join(dist, p)) ? add(w, weigh(readFileSync(join(dist, p)))) : w), ZERO);
  const html = weigh(htmlBuf);
  const cssW = sum(css);
  const jsW = sum(js);
  return { type, path, html, css: cssW, js: jsW, total: add(add(html, cssW), jsW), files: [...css, ...js] };
}

/**
 * What a reader downloads for one page of a bench build: the same measurement as `npm run budget`
 * and verify's budget check (scripts/page-weight.ts: parse5 finds what the page loads, gzip at
 * GZIP_LEVEL, brotli 11), tagged with the page's type for the report.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseHtml } from '../src/lib/html.ts';
import { pageAssets, pageWeigher, type Compressed } from '../scripts/page-weight.ts';

export type Weight = Compressed;

export interface PageWeight {
  type: string;
  path: string;
  html: Weight;
  css: Weight;
  js: Weight;
  /** HTML + CSS + JS; images and fonts are left out (see scripts/page-weight.ts). */
  total: Weight;
  /** Stylesheet and script files counted (site paths). */
  files: string[];
}

export function fileForPath(dist: string, path: string): string {
  return join(dist, path.endsWith('/') ? `${path}index.html` : path);
}

/** Weighs the page at URL path `path` in `dist`. */
export function pageWeight(dist: string, type: string, path: string): PageWeight {
  const file = fileForPath(dist, path);
  const html = readFileSync(file, 'utf8');
  const w = pageWeigher(dist)(relative(dist, file), html, pageAssets(parseHtml(html)));
  return { type, path, html: w.html, css: w.css, js: w.js, total: w.total, files: w.assets };
}

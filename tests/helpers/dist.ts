import { load, type CheerioAPI } from 'cheerio';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `dir`, as paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** The HTML file a URL path is served from in a directory-format build. */
export function fileForPath(dist: string, path: string): string {
  return join(dist, path.endsWith('/') ? `${path}index.html` : path);
}

export function hasPage(dist: string, path: string): boolean {
  return existsSync(fileForPath(dist, path));
}

export function loadPage(dist: string, path: string): CheerioAPI {
  const file = fileForPath(dist, path);
  if (!existsSync(file)) throw new Error(`no page at ${path} (${file})`);
  return load(readFileSync(file, 'utf8'));
}

/** URL paths of every article page in the build (not the redirect pages of old addresses). */
export function articlePaths(dist: string): string[] {
  return listFiles(join(dist, 'news'))
    .filter((f) => f.endsWith('index.html') && readFileSync(join(dist, 'news', f), 'utf8').includes('data-article'))
    .map((f) => `/news/${f.slice(0, -'index.html'.length)}`);
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distFileOf, urlPathOf } from '../../src/lib/dist-path';
import { listFiles } from '../../src/lib/list-files';
import { parsePage, type Root } from './html';

/** Every file under `dir`, as POSIX paths relative to it, sorted: the walk the build's host files use. */
export { listFiles };

/** The HTML file a URL path is served from in a directory-format build. */
export function fileForPath(dist: string, path: string): string {
  return join(dist, distFileOf(path));
}

export function hasPage(dist: string, path: string): boolean {
  return existsSync(fileForPath(dist, path));
}

/** The page served at `path`, parsed (tests/helpers/html.ts queries it). */
export function loadPage(dist: string, path: string): Root {
  const file = fileForPath(dist, path);
  if (!existsSync(file)) throw new Error(`no page at ${path} (${file})`);
  return parsePage(readFileSync(file, 'utf8'));
}

/** URL paths of every article page in the build (not the redirect pages of old addresses). */
export function articlePaths(dist: string): string[] {
  return listFiles(join(dist, 'news'))
    .filter((f) => f.endsWith('index.html') && readFileSync(join(dist, 'news', f), 'utf8').includes('data-article'))
    .map((f) => urlPathOf(`news/${f}`));
}

/** Every file of two dist/ folders, compared by bytes: what is only in one, and what differs. */
export function differences(a: string, b: string): string[] {
  const fa = listFiles(a);
  const fb = listFiles(b);
  const inB = new Set(fb);
  const inA = new Set(fa);
  const out = [...fa.filter((f) => !inB.has(f)).map((f) => `only in ${a}: ${f}`), ...fb.filter((f) => !inA.has(f)).map((f) => `only in ${b}: ${f}`)];
  for (const f of fa) if (inB.has(f) && !readFileSync(join(a, f)).equals(readFileSync(join(b, f)))) out.push(`differs: ${f}`);
  return out;
}

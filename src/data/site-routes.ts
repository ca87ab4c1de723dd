import { join } from 'node:path';
import { aliasKey } from '../lib/alias-path.ts';
import { listFiles } from '../lib/list-files.ts';

/**
 * Every address the build writes besides stories and aliases, so that an alias never takes one
 * over (a redirect page written over `/search/`, a `_redirects` line that shadows `/rss.xml`, a
 * folder where `_headers` must go). Story permalinks and aliases come from the content itself
 * (`resolveArticles`); files in `public/` are listed by the caller.
 *
 * tests/unit/site-routes.test.ts walks src/pages and fails when a page file is missing from
 * `PAGE_ROUTES`; tests/build/site-routes.test.ts offers every file of a real build as an alias
 * and expects each to be refused.
 */
export interface Reservation {
  /** What lives there, for the editor: "is taken by <what>". */
  what: string;
  /** Single addresses: a page (`/search/`) or a file (`/rss.xml`). */
  paths?: readonly string[];
  /** Folders whose every address is the build's (`/stations/`). */
  folders?: readonly string[];
  /** Addresses by pattern, tested on the key (`aliasKey`). */
  pattern?: RegExp;
}

/** What each file of src/pages writes; two of them write addresses that come from the content. */
export const PAGE_ROUTES: Readonly<Record<string, Reservation | 'story permalinks' | 'aliases'>> = {
  '404.astro': { what: 'the "page not found" page', paths: ['/404.html'] },
  '[...alias].ts': 'aliases',
  '[...page].astro': { what: 'the home page and its later pages', paths: ['/'], folders: ['/page/'] },
  'archive/[year]/[month]/[...page].astro': { what: 'the archive (/archive/…)', folders: ['/archive/'] },
  'archive/index.astro': { what: 'the archive (/archive/…)', folders: ['/archive/'] },
  'authors/[id]/[...page].astro': { what: 'the author pages (/authors/…)', folders: ['/authors/'] },
  'authors/[id]/rss.xml.ts': { what: 'the author pages (/authors/…)', folders: ['/authors/'] },
  'authors/index.astro': { what: 'the author pages (/authors/…)', folders: ['/authors/'] },
  'news-sitemap.xml.ts': { what: 'the news sitemap', paths: ['/news-sitemap.xml'] },
  'news/[...path].astro': 'story permalinks',
  'og/[...path].png.ts': { what: 'the share images (/og/…)', folders: ['/og/'] },
  'robots.txt.ts': { what: 'robots.txt, read by search engines', paths: ['/robots.txt'] },
  'rss.xml.ts': { what: "the site's RSS feed", paths: ['/rss.xml'] },
  'search.astro': { what: 'the search page', folders: ['/search/'] },
  'stations/[id]/[...page].astro': { what: 'the station pages (/stations/…)', folders: ['/stations/'] },
  'stations/[id]/rss.xml.ts': { what: 'the station pages (/stations/…)', folders: ['/stations/'] },
  'stations/[id]/schedule.astro': { what: 'the station pages (/stations/…)', folders: ['/stations/'] },
  'stations/index.astro': { what: 'the station pages (/stations/…)', folders: ['/stations/'] },
  'topics/[slug]/[...page].astro': { what: 'the topic pages (/topics/…)', folders: ['/topics/'] },
  'topics/[slug]/rss.xml.ts': { what: 'the topic pages (/topics/…)', folders: ['/topics/'] },
  'topics/index.astro': { what: 'the topic pages (/topics/…)', folders: ['/topics/'] },
};

/** What Astro and the integrations in astro.config.mjs write beside the pages. */
export const BUILD_OUTPUTS: readonly Reservation[] = [
  // `_headers` and `_redirects` (host-files), `_astro/` (Astro's assets), `_masthead/` (build data),
  // and names hosts read as configuration (Cloudflare's `_routes.json`, `_worker.js`).
  { what: 'the search index (/_pagefind/…)', folders: ['/_pagefind/'] },
  { what: 'host configuration and build files (/_headers, /_redirects, /_astro/ …)', pattern: /^\/_/ },
  { what: 'story audio (/audio/…)', folders: ['/audio/'] },
  { what: 'the sitemaps', pattern: /^\/sitemap-[^/]*\.xml(?:\/|$)/ },
];

export const RESERVED: readonly Reservation[] = [
  ...new Set(Object.values(PAGE_ROUTES).filter((r): r is Reservation => typeof r !== 'string')),
  ...BUILD_OUTPUTS,
];

/** A single address is a file unless it ends in `/`; a folder may not be made where a file is. */
const under = (key: string, parent: string) => key === parent || key.startsWith(`${parent}/`);

/**
 * What the build writes at `path` or around it, or undefined when the address is free for an
 * alias. `publicFiles` are the files in `public/`, relative to it, as the build copies them.
 */
export function reservedBy(path: string, publicFiles: readonly string[] = []): string | undefined {
  const key = aliasKey(path);
  for (const r of RESERVED) {
    if (r.pattern?.test(key)) return r.what;
    if (r.folders?.some((f) => under(key, aliasKey(f)))) return r.what;
    for (const p of r.paths ?? []) {
      const k = aliasKey(p);
      if (key === k || (!p.endsWith('/') && under(key, k))) return r.what;
    }
  }
  for (const file of publicFiles) if (under(key, aliasKey(`/${file}`))) return `a file of the site (public/${file})`;
  return undefined;
}

/** Astro's `publicDir`, copied into dist/ as is. */
export const PUBLIC_DIR = 'public';

/** The files in `<root>/public/`, relative to it; none if the folder does not exist. */
export function listPublicFiles(root: string): string[] {
  return listFiles(join(root, PUBLIC_DIR));
}

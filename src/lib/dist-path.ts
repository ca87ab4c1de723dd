/**
 * URL paths and the files in `dist/` that serve them, for a directory-format build: a path
 * ending in `/` is served from its folder's `index.html`, any other path from the file of
 * that name. Files are relative to `dist/`, with POSIX separators. The one mapping the
 * sitemap, redirect pages, host-file rules, publish plan, link checker and tests share.
 */
import { SEARCH_BUNDLE_DIR } from './search-params.ts';

/** The web editor's folder in dist/ (src/integrations/web-editor.ts). */
export const ADMIN_DIR = 'admin/';

/** Folders of HTML that no reader reads: the search bundle and the web editor, which keep their own rules. */
const NOT_READER_PAGES = [`${SEARCH_BUNDLE_DIR}/`, ADMIN_DIR];

/** Whether a file of dist/ is a page readers see, which budgets, verify and axe hold to the site's rules. */
export const isReaderPage = (file: string) => file.endsWith('.html') && !NOT_READER_PAGES.some((dir) => file.startsWith(dir));

/** `/news/x/` → `news/x/index.html`, `/` → `index.html`, `/rss.xml` → `rss.xml`. Escapes are kept as written. */
export function distFileOf(urlPath: string): string {
  const rel = urlPath.replace(/^\/+/, '');
  return rel === '' || rel.endsWith('/') ? `${rel}index.html` : rel;
}

/** `news/x/index.html` → `/news/x/`, `index.html` → `/`, `rss.xml` → `/rss.xml`. */
export function urlPathOf(file: string): string {
  if (file === 'index.html') return '/';
  if (file.endsWith('/index.html')) return `/${file.slice(0, -'index.html'.length)}`;
  return `/${file}`;
}

/** A URL path with its %-escapes decoded, as a host looks the file up; undefined for a broken escape. */
export function decodeUrlPath(urlPath: string): string | undefined {
  try {
    return decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
}

import { attr, elements, isInside, parseHtml, type Document, type Element } from '../../src/lib/html.ts';
import { decodeUrlPath, distFileOf, urlPathOf } from '../../src/lib/dist-path.ts';
import { parseSrcset } from '../../src/lib/srcset.ts';

/**
 * The links check of `npm run verify`, offline: every internal link, image, script,
 * stylesheet, icon, frame, canonical and social-card URL on every page must resolve to a
 * file of the build (or an alias in `_redirects`), and every `#fragment` to an id on the
 * target page. It reads files instead of serving them: linkinator 8.1.0 spent 31 ms of CPU
 * a page here (about five minutes at 10,000 stories); this spends a few.
 */

export interface Reference {
  url: string;
  /** What the page uses it as, for the message: `link`, `image`, `stylesheet`… */
  kind: string;
}

export interface PageLinks {
  ids: Set<string>;
  references: Reference[];
  /** Audio and video sources: live streams on the stations' servers, not files of the site. */
  media: Set<string>;
}

const srcset = (value: string) => parseSrcset(value).map((c) => c.url);

const LINK_RELS: Record<string, string> = {
  stylesheet: 'stylesheet',
  icon: 'icon',
  'apple-touch-icon': 'icon',
  manifest: 'manifest',
  preload: 'preloaded file',
  modulepreload: 'script',
  canonical: 'canonical URL',
  alternate: 'alternate (feed) URL',
};

/** Every reference and id of a page, read from its parse5 tree (or its HTML, parsed here). */
export function scanLinks(page: string | Document): PageLinks {
  const document = typeof page === 'string' ? parseHtml(page) : page;
  const links: PageLinks = { ids: new Set(), references: [], media: new Set() };
  const ref = (url: string | undefined, kind: string) => {
    if (url !== undefined && url.trim() !== '') links.references.push({ url: url.trim(), kind });
  };
  const media: Element[] = [];
  const inMedia = (el: Element) => media.some((m) => isInside(el, m));
  for (const el of elements(document)) {
    const a = (name: string) => attr(el, name);
    const id = a('id');
    if (id) links.ids.add(id);
    if (el.tagName === 'a' && a('name')) links.ids.add(a('name')!);
    switch (el.tagName) {
      case 'a':
      case 'area':
        ref(a('href'), 'link');
        break;
      case 'img':
        ref(a('src'), 'image');
        for (const u of srcset(a('srcset') ?? '')) ref(u, 'image');
        break;
      case 'source':
        if (inMedia(el) && a('src')) links.media.add(a('src')!.trim());
        for (const u of srcset(a('srcset') ?? '')) ref(u, 'image');
        break;
      case 'audio':
      case 'video':
        media.push(el);
        if (a('src')) links.media.add(a('src')!.trim());
        ref(a('poster'), 'image');
        break;
      case 'script':
        ref(a('src'), 'script');
        break;
      case 'iframe':
        ref(a('src'), 'frame');
        break;
      case 'input':
        if (a('type') === 'image') ref(a('src'), 'image');
        break;
      case 'link':
        for (const rel of (a('rel') ?? '').toLowerCase().split(/\s+/)) {
          const kind = LINK_RELS[rel];
          if (kind) {
            ref(a('href'), kind);
            break;
          }
        }
        break;
      case 'meta': {
        const property = (a('property') ?? a('name') ?? '').toLowerCase();
        if (/^(og:image|og:image:url|og:image:secure_url|og:url|og:audio|twitter:image)$/.test(property))
          ref(a('content'), `${property} URL`);
        break;
      }
    }
  }
  return links;
}

/** `url()` references in a stylesheet (fonts, backgrounds). */
export const cssReferences = (css: string): Reference[] =>
  [...css.matchAll(/url\(\s*(['"]?)(.*?)\1\s*\)/g)]
    .map((m) => ({ url: (m[2] ?? '').trim(), kind: 'stylesheet asset' }))
    .filter((r) => r.url !== '');

export interface LinkProblem {
  file: string;
  message: string;
  /** The missing target, so one missing file shown on many pages can be grouped. */
  target: string;
}

export interface SiteFiles {
  /** Site origin, from the home page's canonical link; absolute URLs on it are internal. */
  origin: string;
  has(file: string): boolean;
  /** Alias paths from `_redirects`: the host answers them with a redirect. */
  redirects: ReadonlySet<string>;
  ids(file: string): ReadonlySet<string> | undefined;
}

/** The URL of a dist file, on the site's origin. */
export const urlOfFile = (origin: string, file: string) => `${origin}${urlPathOf(file)}`;

/** The dist file a URL path is served from, if any. */
export function fileOfPath(files: Pick<SiteFiles, 'has'>, pathname: string): string | undefined {
  const decoded = decodeUrlPath(pathname);
  const candidate = decoded === undefined ? undefined : distFileOf(decoded);
  return candidate !== undefined && files.has(candidate) ? candidate : undefined;
}

/** Checks one file's references; `references` come from `scanLinks` or `cssReferences`. */
export function checkReferences(file: string, references: readonly Reference[], skip: ReadonlySet<string>, site: SiteFiles): LinkProblem[] {
  const problems: LinkProblem[] = [];
  const base = urlOfFile(site.origin, file);
  // A page names one problem once: an image's src is usually also a candidate of its srcset.
  const seen = new Set<string>();
  for (const { url, kind } of references) {
    if (skip.has(url) || /^(mailto|tel|sms|data|blob|javascript):/i.test(url)) continue;
    if (seen.has(`${kind} ${url}`)) continue;
    seen.add(`${kind} ${url}`);
    let target: URL;
    try {
      target = new URL(url, base);
    } catch {
      problems.push({ file, message: `has a ${kind} "${url}" that is not a URL`, target: url });
      continue;
    }
    if (target.origin !== site.origin) continue;
    const path = target.pathname;
    const targetFile = fileOfPath(site, path);
    if (!targetFile) {
      if (site.redirects.has(path)) continue;
      problems.push({ file, message: `broken ${kind} ${path} (no such file)`, target: path });
      continue;
    }
    const fragment = target.hash.slice(1);
    if (fragment && fragment !== 'top' && targetFile.endsWith('.html')) {
      let id = fragment;
      try {
        id = decodeURIComponent(fragment);
      } catch {
        // Keep it as written.
      }
      if (!site.ids(targetFile)?.has(id))
        problems.push({ file, message: `${kind} to ${path}#${fragment}, but that page has no id "${id}"`, target: `${path}#${fragment}` });
    }
  }
  return problems;
}

import { createHash } from 'node:crypto';
import { attr, attrName, elements, parseHtml, parseNoscript, relTokens, textOf, type Document, type Element } from '../../lib/html.ts';
import { isPlainHost } from '../../lib/web-url.ts';
import { parseSrcset } from '../../lib/srcset.ts';

/**
 * Reads built HTML and CSS for everything a Content-Security-Policy has to allow: inline
 * scripts and styles (as hashes), style attributes, and the origins of images, media,
 * frames, form targets and external scripts. Also notes what the policy will block, so
 * `npm run verify` can name it.
 *
 * Story bodies (`[data-article-body]`, Markdown written by editors) are untrusted: their
 * inline scripts, styles and style attributes are never hashed into the policy. A story runs
 * from the body's start tag to the end mark the template writes as the container's last child,
 * both carrying the body's own hash, in source order: a story cannot end its region early with
 * a stray `</div>` or a forged mark, since no text can contain its own hash. Without the mark,
 * the story runs to the end of the page. Pages are read as a browser parses them (parse5).
 */

/** A CSP source expression: `'self'`, `https://host`, `data:`, `blob:`. */
export type Source = string;

export interface Finding {
  /** `template` for the site's own markup, `story` for Markdown inside a story body. */
  where: 'template' | 'story';
  kind: 'inline-script' | 'inline-style' | 'style-attribute' | 'event-handler' | 'javascript-url' | 'plugin-object';
  detail: string;
}

export interface PageScan {
  scriptHashes: Set<string>;
  styleHashes: Set<string>;
  styleAttrHashes: Set<string>;
  scriptSources: Set<Source>;
  styleSources: Set<Source>;
  imgSources: Set<Source>;
  fontSources: Set<Source>;
  mediaSources: Set<Source>;
  frameSources: Set<Source>;
  formTargets: Set<Source>;
  findings: Finding[];
}

export const emptyScan = (): PageScan => ({
  scriptHashes: new Set(),
  styleHashes: new Set(),
  styleAttrHashes: new Set(),
  scriptSources: new Set(),
  styleSources: new Set(),
  imgSources: new Set(),
  fontSources: new Set(),
  mediaSources: new Set(),
  frameSources: new Set(),
  formTargets: new Set(),
  findings: [],
});

/** Adds every source and hash of `from` into `into`. */
export function mergeScan(into: PageScan, from: PageScan): PageScan {
  for (const key of Object.keys(into) as (keyof PageScan)[]) {
    const target = into[key];
    const source = from[key];
    if (target instanceof Set && source instanceof Set) for (const v of source) target.add(v);
  }
  into.findings.push(...from.findings);
  return into;
}

/** The CSP hash source of a script or style body or a style attribute value. */
export const cspHash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const SELF_BASE = 'https://masthead-self.invalid/';

/** The CSP source that allows fetching `url` from a page; undefined for non-fetchable URLs. */
export function sourceOf(url: string): Source | undefined {
  const trimmed = url.trim();
  if (!trimmed || trimmed.startsWith('#')) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(trimmed, SELF_BASE);
  } catch {
    return undefined;
  }
  if (parsed.href.startsWith(SELF_BASE)) return "'self'";
  if (parsed.protocol === 'data:') return 'data:';
  if (parsed.protocol === 'blob:') return 'blob:';
  // A host such as `x.example;sandbox` parses, but its origin is no CSP source: leave it out,
  // and the browser blocks the request.
  if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && isPlainHost(parsed.hostname)) return parsed.origin;
  return undefined;
}

/** Script types a browser executes (and so CSP governs); others, like JSON-LD, are data blocks. */
const EXECUTABLE_SCRIPT_TYPES = new Set([
  '',
  'module',
  'importmap',
  'speculationrules',
  'text/javascript',
  'application/javascript',
  'application/ecmascript',
  'text/ecmascript',
]);

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'poster', 'data', 'xlink:href']);

// A URL in a srcset may hold commas (CDN resize URLs), so it is parsed, not split.
const srcsetUrls = (srcset: string) => parseSrcset(srcset).map((c) => c.url);

/** Markdown table column alignment (`| --: |`), which the Markdown processor writes as a style
 * attribute on cells; three harmless values, so story bodies may use them. */
const isTableAlignment = (tag: string, style: string) =>
  (tag === 'td' || tag === 'th') && /^\s*text-align:\s*(left|center|right)\s*;?\s*$/.test(style);

/** `url(...)` and `@import "..."` references in CSS. */
export function scanCss(css: string, into: PageScan = emptyScan()): PageScan {
  for (const m of css.matchAll(/url\(\s*(['"]?)(.*?)\1\s*\)/g)) {
    const url = m[2] ?? '';
    const source = sourceOf(url);
    if (!source) continue;
    const isFont = /^data:(font|application\/(x-)?font)/i.test(url) || /\.(woff2?|ttf|otf|eot)(\?|#|$)/i.test(url);
    (isFont ? into.fontSources : into.imgSources).add(source);
  }
  for (const m of css.matchAll(/@import\s+(['"])(.*?)\1/g)) {
    const source = sourceOf(m[2] ?? '');
    if (source) into.styleSources.add(source);
  }
  return into;
}

/** The attribute that marks the story body's container, its value the body's seal (ArticleLayout.astro). */
export const BODY_CONTAINER = 'data-article-body';
/** The sealed, empty, hidden `<div>` ArticleLayout.astro writes as the container's last child. */
export const BODY_END = 'data-article-body-end';

const startOf = (el: Element) => el.sourceCodeLocation?.startOffset;

/**
 * Which elements and attributes of a page a story body wrote: everything whose start tag lies,
 * in the source, between the container's start tag and the first end mark carrying the same
 * seal (or the end of the page). Elements parse5 made without a tag of their own (clones of
 * formatting elements the story left open) and attributes a later `<body>` or `<html>` tag
 * merged into the page's own count as the story's whenever a story is on the page.
 */
function storyRegion(all: readonly Element[]) {
  let container: Element | undefined;
  const ends: Element[] = [];
  for (const el of all) {
    const at = startOf(el);
    if (at === undefined) continue;
    if (attr(el, BODY_CONTAINER) !== undefined && (!container || at < startOf(container)!)) container = el;
    if (attr(el, BODY_END) !== undefined) ends.push(el);
  }
  if (!container) return { element: () => false, attribute: () => false };
  const seal = attr(container, BODY_CONTAINER);
  const from = container.sourceCodeLocation!.startTag?.endOffset ?? startOf(container)!;
  const to = Math.min(...ends.filter((e) => seal && attr(e, BODY_END) === seal && startOf(e)! >= from).map((e) => startOf(e)!));
  const element = (el: Element) => {
    const at = startOf(el);
    return at === undefined ? el.attrs.length > 0 : at >= from && at < to;
  };
  return {
    element,
    attribute: (el: Element, name: string) => {
      const written = el.sourceCodeLocation?.attrs;
      return element(el) || !(written?.[name] ?? written?.[name.toLowerCase()]);
    },
  };
}

const insideMedia = (el: Element) => {
  for (let p = el.parentNode; p && 'tagName' in p; p = p.parentNode) if (p.tagName === 'audio' || p.tagName === 'video') return true;
  return false;
};

/** Everything one HTML page asks of the CSP, read from its parse5 tree (or its HTML, parsed here). */
export function scanHtml(page: string | Document): PageScan {
  const document = typeof page === 'string' ? parseHtml(page) : page;
  const scan = emptyScan();
  const all = [...elements(document)];
  const story = storyRegion(all);
  const add = (set: Set<Source>, url: string | undefined) => {
    const source = url === undefined ? undefined : sourceOf(url);
    if (source) set.add(source);
  };

  /** `inStory` for the elements of a `<noscript>` reparsed, which take the `<noscript>`'s place. */
  const visit = (el: Element, noscriptInStory?: boolean) => {
    const name = el.tagName;
    const inStory = noscriptInStory ?? story.element(el);
    const attrInStory = (attrName: string) => noscriptInStory ?? story.attribute(el, attrName);
    const find = (where: boolean, kind: Finding['kind'], detail: string) =>
      scan.findings.push({ where: where ? 'story' : 'template', kind, detail });
    const a = (key: string) => attr(el, key);

    for (const at of el.attrs) {
      const key = attrName(at);
      if (/^on[a-z]+$/i.test(key)) find(attrInStory(key), 'event-handler', `<${name} ${key}="${at.value.slice(0, 60)}">`);
      if (URL_ATTRIBUTES.has(key) && /^\s*javascript:/i.test(at.value))
        find(attrInStory(key), 'javascript-url', `<${name} ${key}="${at.value.slice(0, 60)}">`);
    }
    const style = a('style');
    if (style !== undefined && style.trim() !== '') {
      if (attrInStory('style') && !isTableAlignment(name, style)) find(true, 'style-attribute', `<${name} style="${style.slice(0, 60)}">`);
      else scan.styleAttrHashes.add(cspHash(style));
      scanCss(style, scan);
    }

    switch (name) {
      case 'script': {
        const type = (a('type') ?? '').trim().toLowerCase();
        if (!EXECUTABLE_SCRIPT_TYPES.has(type)) break;
        const src = a('src');
        const text = textOf(el);
        if (src !== undefined) {
          if (inStory) find(true, 'inline-script', `<script src="${src}"> in a story`);
          else add(scan.scriptSources, src);
        } else if (text.trim() !== '') {
          if (inStory) find(true, 'inline-script', `<script>${text.trim().slice(0, 60)}</script>`);
          else scan.scriptHashes.add(cspHash(text));
        }
        break;
      }
      case 'style': {
        const text = textOf(el);
        if (inStory) find(true, 'inline-style', `<style>${text.trim().slice(0, 60)}</style>`);
        else scan.styleHashes.add(cspHash(text));
        scanCss(text, scan);
        break;
      }
      case 'link': {
        const rel = relTokens(el);
        if (rel.includes('stylesheet')) add(scan.styleSources, a('href'));
        else if (rel.some((r) => r === 'icon' || r === 'apple-touch-icon')) add(scan.imgSources, a('href'));
        else if (rel.includes('preload') || rel.includes('modulepreload')) {
          const as = (a('as') ?? (rel.includes('modulepreload') ? 'script' : '')).toLowerCase();
          const target = { script: scan.scriptSources, style: scan.styleSources, image: scan.imgSources, font: scan.fontSources }[as];
          if (target) add(target, a('href'));
        }
        break;
      }
      case 'img':
        add(scan.imgSources, a('src'));
        for (const url of srcsetUrls(a('srcset') ?? '')) add(scan.imgSources, url);
        break;
      case 'source':
        if (insideMedia(el)) add(scan.mediaSources, a('src'));
        for (const url of srcsetUrls(a('srcset') ?? '')) add(scan.imgSources, url);
        break;
      case 'audio':
      case 'video':
      case 'track':
        add(scan.mediaSources, a('src'));
        add(scan.imgSources, a('poster'));
        break;
      case 'iframe':
        add(scan.frameSources, a('src'));
        break;
      case 'form':
        scan.formTargets.add(sourceOf(a('action') ?? '') ?? "'self'");
        break;
      case 'button':
      case 'input':
        if (a('formaction') !== undefined) add(scan.formTargets, a('formaction'));
        if (name === 'input' && a('type') === 'image') add(scan.imgSources, a('src'));
        break;
      case 'object':
      case 'embed':
        find(inStory, 'plugin-object', `<${name}> (object-src 'none' blocks plugins)`);
        break;
      case 'noscript':
        // The policy holds with scripting off too, when a browser reads this as markup.
        if (noscriptInStory === undefined) for (const inner of elements(parseNoscript(textOf(el)))) visit(inner, inStory);
        break;
    }
  };
  for (const el of all) visit(el);
  return scan;
}

/** A CSP scan as JSON: its sets as sorted arrays. */
export type PlainScan = Record<keyof PageScan, unknown[]>;

export const plainScan = (scan: PageScan): PlainScan =>
  Object.fromEntries(Object.entries(scan).map(([k, v]) => [k, v instanceof Set ? [...(v as Set<string>)].sort() : v])) as PlainScan;

/** A scan read back from JSON (`plainScan`). */
export const toScan = (plain: PlainScan): PageScan => {
  const scan = emptyScan();
  for (const key of Object.keys(scan) as (keyof PageScan)[]) {
    if (key === 'findings') scan.findings.push(...(plain.findings as PageScan['findings']));
    else for (const v of plain[key] ?? []) (scan[key] as Set<string>).add(v as string);
  }
  return scan;
};

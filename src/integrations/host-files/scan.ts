import { createHash } from 'node:crypto';
import { Parser } from 'htmlparser2';
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
 * from the body's start tag to the end mark the template writes after it, both carrying the
 * body's own hash, in source order: a story cannot end its region early with a stray `</div>`
 * or a forged mark, since no text can contain its own hash. Without the mark, the story runs
 * to the end of the page.
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

/** Everything one HTML page asks of the CSP. */
export function scanHtml(html: string): PageScan {
  const scan = emptyScan();
  const stack: string[] = [];
  /** The open story's seal while inside a story body, else undefined. */
  let story: { seal: string } | undefined;
  let storySeen = false;
  let raw: { tag: 'script' | 'style'; executable: boolean; text: string } | undefined;
  const mediaParents = () => stack.some((t) => t === 'audio' || t === 'video');
  const where = (): Finding['where'] => (story ? 'story' : 'template');
  const find = (kind: Finding['kind'], detail: string) => scan.findings.push({ where: where(), kind, detail });

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        stack.push(name);
        if (!storySeen && 'data-article-body' in attrs) {
          story = { seal: attrs['data-article-body'] ?? '' };
          storySeen = true;
        } else if (story?.seal && attrs['data-article-body-end'] === story.seal) story = undefined;
        const inStory = story !== undefined;

        for (const [attr, value] of Object.entries(attrs)) {
          if (/^on[a-z]+$/i.test(attr)) find('event-handler', `<${name} ${attr}="${value.slice(0, 60)}">`);
          if (URL_ATTRIBUTES.has(attr) && /^\s*javascript:/i.test(value))
            find('javascript-url', `<${name} ${attr}="${value.slice(0, 60)}">`);
        }
        if (attrs.style !== undefined && attrs.style.trim() !== '') {
          if (inStory && !isTableAlignment(name, attrs.style)) find('style-attribute', `<${name} style="${attrs.style.slice(0, 60)}">`);
          else scan.styleAttrHashes.add(cspHash(attrs.style));
          scanCss(attrs.style, scan);
        }

        const add = (set: Set<Source>, url: string | undefined) => {
          const source = url === undefined ? undefined : sourceOf(url);
          if (source) set.add(source);
        };
        switch (name) {
          case 'script': {
            const type = (attrs.type ?? '').trim().toLowerCase();
            const executable = EXECUTABLE_SCRIPT_TYPES.has(type);
            if (attrs.src !== undefined) {
              if (executable && inStory) find('inline-script', `<script src="${attrs.src}"> in a story`);
              else if (executable) add(scan.scriptSources, attrs.src);
            } else raw = { tag: 'script', executable, text: '' };
            break;
          }
          case 'style':
            raw = { tag: 'style', executable: true, text: '' };
            break;
          case 'link': {
            const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
            if (rel.includes('stylesheet')) add(scan.styleSources, attrs.href);
            else if (rel.some((r) => r === 'icon' || r === 'apple-touch-icon')) add(scan.imgSources, attrs.href);
            else if (rel.includes('preload') || rel.includes('modulepreload')) {
              const as = (attrs.as ?? (rel.includes('modulepreload') ? 'script' : '')).toLowerCase();
              const target = { script: scan.scriptSources, style: scan.styleSources, image: scan.imgSources, font: scan.fontSources }[as];
              if (target) add(target, attrs.href);
            }
            break;
          }
          case 'img':
            add(scan.imgSources, attrs.src);
            for (const url of srcsetUrls(attrs.srcset ?? '')) add(scan.imgSources, url);
            break;
          case 'source':
            if (mediaParents()) add(scan.mediaSources, attrs.src);
            for (const url of srcsetUrls(attrs.srcset ?? '')) add(scan.imgSources, url);
            break;
          case 'audio':
          case 'video':
          case 'track':
            add(scan.mediaSources, attrs.src);
            add(scan.imgSources, attrs.poster);
            break;
          case 'iframe':
            add(scan.frameSources, attrs.src);
            break;
          case 'form':
            scan.formTargets.add(sourceOf(attrs.action ?? '') ?? "'self'");
            break;
          case 'button':
          case 'input':
            if (attrs.formaction !== undefined) add(scan.formTargets, attrs.formaction);
            if (name === 'input' && attrs.type === 'image') add(scan.imgSources, attrs.src);
            break;
          case 'object':
          case 'embed':
            find('plugin-object', `<${name}> (object-src 'none' blocks plugins)`);
            break;
        }
      },
      ontext(text) {
        if (raw) raw.text += text;
      },
      onclosetag(name) {
        if (raw && name === raw.tag) {
          const inStory = story !== undefined;
          if (raw.tag === 'script' && raw.executable && raw.text.trim() !== '') {
            if (inStory) find('inline-script', `<script>${raw.text.trim().slice(0, 60)}</script>`);
            else scan.scriptHashes.add(cspHash(raw.text));
          } else if (raw.tag === 'style') {
            if (inStory) find('inline-style', `<style>${raw.text.trim().slice(0, 60)}</style>`);
            else scan.styleHashes.add(cspHash(raw.text));
            scanCss(raw.text, scan);
          }
          raw = undefined;
        }
        stack.pop();
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return scan;
}

/**
 * HTML to Markdown for imported stories: rehype-parse → Masthead's rules on the hast tree →
 * rehype-remark → remark-gfm → remark-stringify. The rules are tree transforms, never text
 * substitutions: headings start at ##, iframes from `embedHosts` stay and others become links,
 * scripts, styles, forms, tracking pixels and share widgets are dropped and counted, images
 * are listed so the caller can save them beside the story and point them at `./name.jpg`.
 */
import type { Element, ElementContent, Nodes as HastNodes, Parents as HastParents, Root as HastRoot } from 'hast';
import type { Html, Image, Paragraph, Parents as MdastParents, Root as MdastRoot, RootContent } from 'mdast';
import rehypeParse from 'rehype-parse';
import rehypeRemark from 'rehype-remark';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { SKIP, visit } from 'unist-util-visit';
import type { EmbedHost } from '../site.config';
import { escapeXml } from '../lib/escape';

export interface ConvertOptions {
  embedHosts: readonly EmbedHost[];
  /** Relative image and link addresses are resolved against this (a saved page's URL). */
  baseUrl?: string;
  /** Images with a relative path (`page_files/photo.jpg`) are resolved against this `file:` URL instead:
   * a page saved "complete" keeps its photos in a folder beside it. */
  localBase?: string;
}

export interface ImageRef {
  /** The address as found (resolved against `baseUrl` when one was given). */
  src: string;
  alt: string;
}

export interface Converted {
  tree: MdastRoot;
  /** Every image the body shows, in order, once each. */
  images: ImageRef[];
  /** Elements removed, by what they were (`script`, `share widget`, `tracking pixel`, …). */
  dropped: Record<string, number>;
}

/** Removed with everything inside: code, styling, forms, and media a static story cannot play. */
const DROP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'link',
  'meta',
  'base',
  'svg',
  'math',
  'object',
  'embed',
  'applet',
  'canvas',
  'nav',
  'dialog',
]);
/** Sharing buttons and "related" boxes that WordPress plugins and CMS templates put in bodies. */
const SHARE_WIDGET =
  /(?:^|[\s_-])(?:share|sharing|sharedaddy|addtoany|a2a_kit|social-(?:share|links|buttons)|jp-relatedposts|sd-block|sd-sharing|newsletter-signup|wp-block-social-links)(?:$|[\s_-])/i;
const TRACKER_HOSTS =
  /(?:^|\.)(?:pixel\.wp\.com|stats\.wp\.com|doubleclick\.net|google-analytics\.com|googletagmanager\.com|facebook\.com|scorecardresearch\.com|quantserve\.com|chartbeat\.net|parsely\.com)$/i;

const classOf = (el: Element) => {
  const c = el.properties.className;
  return `${Array.isArray(c) ? c.join(' ') : String(c ?? '')} ${String(el.properties.id ?? '')}`;
};

function resolveUrl(src: string, base: string | undefined): string {
  if (!base) return src;
  try {
    return new URL(src, base).href;
  } catch {
    return src;
  }
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** The embed host an iframe address belongs to, under the same rules as the HTML policy. */
export function embedHostFor(src: string, hosts: readonly EmbedHost[]): EmbedHost | undefined {
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:') return undefined;
  const host = hosts.find((h) => h.host === url.hostname);
  return host && (!host.pathPrefix || url.pathname.startsWith(host.pathPrefix)) ? host : undefined;
}

function isTracker(el: Element, src: string): boolean {
  const size = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : Number(v));
  const w = size(el.properties.width);
  const h = size(el.properties.height);
  if (w !== undefined && h !== undefined && w <= 2 && h <= 2) return true;
  const host = hostOf(src);
  return host !== undefined && TRACKER_HOSTS.test(host);
}

/** The hast rules, in place. */
function applyHastRules(tree: HastRoot, options: ConvertOptions, images: ImageRef[], dropped: Record<string, number>) {
  const drop = (what: string) => (dropped[what] = (dropped[what] ?? 0) + 1);
  const seen = new Set<string>();
  const headings: Element[] = [];

  const walk = (parent: HastParents) => {
    const out: HastNodes[] = [];
    for (const node of parent.children) {
      if (node.type === 'comment' || node.type === 'doctype') continue;
      if (node.type !== 'element') {
        out.push(node);
        continue;
      }
      const el = node;
      const name = el.tagName;
      if (DROP.has(name)) {
        drop(name);
        continue;
      }
      if (SHARE_WIDGET.test(classOf(el))) {
        drop('share widget');
        continue;
      }
      delete el.properties.style;
      if (name === 'img') {
        const raw = String(el.properties.src ?? el.properties.dataSrc ?? '').trim();
        const pathRelative = options.localBase && raw && !/^(?:[a-z][a-z0-9+.-]*:|\/)/i.test(raw);
        const src = resolveUrl(raw, pathRelative ? options.localBase : options.baseUrl);
        if (!src) continue;
        if (isTracker(el, src)) {
          drop('tracking pixel');
          continue;
        }
        if (/^data:/i.test(src)) {
          drop('data: image');
          continue;
        }
        if (/\.svgz?(?:[?#]|$)/i.test(src)) {
          drop('SVG image');
          continue;
        }
        el.properties = { src, alt: String(el.properties.alt ?? '').trim() };
        if (!seen.has(src)) {
          seen.add(src);
          images.push({ src, alt: String(el.properties.alt) });
        }
        out.push(el);
        continue;
      }
      if (name === 'figcaption') {
        // Markdown has no figure; the caption is an italic line under the photo.
        el.tagName = 'p';
        el.children = [{ type: 'element', tagName: 'em', properties: {}, children: el.children }];
      }
      if (name === 'picture') {
        // The <img> inside is the fallback every browser shows; <source> variants are not kept.
        el.children = el.children.filter((c) => !(c.type === 'element' && c.tagName === 'source'));
      }
      if (name === 'audio' || name === 'video') {
        const src = String(el.properties.src ?? '') || findSource(el);
        drop(name);
        if (src) out.push(linkParagraph(resolveUrl(src, options.baseUrl), name === 'audio' ? 'Listen' : 'Watch'));
        continue;
      }
      if (name === 'iframe') {
        const src = String(el.properties.src ?? '').trim();
        const host = embedHostFor(src, options.embedHosts);
        if (host) {
          const title = String(el.properties.title ?? '').trim() || `${host.name} ${host.kind}`;
          el.properties = {
            src,
            title,
            width: el.properties.width,
            height: el.properties.height,
            allow: el.properties.allow,
            allowFullScreen: el.properties.allowFullScreen,
          };
          el.children = [];
          out.push(el);
        } else if (src && /^https?:/i.test(src)) {
          drop('iframe from another host (now a link)');
          out.push(linkParagraph(src, String(el.properties.title ?? '').trim() || (hostOf(src) ?? src)));
        } else drop('iframe');
        continue;
      }
      if (name === 'a') {
        const href = String(el.properties.href ?? '').trim();
        if (/^\s*(?:javascript|vbscript|data):/i.test(href.replace(/[\t\n\r]/g, ''))) {
          drop('script link');
          out.push(...el.children);
          continue;
        }
        if (href) el.properties = { href: resolveUrl(href, options.baseUrl) };
      }
      if (/^h[1-6]$/.test(name)) headings.push(el);
      walk(el);
      out.push(el);
    }
    parent.children = out as typeof parent.children;
  };
  walk(tree);

  // The headline is the page's only h1: the body's outline starts at ## and never skips a level.
  if (headings.length) {
    const depths = headings.map((h) => Number(h.tagName[1]));
    const shift = 2 - Math.min(...depths);
    let previous = 1;
    headings.forEach((h, i) => {
      const depth = Math.min(6, Math.max(2, depths[i]! + shift), previous + 1);
      h.tagName = `h${depth}`;
      previous = depth;
    });
  }
}

function findSource(el: Element): string {
  for (const c of el.children) if (c.type === 'element' && c.tagName === 'source' && c.properties.src) return String(c.properties.src);
  return '';
}

function linkParagraph(href: string, text: string): Element {
  return {
    type: 'element',
    tagName: 'p',
    properties: {},
    children: [{ type: 'element', tagName: 'a', properties: { href }, children: [{ type: 'text', value: text }] }],
  };
}

/** An iframe from an embed host, as the raw HTML block the policy accepts (whole, on its own lines). */
function iframeHtml(el: Element): string {
  const attrs = ['src', 'title', 'width', 'height', 'allow']
    .filter((k) => el.properties[k] !== undefined && el.properties[k] !== null && el.properties[k] !== '')
    .map((k) => `${k}="${escapeXml(String(el.properties[k]))}"`);
  if (el.properties.allowFullScreen) attrs.push('allowfullscreen');
  return `<iframe ${attrs.join(' ')}></iframe>`;
}

/** Raw HTML blocks (embeds) found inside a paragraph become blocks of their own. */
function liftHtmlBlocks(tree: MdastRoot) {
  visit(tree, 'paragraph', (node: Paragraph, index, parent: MdastParents | undefined) => {
    if (!parent || index === undefined || !node.children.some((c) => c.type === 'html')) return;
    const blocks: RootContent[] = [];
    let run: Paragraph['children'] = [];
    const flush = () => {
      // The space that separated the embed from its neighbours has nothing left to separate.
      const first = run[0];
      const last = run.at(-1);
      if (first?.type === 'text') first.value = first.value.replace(/^[ \t\n]+/, '');
      if (last?.type === 'text') last.value = last.value.replace(/[ \t\n]+$/, '');
      if (run.some((c) => c.type !== 'text' || c.value)) blocks.push({ type: 'paragraph', children: run });
      run = [];
    };
    for (const c of node.children) {
      if (c.type === 'html') {
        flush();
        blocks.push({ type: 'html', value: c.value });
      } else run.push(c);
    }
    flush();
    (parent.children as RootContent[]).splice(index, 1, ...blocks);
    return [SKIP, index + blocks.length];
  });
}

const parser = unified().use(rehypeParse, { fragment: true }).freeze();

/** Parses HTML and applies the rules; images keep their original addresses until `toMarkdown`. */
export function htmlToMdast(html: string, options: ConvertOptions): Converted {
  const hast = parser.parse(html);
  const images: ImageRef[] = [];
  const dropped: Record<string, number> = {};
  applyHastRules(hast, options, images, dropped);
  const tree = unified()
    .use(rehypeRemark, {
      handlers: {
        iframe: (state, node: Element) => {
          const result: Html = { type: 'html', value: iframeHtml(node) };
          state.patch(node, result);
          return result;
        },
      },
    })
    .runSync(hast) as unknown as MdastRoot;
  liftHtmlBlocks(tree);
  return { tree, images, dropped };
}

const stringifier = unified()
  .use(remarkGfm)
  .use(remarkStringify, { bullet: '-', emphasis: '_', strong: '*', fence: '`', rule: '-', listItemIndent: 'one', resourceLink: true })
  .freeze();

/**
 * The Markdown text. `localName` gives each image's file name beside the story; an image
 * it has no name for (it could not be saved) is removed, and the caller reports it.
 */
export function toMarkdown(tree: MdastRoot, localName: (src: string) => string | undefined): string {
  const copy = structuredClone(tree);
  visit(copy, 'image', (node: Image, index, parent: MdastParents | undefined) => {
    const name = localName(node.url);
    if (name) {
      node.url = `./${name}`;
      node.title = null;
      return;
    }
    if (parent && index !== undefined) {
      parent.children.splice(index, 1);
      return [SKIP, index];
    }
  });
  // A removed image leaves the spaces around it behind, and, alone in its paragraph, an empty one.
  visit(copy, 'paragraph', (node: Paragraph, index, parent: MdastParents | undefined) => {
    const merged: Paragraph['children'] = [];
    for (const c of node.children) {
      const prev = merged.at(-1);
      if (c.type === 'text' && prev?.type === 'text')
        prev.value =
          prev.value.replace(/[ \t]+$/, '') + (/^[ \t]/.test(c.value) || / $/.test(prev.value) ? ' ' : '') + c.value.replace(/^[ \t]+/, '');
      else merged.push(c);
    }
    node.children = merged;
    const first = merged[0];
    const last = merged.at(-1);
    if (first?.type === 'text') first.value = first.value.replace(/^[ \t]+/, '');
    if (last?.type === 'text') last.value = last.value.replace(/[ \t]+$/, '');
    if (parent && index !== undefined && node.children.every((c) => c.type === 'text' && !c.value.trim())) {
      parent.children.splice(index, 1);
      return [SKIP, index];
    }
  });
  return stringifier.stringify(copy as MdastRoot).trim() + '\n';
}

/** Plain text of an HTML fragment (titles and excerpts hold entities such as `&#8217;`). */
export function htmlToText(html: string): string {
  const hast = parser.parse(html);
  let out = '';
  const walk = (n: HastNodes) => {
    if (n.type === 'text') out += n.value;
    else if (n.type === 'element' && (n.tagName === 'script' || n.tagName === 'style')) return;
    else if (n.type === 'element' && n.tagName === 'br') out += ' ';
    else if ('children' in n) (n.children as (ElementContent | HastNodes)[]).forEach((c) => walk(c as HastNodes));
  };
  walk(hast);
  return out.replace(/[ \t\n\r\f]+/g, ' ').trim();
}

/** Plain text of the first paragraph's first sentence, for a story without an excerpt. */
export function firstSentence(tree: MdastRoot): string {
  const para = tree.children.find((c): c is Paragraph => c.type === 'paragraph' && textOf(c).trim().length > 0);
  const text = para ? textOf(para).replace(/\s+/g, ' ').trim() : '';
  const m = /^(.+?[.!?][”"’)]?)(?=\s+[A-Z“"‘(]|$)/u.exec(text);
  return (m?.[1] ?? text).trim();
}

/** The text a reader sees in an mdast node (raw HTML left out). */
export function textOf(node: { type: string; value?: string; children?: unknown[] }): string {
  if (typeof node.value === 'string' && node.type !== 'html') return node.value;
  return (node.children ?? []).map((c) => textOf(c as { type: string })).join('');
}

import { parse, parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { escapeXml } from './escape.ts';

/**
 * The one way Masthead reads HTML: parse5, which implements the WHATWG HTML parser, so comments
 * that end at `--!>`, CDATA in HTML, unclosed quotes, foster parenting and foreign content mean
 * here what they mean to a reader's browser. The CSP scan, verify, the sitemap, feeds, page
 * weight and Lighthouse page picking all read this tree; no regex or other parser decides
 * what an element is.
 */
export type Document = DefaultTreeAdapterMap['document'];
export type Fragment = DefaultTreeAdapterMap['documentFragment'];
export type Element = DefaultTreeAdapterMap['element'];
export type ParentNode = DefaultTreeAdapterMap['parentNode'];
type Node = DefaultTreeAdapterMap['node'];

/** A whole page, with source locations (lines for messages, offsets for the story region). */
export const parseHtml = (html: string): Document => parse(html, { sourceCodeLocationInfo: true });

/** Markup that goes inside a `<body>` (a rendered story), with source locations. */
export const parseHtmlFragment = (html: string): Fragment => parseFragment(html, { sourceCodeLocationInfo: true });

/** What a browser with scripting off makes of a `<noscript>` (parsed as text when scripting is on). */
export const parseNoscript = (text: string) => parseFragment(text, { scriptingEnabled: false });

export const isElement = (node: Node): node is Element => 'tagName' in node;

/** Every element under `root` in document order, including `<template>` contents. */
export function* elements(root: ParentNode): Generator<Element> {
  const stack: Node[] = [...root.childNodes].reverse();
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (!isElement(node)) continue;
    yield node;
    const children = node.tagName === 'template' && 'content' in node ? node.content.childNodes : node.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

export const attr = (el: Element, name: string): string | undefined => el.attrs.find((a) => a.name === name)?.value;
export const hasAttr = (el: Element, name: string) => el.attrs.some((a) => a.name === name);

/** An attribute's name as written: `xlink:href` in SVG, where parse5 splits off the prefix. */
export const attrName = (a: Element['attrs'][number]) => (a.prefix ? `${a.prefix}:${a.name}` : a.name);

/** The space-separated tokens of `rel`, lower-cased, as browsers match them. */
export const relTokens = (el: Element) => (attr(el, 'rel') ?? '').toLowerCase().split(/\s+/).filter(Boolean);

/** Whether `class` lists `name`, as `.name` matches in CSS. */
export const hasClass = (el: Element, name: string) => (attr(el, 'class') ?? '').split(/[\t\n\f\r ]+/).includes(name);

/** The text of an element's text children (a `<script>`'s or `<title>`'s content). */
export const textOf = (el: Element) => el.childNodes.map((n) => (n.nodeName === '#text' && 'value' in n ? n.value : '')).join('');

export const elementChildren = (el: ParentNode) => el.childNodes.filter(isElement);

export const lineOf = (el: Element) => el.sourceCodeLocation?.startLine;

/** `<div class="x">` on line 12, for messages: the start tag as written, shortened. */
export function describe(el: Element): string {
  const shown = el.attrs
    .slice(0, 3)
    .map((a) => (a.value === '' ? a.name : `${a.name}="${a.value.length > 40 ? `${a.value.slice(0, 40)}…` : a.value}"`));
  const line = lineOf(el);
  return `<${[el.tagName, ...shown].join(' ')}>${line ? ` (line ${line})` : ''}`;
}

export function isInside(el: Element, ancestor: ParentNode): boolean {
  for (let p = el.parentNode; p; p = 'parentNode' in p ? p.parentNode : null) if (p === ancestor) return true;
  return false;
}

/** Whether a URL attribute runs code: browsers drop tabs and newlines anywhere in a URL, and
 * C0 controls and spaces before it, so `\x01java\tscript:` counts. */
export function isJavascriptUrl(value: string): boolean {
  const url = value.replace(/[\t\n\r]/g, '');
  let start = 0;
  while (start < url.length && url.charCodeAt(start) <= 0x20) start++;
  return url.slice(start, start + 'javascript:'.length).toLowerCase() === 'javascript:';
}

/**
 * Rewrites attribute values in `html` in place, leaving every other byte as written: parse5
 * finds the attributes, and `change` gets each one's decoded value and returns a new one (or
 * undefined to keep it). New values are written double-quoted, escaped for an attribute.
 */
export function rewriteAttributes(html: string, change: (el: Element, name: string, value: string) => string | undefined): string {
  const edits: { start: number; end: number; text: string }[] = [];
  for (const el of elements(parseHtmlFragment(html))) {
    const locations = el.sourceCodeLocation?.attrs;
    if (!locations) continue;
    for (const a of el.attrs) {
      const name = attrName(a);
      const at = locations[name];
      const next = at && change(el, name, a.value);
      if (!at || next === undefined || next === a.value) continue;
      edits.push({
        start: at.startOffset,
        end: at.endOffset,
        text: `${html.slice(at.startOffset, at.endOffset).split('=')[0]!}="${escapeXml(next)}"`,
      });
    }
  }
  let out = html;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

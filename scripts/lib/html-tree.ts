import { parse, parseFragment, type DefaultTreeAdapterMap } from 'parse5';

/**
 * Pages as a browser parses them: parse5 implements the WHATWG HTML parser, so comments that
 * end at `--!>`, CDATA in HTML, unclosed quotes and foreign content mean here what they mean
 * to a reader's browser. Every security decision in verify reads this tree, never a regex.
 */
export type Document = DefaultTreeAdapterMap['document'];
export type Element = DefaultTreeAdapterMap['element'];
export type ParentNode = DefaultTreeAdapterMap['parentNode'];
type Node = DefaultTreeAdapterMap['node'];

export const parseHtml = (html: string): Document => parse(html, { sourceCodeLocationInfo: true });

/** What a browser with scripting off makes of a `<noscript>` (parsed as text when scripting is on). */
export const parseNoscript = (text: string) => parseFragment(text, { scriptingEnabled: false });

const isElement = (node: Node): node is Element => 'tagName' in node;

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

import type { Element, Nodes, Root } from 'hast';
import { fromParse5 } from 'hast-util-from-parse5';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import {
  attr as rawAttr,
  elements,
  parseHtml,
  parseHtmlFragment,
  type Element as Parse5Element,
  type ParentNode,
} from '../../src/lib/html';

/**
 * How the tests read built HTML: parsed by src/lib/html.ts (parse5, as a browser parses it),
 * then as hast so hast-util-select answers CSS selectors (`one`, `all`) the way
 * `querySelector` does. Text is `textContent`; attributes read back as written, from parse5's
 * element (hast keeps them parsed: a srcset split at every comma, a class list re-spaced).
 */
export type { Element, Root };
export type Scope = Root | Element;

const parse5Of = new WeakMap<Element, Parse5Element>();

/** Every element in document order, `<template>` contents included, as `elements` walks parse5's tree. */
function* hastElements(parent: Root | Element): Generator<Element> {
  const children = parent.type === 'element' && parent.tagName === 'template' && parent.content ? parent.content.children : parent.children;
  for (const node of children) {
    if (node.type !== 'element') continue;
    yield node;
    yield* hastElements(node);
  }
}

function toHast(tree: ParentNode): Root {
  const root = fromParse5(tree) as Root;
  const [hast, parse5] = [[...hastElements(root)], [...elements(tree)]];
  if (hast.length !== parse5.length) throw new Error(`hast has ${hast.length} elements, parse5 ${parse5.length}`);
  hast.forEach((el, i) => parse5Of.set(el, parse5[i]!));
  return root;
}

export const parsePage = (html: string): Root => toHast(parseHtml(html));
export const parseFragment = (html: string): Root => toHast(parseHtmlFragment(html));

/** Every element under `scope` matching `selector`, in document order. */
export const all = (scope: Scope, selector: string): Element[] => selectAll(selector, scope);

/** The first element under `scope` matching `selector`. */
export const one = (scope: Scope, selector: string): Element | undefined => select(selector, scope);

/** The first match, or a failure naming the selector (for elements a test needs to go on). */
export function the(scope: Scope, selector: string): Element {
  const el = select(selector, scope);
  if (!el) throw new Error(`no element matches ${selector}`);
  return el;
}

/** An attribute's value as written (entities decoded); undefined when absent. */
export function attr(el: Element | undefined, name: string): string | undefined {
  if (!el) return undefined;
  const parse5 = parse5Of.get(el);
  if (!parse5) throw new Error(`<${el.tagName}> was not parsed by parsePage or parseFragment`);
  return rawAttr(parse5, name) ?? rawAttr(parse5, name.toLowerCase());
}

/** The text of the nodes and everything in them (`textContent`), joined; '' for none. */
export function text(nodes: Nodes | readonly Nodes[] | undefined): string {
  if (!nodes) return '';
  return (Array.isArray(nodes) ? nodes : [nodes as Nodes]).map((n) => toString(n)).join('');
}

/** The innermost element matching `selector` under `root` that holds `el` (or is it). */
export function closest(root: Scope, el: Element, selector: string): Element | undefined {
  return all(root, selector)
    .filter((a) => a === el || selectAll('*', a).includes(el))
    .pop();
}

/** The element `el` is a child of, under `root` (hast has no parent links). */
export const parentOf = (root: Scope, el: Element): Element | undefined => all(root, '*').find((p) => p.children.includes(el));

import { attr, elements, parseHtml, relTokens, type Document } from '../lib/html.ts';

/** What the sitemap needs to know about a built page, read from its own `<head>`. */
export interface HeadFacts {
  canonical?: string;
  /** `article:modified_time`, ISO 8601 with offset. */
  modified?: string;
  noindex: boolean;
}

/** Canonical, modified time and robots from the `<link>` and `<meta>` tags of a parsed page's head. */
export function headFacts(document: Document): HeadFacts {
  const facts: HeadFacts = { noindex: false };
  for (const el of elements(document)) {
    if (el.tagName === 'body') break;
    if (el.tagName === 'link' && relTokens(el).includes('canonical')) facts.canonical ??= attr(el, 'href');
    if (el.tagName !== 'meta') continue;
    if (attr(el, 'property') === 'article:modified_time') facts.modified ??= attr(el, 'content');
    if (attr(el, 'name')?.toLowerCase() === 'robots' && /\bnoindex\b/i.test(attr(el, 'content') ?? '')) facts.noindex = true;
  }
  return facts;
}

/** The same, for a page not parsed otherwise: only its head is parsed, since the body cannot add to it. */
export function readHeadFacts(html: string): HeadFacts {
  const end = html.indexOf('</head>');
  return headFacts(parseHtml(end === -1 ? html : html.slice(0, end)));
}

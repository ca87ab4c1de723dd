import { attr, elements, parseHtml, relTokens } from '../lib/html.ts';

/** What the sitemap needs to know about a built page, read from its own `<head>`. */
export interface HeadFacts {
  canonical?: string;
  /** `article:modified_time`, ISO 8601 with offset. */
  modified?: string;
  noindex: boolean;
}

/** Reads canonical, modified time and robots from the `<link>` and `<meta>` tags of a page's head. */
export function readHeadFacts(html: string): HeadFacts {
  // Only the head is parsed: the body cannot add to it, and parsing it would cost most of the time.
  const end = html.indexOf('</head>');
  const facts: HeadFacts = { noindex: false };
  for (const el of elements(parseHtml(end === -1 ? html : html.slice(0, end)))) {
    if (el.tagName === 'body') break;
    if (el.tagName === 'link' && relTokens(el).includes('canonical')) facts.canonical ??= attr(el, 'href');
    if (el.tagName !== 'meta') continue;
    if (attr(el, 'property') === 'article:modified_time') facts.modified ??= attr(el, 'content');
    if (attr(el, 'name')?.toLowerCase() === 'robots' && /\bnoindex\b/i.test(attr(el, 'content') ?? '')) facts.noindex = true;
  }
  return facts;
}

/** What the sitemap needs to know about a built page, read from its own `<head>`. */
export interface HeadFacts {
  canonical?: string;
  /** `article:modified_time`, ISO 8601 with offset. */
  modified?: string;
  noindex: boolean;
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Reads canonical, modified time and robots from the `<link>` and `<meta>` tags of a page. */
export function readHeadFacts(html: string): HeadFacts {
  const end = html.indexOf('</head>');
  const head = end === -1 ? html : html.slice(0, end);
  const facts: HeadFacts = { noindex: false };
  for (const [, tag, attrText] of head.matchAll(/<(link|meta)\b([^>]*)>/gi)) {
    const attrs = new Map<string, string>();
    for (const [, name, , value] of attrText!.matchAll(/([a-zA-Z:-]+)=(["'])(.*?)\2/g)) attrs.set(name!.toLowerCase(), decode(value!));
    if (tag!.toLowerCase() === 'link' && attrs.get('rel') === 'canonical') facts.canonical = attrs.get('href');
    else if (attrs.get('property') === 'article:modified_time') facts.modified = attrs.get('content');
    else if (attrs.get('name') === 'robots' && /\bnoindex\b/i.test(attrs.get('content') ?? '')) facts.noindex = true;
  }
  return facts;
}

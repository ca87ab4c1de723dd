import { rewriteAttributes } from '../lib/html.ts';
import { formatSrcset, parseSrcset } from '../lib/srcset.ts';

const URL_ATTRIBUTES = new Set(['src', 'href', 'xlink:href', 'poster']);

/**
 * Rewrites root-relative `src`, `href`, `poster` and `srcset` URLs in rendered HTML to absolute
 * ones on `origin`, because feed readers resolve relative links against the feed's URL, not the
 * story's. Protocol-relative (`//host`) and absolute URLs are left alone, and so is text that
 * only looks like an attribute (`href="/x"` inside a code sample).
 */
export function absolutizeHtml(html: string, origin: string): string {
  const base = origin.replace(/\/+$/, '');
  const abs = (url: string) => (url.startsWith('/') && !url.startsWith('//') ? `${base}${url}` : url);
  return rewriteAttributes(html, (_el, name, value) => {
    if (URL_ATTRIBUTES.has(name)) return abs(value);
    if (name === 'srcset') return formatSrcset(parseSrcset(value).map((c) => ({ ...c, url: abs(c.url) })));
    return undefined;
  });
}

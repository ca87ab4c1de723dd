import { formatSrcset, parseSrcset } from '../lib/srcset';

/**
 * Rewrites root-relative `src`, `href`, `poster` and `srcset` URLs in rendered HTML to absolute
 * ones on `origin`, because feed readers resolve relative links against the feed's URL, not the
 * story's. Protocol-relative (`//host`) and absolute URLs are left alone.
 */
export function absolutizeHtml(html: string, origin: string): string {
  const base = origin.replace(/\/+$/, '');
  const abs = (url: string) => (url.startsWith('/') && !url.startsWith('//') ? `${base}${url}` : url);
  return html
    .replace(/\b(src|href|poster)=(["'])(.*?)\2/g, (_m, attr: string, q: string, url: string) => `${attr}=${q}${abs(url)}${q}`)
    .replace(
      /\bsrcset=(["'])(.*?)\1/g,
      (_m, q: string, list: string) => `srcset=${q}${formatSrcset(parseSrcset(list).map((c) => ({ ...c, url: abs(c.url) })))}${q}`,
    );
}

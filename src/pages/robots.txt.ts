import type { APIRoute } from 'astro';
import { siteConfig } from '../site.config';

export const GET: APIRoute = () => {
  const url = (path: string) => new URL(path, siteConfig.url).href;
  // A preview names no sitemaps (its pages are all noindex, so it has no page sitemap). It does not
  // disallow crawling either: a crawler must fetch a page to see its noindex.
  const sitemaps =
    import.meta.env.MASTHEAD_SHOWS_UNPUBLISHED === true
      ? []
      : ['', `Sitemap: ${url('/sitemap-index.xml')}`, `Sitemap: ${url('/news-sitemap.xml')}`];
  const body = ['User-agent: *', 'Allow: /', ...sitemaps, ''].join('\n');
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};

import type { APIRoute } from 'astro';
import { siteConfig } from '../site.config';

export const GET: APIRoute = () => {
  const url = (path: string) => new URL(path, siteConfig.url).href;
  const body = ['User-agent: *', 'Allow: /', '', `Sitemap: ${url('/sitemap-index.xml')}`, `Sitemap: ${url('/news-sitemap.xml')}`, ''].join(
    '\n',
  );
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};

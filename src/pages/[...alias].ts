/**
 * One small page per alias (`aliases:` in a story's frontmatter), so old URLs keep working
 * after a slug or date change. The CDN turns the same `index.redirects` list into real 301s;
 * these pages cover hosts without redirects. An endpoint rather than a page, so an alias such
 * as `/2019/05/story.html` is written at exactly that path.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getBuildTime, getSiteIndex, rendersSharedPages } from '../data';
import { siteConfig } from '../site.config';
import { redirectFile, redirectPage } from '../outputs/redirect-page';

export const getStaticPaths = (async () => {
  // A shard build renders story pages only (src/data/build-part.ts).
  if (!(await rendersSharedPages())) return [];
  const index = await getSiteIndex({ now: getBuildTime() });
  return index.redirects.map(({ from, to }) => ({
    params: { alias: redirectFile(from) },
    props: { to, title: index.byPath.get(to)?.entry.data.title ?? to },
  }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ to: string; title: string }> = ({ props }) =>
  new Response(redirectPage({ ...props, site: siteConfig.url, lang: siteConfig.lang }), {
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
  });

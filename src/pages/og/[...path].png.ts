import type { APIRoute, GetStaticPaths } from 'astro';
import { getBuildTime, getSiteIndex, type Article } from '../../data';
import { socialCardPng } from '../../data/social-card-files';
import { siteConfig } from '../../site.config';

export const getStaticPaths = (async () => {
  if (!siteConfig.socialCards) return [];
  const index = await getSiteIndex({ now: getBuildTime() });
  return index.articles.map((article) => ({ params: { path: article.path.slice(1, -1) }, props: { article } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ article: Article }> = async ({ props }) =>
  new Response(await socialCardPng(props.article), { headers: { 'Content-Type': 'image/png' } });

import type { APIRoute, GetStaticPaths } from 'astro';
import { getBuildTime, getSiteIndex, type Article } from '../../data';
import { hasSocialCard, socialCardInput, socialCardPool } from '../../data/social-cards';

export const getStaticPaths = (async () => {
  const articles = (await getSiteIndex({ now: getBuildTime() })).articles.filter(hasSocialCard);
  // Astro asks every route for its paths before it renders any page, so a build starts drawing
  // cards in the background here and finds them ready when it reaches this route.
  if (import.meta.env.PROD) socialCardPool.prefetch(articles.map(socialCardInput));
  return articles.map((article) => ({ params: { path: article.path.slice(1, -1) }, props: { article } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ article: Article }> = async ({ props }) =>
  new Response(await socialCardPool.card(socialCardInput(props.article)), { headers: { 'Content-Type': 'image/png' } });

import type { APIRoute, GetStaticPaths } from 'astro';
import { getBuildTime, getSiteIndex, rendersSharedPages } from '../../data';
import { socialCardPool, socialCardsOf, type SocialCard } from '../../outputs/share-cards/index';

export const getStaticPaths = (async () => {
  // A shard build renders story pages only (src/data/build-part.ts).
  if (!(await rendersSharedPages())) return [];
  const cards = socialCardsOf(await getSiteIndex({ now: getBuildTime() }));
  // Astro asks every route for its paths before it renders any page, so a build starts drawing
  // cards in the background here and finds them ready when it reaches this route.
  if (import.meta.env.PROD) socialCardPool.prefetch(cards.map((c) => c.input));
  return cards.map((card) => ({ params: { path: card.path.slice('/og/'.length, -'.png'.length) }, props: { card } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ card: SocialCard }> = async ({ props }) =>
  new Response(await socialCardPool.card(props.card.input), { headers: { 'Content-Type': 'image/png' } });

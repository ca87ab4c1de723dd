import type { APIRoute, GetStaticPaths } from 'astro';
import { getBuildTime, getSiteIndex, type Article, rendersSharedPages } from '../../../data';
import { feedResponse } from '../../../outputs/feed-response';
import { feedFor, type FeedDefinition } from '../../../outputs/feeds';

export const getStaticPaths = (async () => {
  // A shard build renders story pages only (src/data/build-part.ts).
  if (!(await rendersSharedPages())) return [];
  const index = await getSiteIndex({ now: getBuildTime() });
  return index.stations.map((station) => ({
    params: { id: station.id },
    props: { feed: feedFor.station(station), articles: index.byStation.get(station.id) ?? [] },
  }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ feed: FeedDefinition; articles: Article[] }> = ({ props }) => feedResponse(props.feed, props.articles);

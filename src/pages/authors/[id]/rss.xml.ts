import type { APIRoute, GetStaticPaths } from 'astro';
import { getBuildTime, getSiteIndex, type Article, rendersSharedPages } from '../../../data';
import { feedResponse } from '../../../outputs/feed-response';
import { feedFor, type FeedDefinition } from '../../../outputs/feeds';
import { siteConfig } from '../../../site.config';

export const getStaticPaths = (async () => {
  // A shard build renders story pages only (src/data/build-part.ts).
  if (!(await rendersSharedPages())) return [];
  const index = await getSiteIndex({ now: getBuildTime() });
  const names = { siteName: siteConfig.name, siteDescription: siteConfig.description };
  return index.authors.map((author) => ({
    params: { id: author.id },
    props: { feed: feedFor.author(author, names), articles: index.byAuthor.get(author.id) ?? [] },
  }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ feed: FeedDefinition; articles: Article[] }> = ({ props }) => feedResponse(props.feed, props.articles);

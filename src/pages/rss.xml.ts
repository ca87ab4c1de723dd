import type { APIRoute } from 'astro';
import { getBuildTime, getSiteIndex } from '../data';
import { feedResponse } from '../outputs/feed-response';
import { feedFor } from '../outputs/feeds';
import { siteConfig } from '../site.config';

export const GET: APIRoute = async () => {
  const index = await getSiteIndex({ now: getBuildTime() });
  return feedResponse(feedFor.site({ siteName: siteConfig.name, siteDescription: siteConfig.description }), index.articles);
};

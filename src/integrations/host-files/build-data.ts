import type { APIRoute } from 'astro';
import { getBuildTime, getSiteIndex } from '../../data';
import { siteConfig } from '../../site.config';
import type { BuildData } from './policy';

/**
 * Hands the host-files integration what only the content layer knows (alias redirects,
 * every station's streams, embed hosts). Injected by the integration, prerendered like any
 * endpoint, read and deleted in `astro:build:done`, so it never ships.
 */
export const prerender = true;

export const GET: APIRoute = async () => {
  const index = await getSiteIndex({ now: getBuildTime() });
  const data: BuildData = {
    redirects: index.redirects,
    permalinks: index.articles.map((a) => a.path),
    streams: index.stations.flatMap((s) => s.data.stream),
    // The hosts the raw-HTML policy lets stories embed; frame-src allows exactly these.
    embedHosts: siteConfig.embedHosts.map((h) => h.host),
    preview: import.meta.env.MASTHEAD_SHOWS_UNPUBLISHED === true,
  };
  return new Response(JSON.stringify(data), { headers: { 'Content-Type': 'application/json' } });
};

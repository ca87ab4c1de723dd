import type { APIRoute } from 'astro';
import { getBuildTime, getSiteIndex } from '../data';
import { serializeJsonLd } from '../outputs/json-ld';
import { siteConfig } from '../site.config';

/**
 * /admin/topics.json: the site's topics, as the topic pages name them (each tag's first spelling,
 * in the order of /topics/), offered by the editor's Tags field (src/client/admin/topic.ts).
 * Injected by the web editor's integration, so only builds with the editor have it.
 */
export const prerender = true;

export const GET: APIRoute = async () => {
  const index = await getSiteIndex({ now: getBuildTime() });
  const topics = [...index.byTopic.values()].map((t) => t.topic.name).sort((a, b) => a.localeCompare(b, siteConfig.lang));
  // Escaped as every JSON file the site writes: a tag is editors' text, and `<` never appears raw.
  return new Response(serializeJsonLd(topics), { headers: { 'Content-Type': 'application/json' } });
};

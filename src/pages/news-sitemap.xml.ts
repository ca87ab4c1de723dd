import type { APIRoute } from 'astro';
import { getBuildTime, getSiteIndex } from '../data';
import { isPublished } from '../data/site-index';
import { articleFacts } from '../data/article-meta';
import { newsSitemapStories, newsSitemapXml } from '../outputs/news-sitemap';
import { siteConfig } from '../site.config';

/** Google News sitemap, windowed on the build time (`SOURCE_DATE_EPOCH` fixes it). */
export const GET: APIRoute = async () => {
  const now = getBuildTime();
  const index = await getSiteIndex({ now });
  // A preview build also indexes drafts and scheduled stories; no sitemap lists them.
  const stories = index.articles
    .filter((a) => isPublished(a, now))
    .map((article) => {
      const facts = articleFacts(article, { site: siteConfig.url, syndication: siteConfig.syndication.canonical });
      return {
        url: facts.url,
        title: facts.title,
        publishedAt: article.publishedAt,
        published: facts.published,
        isSelfCanonical: facts.isSelfCanonical,
      };
    });
  const xml = newsSitemapXml(newsSitemapStories(stories, now), { name: siteConfig.name, language: siteConfig.lang });
  return new Response(xml, { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
};

import { escapeXml } from '../lib/escape';

/** Google News sitemap rules: stories from the last two days, at most 1,000 URLs per file. */
export const NEWS_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;
export const NEWS_MAX_URLS = 1000;

export interface NewsSitemapStory {
  /** Absolute URL. */
  url: string;
  title: string;
  publishedAt: Date;
  /** `publishedAt` as ISO 8601 with the station's offset. */
  published: string;
  /** False for syndicated stories whose canonical is the original: they are not ours to submit. */
  isSelfCanonical: boolean;
}

/**
 * The stories a news sitemap lists at `now` (the build time): published in the 48 hours up to and
 * including `now`, self-canonical, newest first, at most 1,000. Future stories never qualify.
 */
export function newsSitemapStories<T extends NewsSitemapStory>(stories: readonly T[], now: Date, max = NEWS_MAX_URLS): T[] {
  const from = now.getTime() - NEWS_WINDOW_MS;
  return stories
    .filter((s) => s.isSelfCanonical && s.publishedAt.getTime() >= from && s.publishedAt.getTime() <= now.getTime())
    .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || a.url.localeCompare(b.url))
    .slice(0, max);
}

/**
 * Google News wants ISO 639 codes, except Chinese, which it wants as zh-cn or zh-tw:
 * `en-US` → `en`, `zh-Hant` → `zh-tw`.
 */
export function newsLanguage(lang: string): string {
  const [primary = '', ...rest] = lang.toLowerCase().split(/[-_]/);
  if (primary !== 'zh') return primary;
  return rest.some((p) => p === 'tw' || p === 'hk' || p === 'mo' || p === 'hant') ? 'zh-tw' : 'zh-cn';
}

export function newsSitemapXml(stories: readonly NewsSitemapStory[], publication: { name: string; language: string }): string {
  const name = escapeXml(publication.name);
  const language = escapeXml(newsLanguage(publication.language));
  const urls = stories.map(
    (s) =>
      `<url><loc>${escapeXml(s.url)}</loc><news:news>` +
      `<news:publication><news:name>${name}</news:name><news:language>${language}</news:language></news:publication>` +
      `<news:publication_date>${s.published}</news:publication_date>` +
      `<news:title>${escapeXml(s.title)}</news:title></news:news></url>`,
  );
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' +
    urls.map((u) => `${u}\n`).join('') +
    '</urlset>\n'
  );
}

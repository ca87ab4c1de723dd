import type { RSSFeedItem } from '@astrojs/rss';
import { escapeXml } from '../lib/escape';
import { authorPath, stationPath, topicPath } from '../lib/permalinks';
import type { ArticleMetaSource } from '../data/article-meta';
import type { ArticleAudio } from '../data/site-index';

/** A story's audio; `length` is the file's size in bytes, as RSS enclosures require. */
export type FeedAudio = ArticleAudio;

/** The lead photo, already resized, at an absolute URL. */
export interface FeedImage {
  url: string;
  width: number;
  height: number;
  type: string;
  alt: string;
  credit: string;
  caption?: string | undefined;
}

export interface FeedItemSource extends ArticleMetaSource {
  audio?: FeedAudio | undefined;
}

export interface FeedItemInput {
  /** The site's origin, e.g. `https://news.example.org`. */
  site: string;
  /** The story body as HTML with absolute URLs. */
  bodyHtml: string;
  image?: FeedImage | undefined;
}

export const FEED_NAMESPACES = {
  dc: 'http://purl.org/dc/elements/1.1/',
  media: 'http://search.yahoo.com/mrss/',
  atom: 'http://www.w3.org/2005/Atom',
};

function leadFigure(image: FeedImage): string {
  const caption = [image.caption, image.credit]
    .filter(Boolean)
    .map((t) => escapeXml(t!))
    .join(' ');
  return `<figure><img src="${escapeXml(image.url)}" width="${image.width}" height="${image.height}" alt="${escapeXml(image.alt)}" /><figcaption>${caption}</figcaption></figure>`;
}

function wireCredit(data: ArticleMetaSource['entry']['data']): string {
  const parts: string[] = [];
  if (data.copyright) parts.push(`<p>${escapeXml(data.copyright)}</p>`);
  if (data.source) {
    const href = escapeXml(data.source.url);
    parts.push(`<p>To see more, visit <a href="${href}">${escapeXml(data.source.name)}</a>.</p>`);
  }
  return parts.join('');
}

/**
 * One RSS item. The guid is the permalink, which depends only on the publish date and slug, so
 * edits and updates never make readers show a story twice. Titles and bylines are plain text
 * (XML-escaped by the feed writer); the description is HTML, so the dek is HTML-escaped first
 * and a `<b>` typed in a dek reaches readers as text, not markup.
 */
export function feedItem(article: FeedItemSource, input: FeedItemInput): RSSFeedItem {
  const { title, dek } = article.entry.data;
  const link = new URL(article.path, input.site).href;
  const custom = article.byline.map((b) => `<dc:creator>${escapeXml(b.name)}</dc:creator>`);
  if (input.image) {
    const img = input.image;
    // Media RSS, not <enclosure>: RSS 2.0 allows one enclosure per item, and audio needs it.
    custom.push(
      `<media:content url="${escapeXml(img.url)}" medium="image" type="${escapeXml(img.type)}" width="${img.width}" height="${img.height}">` +
        `<media:description type="plain">${escapeXml(img.alt)}</media:description>` +
        `<media:credit>${escapeXml(img.credit)}</media:credit></media:content>`,
    );
  }
  const item: RSSFeedItem = {
    title,
    link,
    pubDate: article.publishedAt,
    description: escapeXml(dek),
    content: `${input.image ? leadFigure(input.image) : ''}${input.bodyHtml}${wireCredit(article.entry.data)}`,
    categories: article.topics.map((t) => t.name),
    customData: custom.join(''),
  };
  if (article.audio) {
    item.enclosure = { url: new URL(article.audio.url, input.site).href, length: article.audio.length, type: article.audio.type };
  }
  return item;
}

export interface FeedDefinition {
  /** The feed's own path, e.g. `/stations/kxpr/rss.xml`. */
  path: string;
  title: string;
  description: string;
  /** The HTML page the feed belongs to (the channel `<link>`). */
  pagePath: string;
}

export const feedPaths = {
  site: () => '/rss.xml',
  station: (id: string) => `${stationPath(id)}rss.xml`,
  topic: (slug: string) => `${topicPath(slug)}rss.xml`,
  author: (id: string) => `${authorPath(id)}rss.xml`,
};

interface FeedNames {
  siteName: string;
  siteDescription: string;
}

export const feedFor = {
  site: (n: FeedNames): FeedDefinition => ({ path: feedPaths.site(), title: n.siteName, description: n.siteDescription, pagePath: '/' }),
  station: (station: { id: string; data: { name: string; mission: string } }): FeedDefinition => ({
    path: feedPaths.station(station.id),
    title: `${station.data.name} news`,
    description: station.data.mission,
    pagePath: stationPath(station.id),
  }),
  topic: (topic: { slug: string; name: string }, n: FeedNames): FeedDefinition => ({
    path: feedPaths.topic(topic.slug),
    title: `${topic.name} | ${n.siteName}`,
    description: `Stories about ${topic.name} from ${n.siteName}.`,
    pagePath: topicPath(topic.slug),
  }),
  author: (author: { id: string; data: { name: string; title: string } }, n: FeedNames): FeedDefinition => ({
    path: feedPaths.author(author.id),
    title: `${author.data.name} | ${n.siteName}`,
    description: `Stories by ${author.data.name}, ${author.data.title}.`,
    pagePath: authorPath(author.id),
  }),
};

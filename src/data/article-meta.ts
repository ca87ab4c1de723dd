import type { SiteConfig } from '../site.config';
import { toZonedIso } from '../lib/dates';
import { authorPath, stationPath } from '../lib/permalinks';

export type SyndicationCanonical = SiteConfig['syndication']['canonical'];

/** The parts of a story its metadata is made from. `Article` has them; tests hand-make them. */
export interface ArticleMetaSource {
  path: string;
  publishedAt: Date;
  updatedAt?: Date | undefined;
  byline: { name: string; author?: { id: string } | undefined }[];
  topics: { slug: string; name: string }[];
  station: { id: string; data: { name: string; timezone: string; legalName: string } };
  entry: {
    data: {
      title: string;
      dek: string;
      copyright?: string | undefined;
      source?: { name: string; url: string } | undefined;
    };
  };
}

export interface ArticleFacts {
  /** This site's permalink, absolute. Feeds use it as link and guid. */
  url: string;
  /** Where `<link rel="canonical">` points: `url`, or the original for syndicated stories under the `source` policy. */
  canonical: string;
  isSelfCanonical: boolean;
  title: string;
  description: string;
  /** ISO 8601 with the station's UTC offset. */
  published: string;
  /** `updated` if set, else `published`. */
  modified: string;
  authors: { name: string; url?: string }[];
  /** The first topic, else the station: `article:section` and `articleSection`. */
  section: string;
  tags: string[];
  station: { id: string; name: string; legalName: string; url: string };
  /** Set for wire and syndicated stories (`copyright` or `source`). */
  copyrightHolder?: string;
  copyrightYear?: number;
}

/** "Copyright 2026 NPR" → { holder: "NPR", year: 2026 }. */
export function parseCopyrightLine(line: string): { holder: string; year?: number } {
  const m = /^\s*(?:copyright|\(c\)|©)?\s*(?:(\d{4})\s+)?(.*?)\s*\.?$/i.exec(line);
  const holder = m?.[2]?.trim() || line.trim();
  return m?.[1] ? { holder, year: Number(m[1]) } : { holder };
}

/**
 * The canonical URL of a story. Syndicated stories (`source` set) point at the original only when
 * the site chose `syndication.canonical: 'source'` AND `source.url` names a page, not just a site:
 * a canonical to a homepage would tell search engines the story is a copy of that homepage.
 */
export function canonicalUrl(article: ArticleMetaSource, site: string, policy: SyndicationCanonical): string {
  const own = new URL(article.path, site).href;
  const source = article.entry.data.source?.url;
  if (policy !== 'source' || !source) return own;
  const url = new URL(source);
  return url.pathname.replace(/\/+$/, '') === '' ? own : url.href;
}

export function articleFacts(article: ArticleMetaSource, options: { site: string; syndication: SyndicationCanonical }): ArticleFacts {
  const { site, syndication } = options;
  const tz = article.station.data.timezone;
  const { title, dek, copyright, source } = article.entry.data;
  const url = new URL(article.path, site).href;
  const canonical = canonicalUrl(article, site, syndication);
  const facts: ArticleFacts = {
    url,
    canonical,
    isSelfCanonical: canonical === url,
    title,
    description: dek,
    published: toZonedIso(article.publishedAt, tz),
    modified: toZonedIso(article.updatedAt ?? article.publishedAt, tz),
    authors: article.byline.map((b) => (b.author ? { name: b.name, url: new URL(authorPath(b.author.id), site).href } : { name: b.name })),
    section: article.topics[0]?.name ?? article.station.data.name,
    tags: article.topics.map((t) => t.name),
    station: {
      id: article.station.id,
      name: article.station.data.name,
      legalName: article.station.data.legalName,
      url: new URL(stationPath(article.station.id), site).href,
    },
  };
  if (copyright) {
    const parsed = parseCopyrightLine(copyright);
    facts.copyrightHolder = source?.name ?? parsed.holder;
    if (parsed.year) facts.copyrightYear = parsed.year;
  } else if (source) {
    facts.copyrightHolder = source.name;
  }
  return facts;
}

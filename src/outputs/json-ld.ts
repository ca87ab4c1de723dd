import type {
  BreadcrumbList,
  BroadcastService,
  CollectionPage,
  Graph,
  ImageObject,
  NewsArticle,
  Organization,
  RadioStation,
  WithContext,
} from 'schema-dts';
import type { ArticleFacts } from '../data/article-meta';

/** schema.org structured data, built from plain inputs so each builder is a pure function. */

export interface LdImage {
  url: string;
  width: number;
  height: number;
}

export interface Publisher {
  name: string;
  url: string;
  logo: LdImage;
}

const imageObject = (img: LdImage): ImageObject => ({
  '@type': 'ImageObject',
  url: img.url,
  width: `${img.width}`,
  height: `${img.height}`,
});

export const publisherLd = (p: Publisher): Organization => ({
  '@type': 'Organization',
  name: p.name,
  url: p.url,
  logo: imageObject(p.logo),
});

/**
 * NewsArticle for Google's article rich results: `images` should be the 16:9, 4:3 and 1:1 crops
 * of the lead photo (or the share card when there is no photo).
 */
export function newsArticleLd(
  facts: ArticleFacts,
  options: { images: LdImage[]; publisher: Publisher; lang: string },
): WithContext<NewsArticle> {
  const ld: WithContext<NewsArticle> = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    mainEntityOfPage: { '@type': 'WebPage', '@id': facts.url },
    url: facts.url,
    headline: facts.title,
    description: facts.description,
    image: options.images.map(imageObject),
    datePublished: facts.published,
    dateModified: facts.modified,
    author: facts.authors.map((a) => (a.url ? { '@type': 'Person', name: a.name, url: a.url } : { '@type': 'Person', name: a.name })),
    publisher: publisherLd(options.publisher),
    isAccessibleForFree: true,
    articleSection: facts.section,
    keywords: facts.tags,
    inLanguage: options.lang,
  };
  if (facts.copyrightHolder) {
    ld.copyrightHolder = { '@type': 'Organization', name: facts.copyrightHolder };
    if (facts.copyrightYear) ld.copyrightYear = facts.copyrightYear;
  }
  return ld;
}

export function breadcrumbLd(trail: { name: string; url: string }[]): WithContext<BreadcrumbList> {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: trail.map((step, i) => ({ '@type': 'ListItem', position: i + 1, name: step.name, item: step.url })),
  };
}

export interface CollectionInput {
  url: string;
  name: string;
  description: string;
  site: { name: string; url: string };
  /** The stories listed on this page, in order. */
  items: { url: string; name: string }[];
  /** Position of the first item across pages (page 2 of 12-story pages starts at 13). */
  firstPosition?: number;
}

export function collectionPageLd(input: CollectionInput): WithContext<CollectionPage> {
  const first = input.firstPosition ?? 1;
  return {
    '@context': 'https://schema.org',
    '@type': 'CollectionPage',
    '@id': input.url,
    url: input.url,
    name: input.name,
    description: input.description,
    isPartOf: { '@type': 'WebSite', name: input.site.name, url: input.site.url },
    mainEntity: {
      '@type': 'ItemList',
      numberOfItems: input.items.length,
      itemListElement: input.items.map((item, i) => ({ '@type': 'ListItem', position: first + i, url: item.url, name: item.name })),
    },
  };
}

export interface StationInput {
  url: string;
  name: string;
  legalName: string;
  tagline: string;
  mission: string;
  timezone: string;
  lang: string;
  frequencies: { callsign: string; frequency: string; city: string }[];
  /** Absolute stream URLs, in order of preference. */
  streams: string[];
  network: { name: string; url: string };
}

/** "89.7 FM" → { value: 89.7, modulation: "FM" }; anything else stays as written. */
export function parseFrequency(text: string): { value: number; modulation: string } | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(FM|AM|HD\d?|DAB\+?)\s*$/i.exec(text);
  return m ? { value: Number(m[1]), modulation: m[2]!.toUpperCase() } : undefined;
}

/**
 * A station as a RadioStation (the organisation) with one BroadcastService per transmitter,
 * each naming its call sign, frequency and city of licence.
 */
export function radioStationLd(input: StationInput): Graph {
  const stationId = `${input.url}#station`;
  const station: RadioStation = {
    '@type': 'RadioStation',
    '@id': stationId,
    name: input.name,
    legalName: input.legalName,
    slogan: input.tagline,
    description: input.mission,
    url: input.url,
    parentOrganization: { '@type': 'Organization', name: input.network.name, url: input.network.url },
  };
  if (input.streams[0]) station.potentialAction = { '@type': 'ListenAction', target: input.streams[0] };
  const services = input.frequencies.map((f): BroadcastService => {
    const parsed = parseFrequency(f.frequency);
    return {
      '@type': 'BroadcastService',
      '@id': `${input.url}#${f.callsign.toLowerCase()}`,
      name: `${f.callsign} ${f.frequency}`,
      callSign: f.callsign,
      broadcastDisplayName: input.name,
      broadcaster: { '@id': stationId },
      broadcastFrequency: parsed
        ? {
            '@type': 'BroadcastFrequencySpecification',
            broadcastFrequencyValue: parsed.value,
            broadcastSignalModulation: parsed.modulation,
          }
        : f.frequency,
      broadcastTimezone: input.timezone,
      area: { '@type': 'Place', name: f.city },
      inLanguage: input.lang,
    };
  });
  return { '@context': 'https://schema.org', '@graph': [station, ...services] };
}

/**
 * JSON for a `<script type="application/ld+json">` block. `JSON.stringify` alone would let a
 * headline containing `</script>` or `<!--` end the block early, so `<`, `>` and `&` become
 * \u escapes; U+2028/U+2029 are escaped for older JavaScript parsers. `JSON.parse` reads the
 * result back unchanged.
 */
export function serializeJsonLd(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

import type { BroadcastServiceLeaf, NewsArticleLeaf, RadioStationLeaf } from 'schema-dts';
import { describe, expect, it } from 'vitest';
import type { ArticleFacts } from '../../src/data/article-meta';
import { breadcrumbLd, collectionPageLd, newsArticleLd, parseFrequency, radioStationLd, serializeJsonLd } from '../../src/outputs/json-ld';

describe('serializeJsonLd', () => {
  const hostile = { headline: 'Ends early </script><script>alert(1)</script> <!-- & more \u2028 line' };

  it('never lets a value close the script block or open a comment', () => {
    const out = serializeJsonLd(hostile);
    expect(out).not.toMatch(/[<>&\u2028\u2029]/);
    expect(out).toContain('\\u003c/script\\u003e');
  });

  it('reads back to the same value', () => {
    expect(JSON.parse(serializeJsonLd(hostile))).toEqual(hostile);
    expect(JSON.parse(serializeJsonLd({ a: ['x<y', 1, true, null] }))).toEqual({ a: ['x<y', 1, true, null] });
  });
});

const facts: ArticleFacts = {
  url: 'https://news.example.org/news/2026/11/21/wire-story/',
  canonical: 'https://news.example.org/news/2026/11/21/wire-story/',
  isSelfCanonical: true,
  title: 'Congress passes a stopgap bill',
  description: 'Agencies stay open.',
  published: '2026-11-21T18:05:00-05:00',
  modified: '2026-11-21T19:00:00-05:00',
  authors: [{ name: 'Ada Reporter', url: 'https://news.example.org/authors/ada/' }, { name: 'Bill Chappell' }],
  section: 'Politics',
  tags: ['Politics'],
  station: { id: 'wfix', name: 'WFIX 88.3', legalName: 'Test Coast Public Media', url: 'https://news.example.org/stations/wfix/' },
  copyrightHolder: 'NPR',
  copyrightYear: 2026,
};
const publisher = {
  name: 'Prairie & Peaks',
  url: 'https://news.example.org/',
  logo: { url: 'https://news.example.org/logo.png', width: 600, height: 60 },
};

describe('newsArticleLd', () => {
  const ld = newsArticleLd(facts, {
    images: [
      { url: 'https://news.example.org/a.jpg', width: 1200, height: 675 },
      { url: 'https://news.example.org/b.jpg', width: 1200, height: 900 },
    ],
    publisher,
    lang: 'en-US',
  }) as NewsArticleLeaf & { '@context': string };

  it('carries what Google asks of a news article', () => {
    expect(ld['@type']).toBe('NewsArticle');
    expect(ld.headline).toBe(facts.title);
    expect(ld.datePublished).toBe('2026-11-21T18:05:00-05:00');
    expect(ld.dateModified).toBe('2026-11-21T19:00:00-05:00');
    expect(ld.mainEntityOfPage).toEqual({ '@type': 'WebPage', '@id': facts.url });
    expect(ld.isAccessibleForFree).toBe(true);
    expect(ld.image).toEqual([
      { '@type': 'ImageObject', url: 'https://news.example.org/a.jpg', width: '1200', height: '675' },
      { '@type': 'ImageObject', url: 'https://news.example.org/b.jpg', width: '1200', height: '900' },
    ]);
    expect(ld.publisher).toMatchObject({
      '@type': 'Organization',
      name: 'Prairie & Peaks',
      logo: { url: 'https://news.example.org/logo.png' },
    });
  });

  it('lists authors as people, with a URL only for known authors', () => {
    expect(ld.author).toEqual([
      { '@type': 'Person', name: 'Ada Reporter', url: 'https://news.example.org/authors/ada/' },
      { '@type': 'Person', name: 'Bill Chappell' },
    ]);
  });

  it('names the copyright holder of a wire story, and none for a local one', () => {
    expect(ld.copyrightHolder).toEqual({ '@type': 'Organization', name: 'NPR' });
    expect(ld.copyrightYear).toBe(2026);
    const { copyrightHolder: _h, copyrightYear: _y, ...local } = facts;
    const localLd = newsArticleLd(local, { images: [], publisher, lang: 'en-US' }) as NewsArticleLeaf;
    expect(localLd.copyrightHolder).toBeUndefined();
  });
});

describe('breadcrumbLd and collectionPageLd', () => {
  it('numbers breadcrumb steps from 1', () => {
    const ld = breadcrumbLd([
      { name: 'Home', url: 'https://x.org/' },
      { name: 'Story', url: 'https://x.org/s/' },
    ]);
    expect(ld.itemListElement).toEqual([
      { '@type': 'ListItem', position: 1, name: 'Home', item: 'https://x.org/' },
      { '@type': 'ListItem', position: 2, name: 'Story', item: 'https://x.org/s/' },
    ]);
  });

  it('continues item positions across pages', () => {
    const ld = collectionPageLd({
      url: 'https://x.org/page/2/',
      name: 'Latest, page 2',
      description: 'd',
      site: { name: 'X', url: 'https://x.org/' },
      items: [{ url: 'https://x.org/a/', name: 'A' }],
      firstPosition: 13,
    });
    expect(ld.mainEntity).toEqual({
      '@type': 'ItemList',
      numberOfItems: 1,
      itemListElement: [{ '@type': 'ListItem', position: 13, url: 'https://x.org/a/', name: 'A' }],
    });
  });
});

describe('radioStationLd', () => {
  it('describes the station and one broadcast service per transmitter', () => {
    const graph = radioStationLd({
      url: 'https://x.org/stations/kxpr/',
      name: 'KXPR 89.7',
      legalName: 'Sandhill Valley Public Radio, Inc.',
      tagline: 'NPR in the Sandhill Valley',
      mission: 'News.',
      timezone: 'America/Chicago',
      lang: 'en-US',
      frequencies: [
        { callsign: 'KXPR', frequency: '89.7 FM', city: 'Harlan Springs' },
        { callsign: 'K215CX', frequency: 'Channel 5', city: 'Brule' },
      ],
      streams: ['https://s.example/live.mp3'],
      network: { name: 'P&P', url: 'https://x.org/' },
    });
    const [station, fm, other] = graph['@graph'] as [RadioStationLeaf, BroadcastServiceLeaf, BroadcastServiceLeaf];
    expect(station).toMatchObject({
      '@type': 'RadioStation',
      '@id': 'https://x.org/stations/kxpr/#station',
      legalName: 'Sandhill Valley Public Radio, Inc.',
    });
    expect(station.potentialAction).toEqual({ '@type': 'ListenAction', target: 'https://s.example/live.mp3' });
    expect(fm).toMatchObject({
      '@type': 'BroadcastService',
      callSign: 'KXPR',
      broadcaster: { '@id': 'https://x.org/stations/kxpr/#station' },
      broadcastFrequency: { '@type': 'BroadcastFrequencySpecification', broadcastFrequencyValue: 89.7, broadcastSignalModulation: 'FM' },
      area: { '@type': 'Place', name: 'Harlan Springs' },
      broadcastTimezone: 'America/Chicago',
    });
    expect(other.broadcastFrequency).toBe('Channel 5');
  });

  it('parses frequencies written as number and band', () => {
    expect(parseFrequency('89.7 FM')).toEqual({ value: 89.7, modulation: 'FM' });
    expect(parseFrequency('1340 am')).toEqual({ value: 1340, modulation: 'AM' });
    expect(parseFrequency('FM 89.7')).toBeUndefined();
  });
});

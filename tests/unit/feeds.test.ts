import { getRssString } from '@astrojs/rss';
import { parseRssFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import { FEED_NAMESPACES, feedFor, feedItem, type FeedItemSource } from '../../src/outputs/feeds';
import { assertWellFormedXml } from '../helpers/xml';

const SITE = 'https://news.example.org';

const story = (over: Partial<FeedItemSource> = {}, data: Partial<FeedItemSource['entry']['data']> = {}): FeedItemSource => ({
  path: '/news/2026/11/20/library/',
  publishedAt: new Date('2026-11-20T15:30:00Z'),
  byline: [{ name: 'Ada Reporter', author: { id: 'ada-reporter' } }, { name: 'Casey Guest' }],
  topics: [{ slug: 'education', name: 'Education' }],
  station: { id: 'kfix', data: { name: 'KFIX 90.1', timezone: 'America/Chicago', legalName: 'KFIX Inc.' } },
  entry: { data: { title: 'Library opens', dek: 'It floods less.', ...data } },
  ...over,
});

/** Writes the items as @astrojs/rss does in the build, then reads them back with a real feed parser. */
async function roundTrip(...items: ReturnType<typeof feedItem>[]) {
  const xml = await getRssString({ title: 'T', description: 'D', site: SITE, xmlns: FEED_NAMESPACES, items, trailingSlash: true });
  assertWellFormedXml(xml);
  return { xml, feed: parseRssFeed(xml) };
}

describe('feedItem', () => {
  it('uses the permalink as link and guid, with full content, authors and categories', async () => {
    const { feed } = await roundTrip(feedItem(story(), { site: SITE, bodyHtml: '<p>Body <a href="https://x.org/">link</a></p>' }));
    const item = feed.items![0]!;
    expect(item.link).toBe(`${SITE}/news/2026/11/20/library/`);
    expect(item.guid).toEqual({ value: `${SITE}/news/2026/11/20/library/`, isPermaLink: true });
    expect(item.content?.encoded).toBe('<p>Body <a href="https://x.org/">link</a></p>');
    expect(item.dc?.creators).toEqual(['Ada Reporter', 'Casey Guest']);
    expect(item.categories).toEqual([{ name: 'Education' }]);
    expect(new Date(item.pubDate!).toISOString()).toBe('2026-11-20T15:30:00.000Z');
    expect(item.enclosures).toBeUndefined();
  });

  it('keeps markup typed in titles, deks and bylines as text', async () => {
    const hostile = story(
      { byline: [{ name: 'Jo <Smith> & Co' }] },
      { title: 'Why "</script>" & <b>bold</b> broke it', dek: 'A <i>plugin</i> & a bug' },
    );
    const { xml, feed } = await roundTrip(feedItem(hostile, { site: SITE, bodyHtml: '<p>x</p>' }));
    const item = feed.items![0]!;
    // Title and creator are plain text: a parser gets back exactly what the editor typed.
    expect(item.title).toBe('Why "</script>" & <b>bold</b> broke it');
    expect(item.dc?.creators).toEqual(['Jo <Smith> & Co']);
    // The description is HTML, so the dek arrives entity-encoded and renders as the typed text.
    expect(item.description).toBe('A &lt;i&gt;plugin&lt;/i&gt; &amp; a bug');
    expect(xml).not.toMatch(/<b>|<i>|<\/script>|<Smith>/);
  });

  it('carries the lead photo as Media RSS content and in the HTML', async () => {
    const image = {
      url: `${SITE}/_astro/lib.jpeg`,
      width: 1200,
      height: 750,
      type: 'image/jpeg',
      alt: 'A "glass" library & river',
      credit: 'Ada / KFIX',
      caption: 'At dusk.',
    };
    const { feed } = await roundTrip(feedItem(story(), { site: SITE, bodyHtml: '<p>Body</p>', image }));
    const item = feed.items![0]!;
    expect(item.media?.contents).toEqual([
      {
        url: image.url,
        type: 'image/jpeg',
        medium: 'image',
        width: 1200,
        height: 750,
        description: { value: 'A "glass" library & river', type: 'plain' },
        credits: [{ value: 'Ada / KFIX' }],
      },
    ]);
    expect(item.content?.encoded).toMatch(
      /^<figure><img src="https:\/\/news\.example\.org\/_astro\/lib\.jpeg" width="1200" height="750" alt="A &quot;glass&quot; library &amp; river" \/>/,
    );
    expect(item.content?.encoded).toContain('<figcaption>At dusk. Ada / KFIX</figcaption>');
  });

  it('gives audio stories an enclosure with byte length and type', async () => {
    const audio = { url: '/audio/2026/council.mp3', length: 4_812_345, type: 'audio/mpeg', durationSeconds: 301, title: 'Council vote' };
    const { feed } = await roundTrip(feedItem(story({ audio }), { site: SITE, bodyHtml: '<p>Body</p>' }));
    expect(feed.items![0]!.enclosures).toEqual([{ url: `${SITE}/audio/2026/council.mp3`, length: 4_812_345, type: 'audio/mpeg' }]);
  });

  it('ends wire stories with the copyright line and source link', async () => {
    const wire = story({}, { copyright: 'Copyright 2026 NPR', source: { name: 'NPR', url: 'https://www.npr.org/x?a=1&b=2' } });
    const { feed } = await roundTrip(feedItem(wire, { site: SITE, bodyHtml: '<p>Body</p>' }));
    expect(feed.items![0]!.content?.encoded).toBe(
      '<p>Body</p><p>Copyright 2026 NPR</p><p>To see more, visit <a href="https://www.npr.org/x?a=1&amp;b=2">NPR</a>.</p>',
    );
  });
});

describe('feedFor', () => {
  const names = { siteName: 'P&P', siteDescription: 'News' };
  it('puts each feed beside the page it belongs to', () => {
    expect(feedFor.site(names).path).toBe('/rss.xml');
    expect(feedFor.station({ id: 'kxpr', data: { name: 'KXPR', mission: 'm' } })).toMatchObject({
      path: '/stations/kxpr/rss.xml',
      pagePath: '/stations/kxpr/',
    });
    expect(feedFor.topic({ slug: 'water', name: 'Water' }, names)).toMatchObject({ path: '/topics/water/rss.xml', title: 'Water | P&P' });
    expect(feedFor.author({ id: 'ada', data: { name: 'Ada', title: 'Reporter' } }, names)).toMatchObject({ path: '/authors/ada/rss.xml' });
  });
});

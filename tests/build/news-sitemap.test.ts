import { XMLParser } from 'fast-xml-parser';
import { parseRssFeed } from 'feedsmith';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../helpers/build-site';
import { articlePaths, fileForPath, hasPage, listFiles } from '../helpers/dist';
import { writeNewsFloodContent, type FloodStory } from '../helpers/news-flood';
import { FIXTURE_NOW, SITES } from '../helpers/sites';
import { assertWellFormedXml } from '../helpers/xml';
import { attr, one, parsePage } from '../helpers/html';

const ORIGIN = 'https://news.example.org';
const DAY = 24 * 3600 * 1000;

interface NewsUrl {
  loc: string;
  'news:news': {
    'news:publication': { 'news:name': string; 'news:language': string };
    'news:publication_date': string;
    'news:title': string;
  };
}

function readNewsSitemap(dist: string): NewsUrl[] {
  const xml = readFileSync(join(dist, 'news-sitemap.xml'), 'utf8');
  assertWellFormedXml(xml);
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'url' }).parse(xml);
  expect(doc.urlset['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
  expect(doc.urlset['@_xmlns:news']).toBe('http://www.google.com/schemas/sitemap-news/0.9');
  return doc.urlset.url ?? [];
}

describe('the Google News sitemap of the fixture site', () => {
  it('lists the stories of the two days before the build time, with every field Google asks for', () => {
    const urls = readNewsSitemap(SITES.fixtures.outDir);
    // Built at 2026-11-25T12:00Z: the 11-24 and 11-23 13:00Z stories are in; the one at 11:59Z, 48 h 1 min before, is not.
    expect(urls.map((u) => u.loc)).toEqual([
      `${ORIGIN}/news/2026/11/24/markup-characters-in-headline/`,
      `${ORIGIN}/news/2026/11/23/syndicated-with-original-link/`,
    ]);
    expect(urls[0]!['news:news']).toEqual({
      'news:publication': { 'news:name': 'Prairie & Peaks Public Media', 'news:language': 'en' },
      'news:publication_date': '2026-11-24T10:00:00-06:00',
      'news:title': `School board's site showed "</script>" & <b>raw code</b> after an update`,
    });
    for (const u of urls) {
      const date = u['news:news']['news:publication_date'];
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
      expect(Date.parse(date)).toBeGreaterThanOrEqual(FIXTURE_NOW.getTime() - 2 * DAY);
      expect(Date.parse(date)).toBeLessThanOrEqual(FIXTURE_NOW.getTime());
      expect(hasPage(SITES.fixtures.outDir, new URL(u.loc).pathname)).toBe(true);
    }
  });

  it('moves with the build time: a day later only the newest story is left', () => {
    // tests/helpers/edited-fixtures.ts builds the fixtures again at 2026-11-26T12:00Z.
    const urls = readNewsSitemap(SITES.fixturesEdited.outDir);
    expect(urls.map((u) => u.loc)).toEqual([`${ORIGIN}/news/2026/11/24/markup-characters-in-headline/`]);
  });

  it('is listed in the sitemap index and in robots.txt', () => {
    const index = readFileSync(join(SITES.fixtures.outDir, 'sitemap-index.xml'), 'utf8');
    const locs = new XMLParser({ isArray: () => true }).parse(index).sitemapindex[0].sitemap.map((s: { loc: string[] }) => s.loc[0]);
    expect(locs).toContain(`${ORIGIN}/news-sitemap.xml`);
    expect(locs).toContain(`${ORIGIN}/sitemap-0.xml`);
    const robots = readFileSync(join(SITES.fixtures.outDir, 'robots.txt'), 'utf8');
    expect(robots.split('\n')).toEqual(
      expect.arrayContaining([`Sitemap: ${ORIGIN}/sitemap-index.xml`, `Sitemap: ${ORIGIN}/news-sitemap.xml`]),
    );
  });
});

describe('the Google News sitemap of more than 1,000 recent stories', () => {
  let corpus: { recent: FloodStory[]; old: FloodStory[]; hidden: string[] };
  beforeAll(async () => {
    corpus = writeNewsFloodContent();
    // Share cards on, with headline cards for only the 20 newest stories (all are photo-less).
    await buildSite('newsFlood', { MASTHEAD_HEADLINE_CARDS: '20' });
  }, 600_000);

  it('stops at the 1,000 newest, all inside the window', () => {
    const urls = readNewsSitemap(SITES.newsFlood.outDir);
    // The site published every story (1,050 recent, 4 older): the cut is the sitemap's.
    const published = articlePaths(SITES.newsFlood.outDir).map((p) => p.split('/').at(-2));
    expect(published.sort()).toEqual([...corpus.recent, ...corpus.old].map((s) => s.slug).sort());
    expect(published.filter((slug) => slug!.startsWith('recent-'))).toHaveLength(1050);
    expect(urls).toHaveLength(1000);
    const slugs = urls.map((u) => new URL(u.loc).pathname.split('/').at(-2));
    expect(slugs).toEqual(corpus.recent.slice(0, 1000).map((s) => s.slug));
    for (const s of [...corpus.old, ...corpus.recent.slice(1000)]) expect(slugs).not.toContain(s.slug);
    for (const h of corpus.hidden) expect(slugs).not.toContain(h);
  });

  it('feeds stop at the 50 newest stories', () => {
    for (const feed of ['rss.xml', 'stations/kfix/rss.xml']) {
      const items = parseRssFeed(readFileSync(join(SITES.newsFlood.outDir, feed), 'utf8')).items!;
      expect(
        items.map((i) => new URL(i.link!).pathname.split('/').at(-2)),
        feed,
      ).toEqual(corpus.recent.slice(0, 50).map((s) => s.slug));
    }
  });

  it('leaves out drafts and future stories everywhere, while older stories still get pages', () => {
    expect(hasPage(SITES.newsFlood.outDir, '/news/2026/06/13/old-0/')).toBe(true);
    const xml =
      readFileSync(join(SITES.newsFlood.outDir, 'news-sitemap.xml'), 'utf8') +
      readFileSync(join(SITES.newsFlood.outDir, 'sitemap-0.xml'), 'utf8');
    expect(xml).not.toMatch(/hidden-(draft|future)/);
  });

  it('gives the 20 newest photo-less stories cards with their headlines, and older ones their station’s card', async () => {
    const dist = SITES.newsFlood.outDir;
    const pathOf = new Map(articlePaths(dist).map((p) => [p.split('/').at(-2)!, p]));
    const ogImage = (slug: string) => {
      // Only the <head>: parsing 1,054 whole pages took 30 s.
      const html = readFileSync(fileForPath(dist, pathOf.get(slug)!), 'utf8');
      const $ = parsePage(html.slice(0, html.indexOf('</head>')));
      return { url: attr(one($, 'meta[property="og:image"]'), 'content'), alt: attr(one($, 'meta[property="og:image:alt"]'), 'content') };
    };
    const published = [...corpus.recent, ...corpus.old];
    for (const [i, story] of published.entries()) {
      const { url, alt } = ogImage(story.slug);
      if (i < 20) {
        expect(url, story.slug).toBe(`${ORIGIN}/og${pathOf.get(story.slug)!.slice(0, -1)}.png`);
        expect(alt).toBe(`Flood story ${story.slug} (KFIX 90.1)`);
      } else {
        expect(url, story.slug).toBe(`${ORIGIN}/og/stations/kfix.png`);
        expect(alt).toMatch(/^KFIX 90\.1: \S/);
      }
    }
    // The draft and the future story, though newer, take no headline card; nothing else is drawn.
    const cards = listFiles(join(dist, 'og')).sort();
    expect(cards).toHaveLength(21);
    expect(cards).toContain('stations/kfix.png');
    for (const card of cards) {
      const meta = await sharp(join(dist, 'og', card)).metadata();
      expect([meta.format, meta.width, meta.height], card).toEqual(['png', 1200, 630]);
    }
  });
});

import { XMLParser } from 'fast-xml-parser';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BreadcrumbListLeaf,
  BroadcastServiceLeaf,
  CollectionPageLeaf,
  ImageObjectLeaf,
  ItemListLeaf,
  ListItemLeaf,
  NewsArticleLeaf,
  OrganizationLeaf,
  PersonLeaf,
  RadioStationLeaf,
} from 'schema-dts';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { articlePaths, listFiles, loadPage } from '../helpers/dist';
import { SITES } from '../helpers/sites';
import { all, attr, one, text, type Root } from '../helpers/html';

const ORIGIN = 'https://news.example.org';
const OFFSET_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const LOCAL = '/news/2026/11/20/local-story-with-photo/';
const WIRE = '/news/2026/11/21/wire-story/';
const SYNDICATED = '/news/2026/11/23/syndicated-with-original-link/';
const MARKUP = '/news/2026/11/24/markup-characters-in-headline/';

// The fields Google's article rich results need, as schema-dts names them: a typo fails `astro check`.
const REQUIRED_ARTICLE_FIELDS = [
  'headline',
  'description',
  'image',
  'datePublished',
  'dateModified',
  'author',
  'publisher',
  'mainEntityOfPage',
  'isAccessibleForFree',
] as const satisfies readonly (keyof NewsArticleLeaf)[];

type Ld = Record<string, unknown> & { '@type'?: string; '@graph'?: Ld[] };

function jsonLd($: Root): Ld[] {
  return all($, 'script[type="application/ld+json"]').map((s) => JSON.parse(text(s)) as Ld) as Ld[];
}
const ofType = <T>(blocks: Ld[], type: string): T[] =>
  blocks.flatMap((b) => (b['@graph'] ? b['@graph'] : [b])).filter((b) => b['@type'] === type) as T[];

/** The file behind a URL on the site; fails the test if there is none. */
function distFile(dist: string, url: string): string {
  expect(url.startsWith(`${ORIGIN}/`), url).toBe(true);
  const path = decodeURIComponent(new URL(url).pathname);
  const file = join(dist, path.endsWith('/') ? `${path}index.html` : path);
  expect(existsSync(file), `${url} → ${file}`).toBe(true);
  return file;
}

async function expectImage(dist: string, img: { url: string; width: number; height: number }, format?: string) {
  const meta = await sharp(distFile(dist, img.url)).metadata();
  expect([meta.width, meta.height], img.url).toEqual([img.width, img.height]);
  if (format) expect(meta.format).toBe(format);
}

const meta = ($: Root, key: string) => attr(one($, `meta[property="${key}"], meta[name="${key}"]`), 'content');
const metas = ($: Root, key: string) => all($, `meta[property="${key}"]`).map((m) => attr(m, 'content'));

describe.each([
  ['fixture', SITES.fixtures.outDir],
  ['demo', SITES.demo.outDir],
])('NewsArticle JSON-LD on every %s article page', (_name, dist) => {
  it.each(articlePaths(dist))('%s', async (path) => {
    const $ = loadPage(dist, path);
    const blocks = jsonLd($);
    const [article, ...more] = ofType<NewsArticleLeaf>(blocks, 'NewsArticle');
    expect(more).toHaveLength(0);
    for (const field of REQUIRED_ARTICLE_FIELDS) expect(article![field], field).toBeDefined();
    const a = article!;

    expect(a.headline).toBe(text(all($, 'article h1')));
    expect(a.description).toBe(attr(one($, 'meta[name="description"]'), 'content'));
    expect(a.mainEntityOfPage).toEqual({ '@type': 'WebPage', '@id': `${ORIGIN}${path}` });
    expect(a.isAccessibleForFree).toBe(true);
    expect(a.datePublished).toMatch(OFFSET_DATE);
    expect(a.dateModified).toMatch(OFFSET_DATE);
    expect(a.datePublished).toBe(attr(one($, 'time[data-published]'), 'datetime'));
    expect(a.dateModified).toBe(attr(one($, 'time[data-updated]'), 'datetime') ?? a.datePublished);

    const authors = a.author as PersonLeaf[];
    expect(authors.map((p) => p.name)).toEqual(
      text(all($, '.byline'))
        .replace(/^By /, '')
        .replace(text(all($, '.byline .station')), '')
        .split(/, and |, | and /),
    );
    for (const p of authors) {
      expect(p['@type']).toBe('Person');
      if (p.url) distFile(dist, p.url as string);
    }
    expect(authors.filter((p) => p.url)).toHaveLength(all($, '.byline a[rel="author"]').length);

    const publisher = a.publisher as OrganizationLeaf;
    expect(publisher).toMatchObject({ '@type': 'Organization', name: 'Prairie & Peaks Public Media' });
    const logo = publisher.logo as ImageObjectLeaf;
    await expectImage(dist, { url: logo.url as string, width: Number(logo.width), height: Number(logo.height) }, 'png');

    const images = (a.image as ImageObjectLeaf[]).map((i) => ({ url: i.url as string, width: Number(i.width), height: Number(i.height) }));
    for (const img of images) await expectImage(dist, img);
    if (all($, 'article figure.photo').length) {
      // 16:9, 4:3 and 1:1 crops, 1200 px wide unless the source is too small for that ratio.
      expect(images.map((i) => Math.round((i.width / i.height) * 100) / 100)).toEqual([1.78, 1.33, 1]);
      // The crops are cut from the original: find it in the site's content by its name.
      const stem = /\/_astro\/([^./]+)\./.exec(attr(one($, 'article figure.photo img'), 'src')!)![1]!;
      const contentDir = dist === SITES.demo.outDir ? SITES.demo.contentDir : SITES.fixtures.contentDir;
      const original = listFiles(contentDir).find((f) => f.replace(/^.*\//, '').startsWith(`${stem}.`))!;
      const { width: sw = 0, height: sh = 0 } = await sharp(join(contentDir, original)).metadata();
      for (const img of images) expect(img.width).toBe(Math.min(1200, sw, Math.floor((sh * img.width) / img.height)));
      // The 16:9 crop is the Open Graph image too: one file for both.
      expect(attr(one($, 'meta[property="og:image"]'), 'content')).toBe(images[0]!.url);
    } else {
      expect(images).toEqual([{ url: `${ORIGIN}/og${path.slice(0, -1)}.png`, width: 1200, height: 630 }]);
    }

    const wire = all($, '.wire-credit').length > 0;
    expect(a.copyrightHolder === undefined, 'copyrightHolder on wire stories only').toBe(!wire);
    if (wire) expect((a.copyrightHolder as OrganizationLeaf)['@type']).toBe('Organization');

    const [crumbs] = ofType<BreadcrumbListLeaf>(blocks, 'BreadcrumbList');
    const steps = crumbs!.itemListElement as ListItemLeaf[];
    expect(steps.map((s) => s.position)).toEqual([1, 2, 3]);
    expect(steps.map((s) => s.item)).toEqual([
      `${ORIGIN}/`,
      `${ORIGIN}/stations/${attr(one($, 'body'), 'data-station')}/`,
      `${ORIGIN}${path}`,
    ]);
    for (const s of steps) distFile(dist, s.item as string);
  });
});

describe('JSON-LD escaping', () => {
  it('keeps a headline with "</script>" inside its block', () => {
    const html = readFileSync(join(SITES.fixtures.outDir, `${MARKUP}index.html`), 'utf8');
    // Read the blocks as a browser does: each ends at the first "</script>".
    const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Ld);
    expect(blocks.length).toBe(2);
    const [article] = ofType<NewsArticleLeaf>(blocks, 'NewsArticle');
    expect(article!.headline).toBe(`School board's site showed "</script>" & <b>raw code</b> after an update`);
  });
});

describe('structured data on station and index pages', () => {
  const dist = SITES.fixtures.outDir;

  it('describes a station as a RadioStation with a BroadcastService per transmitter', () => {
    const blocks = jsonLd(loadPage(dist, '/stations/kfix/'));
    const [station] = ofType<RadioStationLeaf>(blocks, 'RadioStation');
    expect(station).toMatchObject({
      '@id': `${ORIGIN}/stations/kfix/#station`,
      name: 'KFIX 90.1',
      legalName: 'Fixture Falls Public Radio, Inc.',
      url: `${ORIGIN}/stations/kfix/`,
      parentOrganization: { '@type': 'Organization', name: 'Prairie & Peaks Public Media' },
    });
    const services = ofType<BroadcastServiceLeaf>(blocks, 'BroadcastService');
    expect(services.map((s) => [s.callSign, s.broadcastFrequency])).toEqual([
      ['KFIX', { '@type': 'BroadcastFrequencySpecification', broadcastFrequencyValue: 90.1, broadcastSignalModulation: 'FM' }],
      ['K201AB', { '@type': 'BroadcastFrequencySpecification', broadcastFrequencyValue: 88.1, broadcastSignalModulation: 'FM' }],
    ]);
    for (const s of services) expect(s.broadcaster).toEqual({ '@id': station!['@id'] });
  });

  it.each(['/', '/stations/kfix/', '/topics/water/', '/authors/ada-reporter/', '/archive/2026/11/'])(
    '%s is a CollectionPage whose ItemList is the stories it shows',
    (path) => {
      const $ = loadPage(dist, path);
      const [page] = ofType<CollectionPageLeaf>(jsonLd($), 'CollectionPage');
      expect(page!.url).toBe(`${ORIGIN}${path}`);
      const list = page!.mainEntity as ItemListLeaf;
      const items = list.itemListElement as ListItemLeaf[];
      const shown = all($, 'main .headline a').map((l) => `${ORIGIN}${attr(l, 'href')}`);
      expect(items.map((i) => i.url)).toEqual(shown);
      expect(items.map((i) => i.position)).toEqual(shown.map((_, i) => i + 1));
      expect(list.numberOfItems).toBe(shown.length);
    },
  );

  it('every JSON-LD block on every page parses', () => {
    for (const path of ['/', '/stations/', '/topics/', '/authors/', '/archive/', '/stations/wfix/schedule/']) {
      expect(() => jsonLd(loadPage(dist, path)), path).not.toThrow();
    }
  });
});

describe('Open Graph, Twitter and canonical tags', () => {
  const dist = SITES.fixtures.outDir;

  it('a local story with a photo shares its photo and its dates with offsets', async () => {
    const $ = loadPage(dist, LOCAL);
    expect(attr(one($, 'link[rel="canonical"]'), 'href')).toBe(`${ORIGIN}${LOCAL}`);
    expect(meta($, 'og:url')).toBe(`${ORIGIN}${LOCAL}`);
    expect(meta($, 'og:type')).toBe('article');
    expect(meta($, 'og:site_name')).toBe('Prairie & Peaks Public Media');
    expect(meta($, 'article:published_time')).toBe('2026-11-20T09:30:00-06:00');
    expect(meta($, 'article:modified_time')).toBe('2026-11-20T09:30:00-06:00');
    expect(metas($, 'article:author')).toEqual([`${ORIGIN}/authors/ada-reporter/`]);
    expect(meta($, 'article:section')).toBe('Education');
    expect(metas($, 'article:tag')).toEqual(['Education', 'Local Government']);
    expect(meta($, 'og:image:alt')).toBe('A glass-fronted library building beside a river at dusk');
    expect(meta($, 'og:image:type')).toBe('image/jpeg');
    await expectImage(
      dist,
      { url: meta($, 'og:image')!, width: Number(meta($, 'og:image:width')), height: Number(meta($, 'og:image:height')) },
      'jpeg',
    );
    expect([meta($, 'og:image:width'), meta($, 'og:image:height')]).toEqual(['1200', '675']);
    // Its photo is the share image, so no card is drawn for it.
    expect(existsSync(join(dist, `og${LOCAL.replace(/\/$/, '')}.png`))).toBe(false);
    expect(meta($, 'twitter:card')).toBe('summary_large_image');
    expect(meta($, 'twitter:image')).toBe(meta($, 'og:image'));
    expect(meta($, 'twitter:title')).toBe('Fixture Falls opens its new riverfront library');
  });

  it('a wire story without a photo shares its generated card and names its guest author', async () => {
    const $ = loadPage(dist, WIRE);
    expect(attr(one($, 'link[rel="canonical"]'), 'href')).toBe(`${ORIGIN}${WIRE}`);
    expect(meta($, 'og:type')).toBe('article');
    expect(meta($, 'article:published_time')).toBe('2026-11-21T18:05:00-05:00');
    expect(metas($, 'article:author')).toEqual(['Bill Chappell']);
    expect(meta($, 'article:section')).toBe('Politics');
    expect(meta($, 'og:image')).toBe(`${ORIGIN}/og/news/2026/11/21/wire-story.png`);
    expect(meta($, 'og:image:type')).toBe('image/png');
    await expectImage(dist, { url: meta($, 'og:image')!, width: 1200, height: 630 }, 'png');
    expect(meta($, 'twitter:card')).toBe('summary_large_image');
  });

  it('an audio story is self-canonical and shares its generated card', async () => {
    const path = '/news/2026/11/17/audio-story-with-transcript/';
    const $ = loadPage(dist, path);
    expect(attr(one($, 'link[rel="canonical"]'), 'href')).toBe(`${ORIGIN}${path}`);
    expect(meta($, 'og:type')).toBe('article');
    expect(meta($, 'article:published_time')).toBe('2026-11-17T07:45:00-06:00');
    expect(metas($, 'article:author')).toEqual([`${ORIGIN}/authors/ada-reporter/`]);
    expect(meta($, 'og:image')).toBe(`${ORIGIN}/og/news/2026/11/17/audio-story-with-transcript.png`);
    await expectImage(dist, { url: meta($, 'og:image')!, width: 1200, height: 630 }, 'png');
  });

  it('an updated story reports its update time', () => {
    const $ = loadPage(dist, '/news/2026/11/18/updated-with-correction/');
    expect(meta($, 'article:published_time')).toBe('2026-11-18T20:15:00-05:00');
    expect(meta($, 'article:modified_time')).toBe('2026-11-19T08:00:00-05:00');
  });

  it('a syndicated story is self-canonical by default', () => {
    const $ = loadPage(dist, SYNDICATED);
    expect(attr(one($, 'link[rel="canonical"]'), 'href')).toBe(`${ORIGIN}${SYNDICATED}`);
  });

  it('under syndication.canonical "source", a syndicated story points at its original', () => {
    const $ = loadPage(SITES.fixturesEdited.outDir, SYNDICATED);
    expect(attr(one($, 'link[rel="canonical"]'), 'href')).toBe('https://www.npr.org/2026/11/23/rail-talks-resume');
    expect(meta($, 'og:url')).toBe('https://www.npr.org/2026/11/23/rail-talks-resume');
    // A wire story whose source is only a homepage stays self-canonical.
    expect(attr(one(loadPage(SITES.fixturesEdited.outDir, WIRE), 'link[rel="canonical"]'), 'href')).toBe(`${ORIGIN}${WIRE}`);
  });

  it('with share cards off, a story without a photo falls back to a summary card', () => {
    const $ = loadPage(SITES.fixturesEdited.outDir, WIRE);
    expect(meta($, 'og:image')).toBeUndefined();
    expect(meta($, 'twitter:card')).toBe('summary');
    expect(existsSync(join(SITES.fixturesEdited.outDir, 'og'))).toBe(false);
  });
});

describe('page sitemaps', () => {
  const urls = (dist: string) =>
    new XMLParser({ isArray: (name) => name === 'url' }).parse(readFileSync(join(dist, 'sitemap-0.xml'), 'utf8')).urlset.url as {
      loc: string;
      lastmod?: string;
    }[];

  it('list every page, with lastmod from the story’s update or publish time', () => {
    const dist = SITES.fixtures.outDir;
    const entries = urls(dist);
    const locs = entries.map((u) => u.loc);
    for (const path of articlePaths(dist)) {
      const entry = entries.find((u) => u.loc === `${ORIGIN}${path}`);
      expect(entry, path).toBeDefined();
      expect(Date.parse(entry!.lastmod!)).toBe(Date.parse(meta(loadPage(dist, path), 'article:modified_time')!));
    }
    expect(entries.find((u) => u.loc.endsWith('/updated-with-correction/'))!.lastmod).toBe('2026-11-19T13:00:00.000Z');
    expect(locs).toEqual(
      expect.arrayContaining([`${ORIGIN}/`, `${ORIGIN}/stations/kfix/`, `${ORIGIN}/topics/water/`, `${ORIGIN}/archive/`]),
    );
    expect(locs.filter((l) => /404|rss\.xml|\.png|robots|news-sitemap/.test(l))).toEqual([]);
  });

  it('leave out pages that are canonical elsewhere', () => {
    const locs = urls(SITES.fixturesEdited.outDir).map((u) => u.loc);
    expect(locs).not.toContain(`${ORIGIN}${SYNDICATED}`);
    expect(locs).toContain(`${ORIGIN}${WIRE}`);
    expect(urls(SITES.fixtures.outDir).map((u) => u.loc)).toContain(`${ORIGIN}${SYNDICATED}`);
  });
});

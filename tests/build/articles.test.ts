import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { articlePaths, listFiles, loadPage } from '../helpers/dist';
import { SITES } from '../helpers/sites';
import { all, attr, one, text, the, type Root } from '../helpers/html';

const dist = SITES.fixtures.outDir;

const PERMALINKS = {
  photo: '/news/2026/11/20/local-story-with-photo/',
  wire: '/news/2026/11/21/wire-story/',
  multiAuthor: '/news/2026/11/19/multi-author/',
  updated: '/news/2026/11/18/updated-with-correction/',
  // 23:30 CST on March 1 is already March 2 in UTC; the URL follows the station's clock.
  lateEvening: '/news/2026/03/01/late-evening-local-time/',
  naive: '/news/2026/07/04/naive-time-uses-station-zone/',
  customSlug: '/news/2026/10/02/slug-from-frontmatter/',
  audio: '/news/2026/11/17/audio-story-with-transcript/',
  markupInHeadline: '/news/2026/11/24/markup-characters-in-headline/',
  syndicated: '/news/2026/11/23/syndicated-with-original-link/',
  outsideNewsWindow: '/news/2026/11/23/just-outside-news-window/',
  // Its old addresses (`aliases`) redirect here; see tests/build/host-files.test.ts.
  movedWithAliases: '/news/2026/07/10/moved-story-with-aliases/',
};

interface StationYaml {
  name: string;
  tagline: string;
  legalName: string;
  mission: string;
  stream: { url: string; type: string } | { url: string; type: string }[];
  frequencies: { callsign: string; frequency: string; city: string }[];
  donate: { url: string; appeal: string };
}
const stationData = (id: string) => parse(readFileSync(join(SITES.fixtures.contentDir, `stations/${id}.yaml`), 'utf8')) as StationYaml;

/** The station chrome every page wears, showing the station file's own values. */
export function expectStationChrome($: Root, id: string) {
  const station = stationData(id);
  const header = the($, 'header.station-header');
  expect(text(all(header, '.name'))).toBe(station.name);
  expect(text(all(header, '.tagline'))).toBe(station.tagline);
  expect(attr(one(header, 'a.donate'), 'href')).toBe(station.donate.url);
  expect(text(all(header, '[data-play-live]'))).toContain('Play Live Radio');
  expect(text(all(header, '[data-next-up]'))).toContain('Next Up');
  expect(text(all(header, 'details.on-air summary'))).toBe('Available On Air Stations');
  expect(all(header, 'details.on-air li').map((li) => text(li).replace(/\s+/g, ' ').trim())).toEqual(
    station.frequencies.map((f) => `${f.callsign} ${f.frequency} ${f.city}`),
  );

  const player = the($, '#live-player');
  expect(all(player, 'audio[controls]').length).toBe(1);
  expect(all(player, 'audio source').map((s) => `${attr(s, 'src')} ${attr(s, 'type')}`)).toEqual(
    [station.stream].flat().map((s) => `${s.url} ${s.type}`),
  );

  const footer = the($, 'footer.donation-footer');
  expect(text(all(footer, '.appeal'))).toBe(station.donate.appeal);
  expect(attr(one(footer, 'a.donate'), 'href')).toBe(station.donate.url);
  expect(text(all(footer, '.mission'))).toBe(station.mission);
  expect(text(all(footer, '.copyright'))).toBe(`© 2026 ${station.legalName}`);

  // One h1, landmarks, and a skip link that lands somewhere.
  expect(all($, 'h1').length).toBe(1);
  expect(all($, 'main#main').length).toBe(1);
  expect(all($, 'nav.site-nav[aria-label="Sections"]').length).toBe(1);
  const skip = attr(one($, 'a.skip-link'), 'href');
  expect(skip).toBe('#main');
  expect(attr(one($, 'html'), 'lang')).toBe('en-US');
}

/** Each fixture story's source by its URL slug: its title, dek and first paragraph. */
const sources = new Map(
  readdirSync(join(SITES.fixtures.contentDir, 'articles'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => {
      const [, yaml, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(
        readFileSync(join(SITES.fixtures.contentDir, 'articles', f), 'utf8'),
      )!;
      const data = parse(yaml!) as { title: string; dek: string; slug?: string; station: string };
      const firstParagraph = body!
        .trim()
        .split(/\n\s*\n/)[0]!
        .replace(/\s+/g, ' ');
      return [data.slug ?? basename(f, '.md'), { ...data, firstParagraph }] as const;
    }),
);

describe('article pages', () => {
  it('are built at their permalinks, and only the published ones', () => {
    expect(articlePaths(dist).sort()).toEqual(Object.values(PERMALINKS).sort());
  });

  it.each(Object.entries(PERMALINKS))('%s has the chrome and every article element', (_name, path) => {
    const $ = loadPage(dist, path);
    const article = the($, 'article[data-article]');
    const source = sources.get(path.split('/').at(-2)!)!;
    expect(text(all(article, 'h1')).trim()).toBe(source.title);
    expect(text(all(article, '.dek')).trim()).toBe(source.dek);
    expect(text(all(article, '.byline'))).toMatch(/^By /);
    const published = the(article, 'time[data-published]');
    expect(attr(published, 'datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(text(published)).toMatch(/\d{4} at \d{1,2}:\d{2} [AP]M [A-Z]{3,4}$/);
    expect(text(all(article, '[data-article-body]')).replace(/\s+/g, ' ')).toContain(source.firstParagraph);
    expect(text(all($, 'title'))).toContain(text(all(article, 'h1')).trim());
    expect(attr(one($, 'meta[name="description"]'), 'content')).toBe(text(all(article, '.dek')));
    expect(attr(one($, 'link[rel="canonical"]'), 'href')).toBe(`https://news.example.org${path}`);
    expectStationChrome($, source.station);
  });

  it('shows the photo with alt, credit and caption, loaded eagerly as the lead image', () => {
    const $ = loadPage(dist, PERMALINKS.photo);
    const figure = the($, 'article figure.photo');
    const img = the(figure, 'img');
    expect(attr(img, 'alt')).toBe('A glass-fronted library building beside a river at dusk');
    expect(attr(img, 'loading')).toBe('eager');
    expect(attr(img, 'fetchpriority')).toBe('high');
    // The size of its `src` (the WebP fallback's largest file), in the photo's own shape
    // (riverfront-library.jpg is 1600×1000), so the browser reserves its box before it loads.
    expect([attr(img, 'width'), attr(img, 'height')]).toEqual(['1200', '750']);
    expect(attr(one(figure, 'source[type="image/avif"]'), 'srcset')).toMatch(/\.avif \d+w/);
    expect(text(all(figure, '.credit'))).toBe('Ada Reporter / KFIX');
    expect(text(all(figure, '.caption'))).toBe('The new library sits 12 feet above the old flood line.');
    for (const src of attr(img, 'srcset')!
      .split(',')
      .map((s) => s.trim().split(' ')[0]!)) {
      expect(listFiles(dist)).toContain(src.slice(1));
    }
  });

  it('leads the first paragraph with the dateline', () => {
    const $ = loadPage(dist, PERMALINKS.photo);
    const first = the($, '[data-article-body] > p');
    expect(text(all(first, '.dateline'))).toBe('FIXTURE FALLS, Neb. —');
    expect(text(first)).toMatch(/^FIXTURE FALLS, Neb\. — The doors opened/);
  });

  it('links known authors to their pages with bios, and keeps guest names as text', () => {
    const $ = loadPage(dist, PERMALINKS.multiAuthor);
    const byline = the($, '.byline');
    expect(all(byline, 'a[rel="author"]').map((a) => attr(a, 'href'))).toEqual(['/authors/ada-reporter/', '/authors/ben-editor/']);
    expect(text(byline)).toMatch(/^By Ada Reporter, Ben Editor, and Casey Guest/);
    expect(all($, '.author-bio .name').map((e) => text(e))).toEqual(['Ada Reporter', 'Ben Editor']);
  });

  it('shows the wire copyright line and source link', () => {
    const $ = loadPage(dist, PERMALINKS.wire);
    const credit = the($, '.wire-credit');
    expect(text(credit)).toBe('Copyright 2026 NPR. To see more, visit NPR.');
    expect(attr(one(credit, 'a'), 'href')).toBe('https://www.npr.org/');
    expect(text(all($, '.byline'))).toMatch(/^By Bill Chappell/);
    expect(all($, '.byline a').length).toBe(0);
  });

  it('shows the updated date and the correction', () => {
    const $ = loadPage(dist, PERMALINKS.updated);
    expect(attr(one($, 'time[data-updated]'), 'datetime')).toBe('2026-11-19T08:00:00-05:00');
    expect(text(the($, ':has(> time[data-updated])'))).toMatch(/^Updated November 19, 2026 at 8:00 AM EST$/);
    expect(text(all($, '.corrections'))).toContain("misstated the board's vote count");
    expect(attr(one($, '.corrections time'), 'datetime')).toBe('2026-11-19T08:00:00-05:00');
  });

  it('reads an offset-less date in the station time zone', () => {
    const $ = loadPage(dist, PERMALINKS.naive);
    expect(attr(one($, 'time[data-published]'), 'datetime')).toBe('2026-07-04T12:00:00-04:00');
  });

  it('lists related stories that share a topic', () => {
    const $ = loadPage(dist, PERMALINKS.photo);
    const related = all($, '.related .headline a').map((a) => attr(a, 'href'));
    // Newest first, each sharing a topic with the story, and never the story itself.
    expect(related).toEqual([PERMALINKS.multiAuthor, PERMALINKS.updated, PERMALINKS.audio]);
  });
});

describe('drafts and future stories', () => {
  it('appear nowhere in the output', () => {
    const files = listFiles(dist).filter((f) => /\.(html|xml|json|txt)$/.test(f));
    // The scan reads every place a story could leak: its page, the lists, feeds and sitemaps.
    expect(files).toEqual(
      expect.arrayContaining([
        ...articlePaths(dist).map((p) => `${p.slice(1)}index.html`),
        'index.html',
        'rss.xml',
        'stations/kfix/rss.xml',
        'topics/index.html',
        'sitemap-0.xml',
        'news-sitemap.xml',
      ]),
    );
    for (const f of files) {
      const text = readFileSync(join(dist, f), 'utf8');
      expect(text, f).not.toMatch(/DRAFTMARKER|FUTUREMARKER|draft-story|future-story|secret-draft-topic|embargoed-topic/i);
    }
  });
});

import type { CheerioAPI } from 'cheerio';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { articlePaths, listFiles, loadPage } from '../helpers/dist';
import { SITES } from '../helpers/sites';

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
export function expectStationChrome($: CheerioAPI, id: string) {
  const station = stationData(id);
  const header = $('header.station-header');
  expect(header.find('.name').text()).toBe(station.name);
  expect(header.find('.tagline').text()).toBe(station.tagline);
  expect(header.find('a.donate').attr('href')).toBe(station.donate.url);
  expect(header.find('[data-play-live]').text()).toContain('Play Live Radio');
  expect(header.find('[data-next-up]').text()).toContain('Next Up');
  expect(header.find('details.on-air summary').text()).toBe('Available On Air Stations');
  expect(
    header
      .find('details.on-air li')
      .map((_, li) => $(li).text().replace(/\s+/g, ' ').trim())
      .get(),
  ).toEqual(station.frequencies.map((f) => `${f.callsign} ${f.frequency} ${f.city}`));

  const player = $('#live-player');
  expect(player.find('audio[controls]').length).toBe(1);
  expect(
    player
      .find('audio source')
      .map((_, s) => `${$(s).attr('src')} ${$(s).attr('type')}`)
      .get(),
  ).toEqual([station.stream].flat().map((s) => `${s.url} ${s.type}`));

  const footer = $('footer.donation-footer');
  expect(footer.find('.appeal').text()).toBe(station.donate.appeal);
  expect(footer.find('a.donate').attr('href')).toBe(station.donate.url);
  expect(footer.find('.mission').text()).toBe(station.mission);
  expect(footer.find('.copyright').text()).toBe(`© 2026 ${station.legalName}`);

  // One h1, landmarks, and a skip link that lands somewhere.
  expect($('h1').length).toBe(1);
  expect($('main#main').length).toBe(1);
  expect($('nav.site-nav[aria-label="Sections"]').length).toBe(1);
  const skip = $('a.skip-link').attr('href');
  expect(skip).toBe('#main');
  expect($('html').attr('lang')).toBe('en-US');
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
    const article = $('article[data-article]');
    const source = sources.get(path.split('/').at(-2)!)!;
    expect(article.find('h1').text().trim()).toBe(source.title);
    expect(article.find('.dek').text().trim()).toBe(source.dek);
    expect(article.find('.byline').text()).toMatch(/^By /);
    const published = article.find('time[data-published]');
    expect(published.attr('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(published.text()).toMatch(/\d{4} at \d{1,2}:\d{2} [AP]M [A-Z]{3,4}$/);
    expect(article.find('[data-article-body]').text().replace(/\s+/g, ' ')).toContain(source.firstParagraph);
    expect($('title').text()).toContain(article.find('h1').text().trim());
    expect($('meta[name="description"]').attr('content')).toBe(article.find('.dek').text());
    expect($('link[rel="canonical"]').attr('href')).toBe(`https://news.example.org${path}`);
    expectStationChrome($, source.station);
  });

  it('shows the photo with alt, credit and caption, loaded eagerly as the lead image', () => {
    const $ = loadPage(dist, PERMALINKS.photo);
    const figure = $('article figure.photo');
    const img = figure.find('img');
    expect(img.attr('alt')).toBe('A glass-fronted library building beside a river at dusk');
    expect(img.attr('loading')).toBe('eager');
    expect(img.attr('fetchpriority')).toBe('high');
    // The size of its `src` (the WebP fallback's largest file), in the photo's own shape
    // (riverfront-library.jpg is 1600×1000), so the browser reserves its box before it loads.
    expect([img.attr('width'), img.attr('height')]).toEqual(['1200', '750']);
    expect(figure.find('source[type="image/avif"]').attr('srcset')).toMatch(/\.avif \d+w/);
    expect(figure.find('.credit').text()).toBe('Ada Reporter / KFIX');
    expect(figure.find('.caption').text()).toBe('The new library sits 12 feet above the old flood line.');
    for (const src of img
      .attr('srcset')!
      .split(',')
      .map((s) => s.trim().split(' ')[0]!)) {
      expect(listFiles(dist)).toContain(src.slice(1));
    }
  });

  it('leads the first paragraph with the dateline', () => {
    const $ = loadPage(dist, PERMALINKS.photo);
    const first = $('[data-article-body] > p').first();
    expect(first.find('.dateline').text()).toBe('FIXTURE FALLS, Neb. —');
    expect(first.text()).toMatch(/^FIXTURE FALLS, Neb\. — The doors opened/);
  });

  it('links known authors to their pages with bios, and keeps guest names as text', () => {
    const $ = loadPage(dist, PERMALINKS.multiAuthor);
    const byline = $('.byline');
    expect(
      byline
        .find('a[rel="author"]')
        .map((_, a) => $(a).attr('href'))
        .get(),
    ).toEqual(['/authors/ada-reporter/', '/authors/ben-editor/']);
    expect(byline.text()).toMatch(/^By Ada Reporter, Ben Editor, and Casey Guest/);
    expect(
      $('.author-bio .name')
        .map((_, e) => $(e).text())
        .get(),
    ).toEqual(['Ada Reporter', 'Ben Editor']);
  });

  it('shows the wire copyright line and source link', () => {
    const $ = loadPage(dist, PERMALINKS.wire);
    const credit = $('.wire-credit');
    expect(credit.text()).toBe('Copyright 2026 NPR. To see more, visit NPR.');
    expect(credit.find('a').attr('href')).toBe('https://www.npr.org/');
    expect($('.byline').text()).toMatch(/^By Bill Chappell/);
    expect($('.byline a').length).toBe(0);
  });

  it('shows the updated date and the correction', () => {
    const $ = loadPage(dist, PERMALINKS.updated);
    expect($('time[data-updated]').attr('datetime')).toBe('2026-11-19T08:00:00-05:00');
    expect($('time[data-updated]').parent().text()).toMatch(/^Updated November 19, 2026 at 8:00 AM EST$/);
    expect($('.corrections').text()).toContain("misstated the board's vote count");
    expect($('.corrections time').attr('datetime')).toBe('2026-11-19T08:00:00-05:00');
  });

  it('reads an offset-less date in the station time zone', () => {
    const $ = loadPage(dist, PERMALINKS.naive);
    expect($('time[data-published]').attr('datetime')).toBe('2026-07-04T12:00:00-04:00');
  });

  it('lists related stories that share a topic', () => {
    const $ = loadPage(dist, PERMALINKS.photo);
    const related = $('.related .headline a')
      .map((_, a) => $(a).attr('href'))
      .get();
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

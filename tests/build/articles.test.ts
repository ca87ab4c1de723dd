import type { CheerioAPI } from 'cheerio';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

/** The station chrome every page wears. */
export function expectStationChrome($: CheerioAPI, station: { name: string; tagline: string; legalName: string; year: number }) {
  const header = $('header.station-header');
  expect(header.find('.name').text()).toBe(station.name);
  expect(header.find('.tagline').text()).toBe(station.tagline);
  expect(header.find('a.donate').attr('href')).toMatch(/^https:\/\/donate\.example\.org\//);
  expect(header.find('[data-play-live]').text()).toContain('Play Live Radio');
  expect(header.find('[data-next-up]').text()).toContain('Next Up');
  expect(header.find('details.on-air summary').text()).toBe('Available On Air Stations');
  expect(header.find('details.on-air li').length).toBeGreaterThan(0);

  const player = $('#live-player');
  expect(player.find('audio[controls]').length).toBe(1);
  expect(player.find('audio source').length).toBeGreaterThan(0);

  const footer = $('footer.donation-footer');
  expect(footer.find('.appeal').text().length).toBeGreaterThan(0);
  expect(footer.find('a.donate').attr('href')).toMatch(/^https:\/\/donate\.example\.org\//);
  expect(footer.find('.mission').text().length).toBeGreaterThan(0);
  expect(footer.find('.copyright').text()).toBe(`© ${station.year} ${station.legalName}`);

  // One h1, landmarks, and a skip link that lands somewhere.
  expect($('h1').length).toBe(1);
  expect($('main#main').length).toBe(1);
  expect($('nav').length).toBeGreaterThan(0);
  const skip = $('a.skip-link').attr('href');
  expect(skip).toBe('#main');
  expect($('html').attr('lang')).toBe('en-US');
}

const KFIX = { name: 'KFIX 90.1', tagline: 'NPR in Fixture Falls', legalName: 'Fixture Falls Public Radio, Inc.', year: 2026 };
const WFIX = { name: 'WFIX 88.3', tagline: 'NPR on the Test Coast', legalName: 'Test Coast Public Media', year: 2026 };

describe('article pages', () => {
  it('are built at their permalinks, and only the published ones', () => {
    expect(articlePaths(dist).sort()).toEqual(Object.values(PERMALINKS).sort());
  });

  it.each(Object.entries(PERMALINKS))('%s has the chrome and every article element', (_name, path) => {
    const $ = loadPage(dist, path);
    const article = $('article[data-article]');
    expect(article.find('h1').text().trim().length).toBeGreaterThan(0);
    expect(article.find('.dek').text().trim().length).toBeGreaterThan(0);
    expect(article.find('.byline').text()).toMatch(/^By /);
    const published = article.find('time[data-published]');
    expect(published.attr('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(published.text()).toMatch(/\d{4} at \d{1,2}:\d{2} [AP]M [A-Z]{3,4}$/);
    expect(article.find('[data-article-body]').text().trim().length).toBeGreaterThan(0);
    expect($('title').text()).toContain(article.find('h1').text().trim());
    expect($('meta[name="description"]').attr('content')).toBe(article.find('.dek').text());
    expect($('link[rel="canonical"]').attr('href')).toBe(`https://news.example.org${path}`);
    expectStationChrome($, path === PERMALINKS.wire || path === PERMALINKS.updated || path === PERMALINKS.naive ? WFIX : KFIX);
  });

  it('shows the photo with alt, credit and caption, loaded eagerly as the lead image', () => {
    const $ = loadPage(dist, PERMALINKS.photo);
    const figure = $('article figure.photo');
    const img = figure.find('img');
    expect(img.attr('alt')).toBe('A glass-fronted library building beside a river at dusk');
    expect(img.attr('loading')).toBe('eager');
    expect(img.attr('fetchpriority')).toBe('high');
    expect(img.attr('width')).toBeTruthy();
    expect(img.attr('height')).toBeTruthy();
    expect(figure.find('source[type="image/avif"]').attr('srcset')).toMatch(/\.avif \d+w/);
    expect(figure.find('.credit').text()).toBe('Ada Reporter / KFIX');
    expect(figure.find('.caption').text()).toBe('The new library sits 12 feet above the old flood line.');
    for (const src of img.attr('srcset')!.split(',').map((s) => s.trim().split(' ')[0]!)) {
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
    expect(byline.find('a[rel="author"]').map((_, a) => $(a).attr('href')).get()).toEqual(['/authors/ada-reporter/', '/authors/ben-editor/']);
    expect(byline.text()).toMatch(/^By Ada Reporter, Ben Editor, and Casey Guest/);
    expect($('.author-bio .name').map((_, e) => $(e).text()).get()).toEqual(['Ada Reporter', 'Ben Editor']);
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
    const related = $('.related .headline a').map((_, a) => $(a).attr('href')).get();
    expect(related.length).toBeGreaterThan(0);
    expect(related).toContain(PERMALINKS.multiAuthor);
    expect(related).not.toContain(PERMALINKS.photo);
  });
});

describe('drafts and future stories', () => {
  it('appear nowhere in the output', () => {
    const files = listFiles(dist).filter((f) => /\.(html|xml|json|txt)$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(join(dist, f), 'utf8');
      expect(text, f).not.toMatch(/DRAFTMARKER|FUTUREMARKER|draft-story|future-story|secret-draft-topic|embargoed-topic/i);
    }
  });
});

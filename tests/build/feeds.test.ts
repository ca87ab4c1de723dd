import { parseRssFeed, type RssFeed } from 'feedsmith';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { articlePaths, listFiles, loadPage } from '../helpers/dist';
import { EDITED_STORY as EDITED } from '../helpers/edited-fixtures';
import { SITES } from '../helpers/sites';
import { assertWellFormedXml } from '../helpers/xml';
import { all, attr, one, parseFragment, text, the } from '../helpers/html';

const ORIGIN = 'https://news.example.org';
const dist = SITES.fixtures.outDir;

function readFeed(root: string, path: string): RssFeed.Feed<string> {
  const xml = readFileSync(join(root, path), 'utf8');
  assertWellFormedXml(xml, path);
  return parseRssFeed(xml);
}

/** Every feed in a build, by URL path. */
const feedPaths = (root: string) =>
  listFiles(root)
    .filter((f) => f.endsWith('rss.xml'))
    .map((f) => `/${f}`);

/** A dist file behind an absolute URL on the site, if it is one. */
const distFile = (root: string, url: string) => join(root, decodeURIComponent(new URL(url).pathname));

/** The story links an HTML listing page shows, in order, as absolute URLs. */
function listing(path: string): string[] {
  const $ = loadPage(dist, path);
  return all($, 'main .headline a').map((a) => new URL(attr(a, 'href')!, ORIGIN).href);
}

describe('RSS feeds of the fixture site', () => {
  it('exist for the site, every station, topic and author', () => {
    expect(feedPaths(dist).sort()).toEqual(
      [
        '/rss.xml',
        '/stations/kfix/rss.xml',
        '/stations/wfix/rss.xml',
        '/topics/education/rss.xml',
        '/topics/local-government/rss.xml',
        '/topics/politics/rss.xml',
        '/topics/water/rss.xml',
        '/authors/ada-reporter/rss.xml',
        '/authors/ben-editor/rss.xml',
      ].sort(),
    );
  });

  it.each(feedPaths(SITES.fixtures.outDir))('%s parses, names itself and lists what its page lists', (path) => {
    const feed = readFeed(dist, path);
    const page = path.replace(/rss\.xml$/, '');
    expect(feed.title?.length).toBeGreaterThan(0);
    expect(feed.link).toBe(`${ORIGIN}${page}`);
    expect(feed.language).toBe('en-US');
    expect(feed.atom?.links).toEqual([{ href: `${ORIGIN}${path}`, rel: 'self', type: 'application/rss+xml' }]);
    // Same stories, same order as the HTML page (one page of them: the fixtures fit in one).
    expect(feed.items!.map((i) => i.link)).toEqual(listing(page));
  });

  it('the site feed has every published story and nothing else', () => {
    const items = readFeed(dist, '/rss.xml').items!;
    expect(items).toHaveLength(12);
    expect(items.map((i) => new URL(i.link!).pathname).sort()).toEqual(articlePaths(dist).sort());
  });

  it('gives each item its permalink as guid, a date, authors and full content with working URLs', () => {
    for (const path of feedPaths(dist)) {
      for (const item of readFeed(dist, path).items!) {
        expect(item.guid).toEqual({ value: item.link, isPermaLink: true });
        expect(Date.parse(item.pubDate!)).not.toBeNaN();
        expect(item.dc?.creators?.length).toBeGreaterThan(0);
        const $page = loadPage(dist, new URL(item.link!).pathname);
        expect(item.title).toBe(text(all($page, 'article h1')));
        const $content = parseFragment(item.content!.encoded!);
        // Every paragraph of the page's body is in the feed, so readers get the whole story.
        const paragraphs = all($page, '[data-article-body] p').map((p) => text(p));
        expect(paragraphs.length).toBeGreaterThan(0);
        for (const p of paragraphs) expect(text($content)).toContain(p);
        all($content, '[src], [href]').forEach((el) => {
          const url = attr(el, 'src') ?? attr(el, 'href')!;
          expect(url, `${path}: ${url}`).toMatch(/^https?:\/\//);
          const file = url.startsWith(ORIGIN) ? distFile(dist, url) : undefined;
          if (file) expect(existsSync(file.endsWith('/') ? `${file}index.html` : file), url).toBe(true);
        });
      }
    }
  });

  it('renders images inside story bodies as real, absolute image URLs', () => {
    const item = readFeed(dist, '/rss.xml').items!.find((i) => i.link === `${ORIGIN}/news/2026/11/24/markup-characters-in-headline/`)!;
    const $ = parseFragment(item.content!.encoded!);
    const img = the($, 'img');
    expect(attr(img, 'alt')).toBe('Readers lined up outside the library');
    expect(attr(img, 'src')).toMatch(/^https:\/\/news\.example\.org\/_astro\/riverfront-library\.[\w-]+\.\w+$/);
    expect(existsSync(distFile(dist, attr(img, 'src')!))).toBe(true);
    expect(text(all($, 'a[href="https://news.example.org/stations/kfix/"]'))).toBe('KFIX station page');
  });

  it('keeps markup typed in a headline as text', () => {
    const item = readFeed(dist, '/rss.xml').items!.find((i) => i.link === `${ORIGIN}/news/2026/11/24/markup-characters-in-headline/`)!;
    expect(item.title).toBe(`School board's site showed "</script>" & <b>raw code</b> after an update`);
    expect(text(parseFragment(`<p>${item.description}</p>`))).toBe(
      'A plugin update printed <i>markup</i> & script tags as text; the district says nothing leaked.',
    );
  });

  it('carries the lead photo as Media RSS content, resized, alt text and credit included', () => {
    const item = readFeed(dist, '/rss.xml').items!.find((i) => i.link === `${ORIGIN}${EDITED}`)!;
    const [media] = item.media!.contents!;
    expect(media).toMatchObject({ medium: 'image', type: 'image/jpeg', width: 1200, height: 750 });
    expect(media!.description).toEqual({ value: 'A glass-fronted library building beside a river at dusk', type: 'plain' });
    expect(media!.credits).toEqual([{ value: 'Ada Reporter / KFIX' }]);
    expect(existsSync(distFile(dist, media!.url!))).toBe(true);
    expect(attr(one(parseFragment(item.content!.encoded!), 'figure img'), 'src')).toBe(media!.url);
  });

  it('carries story audio as an enclosure with its byte length and type, and only there', () => {
    const audioStory = `${ORIGIN}/news/2026/11/17/audio-story-with-transcript/`;
    const items = readFeed(dist, '/rss.xml').items!;
    const withAudio = items.filter((i) => i.enclosures?.length);
    expect(withAudio.map((i) => i.link)).toEqual([audioStory]);
    const [enclosure] = withAudio[0]!.enclosures!;
    expect(enclosure!.type).toBe('audio/wav');
    const url = new URL(enclosure!.url!);
    expect(url.origin).toBe(ORIGIN);
    const file = join(dist, decodeURIComponent(url.pathname));
    expect(statSync(file).size).toBe(Number(enclosure!.length));
    expect(Number(enclosure!.length)).toBeGreaterThan(1000);
  });

  it('ends wire stories with their copyright and source', () => {
    const item = readFeed(dist, '/stations/wfix/rss.xml').items!.find((i) => i.link === `${ORIGIN}/news/2026/11/21/wire-story/`)!;
    expect(item.content!.encoded).toContain('<p>Copyright 2026 NPR</p>');
    expect(item.dc?.creators).toEqual(['Bill Chappell']);
    expect(item.categories).toEqual([{ name: 'Politics' }]);
  });
});

describe('feed autodiscovery', () => {
  const alternates = (path: string) => {
    const $ = loadPage(dist, path);
    return all($, 'head link[rel="alternate"][type="application/rss+xml"]').map((l) => attr(l, 'href') ?? '');
  };

  it.each([
    ['/', ['/rss.xml']],
    ['/stations/wfix/', ['/stations/wfix/rss.xml']],
    ['/topics/water/', ['/topics/water/rss.xml']],
    ['/authors/ben-editor/', ['/authors/ben-editor/rss.xml']],
    [
      '/news/2026/11/19/multi-author/',
      [
        '/stations/kfix/rss.xml',
        '/topics/water/rss.xml',
        '/topics/local-government/rss.xml',
        '/authors/ada-reporter/rss.xml',
        '/authors/ben-editor/rss.xml',
      ],
    ],
  ])('%s links its feeds, and they exist', (page, feeds) => {
    const hrefs = alternates(page);
    expect(hrefs).toEqual(feeds.map((f) => `${ORIGIN}${f}`));
    for (const href of hrefs) expect(existsSync(distFile(dist, href))).toBe(true);
  });
});

describe('feeds across two builds with an edited story', () => {
  // tests/helpers/edited-fixtures.ts builds the second one.
  it('keep every guid, the edited story included', () => {
    const before = readFeed(dist, '/rss.xml').items!;
    const after = readFeed(SITES.fixturesEdited.outDir, '/rss.xml').items!;
    expect(after.map((i) => i.guid)).toEqual(before.map((i) => i.guid));
    const was = before.find((i) => i.link === `${ORIGIN}${EDITED}`)!;
    const is = after.find((i) => i.link === `${ORIGIN}${EDITED}`)!;
    expect(is.title).toBe('Fixture Falls library opens after a week of delays');
    expect(is.title).not.toBe(was.title);
    expect(is.content!.encoded).toContain('EDITEDMARKER');
    expect(was.content!.encoded).not.toContain('EDITEDMARKER');
    expect(is.pubDate).toBe(was.pubDate);
    expect(is.guid).toEqual(was.guid);
  });

  it('keep the guid in every station, topic and author feed too', () => {
    for (const path of feedPaths(dist)) {
      const guids = (root: string) => readFeed(root, path).items!.map((i) => i.guid?.value);
      expect(guids(SITES.fixturesEdited.outDir), path).toEqual(guids(dist));
    }
  });
});

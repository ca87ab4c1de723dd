import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRssFeed } from 'feedsmith';
import { beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../helpers/dist';
import { buildContent, checkContent, copyContent } from '../helpers/run';
import { ROOT } from '../helpers/sites';
import { all, attr, one, parsePage, text, type Root } from '../helpers/html';

/**
 * Headlines, deks, bylines, datelines, topics and author names are plain text. Written with
 * markup, quotes and ampersands, they must come out as that text, never as markup, in every
 * output. HTML pages and meta tags are checked field by field here; feeds and JSON-LD get the
 * XML/JSON scan below when they are built, and their field checks (a feed reader shows the
 * title as text; JSON-LD writes < as \u003c) belong in this file too.
 */
const TITLE = `Evil <script>alert("title")</script> & "quotes" 'too'`;
const DEK = `<img src=x onerror=alert("dek")> & <b>bold</b> claims`;
const GUEST = `<img src=x onerror=alert(1)> O'Brien & Co`;
const DATELINE = `<script>alert("dateline")</script> FIXTURE FALLS`;
const TAG = `<b>Tag</b> & "Topic"`;
const AUTHOR_NAME = `Ada "<Reporter>" & Sons`;
const PATH = '/news/2026/11/20/hostile-text/';

/** Markup an unescaped field would have produced. */
const INJECTED = [/<script>alert\(/, /<img src=x onerror/, /<b>bold<\/b>/, /<b>Tag<\/b>/, /<Reporter>/];

const yamlString = (s: string) => JSON.stringify(s);

let dist: string;
let page: Root;

beforeAll(async () => {
  const { dir, content } = copyContent('escaping', join(ROOT, 'tests/fixtures/malformed/_base'));
  writeFileSync(
    join(content, 'articles/2026/hostile-text.md'),
    [
      '---',
      `title: ${yamlString(TITLE)}`,
      `dek: ${yamlString(DEK)}`,
      `byline: [ada-reporter, ${yamlString(GUEST)}]`,
      `dateline: ${yamlString(DATELINE)}`,
      'station: kfix',
      'date: 2026-11-20T10:00:00-06:00',
      `tags: [${yamlString(TAG)}]`,
      '---',
      '',
      'The story itself is ordinary.',
      '',
    ].join('\n'),
  );
  const author = join(content, 'authors/ada-reporter.yaml');
  writeFileSync(author, readFileSync(author, 'utf8').replace(/^name: .*$/m, `name: ${yamlString(AUTHOR_NAME)}`));

  const check = await checkContent(content);
  expect(check.status, check.output).toBe(0);
  const build = await buildContent(dir, content);
  expect(build.status, build.output).toBe(0);
  dist = join(dir, 'dist');
  page = parsePage(readFileSync(join(dist, PATH, 'index.html'), 'utf8'));
});

describe('hostile text in frontmatter', () => {
  it('is the exact text of the headline, dek, byline and dateline on the article page', () => {
    expect(text(all(page, 'article h1'))).toBe(TITLE);
    expect(text(all(page, 'article .dek'))).toBe(DEK);
    const byline = text(one(page, 'article .byline'));
    expect(byline).toContain(GUEST);
    expect(byline).toContain(AUTHOR_NAME);
    expect(text(all(page, '[data-article-body] .dateline'))).toBe(`${DATELINE} —`);
    expect(text(all(page, 'nav.topics a'))).toBe(TAG);
  });

  it('is the exact value of the title and the meta tags', () => {
    expect(text(all(page, 'title'))).toContain(TITLE);
    expect(attr(one(page, 'meta[name="description"]'), 'content')).toBe(DEK);
    expect(attr(one(page, 'meta[property="og:title"]'), 'content')).toContain(TITLE);
    expect(attr(one(page, 'meta[property="og:description"]'), 'content')).toBe(DEK);
  });

  it('is text on the pages that list the story', () => {
    for (const path of ['/', '/stations/kfix/', '/authors/ada-reporter/', '/archive/2026/11/']) {
      const $ = parsePage(readFileSync(join(dist, path, 'index.html'), 'utf8'));
      const link = all($, `a[href="${PATH}"]`).filter((a) => text(a).trim() === TITLE);
      expect(link.length, path).toBeGreaterThan(0);
    }
  });

  it('adds no element and no event handler to any page', () => {
    for (const file of listFiles(dist).filter((f) => f.endsWith('.html'))) {
      const $ = parsePage(readFileSync(join(dist, file), 'utf8'));
      expect(all($, 'img[src="x"]').length, file).toBe(0);
      expect(all($, 'b').length, file).toBe(0);
      const handlers = all($, '*').filter((el) => Object.keys(el.properties).some((a) => a.toLowerCase().startsWith('on')));
      expect(handlers.length, file).toBe(0);
      // Executable scripts never carry the text; JSON-LD carries it as data, with no raw < to end the block.
      expect(all($, 'script:not([type="application/ld+json"])').filter((s) => text(s).includes('alert(')).length, file).toBe(0);
      all($, 'script[type="application/ld+json"]').forEach((s) => expect(text(s), file).not.toContain('<'));
    }
  });

  it('is the same plain text in JSON-LD and in the feed', () => {
    const story = parsePage(readFileSync(join(dist, PATH, 'index.html'), 'utf8'));
    const ld = all(story, 'script[type="application/ld+json"]')
      .map((s) => JSON.parse(text(s)) as { '@type'?: string; headline?: string; description?: string })
      .find((b) => b['@type'] === 'NewsArticle');
    expect(ld?.headline).toBe(TITLE);
    expect(ld?.description).toBe(DEK);

    const feed = parseRssFeed(readFileSync(join(dist, 'rss.xml'), 'utf8'));
    const item = feed.items!.find((i) => i.link?.endsWith(PATH));
    // A feed reader shows <title> as text: the XML holds the escaped characters, never markup.
    expect(item?.title).toBe(TITLE);
    expect(item?.authors?.join(' ') ?? '').not.toMatch(/<img/);
  });

  // HTML is checked parsed, above (a `<` inside a quoted attribute is text, not markup). XML
  // must escape `<` everywhere, so a raw scan is exact there: the sitemaps today, feeds and
  // other XML or JSON outputs as they are added.
  it('appears only escaped in XML and JSON outputs', () => {
    const files = listFiles(dist).filter((f) => /\.(xml|json)$/.test(f));
    expect(files).toContain('sitemap-index.xml');
    for (const file of files) {
      const text = readFileSync(join(dist, file), 'utf8');
      for (const pattern of INJECTED) expect(text, `${file} has ${pattern}`).not.toMatch(pattern);
    }
  });
});

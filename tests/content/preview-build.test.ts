import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { urlPathOf } from '../../src/lib/dist-path';
import { articlePaths, listFiles, loadPage } from '../helpers/dist';
import { buildContent, copyContent } from '../helpers/run';
import { ROOT } from '../helpers/sites';
import { all, attr, closest, one, text as textContent } from '../helpers/html';

/**
 * The fixture content built twice at the fixture's "now": as production, and as a pull-request
 * preview (`MASTHEAD_PREVIEW=1`). The fixtures hold a draft (DRAFTMARKER), a draft with audio,
 * and a story scheduled for December 25 (FUTUREMARKER).
 */
const FIXTURES = join(ROOT, 'tests/fixtures/content');
const DRAFT = '/news/2026/11/01/draft-story/';
const FUTURE = '/news/2026/12/25/future-story/';
const PUBLISHED = '/news/2026/11/24/markup-characters-in-headline/';

const built: Record<'production' | 'preview', string> = { production: '', preview: '' };

beforeAll(async () => {
  for (const mode of ['production', 'preview'] as const) {
    const { dir, content } = copyContent(`preview-build-${mode}`, FIXTURES);
    const r = await buildContent(dir, content, 170_000, { env: mode === 'preview' ? { MASTHEAD_PREVIEW: '1' } : {} });
    expect(r.status, r.output).toBe(0);
    built[mode] = join(dir, 'dist');
  }
}, 340_000);

const text = (dist: string, file: string) => readFileSync(join(dist, file), 'utf8');
const feedsAndSitemaps = (dist: string) => listFiles(dist).filter((f) => f.endsWith('.xml'));
const banner = (dist: string, path: string) => textContent(all(loadPage(dist, path), '[data-preview-state]')).trim();
const robots = (dist: string, path: string) => attr(one(loadPage(dist, path), 'head meta[name="robots"]'), 'content');

describe('a preview build (MASTHEAD_PREVIEW=1)', () => {
  it('builds drafts and scheduled stories, each marked on the page', () => {
    const paths = articlePaths(built.preview);
    expect(paths).toEqual(expect.arrayContaining([DRAFT, FUTURE, PUBLISHED]));
    expect(banner(built.preview, DRAFT)).toBe('Draft: not published');
    expect(banner(built.preview, FUTURE)).toBe('Scheduled for December 25, 2026 at 6:00 AM EST');
    expect(all(loadPage(built.preview, PUBLISHED), '[data-preview-state]')).toHaveLength(0);
    // Lists say it too: the home page's card for each unpublished story, and only for those.
    const $ = loadPage(built.preview, '/');
    const marks = all($, '[data-preview-state]').map((el) => [attr(one(closest($, el, 'article')!, 'a'), 'href'), textContent(el).trim()]);
    expect(marks).toEqual(
      expect.arrayContaining([
        [FUTURE, 'Scheduled for December 25, 2026 at 6:00 AM EST'],
        [DRAFT, 'Draft: not published'],
      ]),
    );
    expect(marks.every(([, text]) => /^(Draft: not published|Scheduled for )/.test(text!))).toBe(true);
    expect(marks.some(([href]) => href === PUBLISHED)).toBe(false);
  });

  it('says noindex on every page, and in every response header', () => {
    const pages = listFiles(built.preview).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(20);
    for (const page of pages) {
      // The web editor's page says `noindex, nofollow` of its own.
      expect(robots(built.preview, urlPathOf(page)), page).toBe(page.startsWith('admin/') ? 'noindex, nofollow' : 'noindex');
    }
    const headers = text(built.preview, '_headers');
    expect(headers).toMatch(/^\/\*\n(?: {2}.+\n)* {2}X-Robots-Tag: noindex\n/m);
  });

  it('lists no draft or scheduled story in any feed or sitemap, and no page at all in the page sitemap', () => {
    const xml = feedsAndSitemaps(built.preview);
    expect(xml).toEqual(expect.arrayContaining(['rss.xml', 'news-sitemap.xml']));
    for (const file of xml) {
      const body = text(built.preview, file);
      expect(body, file).not.toMatch(/DRAFTMARKER|FUTUREMARKER|draft-story|future-story|draft-with-audio/);
    }
    // The published story is still in the main feed, so the filter is not just an empty feed.
    expect(text(built.preview, 'rss.xml')).toContain(PUBLISHED);
    // Every preview page is noindex, and the page sitemap leaves noindex pages out: none is written.
    expect(xml.filter((f) => f.startsWith('sitemap'))).toEqual([]);
    expect(text(built.preview, 'robots.txt')).not.toMatch(/Sitemap:/);
    expect(text(built.production, 'robots.txt')).toMatch(/^Sitemap: .*\/sitemap-index\.xml$/m);
  });
});

describe('a production build of the same content', () => {
  it('has no draft or scheduled story anywhere, and no preview marks', () => {
    const paths = articlePaths(built.production);
    expect(paths).toContain(PUBLISHED);
    expect(paths).not.toContain(DRAFT);
    expect(paths).not.toContain(FUTURE);
    for (const file of listFiles(built.production).filter((f) => /\.(html|xml|json|txt)$/.test(f))) {
      expect(text(built.production, file), file).not.toMatch(/DRAFTMARKER|FUTUREMARKER|data-preview-state/);
    }
  });

  it('is indexable: no noindex meta on stories, no X-Robots-Tag header but the web editor’s', () => {
    expect(robots(built.production, PUBLISHED)).toBeUndefined();
    expect(robots(built.production, '/')).toBeUndefined();
    // `_headers` blocks: a path line, then its indented headers.
    const blocks = text(built.production, '_headers').split(/\n(?=\/)/);
    const noindexed = blocks.filter((b) => b.includes('X-Robots-Tag')).map((b) => b.split('\n')[0]);
    expect(noindexed).toEqual(['/admin/*']);
    expect(text(built.production, 'sitemap-0.xml')).toContain(PUBLISHED);
  });
});

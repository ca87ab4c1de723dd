import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_OUTPUTS, PAGE_ROUTES, reservedBy } from '../../src/data/site-routes';
import { listFiles } from '../../src/lib/list-files';
import { ROOT } from '../helpers/sites';

/** Every page file, as Astro routes it (relative to src/pages). */
const pages = listFiles(join(ROOT, 'src/pages')).filter((f) => /\.(astro|ts|md|mdx|html)$/.test(f));

/**
 * An address a page file writes, made from its file name as Astro's router does: `[id]` and
 * `[...page]` filled in, `index` dropped, an endpoint keeps its extension (`rss.xml.ts` →
 * `rss.xml`), and `404.astro` is written as `404.html`.
 */
function sampleAddress(file: string): string {
  const route = file
    .replace(/\.(astro|ts|md|mdx|html)$/, '')
    .replace(/\[\.\.\.[^\]]+\]/g, 'a/b')
    .replace(/\[[^\]]+\]/g, 'x1')
    .replace(/(^|\/)index$/, '$1');
  if (route === '404') return '/404.html';
  return `/${route}${route === '' || route.endsWith('/') || /\.[a-z]+$/.test(route) ? '' : '/'}`;
}

describe('the list of addresses the build writes', () => {
  it('knows every page file in src/pages, and only those', () => {
    expect(pages.length).toBeGreaterThan(10);
    expect(Object.keys(PAGE_ROUTES).sort()).toEqual(pages);
  });

  it.each(pages.filter((p) => typeof PAGE_ROUTES[p] !== 'string' && !p.startsWith('[')))('reserves what %s writes', (page) => {
    expect(reservedBy(sampleAddress(page)), sampleAddress(page)).toBe((PAGE_ROUTES[page] as { what: string }).what);
  });

  // Pages whose addresses start with a parameter: what they write is spelled out.
  it('reserves the home page and its pagination, and leaves other root addresses to aliases', () => {
    expect(PAGE_ROUTES['[...page].astro']).toMatchObject({ paths: ['/'], folders: ['/page/'] });
    expect(reservedBy('/')).toBe('the home page and its later pages');
    expect(reservedBy('/page/2/')).toBe('the home page and its later pages');
    expect(PAGE_ROUTES['[...alias].ts']).toBe('aliases');
    expect(PAGE_ROUTES['news/[...path].astro']).toBe('story permalinks');
    expect(reservedBy('/2019/05/story.html')).toBeUndefined();
    expect(reservedBy('/news/2019/05/01/old-slug/')).toBeUndefined();
  });

  it.each([
    ['/_headers', BUILD_OUTPUTS[1]!.what],
    ['/_redirects', BUILD_OUTPUTS[1]!.what],
    ['/_astro/index.abc.css', BUILD_OUTPUTS[1]!.what],
    ['/_masthead/build-data.json', BUILD_OUTPUTS[1]!.what],
    ['/_pagefind/pagefind.js', 'the search index (/_pagefind/…)'],
    ['/audio/3f2a9c0d41b7/x.mp3', 'story audio (/audio/…)'],
    ['/sitemap-index.xml', 'the sitemaps'],
    ['/sitemap-0.xml', 'the sitemaps'],
    ['/stations/kfix/rss.xml', 'the station pages (/stations/…)'],
    ['/topics/water/page/2/', 'the topic pages (/topics/…)'],
  ])('reserves %s, which an integration or a page writes', (path, what) => {
    expect(reservedBy(path)).toBe(what);
  });

  it('reserves the files of public/, and no folder may be made where one is', () => {
    expect(reservedBy('/favicon.svg', ['favicon.svg'])).toBe('a file of the site (public/favicon.svg)');
    expect(reservedBy('/favicon.svg/x/', ['favicon.svg'])).toBe('a file of the site (public/favicon.svg)');
    expect(reservedBy('/favicon/', ['favicon.svg'])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { pageWeight } from '../../bench/page-weight';
import { BUDGETS, measureSearchRuntime, measureSite, overBudget } from '../../scripts/page-weight';
import { listFiles } from '../helpers/dist';
import { SITES } from '../helpers/sites';
import { isReaderPage } from '../../src/lib/dist-path';

describe.each([
  ['demo', SITES.demo.outDir],
  ['fixtures', SITES.fixtures.outDir],
] as const)('page weight of the %s build', (_name, dist) => {
  const pages = measureSite(dist);

  it('measures every page', () => {
    // The web editor (/admin/) and the search bundle hold no reader page; the budget skips them.
    const html = listFiles(dist).filter(isReaderPage);
    expect(html).toContain('index.html');
    expect(pages).toHaveLength(html.length);
    // The search page's script is counted.
    expect(pages.find((p) => p.path === '/search/')!.js.gzip).toBeGreaterThan(500);
  });

  it(`keeps every page within ${BUDGETS.pageBytes / 1024} KB and ${BUDGETS.jsBytes / 1024} KB of JS (gzip)`, () => {
    expect(overBudget(pages)).toEqual([]);
  });

  it('weighs a page as the bench does, to the byte', () => {
    const story = pages.find((p) => p.path.startsWith('/news/') && p.images.raw > 0)!;
    for (const page of [story, pages.find((p) => p.path === '/')!, pages.find((p) => p.path === '/search/')!]) {
      const bench = pageWeight(dist, 'page', page.path);
      expect({ html: bench.html, css: bench.css, js: bench.js, total: bench.total, files: bench.files }).toEqual({
        html: page.html,
        css: page.css,
        js: page.js,
        total: page.total,
        files: page.assets,
      });
    }
    // A story page shows its photo beside the total, not in it.
    expect(story.total.raw).toBe(story.html.raw + story.css.raw + story.js.raw);
  });

  it('builds a search runtime that the search page fetches on demand', () => {
    const runtime = measureSearchRuntime(dist);
    expect(runtime.files).toContain('/_pagefind/pagefind.js');
    expect(runtime.files.some((f) => f.startsWith('/_pagefind/wasm.'))).toBe(true);
    expect(runtime.size.gzip).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { BUDGETS, measureSearchRuntime, measureSite, overBudget } from '../../scripts/page-weight';
import { listFiles } from '../helpers/dist';
import { SITES } from '../helpers/sites';

describe.each([
  ['demo', SITES.demo.outDir],
  ['fixtures', SITES.fixtures.outDir],
] as const)('page weight of the %s build', (_name, dist) => {
  const pages = measureSite(dist);

  it('measures every page', () => {
    const html = listFiles(dist).filter((f) => f.endsWith('.html') && !f.startsWith('pagefind/'));
    expect(pages).toHaveLength(html.length);
    // The search page's script is counted.
    expect(pages.find((p) => p.path === '/search/')!.js.gzip).toBeGreaterThan(500);
  });

  it(`keeps every page within ${BUDGETS.pageBytes / 1024} KB and ${BUDGETS.jsBytes / 1024} KB of JS (gzip)`, () => {
    expect(overBudget(pages)).toEqual([]);
  });

  it('builds a search runtime that the search page fetches on demand', () => {
    const runtime = measureSearchRuntime(dist);
    expect(runtime.files).toContain('/pagefind/pagefind.js');
    expect(runtime.files.some((f) => f.startsWith('/pagefind/wasm.'))).toBe(true);
    expect(runtime.size.gzip).toBeGreaterThan(0);
  });
});

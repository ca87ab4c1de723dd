import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUDGETS, measureSite, overBudget, pageKind } from '../../scripts/page-weight';

/** Text that barely compresses, so sizes stay near their raw length. */
function noise(bytes: number, seed = 1): string {
  let x = seed;
  let out = '';
  while (out.length < bytes) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out += x.toString(36);
  }
  return out.slice(0, bytes);
}

let dist: string;
function site(files: Record<string, string>) {
  dist = mkdtempSync(join(tmpdir(), 'page-weight-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dist, path)), { recursive: true });
    writeFileSync(join(dist, path), content);
  }
  return dist;
}
afterEach(() => rmSync(dist, { recursive: true, force: true }));

const page = (head: string, body = '<p>Hello</p>') => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;

describe('measureSite', () => {
  it('counts the HTML, its stylesheets and its scripts, following static imports but not images', () => {
    const weights = measureSite(
      site({
        'index.html': page(
          '<link rel="stylesheet" href="/_astro/a.css"><script type="module" src="/_astro/entry.js"></script>',
          '<img src="/_astro/photo.jpg">',
        ),
        '_astro/a.css': 'body{color:red}',
        '_astro/entry.js': `import{x}from"./shared.js";import"./side.js";x(${JSON.stringify(noise(3000))})`,
        '_astro/shared.js': 'export const x=(s)=>console.log(s)',
        '_astro/side.js': 'document.title="side"',
        '_astro/photo.jpg': noise(50_000),
      }),
    );
    expect(weights).toHaveLength(1);
    const [home] = weights;
    expect(home!.path).toBe('/');
    expect(home!.assets.sort()).toEqual(['/_astro/a.css', '/_astro/entry.js', '/_astro/shared.js', '/_astro/side.js']);
    expect(home!.js.raw).toBeGreaterThan(3000);
    expect(home!.js.gzip).toBeLessThan(home!.js.raw);
    expect(home!.total.gzip).toBe(home!.html.gzip + home!.css.gzip + home!.js.gzip);
    // The 50 KB photo is not page weight.
    expect(home!.total.raw).toBeLessThan(10_000);
  });

  it('leaves out the search index’s own files', () => {
    const weights = measureSite(site({ 'index.html': page(''), '_pagefind/ui.html': page('') }));
    expect(weights.map((w) => w.path)).toEqual(['/']);
  });

  it('names the page when it loads a file that is not in the build', () => {
    expect(() => measureSite(site({ 'news/a/index.html': page('<script src="/_astro/gone.js"></script>') }))).toThrow(
      /news\/a\/index\.html loads \/_astro\/gone\.js/,
    );
  });
});

describe('overBudget', () => {
  it('flags a page whose HTML alone is over the page budget', () => {
    const pages = measureSite(site({ 'index.html': page('', `<p>${noise(BUDGETS.pageBytes * 2)}</p>`), 'ok/index.html': page('') }));
    expect(overBudget(pages)).toEqual([{ path: '/', what: 'page', bytes: pages[0]!.total.gzip, budget: BUDGETS.pageBytes }]);
  });

  it('flags a page whose scripts are over the JS budget even when the page total fits', () => {
    const pages = measureSite(
      site({
        'index.html': page('<script type="module" src="/_astro/big.js"></script>'),
        '_astro/big.js': `console.log(${JSON.stringify(noise(BUDGETS.jsBytes * 3))})`,
      }),
    );
    expect(overBudget(pages, { pageBytes: 1e9, jsBytes: BUDGETS.jsBytes }).map((p) => p.what)).toEqual(['js']);
  });

  it('passes pages within budget', () => {
    expect(overBudget(measureSite(site({ 'index.html': page('') })))).toEqual([]);
  });
});

describe('pageKind', () => {
  it.each([
    ['/', 'home'],
    ['/page/2/', 'home, later pages'],
    ['/news/2026/11/20/x/', 'story'],
    ['/stations/kfix/schedule/', 'schedule'],
    ['/stations/kfix/', 'station'],
    ['/404.html', '404'],
    ['/topics/water/', 'topics'],
  ])('%s is a %s page', (path, kind) => expect(pageKind(path)).toBe(kind));
});

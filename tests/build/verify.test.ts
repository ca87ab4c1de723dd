import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../helpers/dist';
import { ROOT, SITES, TMP } from '../helpers/sites';

const verify = (dir: string) => {
  const r = spawnSync('npm', ['run', '--silent', 'verify', '--', dir], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
};
/** The lines verify prints for problems (`  ✗ file: message`). */
const problems = (out: string) => out.split('\n').filter((l) => l.startsWith('  ✗ '));

const edit = (file: string, change: (text: string) => string) => {
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing; the fixture moved`);
  writeFileSync(file, after);
};

describe('npm run verify on sound builds', () => {
  it.each(['fixtures', 'demo'] as const)('passes the %s site', (site) => {
    const { status, out } = verify(SITES[site].outDir);
    expect(problems(out)).toEqual([]);
    expect(out).toMatch(/verify host files: ok[\s\S]*verify links: ok[\s\S]*verify html: ok[\s\S]*verify feeds: ok/);
    expect(status).toBe(0);
  });
});

describe('npm run verify on a broken build', () => {
  const broken = `${TMP}/verify-broken`;
  const PHOTO_PAGE = 'news/2026/11/20/local-story-with-photo/index.html';
  const WIRE_PAGE = 'news/2026/11/21/wire-story/index.html';
  const MOVED_PAGE = 'news/2026/07/10/moved-story-with-aliases/index.html';
  const MULTI_PAGE = 'news/2026/11/19/multi-author/index.html';
  let result: { status: number | null; out: string };
  let missingImage: string;

  beforeAll(() => {
    rmSync(broken, { recursive: true, force: true });
    cpSync(SITES.fixtures.outDir, broken, { recursive: true });
    // A broken link: a topic that does not exist.
    edit(join(broken, MOVED_PAGE), (t) => t.replace('href="/topics/water/"', 'href="/topics/no-such-topic/"'));
    // A link to an id that is not there; and a link to an alias, which the host redirects (fine).
    edit(join(broken, MULTI_PAGE), (t) => t.replace('href="#main"', 'href="#no-such-anchor"'));
    edit(join(broken, 'authors/ben-editor/index.html'), (t) =>
      t.replace('</main>', '<a href="/news/2026/07/09/river-trail-closed/">old address</a></main>'),
    );
    // An invalid page: a duplicate id and a block element inside the headline.
    edit(join(broken, WIRE_PAGE), (t) => t.replace(/<h1([^>]*)>/, '<h1$1 id="main"><div>'));
    // A missing image: the lead photo's JPEG fallback.
    const photo = readFileSync(join(broken, PHOTO_PAGE), 'utf8');
    missingImage = /<img[^>]+src="\/(_astro\/[^"]+)"/.exec(photo)![1]!;
    unlinkSync(join(broken, missingImage));
    // A sitemap listing a page that was never built, and one that does not parse.
    edit(join(broken, 'sitemap-0.xml'), (t) =>
      t.replace('</urlset>', '<url><loc>https://news.example.org/news/1999/01/01/gone/</loc></url></urlset>'),
    );
    writeFileSync(join(broken, 'feed.xml'), '<?xml version="1.0"?><rss><channel><title>A & B</title></channel></rss>');
    writeFileSync(
      join(broken, 'atom.xml'),
      '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://news.example.org/news/2026/11/20/local-story-with-photo/"/></entry>' +
        '<entry><link rel="alternate" href="https://news.example.org/news/2026/11/22/never-built/"/></entry></feed>',
    );
    // _headers without the rule for hashed assets, and a page whose inline style the CSP has no hash for.
    edit(join(broken, '_headers'), (t) => t.replace(/\/_astro\/\*\n {2}Cache-Control: [^\n]+\n/, ''));
    edit(join(broken, 'stations/index.html'), (t) => t.replace('<style>', '<style>.injected{color:red}'));
    // A search file written after the host files were (as a postbuild step would), and a CSP
    // that lost the WebAssembly allowance the search index needs.
    mkdirSync(join(broken, '_pagefind'), { recursive: true });
    writeFileSync(join(broken, '_pagefind/pagefind-late.js'), 'export {}');
    edit(join(broken, '_headers'), (t) => t.replaceAll(" 'wasm-unsafe-eval'", ''));
    result = verify(broken);
  });

  it('fails', () => {
    expect(result.status).toBe(1);
    expect(result.out).toMatch(/verify: \d+ problems in /);
  });

  it('names the page with the broken link, and the link', () => {
    expect(problems(result.out)).toContain(`  ✗ ${MOVED_PAGE}: broken link /topics/no-such-topic/ (no such file)`);
  });

  it('names the page linking to an id the target page does not have', () => {
    expect(problems(result.out)).toContain(
      `  ✗ ${MULTI_PAGE}: link to /news/2026/11/19/multi-author/#no-such-anchor, but that page has no id "no-such-anchor"`,
    );
  });

  it('names the invalid page and what is wrong with it', () => {
    const wire = problems(result.out).filter((l) => l.startsWith(`  ✗ ${WIRE_PAGE}:`));
    expect(wire.some((l) => /Duplicate ID "main" \(no-dup-id\)/.test(l))).toBe(true);
    expect(wire.some((l) => /<div> element is not permitted as content under <h1>/.test(l))).toBe(true);
  });

  it('names every page that shows the missing image', () => {
    const lines = problems(result.out).filter((l) => l.includes(`broken image /${missingImage} (no such file)`));
    expect(lines).toContain(`  ✗ ${PHOTO_PAGE}: broken image /${missingImage} (no such file)`);
    // Every page whose HTML shows it, and no other.
    const showing = listFiles(broken).filter((f) => f.endsWith('.html') && readFileSync(join(broken, f), 'utf8').includes(missingImage));
    expect(lines.map((l) => l.slice(4, l.indexOf(':'))).sort()).toEqual(showing.sort());
  });

  it('names the sitemap listing a URL with no file, and the feed that does not parse', () => {
    expect(problems(result.out)).toContain(
      '  ✗ sitemap-0.xml: lists https://news.example.org/news/1999/01/01/gone/, which has no file in the build',
    );
    expect(problems(result.out).some((l) => l.startsWith('  ✗ feed.xml: does not parse as XML'))).toBe(true);
    expect(problems(result.out).filter((l) => l.startsWith('  ✗ atom.xml:'))).toEqual([
      '  ✗ atom.xml: lists https://news.example.org/news/2026/11/22/never-built/, which has no file in the build',
    ]);
  });

  it('names the path type _headers has no Cache-Control rule for', () => {
    const assets = listFiles(broken).filter((f) => f.startsWith('_astro/'));
    const types = new Set(assets.map((f) => /\.[^.]+$/.exec(f)![0]));
    for (const ext of types)
      expect(problems(result.out).some((l) => l.startsWith(`  ✗ _headers: no Cache-Control rule for ${ext} files under /_astro/`))).toBe(
        true,
      );
  });

  it('names a search index the host files do not cover', () => {
    expect(problems(result.out)).toContain('  ✗ _headers: no Cache-Control rule for .js files under /_pagefind/: /_pagefind/pagefind-late.js');
    expect(
      problems(result.out).some((l) =>
        l.startsWith("  ✗ _headers: dist/_pagefind/ exists but the CSP's script-src lacks 'wasm-unsafe-eval'"),
      ),
    ).toBe(true);
  });

  it('names the page whose inline style the CSP would block', () => {
    expect(problems(result.out).some((l) => l.startsWith('  ✗ stations/index.html: the CSP in _headers blocks its inline <style>'))).toBe(
      true,
    );
  });

  it('reports nothing about the files it did not break', () => {
    const named = new Set(problems(result.out).map((l) => l.slice(4, l.indexOf(':'))));
    const pagesWithTheImage = listFiles(SITES.fixtures.outDir).filter(
      (f) => f.endsWith('.html') && readFileSync(join(broken, f), 'utf8').includes(missingImage),
    );
    const expected = new Set([
      MOVED_PAGE,
      MULTI_PAGE,
      WIRE_PAGE,
      'sitemap-0.xml',
      'feed.xml',
      'atom.xml',
      '_headers',
      'stations/index.html',
      ...pagesWithTheImage,
    ]);
    expect([...named].filter((f) => !expected.has(f))).toEqual([]);
  });
});

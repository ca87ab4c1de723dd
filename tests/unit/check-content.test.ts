import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bodyStart } from '../../src/markdown/body';
import { siteConfig } from '../../src/site.config';
import { checkContent } from '../../src/validation/check-content';
import { ContentCheckFailed, contentGate } from '../../src/validation/content-gate';
import { formatProblem, formatReport, isError } from '../../src/validation/problems';
import { redirectFile, redirectPage } from '../../src/utils/redirect-page';
import { FIXTURE_NOW, ROOT, TMP } from '../helpers/sites';
import { markdownToHtml } from 'satteri';
import { pathToFileURL } from 'node:url';

const check = (contentDir: string, now = FIXTURE_NOW) =>
  checkContent({ contentDir, root: ROOT, now, embedHosts: siteConfig.embedHosts, defaultStation: 'kfix' });

/** The small valid site of the malformed catalogue, plus `files`, in its own folder. */
function site(name: string, files: Record<string, string>) {
  const dir = join(TMP, 'unit-check', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, 'tests/fixtures/malformed/_base'), dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const fm = (extra = '', body = 'Text.\n') =>
  `---\ntitle: A fine story\ndek: A dek.\nbyline: ada-reporter\nstation: kfix\ndate: 2026-11-20T09:30:00-06:00\n${extra}---\n\n${body}`;

describe('checkContent', () => {
  it('passes the demo content without a single problem', () => {
    const { problems, counts } = checkContent({
      contentDir: 'content',
      root: ROOT,
      now: FIXTURE_NOW,
      embedHosts: siteConfig.embedHosts,
      defaultStation: 'kxpr',
    });
    expect(problems.map(formatProblem)).toEqual([]);
    expect(counts).toEqual({ articles: 18, stations: 3, authors: 6 });
  });

  it("passes the fixture content, warning only that the scheduled story will publish later, in its station's time", () => {
    const { problems } = check('tests/fixtures/content');
    expect(problems.map(formatProblem)).toEqual([
      'tests/fixtures/content/articles/2026/future-story.md:6: date: is in the future: the story will publish at December 25, 2026 at 6:00 AM EST (it appears with the first build after that time)',
    ]);
    expect(problems.every((p) => !isError(p))).toBe(true);
  });

  it('warns about long headlines and deks, empty bodies, http links, unused images and messy file names', () => {
    const dir = site('warnings', {
      'articles/2026/long.md': fm().replace('A fine story', 'x'.repeat(120)).replace('A dek.', 'y'.repeat(210)),
      'articles/2026/empty.md': fm('', ''),
      'articles/2026/links.md': fm('', 'See [the old site](http://example.org/).\n'),
      'articles/2026/unused.jpg': 'not looked at: no story uses it',
      'articles/2026/Messy Name.md': fm('slug: tidy-name\n').replace('A fine story', 'Another'),
      'articles/2026/Messy Name Two.md': fm().replace('A fine story', 'A third'),
      'articles/2026/notes.pdf': '%PDF',
    });
    const all = check(dir).problems;
    expect(all.filter(isError)).toEqual([]);
    const text = all.map(formatProblem).join('\n');
    expect(text).toContain('long.md:2: title: is 120 characters');
    expect(text).toContain('long.md:3: dek: is 210 characters');
    expect(text).toContain('empty.md:9: body: the story has no text');
    expect(text).toContain('links.md:9: body: a link goes to an insecure http: address, http://example.org/');
    expect(text).toContain(
      'Messy Name Two.md: file: the file name has capitals, spaces or accents (rename it to messy-name-two.md, or set slug:)',
    );
    expect(text).not.toContain('Messy Name.md: file:');
    expect(text).toContain('notes.pdf: file: is not published');
    expect(text).toContain('unused.jpg: file: is not used by any story');
  });

  it('lists every problem in every file in one pass, including the cross-file ones of a story with schema errors', () => {
    const dir = site('all-at-once', {
      'articles/2026/a.md': fm('updatd: 2026-11-21\n')
        .replace('ada-reporter', 'no-such-person')
        .replace('2026-11-20T09:30:00-06:00', '2025-02-30'),
      'articles/2026/b.md': fm().replace('station: kfix', 'station: nope'),
      'authors/bad.yaml': 'name: x\n',
    });
    const report = check(dir)
      .problems.filter(isError)
      .map((p) => formatProblem(p).slice(dir.length - ROOT.length));
    expect(report.sort()).toEqual([
      '/articles/2026/a.md:4: byline: unknown author "no-such-person" (add content/authors/no-such-person.yaml, or write a guest\'s full name, e.g. Bill Chappell)',
      '/articles/2026/a.md:6: date: "2025-02-30" is not a real date: 2025-02 has 28 days (write it as 2026-11-20T09:30:00-06:00, or 2026-11-20 09:30 for the station\'s time zone)',
      '/articles/2026/a.md:7: updatd: unknown field "updatd" (did you mean "updated"?)',
      '/articles/2026/b.md:5: station: unknown station "nope" (use one of: kfix)',
      '/authors/bad.yaml: bio: is required (a sentence or two about the reporter)',
      '/authors/bad.yaml: title: is required (e.g. title: Statehouse Reporter, KXPR)',
    ]);
  });

  it('formats errors, then warnings', () => {
    const report = formatReport([
      { file: 'b.md', field: 'title', message: 'w', severity: 'warning' },
      { file: 'a.md', field: 'dek', line: 3, message: 'e', hint: 'h' },
    ]);
    expect(report).toBe('1 error:\n  a.md:3: dek: e (h)\n\n1 warning:\n  b.md: title: w');
  });
});

describe("the build's content gate", () => {
  const hooks = (gate: ReturnType<typeof contentGate>) => gate.hooks as Record<string, (params: unknown) => void>;
  const logger = () => {
    const lines: string[] = [];
    return {
      lines,
      info: (m: string) => lines.push(`info ${m}`),
      warn: (m: string) => lines.push(`warn ${m}`),
      error: (m: string) => lines.push(`error ${m}`),
    };
  };

  it('stops a build before Astro reads anything, with the whole report; in dev it logs and carries on', () => {
    const dir = site('gate', { 'articles/2026/a.md': fm().replace('station: kfix', 'station: nope') });
    const gate = contentGate({ contentDir: dir, embedHosts: siteConfig.embedHosts, defaultStation: 'kfix' });
    const params = (command: string, log = logger()) => ({
      command,
      config: { root: pathToFileURL(ROOT + '/') },
      logger: log,
      updateConfig: () => {},
    });
    expect(() => hooks(gate)['astro:config:setup']!(params('build'))).toThrow(ContentCheckFailed);
    try {
      hooks(gate)['astro:config:setup']!(params('build'));
    } catch (e) {
      expect((e as Error).message).toContain('a.md:5: station: unknown station "nope" (use one of: kfix)');
    }
    const log = logger();
    hooks(gate)['astro:config:setup']!(params('dev', log));
    expect(log.lines.join('\n')).toContain('error content check failed: 1 error');
  });

  it('fails the build if the Markdown plugin found a problem while Astro rendered (Astro only logs render errors)', () => {
    const gate = contentGate({ contentDir: 'content', embedHosts: siteConfig.embedHosts, defaultStation: 'kxpr' });
    expect(() => hooks(gate)['astro:build:start']!({})).not.toThrow();
    // Astro renders the trimmed body and gives no line offset: the plugin counts it from the file.
    const file = 'tests/fixtures/content/articles/2026/wire-story.md';
    const bodyLine = bodyStart(readFileSync(join(ROOT, file), 'utf8')).line;
    markdownToHtml('Hi\n\n<script>x()</script>', { mdastPlugins: [gate.htmlPolicy], fileURL: pathToFileURL(join(ROOT, file)) });
    expect(() => hooks(gate)['astro:build:start']!({})).toThrow(`${file}:${bodyLine + 2}: body: <script> is not allowed`);
    expect(() => hooks(gate)['astro:build:done']!({})).toThrow(ContentCheckFailed);
  });
});

describe('alias redirect pages', () => {
  it('sit at the old path exactly, as a directory index or a file', () => {
    expect(redirectFile('/news/2019/05/old-slug/')).toBe('news/2019/05/old-slug/index.html');
    expect(redirectFile('/2019/05/story.html')).toBe('2019/05/story.html');
  });

  it('are never written for an alias outside the grammar', () => {
    for (const alias of ['//stations/kxpr/', '/a/../../x/', '/x#y', '/*'])
      expect(() => redirectFile(alias), alias).toThrow('redirect page: the alias');
  });

  it('send readers on, tell search engines the canonical page, and escape the title', () => {
    const html = redirectPage({
      to: '/news/2026/11/20/x/',
      title: 'A "quoted" <b>story</b> & more',
      site: 'https://news.example.org',
      lang: 'en-US',
    });
    expect(html).toContain('<meta http-equiv="refresh" content="0; url=/news/2026/11/20/x/">');
    expect(html).toContain('<link rel="canonical" href="https://news.example.org/news/2026/11/20/x/">');
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).toContain('<a href="/news/2026/11/20/x/">A &quot;quoted&quot; &lt;b&gt;story&lt;/b&gt; &amp; more</a>');
    expect(html).not.toContain('<b>');
  });
});

import { describe, expect, it } from 'vitest';
import { siteConfig } from '../../src/site.config';
import { slugFromPath } from '../../src/lib/slug';
import { checkContent } from '../../src/checks/index';
import { formatProblem, formatReport, isError } from '../../src/content/problems';
import { fm, site } from '../helpers/content-site';
import { FIXTURE_NOW, ROOT } from '../helpers/sites';

const check = (contentDir: string, now = FIXTURE_NOW) =>
  checkContent({ contentDir, root: ROOT, now, embedHosts: siteConfig.embedHosts, defaultStation: 'kfix' });

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

  it("suggests the file name the build would give the story's URL (`&` becomes `and`)", () => {
    const dir = site('rename-hint', { 'articles/2026/Café & Bar.md': fm() });
    expect(check(dir).problems.map(formatProblem)).toContain(
      `${dir.slice(ROOT.length)}/articles/2026/Café & Bar.md: file: the file name has capitals, spaces or accents (rename it to cafe-and-bar.md, or set slug:)`,
    );
    expect(slugFromPath('2026/Café & Bar')).toBe('cafe-and-bar');
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

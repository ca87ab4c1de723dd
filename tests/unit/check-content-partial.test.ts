import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'astro/zod';
import { describe, expect, it } from 'vitest';
import { siteConfig } from '../../src/site.config';
import { checkContent } from '../../src/checks/index';
import { passedFields } from '../../src/checks/passed-fields';
import { formatProblem, isError } from '../../src/content/problems';
import { fm, site } from '../helpers/content-site';
import { FIXTURE_NOW, ROOT } from '../helpers/sites';

/** Every problem of one run, as printed, with the site's folder cut off the paths. */
const report = (dir: string) =>
  checkContent({ contentDir: dir, root: ROOT, now: FIXTURE_NOW, embedHosts: siteConfig.embedHosts, defaultStation: 'kfix' })
    .problems.map((p) => formatProblem(p).replace(`${dir.slice(ROOT.length)}/`, ''))
    .sort();

describe('passedFields: what of an object passed its own schema', () => {
  const shape = {
    name: z.string().min(1),
    station: z.string().regex(/^[a-z]+$/),
    note: z.string().optional(),
    tags: z.array(z.string().min(1)).max(3).default([]),
    byline: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((b) => (Array.isArray(b) ? b : [b])),
  };

  it('keeps the fields that passed, parsed, and leaves out the ones that failed or are missing', () => {
    expect(passedFields(shape, { station: 'Bad Id', note: 'n', byline: 'ada' })).toEqual({
      note: 'n',
      tags: [],
      byline: ['ada'],
    });
  });

  it('keeps the items of a list that passed at their places, after the list transforms', () => {
    expect(passedFields(shape, { name: 'x', station: 'kfix', tags: ['a', '', 'c'], byline: ['ada', '', 'bo'] })).toEqual({
      name: 'x',
      station: 'kfix',
      tags: ['a', undefined, 'c'],
      byline: ['ada', undefined, 'bo'],
    });
  });

  it('drops a list that fails as a whole: too many items, no item left, or not a list', () => {
    const got = passedFields(shape, { name: 'x', station: 'kfix', tags: ['a', 'b', 'c', 'd'], byline: [''] });
    expect(got).toEqual({ name: 'x', station: 'kfix' });
    expect(passedFields(shape, { name: 'x', station: 'kfix', tags: 'a' })).not.toHaveProperty('tags');
    // Not an object at all: only what has a default passes.
    expect(passedFields(shape, ['a list'])).toEqual({ tags: [] });
  });
});

describe('check:content checks across files what passed the schema, in the same run', () => {
  it('reports a bad alias, the alias that takes over the RSS feed and audio linked from outside, all at once', () => {
    const dir = site('partial-aliases-audio', {
      'articles/2026/a.md': fm('aliases: ["//stations/kfix/", "/rss.xml"]\naudio:\n  src: ./linked.mp3\n  duration: "1:00"\n'),
    });
    mkdirSync(join(dir, '..', 'outside'), { recursive: true });
    writeFileSync(join(dir, '..', 'outside', 'secret.mp3'), 'secret');
    symlinkSync(join(dir, '..', 'outside', 'secret.mp3'), join(dir, 'articles/2026/linked.mp3'));
    expect(report(dir)).toEqual([
      'articles/2026/a.md:7: aliases[0]: "//stations/kfix/" has an empty segment (//) (write the old address as a plain path, e.g. /news/2019/05/old-slug/ or /2019/05/story.html)',
      "articles/2026/a.md:7: aliases[1]: /rss.xml is taken by the site's RSS feed (an alias is an old address of this story; remove it)",
      'articles/2026/a.md:9: audio.src: ./linked.mp3 is a link that leads outside the content folder (copy the file itself into content/ instead of linking to it)',
      'articles/2026/linked.mp3: file: is a link that leads outside the content folder (copy the file itself into content/ instead of linking to it)',
    ]);
  });

  it('checks the byline and aliases of a story without a station, and reports nothing about the missing station but that', () => {
    const dir = site('partial-no-station', {
      'articles/2026/a.md': fm('aliases: ["/news/2026/11/20/good-story/", "/rss.xml"]\n')
        .replace('station: kfix\n', '')
        .replace('byline: ada-reporter', 'byline: [ada-reporter, no-one]'),
    });
    expect(report(dir)).toEqual([
      'articles/2026/a.md: station: is required (e.g. station: kxpr, a file name in content/stations/)',
      'articles/2026/a.md:4: byline[1]: unknown author "no-one" (add content/authors/no-one.yaml, or write a guest\'s full name, e.g. Bill Chappell)',
      'articles/2026/a.md:6: aliases[0]: /news/2026/11/20/good-story/ is the permalink of ' +
        `${dir.slice(ROOT.length)}/articles/2026/good-story.md (an alias cannot replace a live story; remove it)`,
      "articles/2026/a.md:6: aliases[1]: /rss.xml is taken by the site's RSS feed (an alias is an old address of this story; remove it)",
    ]);
  });

  it('keeps the indexes of a list with a failed item: the second byline name is byline[1]', () => {
    const dir = site('partial-byline-item', {
      'articles/2026/a.md': fm().replace('byline: ada-reporter', 'byline: ["", no-one]'),
    });
    expect(report(dir).filter((l) => l.includes('byline'))).toEqual([
      'articles/2026/a.md:4: byline[0]: must not be empty (e.g. byline: maria-okafor, or byline: [maria-okafor, "Bill Chappell"])',
      'articles/2026/a.md:4: byline[1]: unknown author "no-one" (add content/authors/no-one.yaml, or write a guest\'s full name, e.g. Bill Chappell)',
    ]);
  });

  it('a station or author file with a bad field still exists: its stories are not told it is unknown', () => {
    const dir = site('partial-data-files', {
      'stations/kfix.yaml': 'name: KFIX\ntimezone: Mars/Olympus\n',
      'authors/ada-reporter.yaml': 'name: Ada Reporter\ntitle: Reporter\nbio: Ada.\ntwiter: ada\n',
      'articles/2026/a.md': fm('tags: ["!!!"]\n'),
    });
    const problems = report(dir);
    expect(problems.some((l) => l.includes('unknown station') || l.includes('unknown author'))).toBe(false);
    // The time zone failed, so the dates and permalinks, which need it, are not judged; the tags are.
    expect(problems.filter((l) => l.startsWith('articles/'))).toEqual([
      'articles/2026/a.md:7: tags: "!!!" has no letters or digits to make a topic page from (use a word, e.g. Politics)',
    ]);
    expect(problems.filter((l) => l.startsWith('stations/')).map((l) => l.split(':').slice(0, 3).join(':'))).toContain(
      'stations/kfix.yaml:2: timezone',
    );
  });

  it('a slug that fails is not replaced by the file name: no false permalink clash', () => {
    const dir = site('partial-bad-slug', {
      'articles/2026/taken.md': fm('slug: "Not A Slug"\n').replace('A fine story', 'One'),
      'articles/2026/other.md': fm('slug: taken\n').replace('A fine story', 'Two'),
    });
    expect(report(dir).filter((l) => l.startsWith('articles/'))).toEqual([
      'articles/2026/taken.md:7: slug: must be lowercase words joined by hyphens, e.g. city-council-vote (e.g. slug: council-bridge-vote)',
    ]);
  });

  it('a draft flag that fails is not read as "published": no warning that the story is scheduled', () => {
    const dir = site('partial-bad-draft', {
      'articles/2026/a.md': fm('draft: "yes"\n').replace('2026-11-20T09:30:00-06:00', '2027-01-01T09:00:00-06:00'),
    });
    const problems = report(dir);
    expect(problems).toEqual(['articles/2026/a.md:7: draft: must be true or false, not text (write draft: true or draft: false)']);
  });

  it('a missing required field says "is required" with the example, never "has the wrong form"', () => {
    const dir = site('partial-missing-byline', { 'articles/2026/a.md': fm().replace('byline: ada-reporter\n', '') });
    const { problems } = checkContent({ contentDir: dir, root: ROOT, now: FIXTURE_NOW, embedHosts: siteConfig.embedHosts });
    expect(problems.filter(isError).map(formatProblem)).toEqual([
      `${dir.slice(ROOT.length)}/articles/2026/a.md: byline: is required (e.g. byline: maria-okafor, or byline: [maria-okafor, "Bill Chappell"])`,
    ]);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { urlPathOf } from '../../src/integrations/host-files/policy';
import { siteConfig } from '../../src/site.config';
import { aliasGrammarProblem } from '../../src/lib/alias-path';
import { checkContent } from '../../src/checks/index';
import { listFiles } from '../helpers/dist';
import { copyContent } from '../helpers/run';
import { FIXTURE_NOW, ROOT, SITES } from '../helpers/sites';

/**
 * The list of addresses an alias may not take (src/data/site-routes.ts, story permalinks, other
 * aliases, public/) checked against a real build: a story offering every file of the built
 * fixture site as one of its aliases gets every one refused by `check:content`'s checker, for a
 * collision and not by luck of the grammar. A page or an integration that writes somewhere new
 * fails this test until the list knows it.
 */
it('refuses every address of a real build as an alias', () => {
  const addresses = [...new Set(listFiles(SITES.fixtures.outDir).map(urlPathOf))].sort();
  expect(addresses.length).toBeGreaterThan(100);
  expect(addresses).toEqual(
    expect.arrayContaining(['/', '/_headers', '/_redirects', '/rss.xml', '/robots.txt', '/sitemap-index.xml', '/search/']),
  );

  const { content } = copyContent('site-routes/content', SITES.fixtures.contentDir);
  const story = join(content, 'articles/2026/takes-everything.md');
  writeFileSync(
    story,
    [
      '---',
      'title: A story that wants every address',
      'dek: Its aliases are every file the build wrote.',
      'byline: ada-reporter',
      'station: kfix',
      'date: 2026-11-21T09:30:00-06:00',
      'aliases:',
      ...addresses.map((a) => `  - ${JSON.stringify(a)}`),
      '---',
      '',
      'Text.',
      '',
    ].join('\n'),
  );
  const { problems } = checkContent({
    contentDir: content,
    root: ROOT,
    now: FIXTURE_NOW,
    embedHosts: siteConfig.embedHosts,
    defaultStation: 'kfix',
  });
  const refused = new Map(problems.filter((p) => p.file.endsWith('takes-everything.md')).map((p) => [p.field, p.message]));

  const missed = addresses.filter((_, i) => !refused.has(`aliases[${i}]`));
  expect(missed, 'addresses the build writes that an alias could take').toEqual([]);
  // A grammatical address is refused because it is taken, never for another reason.
  const wrongReason = addresses
    .map((a, i) => [a, refused.get(`aliases[${i}]`) ?? ''] as const)
    .filter(([a, why]) => !aliasGrammarProblem(a) && !/ (is taken by|is the permalink of|is already an alias of) /.test(why));
  expect(wrongReason).toEqual([]);
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectBuildRefuses,
  expectCheckRefuses,
  expectNamed,
  expectNoOutsideFile,
  expectRefused,
  loadCases,
  prepare,
  type CatalogueCase,
} from '../helpers/catalogue';
import { buildContent, checkContent, type RunResult } from '../helpers/run';
import { ROOT } from '../helpers/sites';

/**
 * The hostile-content catalogue: tests/fixtures/hostile/<case>/ holds files an attacker would
 * commit on top of a small valid site (`tests/fixtures/malformed/_base`), and `case.json` says
 * which class of attack it is and which file and field must be named.
 *
 * Every case is refused twice: by check:content's checker alone (in this process; through the
 * CLI, with its time and heap caps, for the `limits` class), and by a real `astro build`. The
 * cases that only add files are checked by the CLI and built together in one site, whose
 * reports must each list every one of them (the content gate lists every problem at once);
 * cases that replace a base file (a station, say) are built alone. Beside every copy of the content lies `outside/`, holding
 * files with a marker that must never reach `dist/`, whatever the case does.
 */
const CATALOGUE = join(ROOT, 'tests/fixtures/hostile');

const CLASSES = [
  'confinement', // files from outside content/ (traversal, symlinks)
  'aliases', // an alias that takes over a page, a host file or a redirect rule
  'html-parsing', // markup the policy would read differently from a browser
  'article-escape', // markup that leaves the article or adds to the site-wide CSP
  'svg', // scripted SVG
  'limits', // resource abuse: sizes, counts, depth, time, names
  'stations', // station settings that inject into URLs, headers or the CSP
] as const;

interface Case extends CatalogueCase {
  class: (typeof CLASSES)[number];
  /** True when the case replaces a file of the base site, so it cannot share a build with the others. */
  buildAlone?: boolean;
}

const cases = loadCases<Case>(CATALOGUE);

it('has at least 40 cases, each naming its class and saying what it proves', () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
  for (const [name, c] of cases) {
    expect(CLASSES, name).toContain(c.class);
    expect(c.proves.length, name).toBeGreaterThan(10);
  }
  // Every class has cases.
  for (const k of CLASSES)
    expect(
      cases.some(([, c]) => c.class === k),
      k,
    ).toBe(true);
});

describe.concurrent('hostile content: check:content refuses each case, naming the file and field', () => {
  it.each(cases)('%s', (name, c) => expectCheckRefuses(CATALOGUE, `hostile/${name}/check`, name, c, { cli: c.class === 'limits' }));
});

describe('hostile content: check:content and the build refuse it, name every case, and publish nothing', () => {
  const together = cases.filter(([, c]) => !c.buildAlone);
  let check: RunResult;
  let build: RunResult;
  let site: { dir: string; content: string };

  beforeAll(async () => {
    site = await prepare(CATALOGUE, 'hostile/all-together', together);
    [check, build] = await Promise.all([
      checkContent(site.content, { direct: true, timeoutMs: 120_000 }),
      buildContent(site.dir, site.content, 300_000, { refused: true }),
    ]);
  }, 320_000);

  it('one check and one build of every case that can share a site fail, and write no site', () => {
    expectRefused(check);
    expectRefused(build);
    expect(existsSync(join(site.dir, 'dist/index.html'))).toBe(false);
    expectNoOutsideFile(join(site.dir, 'dist'));
    expectNoOutsideFile(join(site.dir, 'cache'));
  });

  it.each(together)("check:content's report names %s", (_name, c) => expectNamed(check, site.content, c));
  it.each(together)("the build's report names %s", (_name, c) => expectNamed(build, site.content, c));

  const alone = cases.filter(([, c]) => c.buildAlone);
  // (vitest refuses an empty table; the suite appears once a case replaces a base file.)
  if (alone.length)
    describe.concurrent('cases that replace a base file are built alone', () => {
      it.each(alone)('%s', async (name, c) => {
        const { dir } = await expectBuildRefuses(CATALOGUE, `hostile/${name}/build`, name, c);
        expectNoOutsideFile(join(dir, 'dist'));
      });
    });
});

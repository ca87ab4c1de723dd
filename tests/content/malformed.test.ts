import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  combine,
  expectBuildRefuses,
  expectCheckRefuses,
  expectNamed,
  expectRefused,
  loadCases,
  type CatalogueCase,
} from '../helpers/catalogue';
import { buildContent, checkContent, type RunResult } from '../helpers/run';
import { ROOT } from '../helpers/sites';

/**
 * The catalogue of malformed content: tests/fixtures/malformed/<case>/ holds the files that
 * break a small valid site (`_base`), and `case.json` says which file and field must be named.
 *
 * Every case is refused by check:content's checker alone, in its own copy of the content (in
 * this process; through the CLI for the two oversized cases, where its caps matter). The CLI and
 * the build, which runs the same checker as its content gate, are each proved with one run over
 * the whole catalogue, which must fail naming every case (the two cases that replace a file of
 * `_base` go together in a second folder, as they would break the other stories' cross-file
 * checks), and the build with a few cases built alone, one for each way the gate finds a
 * problem: a schema error, a body the HTML policy refuses, a problem across files, and a
 * missing file. (It once ran one build per case: 44 builds.)
 */
const CATALOGUE = join(ROOT, 'tests/fixtures/malformed');
const cases = loadCases<CatalogueCase>(CATALOGUE);

/** Built alone: each reaches the gate by another path. */
const BUILT_ALONE = [
  'missing-title', // the schema
  'script-tag-in-body', // the Markdown body through the HTML policy
  'two-files-on-one-permalink', // across files: two stories on one URL
  'image-file-missing', // a file the story points at
];

/** Checked through the CLI alone too: oversized input, where its time and heap caps matter. */
const CHECKED_BY_THE_CLI = ['five-megabyte-frontmatter-value', 'oversized-frontmatter-under-the-file-limit'];

it('has at least 25 cases, each saying what it proves', () => {
  expect(cases.length).toBeGreaterThanOrEqual(25);
  for (const [name, c] of cases) expect(c.proves.length, name).toBeGreaterThan(10);
  for (const name of [...BUILT_ALONE, ...CHECKED_BY_THE_CLI]) expect(cases.map(([n]) => n)).toContain(name);
});

describe.concurrent('malformed content: check:content exits 1 naming the file, line and field', () => {
  it.each(cases)('%s', (name, c) =>
    expectCheckRefuses(CATALOGUE, `malformed/${name}/check`, name, c, { cli: CHECKED_BY_THE_CLI.includes(name) }),
  );
});

describe('malformed content: check:content and the build fail naming every case at once, and write no site', () => {
  let runs: { dir: string; content: string; cases: [string, CatalogueCase][]; replacesBase: boolean; check: RunResult; build: RunResult }[];

  beforeAll(async () => {
    const folders = await combine(CATALOGUE, 'malformed/all-together', cases);
    runs = await Promise.all(
      folders.map(async (f) => {
        const [check, build] = await Promise.all([
          checkContent(f.content, { direct: true, timeoutMs: 120_000 }),
          buildContent(f.dir, f.content, 300_000, { refused: true }),
        ]);
        return { ...f, check, build };
      }),
    );
  }, 320_000);

  it('one folder holds every case that only adds files, a second those that replace a base file', () => {
    expect(runs.map((r) => [r.replacesBase, r.cases.length])).toEqual([
      [false, cases.length - 2],
      [true, 2], // author-file-with-unknown-field, station-with-bad-time-zone
    ]);
    for (const { dir, check, build } of runs) {
      expectRefused(check);
      expectRefused(build);
      expect(existsSync(join(dir, 'dist/index.html'))).toBe(false);
    }
  });

  const named = (name: string, report: 'check' | 'build') => {
    const run = runs.find((r) => r.cases.some(([n]) => n === name))!;
    expectNamed(run[report], run.content, run.cases.find(([n]) => n === name)![1]);
  };
  it.each(cases)("check:content's report names %s", (name) => named(name, 'check'));
  it.each(cases)("the build's report names %s", (name) => named(name, 'build'));

  describe.concurrent('a case of each kind, built alone', () => {
    it.each(cases.filter(([name]) => BUILT_ALONE.includes(name)))('%s', async (name, c) => {
      await expectBuildRefuses(CATALOGUE, `malformed/${name}/build`, name, c);
    });
  });
});

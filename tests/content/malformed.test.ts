import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { combine, expectNamed, loadCases, prepare, type CatalogueCase } from '../helpers/catalogue';
import { buildContent, checkContent, type RunResult } from '../helpers/run';
import { ROOT } from '../helpers/sites';

/**
 * The catalogue of malformed content: tests/fixtures/malformed/<case>/ holds the files that
 * break a small valid site (`_base`), and `case.json` says which file and field must be named.
 *
 * Every case is refused by `npm run check:content` alone, in its own copy of the content. The
 * build runs the same checker as its content gate, so it is proved with one build of the whole
 * catalogue, which must fail naming every case (the two cases that replace a file of `_base`
 * build together in a second, as they would break the other stories' cross-file checks), and
 * with a few cases built alone, one for each way the gate finds a problem: a schema error, a
 * body the HTML policy refuses, a problem across files, and a missing file.
 * (It once ran one build per case: 44 builds.)
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

it('has at least 25 cases, each saying what it proves', () => {
  expect(cases.length).toBeGreaterThanOrEqual(25);
  for (const [name, c] of cases) expect(c.proves.length, name).toBeGreaterThan(10);
  for (const name of BUILT_ALONE) expect(cases.map(([n]) => n)).toContain(name);
});

describe.concurrent('malformed content: check:content exits 1 naming the file, line and field', () => {
  it.each(cases)('%s', async (name, c) => {
    const { content } = await prepare(CATALOGUE, `malformed/${name}/check`, [[name, c]]);
    const result = await checkContent(content, { direct: true });
    expect(result.signal, 'killed by the time limit').toBeNull();
    expect(result.status, result.output).toBe(1);
    expectNamed(result, content, c);
  });
});

describe('malformed content: the build fails naming the same, and writes no site', () => {
  let builds: { dir: string; content: string; cases: [string, CatalogueCase][]; replacesBase: boolean; result: RunResult }[];

  beforeAll(async () => {
    const folders = await combine(CATALOGUE, 'malformed/all-together', cases);
    builds = await Promise.all(folders.map(async (f) => ({ ...f, result: await buildContent(f.dir, f.content, 300_000, { refused: true }) })));
  }, 320_000);

  it('one build holds every case that only adds files, a second those that replace a base file', () => {
    expect(builds.map((b) => [b.replacesBase, b.cases.length])).toEqual([
      [false, cases.length - 2],
      [true, 2], // author-file-with-unknown-field, station-with-bad-time-zone
    ]);
    for (const { dir, result } of builds) {
      expect(result.signal, 'killed by the time limit').toBeNull();
      expect(result.status, result.output).toBe(1);
      expect(existsSync(join(dir, 'dist/index.html'))).toBe(false);
    }
  });

  it.each(cases)('its report names %s', (name) => {
    const build = builds.find((b) => b.cases.some(([n]) => n === name))!;
    expectNamed(build.result, build.content, build.cases.find(([n]) => n === name)![1]);
  });

  describe.concurrent('a case of each kind, built alone', () => {
    it.each(cases.filter(([name]) => BUILT_ALONE.includes(name)))('%s', async (name, c) => {
      const { dir, content } = await prepare(CATALOGUE, `malformed/${name}/build`, [[name, c]]);
      const result = await buildContent(dir, content, 120_000, { refused: true });
      expect(result.signal, 'killed by the time limit').toBeNull();
      expect(result.status, result.output).toBe(1);
      expectNamed(result, content, c);
      expect(existsSync(join(dir, 'dist/index.html'))).toBe(false);
    });
  });
});

import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildContent, checkContent, copyContent, overlay, shown, type RunResult } from '../helpers/run';
import { ROOT } from '../helpers/sites';

/**
 * The catalogue of malformed content: tests/fixtures/malformed/<case>/ holds the files that
 * break a small valid site (`_base`), and `case.json` says which file and field must be named.
 * Each case is checked twice, each time in its own copy of the content: `npm run check:content`
 * and a real `astro build` must both exit non-zero and name the file, line and field.
 */
const CATALOGUE = join(ROOT, 'tests/fixtures/malformed');
const BASE = join(CATALOGUE, '_base');

interface Case {
  /** The file that must be named, relative to the content folder. */
  file: string;
  field: string;
  /** The line that must be named, where the problem has one. */
  line?: number;
  /** Text the problem's line must contain. */
  message: string;
  /** Another file the same line must name (a collision names both). */
  alsoNames?: string;
  /** Renames after copying, for names best not committed (spaces, non-ASCII). */
  renames?: Record<string, string>;
  /** Files too big to commit, written by the test. */
  generate?: 'huge-frontmatter-value' | 'big-frontmatter';
  proves: string;
}

const GENERATORS: Record<NonNullable<Case['generate']>, (content: string) => void> = {
  // 5 MB in one frontmatter value: refused by size before any parsing.
  'huge-frontmatter-value': (content) =>
    writeFileSync(join(content, 'articles/2026/huge.md'), `---\ntitle: "${'x'.repeat(5 * 1024 * 1024)}"\n---\n\nBody.\n`),
  // 200 KB of frontmatter in a file under the story size limit.
  'big-frontmatter': (content) =>
    writeFileSync(
      join(content, 'articles/2026/big.md'),
      `---\ntitle: A story\ndek: "${'word '.repeat(40_000)}"\nbyline: ada-reporter\nstation: kfix\ndate: 2026-11-20T09:30:00-06:00\n---\n\nBody.\n`,
    ),
};

const cases = readdirSync(CATALOGUE)
  .filter((name) => !name.startsWith('_'))
  .sort()
  .map((name) => [name, JSON.parse(readFileSync(join(CATALOGUE, name, 'case.json'), 'utf8')) as Case] as const);

function prepare(name: string, c: Case, mode: 'check' | 'build') {
  const { dir, content } = copyContent(`malformed/${name}/${mode}`, BASE);
  overlay(join(CATALOGUE, name, 'content'), content);
  for (const [from, to] of Object.entries(c.renames ?? {})) renameSync(join(content, from), join(content, to));
  if (c.generate) GENERATORS[c.generate](content);
  return { dir, content };
}

/** The report line for the expected file and field, with the expected line number. */
function expectNamed(result: RunResult, content: string, c: Case) {
  const where = `${shown(join(content, c.file))}${c.line ? `:${c.line}` : ''}: ${c.field}: `;
  const line = result.output.split('\n').find((l) => l.trim().startsWith(where));
  expect(line, `no line starting "${where}" in:\n${result.output}`).toBeDefined();
  expect(line).toContain(c.message);
  if (c.alsoNames) expect(line).toContain(shown(join(content, c.alsoNames)));
}

it('has at least 25 cases, each saying what it proves', () => {
  expect(cases.length).toBeGreaterThanOrEqual(25);
  for (const [, c] of cases) expect(c.proves.length).toBeGreaterThan(10);
});

describe.concurrent('malformed content', () => {
  describe.each(cases)('%s', (name, c) => {
    it('check:content exits 1 naming the file, line and field', async () => {
      const { content } = prepare(name, c, 'check');
      const result = await checkContent(content, { direct: true });
      expect(result.signal, 'killed by the time limit').toBeNull();
      expect(result.status, result.output).toBe(1);
      expectNamed(result, content, c);
    });

    it('the build fails naming the same, and writes no site', async () => {
      const { dir, content } = prepare(name, c, 'build');
      const result = await buildContent(dir, content);
      expect(result.signal, 'killed by the time limit').toBeNull();
      expect(result.status, result.output).toBe(1);
      expectNamed(result, content, c);
      expect(existsSync(join(dir, 'dist/index.html'))).toBe(false);
    });
  });
});

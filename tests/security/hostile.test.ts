import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildContent, checkContent, copyContent, overlay, shown, type RunResult } from '../helpers/run';
import { ROOT } from '../helpers/sites';

/**
 * The hostile-content catalogue: tests/fixtures/hostile/<case>/ holds files an attacker would
 * commit on top of a small valid site (`tests/fixtures/malformed/_base`), and `case.json` says
 * which class of attack it is and which file and field must be named.
 *
 * Every case is refused twice: by `npm run check:content` alone, and by a real `astro build`.
 * The cases that only add files are built together in one site, whose report must list every
 * one of them (the content gate lists every problem at once); cases that replace a base file
 * (a station, say) are built alone. Beside every copy of the content lies `outside/`, holding
 * files with a marker that must never reach `dist/`, whatever the case does.
 */
const CATALOGUE = join(ROOT, 'tests/fixtures/hostile');
const BASE = join(ROOT, 'tests/fixtures/malformed/_base');
/** Written into every file outside the content folder; must never appear in a built site. */
const OUTSIDE_MARKER = 'MASTHEAD-OUTSIDE-SECRET-7c1e';

const CLASSES = [
  'confinement', // files from outside content/ (traversal, symlinks)
  'aliases', // an alias that takes over a page, a host file or a redirect rule
  'html-parsing', // markup the policy would read differently from a browser
  'article-escape', // markup that leaves the article or adds to the site-wide CSP
  'svg', // scripted SVG
  'limits', // resource abuse: sizes, counts, depth, time, names
  'stations', // station settings that inject into URLs, headers or the CSP
] as const;

interface Case {
  class: (typeof CLASSES)[number];
  /** The file that must be named, relative to the content folder. */
  file: string;
  field: string;
  /** The line that must be named, where the problem has one. */
  line?: number;
  /** Text the problem's line must contain. */
  message: string;
  /** Symlinks to make after copying: link (relative to content/) → target; `{outside}` is the outside folder. */
  symlinks?: Record<string, string>;
  /** Renames after copying, for names best not committed (control characters, bidi overrides). */
  renames?: Record<string, string>;
  /** True when the case replaces a file of the base site, so it cannot share a build with the others. */
  buildAlone?: boolean;
  proves: string;
}

/** A case may ship `generate.ts` (default export `(content, outside) => void`) for files too big or odd to commit. */
type Generator = (content: string, outside: string) => void | Promise<void>;

const cases = readdirSync(CATALOGUE)
  .filter((name) => !name.startsWith('_') && existsSync(join(CATALOGUE, name, 'case.json')))
  .sort()
  .map((name) => [name, JSON.parse(readFileSync(join(CATALOGUE, name, 'case.json'), 'utf8')) as Case] as const);

/** The files outside the content folder that cases try to publish. */
function writeOutside(dir: string): string {
  const outside = join(dir, 'outside');
  mkdirSync(outside, { recursive: true });
  for (const name of ['secret.mp3', 'secret.txt', 'secret.png', 'secret.jpg', 'secret.svg', 'secret.yaml', 'secret.md']) {
    writeFileSync(join(outside, name), `${OUTSIDE_MARKER} ${name}\n`);
  }
  return outside;
}

async function applyCase(name: string, c: Case, content: string, outside: string) {
  overlay(join(CATALOGUE, name, 'content'), content);
  for (const [from, to] of Object.entries(c.renames ?? {})) renameSync(join(content, from), join(content, to));
  for (const [link, target] of Object.entries(c.symlinks ?? {})) {
    mkdirSync(resolve(content, link, '..'), { recursive: true });
    symlinkSync(target.replace('{outside}', outside), join(content, link));
  }
  const gen = join(CATALOGUE, name, 'generate.ts');
  if (existsSync(gen)) {
    const mod = (await import(pathToFileURL(gen).href)) as { default: Generator };
    await mod.default(content, outside);
  }
}

async function prepare(label: string, only: (readonly [string, Case])[]) {
  const { dir, content } = copyContent(`hostile/${label}`, BASE);
  const outside = writeOutside(dir);
  for (const [name, c] of only) await applyCase(name, c, content, outside);
  return { dir, content };
}

/** The report line for the expected file and field, with the expected line number. */
function expectNamed(result: RunResult, content: string, c: Case) {
  const where = `${shown(join(content, c.file))}${c.line ? `:${c.line}` : ''}: ${c.field}: `;
  const line = result.output.split('\n').find((l) => l.trim().startsWith(where));
  expect(line, `no line starting "${where}" in:\n${result.output}`).toBeDefined();
  expect(line).toContain(c.message);
}

/** Every file under `dir` (following no links), read as bytes, must not hold the marker. */
function expectNoOutsideFile(dir: string) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    expect(readFileSync(file).includes(OUTSIDE_MARKER), `${file} holds a file from outside content/`).toBe(false);
  }
}

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
  it.each(cases)('%s', async (name, c) => {
    const { content } = await prepare(`${name}/check`, [[name, c]]);
    const result = await checkContent(content, { direct: true });
    expect(result.signal, 'killed by the time limit').toBeNull();
    expect(result.status, result.output).toBe(1);
    expectNamed(result, content, c);
  });
});

describe('hostile content: the build refuses it, names every case, and publishes nothing', () => {
  const together = cases.filter(([, c]) => !c.buildAlone);
  let result: RunResult;
  let site: { dir: string; content: string };

  beforeAll(async () => {
    site = await prepare('all-together', together);
    result = await buildContent(site.dir, site.content, 300_000);
  }, 320_000);

  it('one build of every case that can share a site fails and writes no site', () => {
    expect(result.signal, 'killed by the time limit').toBeNull();
    expect(result.status, result.output).toBe(1);
    expect(existsSync(join(site.dir, 'dist/index.html'))).toBe(false);
    expectNoOutsideFile(join(site.dir, 'dist'));
    expectNoOutsideFile(join(site.dir, 'cache'));
  });

  it.each(together)('its report names %s', (_name, c) => expectNamed(result, site.content, c));

  const alone = cases.filter(([, c]) => c.buildAlone);
  // (vitest refuses an empty table; the suite appears once a case replaces a base file.)
  if (alone.length)
    describe.concurrent('cases that replace a base file are built alone', () => {
      it.each(alone)('%s', async (name, c) => {
        const { dir, content } = await prepare(`${name}/build`, [[name, c]]);
        const alone = await buildContent(dir, content);
        expect(alone.signal, 'killed by the time limit').toBeNull();
        expect(alone.status, alone.output).toBe(1);
        expectNamed(alone, content, c);
        expect(existsSync(join(dir, 'dist/index.html'))).toBe(false);
        expectNoOutsideFile(join(dir, 'dist'));
      });
    });
});

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { checkContent as checker } from '../../src/checks/index';
import { formatReport, isError } from '../../src/content/problems';
import { siteConfig } from '../../src/site.config';
import { buildContent, checkContent, copyContent, overlay, shown, type RunResult } from './run';
import { FIXTURE_NOW, ROOT } from './sites';

/**
 * The catalogues of bad content (tests/fixtures/malformed, tests/fixtures/hostile): each case is a
 * folder with `case.json` and the files it lays on the small valid site `_base`, and must be
 * refused by check:content and by the build, naming the file, line and field.
 */
export const BASE = join(ROOT, 'tests/fixtures/malformed/_base');

/** What every case says about itself in `case.json`. */
export interface CatalogueCase {
  /** The file that must be named, relative to the content folder. */
  file: string;
  field: string;
  /** The line that must be named, where the problem has one. */
  line?: number;
  /** Text the problem's line must contain. */
  message: string;
  /** Another file the same line must name (a collision names both). */
  alsoNames?: string;
  /** More problems the same run must report (a case about listing every problem at once). */
  alsoReports?: Pick<CatalogueCase, 'file' | 'field' | 'line' | 'message'>[];
  /** Renames after copying, for names best not committed (spaces, non-ASCII, control characters). */
  renames?: Record<string, string>;
  /** Symlinks to make after copying: link (relative to content/) → target; `{outside}` is the outside folder. */
  symlinks?: Record<string, string>;
  proves: string;
}

/** A case may ship `generate.ts` (default export `(content, outside) => void`) for files too big or odd to commit. */
type Generator = (content: string, outside: string) => void | Promise<void>;

/** The cases of a catalogue, by name, sorted. */
export function loadCases<C extends CatalogueCase>(catalogue: string): (readonly [string, C])[] {
  return readdirSync(catalogue)
    .filter((name) => !name.startsWith('_') && existsSync(join(catalogue, name, 'case.json')))
    .sort()
    .map((name) => [name, JSON.parse(readFileSync(join(catalogue, name, 'case.json'), 'utf8')) as C] as const);
}

/** Lays case `name` on the content folder: its files, renames, symlinks, then its generator. */
export async function applyCase(catalogue: string, name: string, c: CatalogueCase, content: string, outside: string) {
  overlay(join(catalogue, name, 'content'), content);
  for (const [from, to] of Object.entries(c.renames ?? {})) renameSync(join(content, from), join(content, to));
  for (const [link, target] of Object.entries(c.symlinks ?? {})) {
    mkdirSync(resolve(content, link, '..'), { recursive: true });
    symlinkSync(target.replace('{outside}', outside), join(content, link));
  }
  const gen = join(catalogue, name, 'generate.ts');
  if (existsSync(gen)) {
    const mod = (await import(pathToFileURL(gen).href)) as { default: Generator };
    await mod.default(content, outside);
  }
}

/** Written into every file outside the content folder; must never appear in a built site. */
export const OUTSIDE_MARKER = 'MASTHEAD-OUTSIDE-SECRET-7c1e';

/** The files outside the content folder that cases try to publish, in `<dir>/outside`. */
export function writeOutside(dir: string): string {
  const outside = join(dir, 'outside');
  mkdirSync(outside, { recursive: true });
  for (const name of ['secret.mp3', 'secret.txt', 'secret.png', 'secret.jpg', 'secret.svg', 'secret.yaml', 'secret.md']) {
    writeFileSync(join(outside, name), `${OUTSIDE_MARKER} ${name}\n`);
  }
  return outside;
}

/** A fresh copy of `_base` at tests/.tmp/<label>/content with `cases` laid on it, beside `outside/`. */
export async function prepare(catalogue: string, label: string, cases: readonly (readonly [string, CatalogueCase])[]) {
  const { dir, content } = copyContent(label, BASE);
  const outside = writeOutside(dir);
  for (const [name, c] of cases) await applyCase(catalogue, name, c, content, outside);
  return { dir, content, outside };
}

/**
 * What `check:content --content <content> --now FIXTURE_NOW` reports and exits with, from the
 * checker it runs (src/checks) called in this process. Starting the CLI costs 1.7 s of CPU in
 * module loading, once per case of two catalogues of over 100 cases; the CLI itself runs over
 * each whole catalogue at once, and alone on the cases that abuse resources, where its time and
 * heap caps matter.
 */
export function checkHere(content: string): RunResult {
  const started = performance.now();
  const { problems } = checker({ contentDir: content, root: ROOT, now: FIXTURE_NOW, embedHosts: siteConfig.embedHosts });
  return {
    status: problems.some(isError) ? 1 : 0,
    signal: null,
    output: formatReport(problems),
    ms: Math.round(performance.now() - started),
  };
}

/** A run the content gate stopped: exit 1, not killed by its time limit. */
export function expectRefused(result: RunResult) {
  expect(result.signal, 'killed by the time limit').toBeNull();
  expect(result.status, result.output).toBe(1);
}

/**
 * Case `name` alone on a fresh copy of `_base`, checked: the checker must refuse it, naming its
 * file, line and field. `cli`: through the real check:content process, capped in time and heap.
 */
export async function expectCheckRefuses(catalogue: string, label: string, name: string, c: CatalogueCase, { cli = false } = {}) {
  const { content } = await prepare(catalogue, label, [[name, c]]);
  const result = cli ? await checkContent(content, { direct: true }) : checkHere(content);
  expectRefused(result);
  expectNamed(result, content, c);
}

/** Case `name` alone on a fresh copy of `_base`, built: the build must stop naming it, and write no site. */
export async function expectBuildRefuses(catalogue: string, label: string, name: string, c: CatalogueCase) {
  const { dir, content } = await prepare(catalogue, label, [[name, c]]);
  const result = await buildContent(dir, content, 120_000, { refused: true });
  expectRefused(result);
  expectNamed(result, content, c);
  expect(existsSync(join(dir, 'dist/index.html'))).toBe(false);
  return { dir, content, result };
}

/** The report line for the expected file and field, with the expected line number. */
export function expectNamed(
  result: RunResult,
  content: string,
  c: Pick<CatalogueCase, 'file' | 'field' | 'line' | 'message' | 'alsoNames' | 'alsoReports'>,
) {
  for (const more of c.alsoReports ?? []) expectNamed(result, content, more);
  const where = `${shown(join(content, c.file))}${c.line ? `:${c.line}` : ''}: ${c.field}: `;
  const line = result.output.split('\n').find((l) => l.trim().startsWith(where));
  expect(line, `no line starting "${where}" in:\n${result.output}`).toBeDefined();
  expect(line).toContain(c.message);
  if (c.alsoNames) expect(line).toContain(shown(join(content, c.alsoNames)));
}

/** Every file under `dir` (following no links), read as bytes, must not hold the outside marker. */
export function expectNoOutsideFile(dir: string) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    expect(readFileSync(file).includes(OUTSIDE_MARKER), `${file} holds a file from outside content/`).toBe(false);
  }
}

/** Every file under `dir`, relative to it (links as links). */
const filesIn = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));

/**
 * Many cases in one content folder, for one build that must name them all. Each case is laid
 * on its own copy of `_base`; the stories it adds or changes move to `articles/<case>/`, so the
 * cases that all write `articles/2026/bad.md` sit side by side (their lines and fields stay the
 * same). A case that replaces a file of `_base` (its station, its author) would break every
 * other story's cross-file checks, so those cases share a folder of their own, one per replaced
 * file. Returns the folders, each with its cases and where each case's file now is.
 */
export async function combine(catalogue: string, label: string, cases: readonly (readonly [string, CatalogueCase])[]) {
  const base = new Map(filesIn(BASE).map((f) => [f, readFileSync(join(BASE, f))]));
  const folders: { dir: string; content: string; cases: [string, CatalogueCase][]; written: Set<string>; replacesBase: boolean }[] = [];
  const moved = (name: string, file: string) =>
    file.startsWith('articles/') ? `articles/${name}/${file.slice('articles/'.length)}` : file;

  for (const [name, c] of cases) {
    const alone = await prepare(catalogue, `${label}/cases/${name}`, [[name, c]]);
    // What the case adds or changes.
    const changed = filesIn(alone.content).filter((f) => !base.get(f)?.equals(readFileSync(join(alone.content, f))));
    const targets = changed.map((f) => moved(name, f));
    const replacesBase = changed.some((f) => base.has(f));
    let folder = folders.find((d) => d.replacesBase === replacesBase && targets.every((t) => !d.written.has(t)));
    if (!folder) {
      const { dir, content } = copyContent(`${label}/build-${folders.length + 1}`, BASE);
      writeOutside(dir);
      folder = { dir, content, cases: [], written: new Set(), replacesBase };
      folders.push(folder);
    }
    for (const [i, f] of changed.entries()) {
      const to = join(folder.content, targets[i]!);
      mkdirSync(resolve(to, '..'), { recursive: true });
      cpSync(join(alone.content, f), to, { verbatimSymlinks: true });
      folder.written.add(targets[i]!);
    }
    // A folder the case makes is content too, even empty (hidden-folder-of-stories' `.drafts`).
    for (const e of readdirSync(alone.content, { recursive: true, withFileTypes: true })) {
      const d = join(e.parentPath, e.name).slice(alone.content.length + 1);
      if (e.isDirectory() && !existsSync(join(BASE, d))) mkdirSync(join(folder.content, moved(name, d)), { recursive: true });
    }
    folder.cases.push([
      name,
      {
        ...c,
        file: moved(name, c.file),
        ...(c.alsoNames ? { alsoNames: moved(name, c.alsoNames) } : {}),
        ...(c.alsoReports ? { alsoReports: c.alsoReports.map((r) => ({ ...r, file: moved(name, r.file) })) } : {}),
      },
    ]);
  }
  return folders.map(({ dir, content, cases, replacesBase }) => ({ dir, content, cases, replacesBase }));
}

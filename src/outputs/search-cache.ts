import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { linkOrCopy } from '../lib/link-file.ts';
import { listFiles } from '../lib/list-files.ts';

/**
 * The search eras' Pagefind bundles kept between builds (`<cacheDir>/search/`, inside Astro's
 * cacheDir, which CI restores and saves: .github/workflows/publish.yml and publish-sharded.yml).
 * A bundle is a function of its era's documents in their fixed order, Pagefind's options and
 * Pagefind's version, so an entry is named by a digest of exactly those: an era whose stories did not
 * change is copied (hard-linked) from here instead of being indexed again.
 *
 * An entry is written to a temporary folder and renamed into place once complete, with a record
 * of its files and sizes and its page count; an entry that does not match its record (a partial
 * copy, a file changed or lost) is dropped and indexed again, never published.
 */

/** Bumped when what an entry holds, or how the index is made from the documents, changes. */
const FORMAT = 'masthead-search-era/1';
/** The record written last into each entry. */
const RECORD = '.masthead-entry.json';
const TEMP_PREFIX = '.tmp-';

interface EntryRecord {
  format: string;
  pages: number;
  /** Every file of the bundle (paths relative to the entry, `/`-separated) and its size. */
  files: Record<string, number>;
}

/** One document as Pagefind is given it. */
export interface IndexedDocument {
  url: string;
  content: string;
}

/** Pagefind's installed version: part of every key, since another version writes other bytes. */
export function pagefindVersion(): string {
  // `pagefind/package.json` is not in the package's exports, so look for it where Node would look for the package.
  for (const base of createRequire(import.meta.url).resolve.paths('pagefind') ?? []) {
    const file = join(base, 'pagefind', 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  throw new Error('search: cannot find pagefind/package.json to key the search cache by its version');
}

/** The key of an era's bundle: its documents in order, the options Pagefind is given, and its version. */
export function eraKey(documents: readonly IndexedDocument[], pagefindOptions: object, version: string): string {
  const hash = createHash('sha256').update(`${FORMAT}\0${version}\0${JSON.stringify(pagefindOptions)}\0${documents.length}\0`);
  // Lengths first, so no two lists of documents feed the hash the same bytes.
  for (const d of documents) hash.update(`${d.url.length}:${d.url}\0${d.content.length}:`).update(d.content).update('\0');
  return hash.digest('hex').slice(0, 40);
}

export class SearchCache {
  readonly #root: string;
  readonly #used = new Set<string>();

  constructor(root: string) {
    this.#root = root;
  }

  /**
   * Puts the bundle of `key` in `outputPath` (which must not exist): from the cache when it holds a
   * sound entry for it, else made by `write` (into a temporary folder) and kept. Says whether it reused one.
   */
  async place(key: string, pages: number, outputPath: string, write: (dir: string) => Promise<void>): Promise<boolean> {
    this.#used.add(key);
    const entry = join(this.#root, key);
    const reused = existsSync(entry) && this.#sound(entry, pages);
    if (!reused) {
      rmSync(entry, { recursive: true, force: true });
      const temp = join(this.#root, `${TEMP_PREFIX}${key}-${process.pid}`);
      rmSync(temp, { recursive: true, force: true });
      mkdirSync(this.#root, { recursive: true });
      try {
        await write(temp);
        const files: Record<string, number> = {};
        for (const rel of listFiles(temp)) files[rel] = statSync(join(temp, rel)).size;
        const record: EntryRecord = { format: FORMAT, pages, files };
        writeFileSync(join(temp, RECORD), JSON.stringify(record));
        renameSync(temp, entry);
      } catch (error) {
        rmSync(temp, { recursive: true, force: true });
        throw error;
      }
    }
    // A copy (where a link is refused) is checked again as placed: one cut short must fail the build,
    // not publish part of a bundle. A hard link is the entry's own file.
    const { files } = JSON.parse(readFileSync(join(entry, RECORD), 'utf8')) as EntryRecord;
    if (!linkTree(entry, outputPath, Object.keys(files)) && !this.#sound(outputPath, pages, join(entry, RECORD)))
      throw new Error(`search: the era bundle copied to ${outputPath} does not match its cache entry ${entry}`);
    return reused;
  }

  /** Drops every entry this build did not use (and temporary folders of builds no longer running). */
  prune(): number {
    if (!existsSync(this.#root)) return 0;
    let removed = 0;
    for (const name of readdirSync(this.#root)) {
      if (this.#used.has(name)) continue;
      if (name.startsWith(TEMP_PREFIX) && running(Number(name.split('-').at(-1)))) continue;
      rmSync(join(this.#root, name), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  /** Whether `dir` holds the files its record lists, at their sizes (and, for an entry, no others), and
   * Pagefind's entry file counts `pages` pages. A placed copy is checked against its entry's record
   * (its folder may also hold other eras' folders). */
  #sound(dir: string, pages: number, placedFrom?: string): boolean {
    const recordFile = placedFrom ?? join(dir, RECORD);
    try {
      const record = JSON.parse(readFileSync(recordFile, 'utf8')) as EntryRecord;
      if (record.format !== FORMAT || record.pages !== pages) return false;
      const files = Object.entries(record.files);
      for (const [rel, bytes] of files) if (statSync(join(dir, rel)).size !== bytes) return false;
      // Files the record does not list (the record itself aside) mean someone else wrote here.
      if (!placedFrom && listFiles(dir).filter((rel) => rel !== RECORD).length !== files.length) return false;
      const entry = JSON.parse(readFileSync(join(dir, 'pagefind-entry.json'), 'utf8')) as {
        languages: Record<string, { page_count: number }>;
      };
      return Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0) === pages;
    } catch {
      return false;
    }
  }
}

/** The `files` of `from` at the same paths under `to`, hard-linked (a copy where linking is refused,
 * e.g. across file systems). Says whether every file was linked. */
function linkTree(from: string, to: string, files: readonly string[]): boolean {
  let linked = true;
  const made = new Set<string>();
  for (const rel of files) {
    const target = join(to, rel);
    const dir = dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    if (!linkOrCopy(join(from, rel), target)) linked = false;
  }
  return linked;
}

function running(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeAtomic } from './write-atomic.ts';

/**
 * What a build read from each built page, kept between builds by the digest of the page's bytes
 * (its CSP scan and its head facts, src/integrations/host-files/page-facts.ts):
 * a rebuild puts back thousands of unchanged pages, and parsing each of them again was most of
 * `_headers`' and the sitemap's time. Reading and hashing a page costs a fraction of parsing it.
 * Keyed by the bytes, so a page that changed in any way is read afresh; and by `code` (the
 * reader's code and dependencies), so new code starts afresh.
 *
 * The file holds `values`, each distinct value once (most pages ask the same of the CSP), and
 * `pages`, page digest → index in `values`. Only the pages kept in the last build are written, so
 * it does not grow with edits. Its content never goes stale, so a reader that sees an older or a
 * newer file (another build wrote it meanwhile) still gets right answers.
 */
export const DIGEST_CACHE_VERSION = 1;

interface DigestCacheFile<T> {
  version: number;
  code: string;
  values: T[];
  pages: Record<string, number>;
}

export const pageDigest = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('base64url');

export interface DigestCache<T> {
  /** The value kept for bytes with this digest (the same object for equal values), if a build kept one. */
  get(digest: string): T | undefined;
  /** Keeps a value for the next build (values read from the cache too): it must be plain JSON. */
  keep(digest: string, value: T): void;
  /** Writes the values kept in this build, replacing the file in one rename. */
  save(): void;
  readonly stats: { hits: number; misses: number };
}

/** The cache in `file` for reader `code`; empty if missing, damaged, of another version or code. */
export function openDigestCache<T>(file: string, code: string): DigestCache<T> {
  let old: DigestCacheFile<T> | undefined;
  if (existsSync(file)) {
    try {
      const read = JSON.parse(readFileSync(file, 'utf8')) as DigestCacheFile<T>;
      if (read.version === DIGEST_CACHE_VERSION && read.code === code && Array.isArray(read.values) && read.pages) old = read;
    } catch {
      // Damaged (say, a disk filled mid-write): start afresh.
    }
  }
  const values: T[] = [];
  const byText = new Map<string, number>();
  const known = new Map<T, number>();
  const pages: Record<string, number> = {};
  const stats = { hits: 0, misses: 0 };
  return {
    stats,
    get(digest) {
      const i = old && Object.hasOwn(old.pages, digest) ? old.pages[digest] : undefined;
      const value = i === undefined ? undefined : old!.values[i];
      if (value === undefined) stats.misses++;
      else stats.hits++;
      return value;
    },
    keep(digest, value) {
      let i = known.get(value);
      if (i === undefined) {
        const text = JSON.stringify(value);
        i = byText.get(text);
        if (i === undefined) {
          i = values.push(value) - 1;
          byText.set(text, i);
        }
        known.set(value, i);
      }
      pages[digest] = i;
    },
    save() {
      writeAtomic(file, JSON.stringify({ version: DIGEST_CACHE_VERSION, code, values, pages } satisfies DigestCacheFile<T>));
    },
  };
}

import { existsSync, readdirSync, renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Moving a build's previous output out of its way instead of emptying it: Astro empties its
 * outDir one file at a time on its main thread (at 10,000 stories, 15,000 pages and their
 * folders: about a minute at load), while a rename in the same folder is one system call. The
 * old output is then deleted in the background (`removeAside`), with any left by a killed build.
 */
const prefixOf = (out: string) => `.${basename(out)}.old-`;

/** Renames `out` to a hidden sibling and returns its path; undefined if there is none or it cannot be moved. */
export function moveAside(out: string): string | undefined {
  if (!existsSync(out)) return undefined;
  const aside = join(dirname(out), `${prefixOf(out)}${process.pid}-${Date.now()}`);
  renameSync(out, aside);
  return aside;
}

/** Deletes every output of `out` moved aside (this build's and killed builds'). */
export function removeAside(out: string): Promise<void> {
  const parent = dirname(out);
  const asides = existsSync(parent) ? readdirSync(parent).filter((n) => n.startsWith(prefixOf(out))) : [];
  return Promise.all(asides.map((n) => rm(join(parent, n), { recursive: true, force: true, maxRetries: 3 }))).then(() => undefined);
}

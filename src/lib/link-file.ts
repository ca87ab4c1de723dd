import { copyFileSync, linkSync } from 'node:fs';

/**
 * Hard-links `from` to `to` (no data copied: kept shards, cached listings and search eras are
 * tens of thousands of files), or copies it where a link is not possible (another file system).
 * Returns whether it linked. Safe because nothing writes into a built file in place.
 */
export function linkOrCopy(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch {
    copyFileSync(from, to);
    return false;
  }
}

import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Every file under `dir`, relative, with POSIX separators, sorted; a symbolic link is listed as
 * a file and never followed. Not `readdirSync(dir, { recursive: true })`: Node 24.21 descends
 * into linked folders, and a link to a parent loops until the path is too long (measured).
 * A missing `dir` has no files.
 */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

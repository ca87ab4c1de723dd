/** What a built dist/ holds: story pages by slug, and the files a publish would upload after an edit. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { walkFiles } from './measure.ts';
import type { PublishDiff } from './report.ts';

/** Every built page's directory under `dist/news/`, by its last path segment (the slug). */
export function storyPages(dist: string): Map<string, string> {
  const out = new Map<string, string>();
  const root = join(dist, 'news');
  if (!existsSync(root)) return out;
  const stack = [root];
  while (stack.length) {
    const d = stack.pop()!;
    const entries = readdirSync(d, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name === 'index.html')) out.set(d.slice(d.lastIndexOf('/') + 1), join(d, 'index.html'));
    for (const e of entries) if (e.isDirectory()) stack.push(join(d, e.name));
  }
  return out;
}

/** Content hash of every file in a build, by path: what a publish would compare. */
export function hashDist(dist: string): Map<string, string> {
  return new Map(walkFiles(dist).map((f) => [relative(dist, f.path), createHash('sha256').update(readFileSync(f.path)).digest('hex')]));
}

export function diffDist(before: Map<string, string>, after: Map<string, string>): PublishDiff {
  const changed = [...after].filter(([p, h]) => before.has(p) && before.get(p) !== h).map(([p]) => p);
  const added = [...after.keys()].filter((p) => !before.has(p));
  const removed = [...before.keys()].filter((p) => !after.has(p));
  return {
    files: after.size,
    changed: changed.length,
    added: added.length,
    removed: removed.length,
    examples: [...changed, ...added, ...removed].sort().slice(0, 12),
  };
}

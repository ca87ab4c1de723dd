import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/sites';

/** The README's project structure: each entry with its full path, read from the indentation. */
function readmeTree(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Project structure'));
  const block = section.slice(section.indexOf('```\n') + 4, section.indexOf('\n```', section.indexOf('```\n') + 4));
  const stack: string[] = [];
  const entries: string[] = [];
  for (const line of block.split('\n')) {
    const m = /^( *)(\S+)/.exec(line);
    // Continuation lines are indented past the name column, and start with a lowercase word or '('.
    if (!m || m[1]!.length > 20) continue;
    const depth = m[1]!.length / 2;
    const name = m[2]!;
    stack.length = depth;
    stack.push(name);
    entries.push(stack.join(''));
  }
  return entries;
}

const dirs = (path: string) =>
  readdirSync(join(ROOT, path), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `${path}${d.name}/`);

it("every entry of the README's project structure exists", () => {
  const entries = readmeTree();
  expect(entries.length).toBeGreaterThan(30);
  for (const entry of entries) expect(existsSync(join(ROOT, entry)), entry).toBe(true);
});

it("every folder of src/, src/components/ and tests/ is in the README's project structure", () => {
  const entries = new Set(readmeTree());
  for (const dir of [...dirs('src/'), ...dirs('src/components/'), ...dirs('tests/')]) {
    if (dir === 'tests/.tmp/') continue;
    expect(entries.has(dir), dir).toBe(true);
  }
});

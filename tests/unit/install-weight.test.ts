/**
 * decap-cms is installed for its prebuilt, self-contained dist/ only (src/integrations/web-editor.ts
 * copies it to /admin/). Its declared dependencies (decap-cms-app, React, CodeMirror, webpack
 * loaders, media libraries: 632 packages, 24,559 files, 297 MB) are what it was built from, never
 * loaded: package.json's "overrides" install overrides/empty/ in their place, which took npm ci from
 * 1,488 packages to 859.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/sites';

const EMPTY = 'file:./overrides/empty';
const json = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, unknown>;
const overrides = json('package.json').overrides as Record<string, string>;
const decapDependencies = Object.keys(json('node_modules/decap-cms/package.json').dependencies as Record<string, string>);

it("every dependency decap-cms declares is overridden with the empty package, and nothing else is", () => {
  // A decap-cms upgrade that declares a new dependency fails here until it is overridden too.
  expect(decapDependencies.length).toBeGreaterThan(5);
  expect(Object.keys(overrides).sort()).toEqual([...decapDependencies].sort());
  for (const name of decapDependencies) expect(overrides[name], name).toBe(EMPTY);
});

it('the lockfile installs none of them from the registry', () => {
  const packages = (json('package-lock.json') as { packages: Record<string, { link?: boolean; version?: string }> }).packages;
  for (const name of decapDependencies) {
    const entries = Object.entries(packages).filter(([path]) => path.endsWith(`node_modules/${name}`));
    expect(entries.length, name).toBeGreaterThan(0);
    for (const [path, entry] of entries) expect({ path, link: entry.link, version: entry.version }).toEqual({ path, link: true, version: undefined });
  }
});

it("Decap's bundle and its chunks load none of them: webpack inlined what they need", () => {
  const dist = join(ROOT, 'node_modules/decap-cms/dist');
  const bundles = readdirSync(dist).filter((f) => /^(?:\d+\.)?decap-cms\.js$/.test(f));
  expect(bundles).toContain('decap-cms.js');
  for (const f of bundles) {
    const code = readFileSync(join(dist, f), 'utf8');
    for (const name of decapDependencies) expect(code, `${f} loads ${name}`).not.toMatch(new RegExp(`require\\(["']${name}(?:/[^"']*)?["']\\)`));
  }
});

it('code that loads one of them fails loudly, naming the override', () => {
  const require = createRequire(join(ROOT, 'package.json'));
  for (const name of decapDependencies) expect(() => require(name), name).toThrow(/package\.json "overrides"/);
});

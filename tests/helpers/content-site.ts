import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TMP } from './sites';

/** The small valid site of the malformed catalogue. */
export const BASE_SITE = join(ROOT, 'tests/fixtures/malformed/_base');

/** The small valid site of the malformed catalogue, plus `files`, in its own folder under tests/.tmp/unit-check. */
export function site(name: string, files: Record<string, string>) {
  const dir = join(TMP, 'unit-check', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(BASE_SITE, dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A valid story's source, with `extra` frontmatter lines and `body`. */
export const fm = (extra = '', body = 'Text.\n') =>
  `---\ntitle: A fine story\ndek: A dek.\nbyline: ada-reporter\nstation: kfix\ndate: 2026-11-20T09:30:00-06:00\n${extra}---\n\n${body}`;

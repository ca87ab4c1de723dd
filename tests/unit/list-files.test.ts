import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { listFiles } from '../../src/lib/list-files';

it('lists every file under a folder, relative, with / separators, sorted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mh-list-'));
  mkdirSync(join(dir, 'news/b'), { recursive: true });
  mkdirSync(join(dir, 'empty'));
  for (const f of ['news/b/index.html', 'index.html', 'news/a.xml', 'Z.txt']) writeFileSync(join(dir, f), f);
  expect(listFiles(dir)).toEqual(['Z.txt', 'index.html', 'news/a.xml', 'news/b/index.html']);
  expect(listFiles(join(dir, 'missing'))).toEqual([]);
});

it('lists a link as a file and never follows it, even one that points back up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mh-list-'));
  mkdirSync(join(dir, 'a/b'), { recursive: true });
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(dir, 'outside/secret'), 'x');
  symlinkSync('../../outside', join(dir, 'a/b/link'));
  symlinkSync('..', join(dir, 'a/up'));
  expect(listFiles(join(dir, 'a'))).toEqual(['b/link', 'up']);
});

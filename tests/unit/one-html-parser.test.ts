import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { listFiles } from '../../src/lib/list-files';
import { ROOT } from '../helpers/sites';

/** Where code lives: the tests' own folders, not tests/.tmp's built sites. */
const dirs = [
  'src',
  'scripts',
  'bench',
  ...readdirSync(join(ROOT, 'tests'))
    .filter((d) => d !== '.tmp')
    .map((d) => `tests/${d}`),
];
const code = dirs
  .flatMap((dir) => listFiles(join(ROOT, dir)).map((f) => `${dir}/${f}`))
  .filter((f) => /\.(ts|mts|mjs|js|astro)$/.test(f) && !f.startsWith('bench/.work/') && !f.includes('/node_modules/'));

it('reads HTML with parse5 only: nothing imports cheerio or htmlparser2, and cheerio is not installed', () => {
  expect(code).toContain('tests/helpers/html.ts');
  const other = code.filter((f) =>
    /\bfrom ['"](cheerio|htmlparser2)(\/[^'"]*)?['"]|\b(require|import)\(['"](cheerio|htmlparser2)['"]/.test(
      readFileSync(join(ROOT, f), 'utf8'),
    ),
  );
  expect(other).toEqual([]);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: object; devDependencies?: object };
  expect(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })).not.toContain('cheerio');
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { listFiles } from '../../src/lib/list-files';
import { ROOT } from '../helpers/sites';

/** Reading `process.argv` past the script's own path: arguments parsed by hand. */
const HAND_PARSED = /process\.argv(?:\.slice\(|\[[2-9]\])/;

/** CLIs still parsing by hand, in files another lane owns this round; the list may only shrink. */
const NOT_YET = ['bench/run.ts', 'scripts/lighthouse.ts', 'scripts/page-weight.ts', 'scripts/verify.ts'];

const clis = ['scripts', 'bench']
  .flatMap((dir) => listFiles(join(ROOT, dir)).map((f) => `${dir}/${f}`))
  .filter((f) => /\.(ts|mjs)$/.test(f) && !f.startsWith('bench/repro-warm-rebuild/'));

it('every CLI reads its arguments through cliArgs (node:util parseArgs)', () => {
  const byHand = clis.filter((f) => HAND_PARSED.test(readFileSync(join(ROOT, f), 'utf8')));
  expect(byHand.filter((f) => !NOT_YET.includes(f))).toEqual([]);
  // A file fixed elsewhere leaves the list here too.
  expect(NOT_YET.filter((f) => !byHand.includes(f))).toEqual([]);
  const ownParseArgs = clis.filter(
    (f) => f !== 'scripts/lib/cli.ts' && /import \{[^}]*\bparseArgs\b[^}]*\} from 'node:util'/.test(readFileSync(join(ROOT, f), 'utf8')),
  );
  expect(ownParseArgs).toEqual([]);
});

it('a CLI refuses an unknown option with its name and usage (exit 2), and prints the usage for --help (exit 0)', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'scripts/site-manifest.ts'), ...args], { encoding: 'utf8' });
  const bad = run('--bogus');
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/^manifest: Unknown option '--bogus'\nusage: npm run manifest -- \[--dist DIR\]/);
  const help = run('-h');
  expect(help.status).toBe(0);
  expect(help.stdout).toBe('usage: npm run manifest -- [--dist DIR] [--live SITE-URL]\n');
});

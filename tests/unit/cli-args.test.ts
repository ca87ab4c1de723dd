import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles } from '../../src/lib/list-files';
import { ROOT } from '../helpers/sites';

/** Reading `process.argv` past the script's own path (`[0]` node, `[1]` the script): arguments parsed by hand. */
const HAND_PARSED = /process\.argv(?!\[[01]\])/;

const clis = ['scripts', 'bench']
  .flatMap((dir) => listFiles(join(ROOT, dir)).map((f) => `${dir}/${f}`))
  .filter((f) => /\.(ts|mjs)$/.test(f) && !f.startsWith('bench/repro-warm-rebuild/') && f !== 'scripts/lib/cli.ts');

it.each([
  ['const args = process.argv.slice(2);', true],
  ["if (process.argv.includes('--check')) {", true],
  ["const at = process.argv.indexOf('--json');", true],
  ['const dist = process.argv[2] ?? "dist";', true],
  ['const [, , dist] = process.argv;', true],
  ['if (import.meta.url === `file://${process.argv[1]}`) {', false],
])('counts %j as parsing by hand: %s', (line, byHand) => {
  expect(HAND_PARSED.test(line)).toBe(byHand);
});

it('every CLI reads its arguments through cliArgs (node:util parseArgs)', () => {
  expect(clis).toContain('bench/run.ts');
  const byHand = clis.filter((f) => HAND_PARSED.test(readFileSync(join(ROOT, f), 'utf8')));
  expect(byHand).toEqual([]);
  const ownParseArgs = clis.filter((f) => /import \{[^}]*\bparseArgs\b[^}]*\} from 'node:util'/.test(readFileSync(join(ROOT, f), 'utf8')));
  expect(ownParseArgs).toEqual([]);
});

const runSync = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, script), ...args], { encoding: 'utf8', cwd: ROOT });

/** A CLI run to its end, so several run at once (bench/run.ts takes a few seconds to load). */
const run = (script: string, ...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });

/** The CLIs that parsed by hand until issue 13, each with its name, usage and a value it checks. */
describe.each([
  ['bench/run.ts', 'bench', 'usage: npm run bench -- [--stories 1000,4000]', ['--runs', '0'], '--runs takes a whole number of at least 1'],
  [
    'scripts/lighthouse.ts',
    'lighthouse',
    'usage: node scripts/lighthouse.ts [DIST] [--runs 5]',
    ['--runs', 'x'],
    '--runs takes a whole number of at least 1, not "x"',
  ],
  [
    'scripts/page-weight.ts',
    'page-weight',
    'usage: node scripts/page-weight.ts [DIST] [--json FILE]',
    ['dist', 'other'],
    'one folder to measure, not 2',
  ],
  ['scripts/verify.ts', 'verify', 'usage: npm run verify [-- DIST]', ['dist', 'other'], 'one folder to check, not 2'],
])('%s', (script, name, usage, badValue, problem) => {
  it.concurrent(
    'refuses an unknown option, a missing value and a bad one with its name and usage (exit 2)',
    { timeout: 60_000 },
    async () => {
      const unknown = await run(script, '--bogus');
      expect([unknown.status, unknown.stderr]).toEqual([
        2,
        expect.stringMatching(new RegExp(`^${name}: Unknown option '--bogus'.*\n${escape(usage)}`)),
      ]);
      const valued = script === 'scripts/verify.ts' ? undefined : script === 'scripts/page-weight.ts' ? '--json' : '--runs';
      if (valued) {
        const missing = await run(script, valued);
        expect([missing.status, missing.stderr]).toEqual([
          2,
          expect.stringContaining(`${name}: Option '${valued} <value>' argument missing\n${usage}`),
        ]);
      }
      const bad = await run(script, ...badValue);
      expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining(`${name}: ${problem}\n${usage}`)]);
    },
  );
  it.concurrent('prints its usage for --help (exit 0)', { timeout: 60_000 }, async () => {
    const help = await run(script, '--help');
    expect([help.status, help.stdout]).toEqual([0, expect.stringMatching(new RegExp(`^${escape(usage)}`))]);
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

it('a CLI refuses an unknown option with its name and usage (exit 2), and prints the usage for --help (exit 0)', () => {
  const bad = runSync('scripts/site-manifest.ts', '--bogus');
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/^manifest: Unknown option '--bogus'\nusage: npm run manifest -- \[--dist DIR\]/);
  const help = runSync('scripts/site-manifest.ts', '-h');
  expect(help.status).toBe(0);
  expect(help.stdout).toBe('usage: npm run manifest -- [--dist DIR] [--live SITE-URL]\n');
});

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_NOW, ROOT, SITES, TMP } from './sites';
import { RENDERING } from '../../src/integrations/astro-turn';

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr together, in arrival order. */
  output: string;
  ms: number;
}

/** Every process these tests start is capped: a heap limit and a wall-clock timeout. */
export const HEAP_LIMIT_MB = 512;

/**
 * What vitest adds to `process.env` (DEV=1, PROD, SSR, MODE=test, BASE_URL, NODE_ENV=test, TEST,
 * VITEST...). A child that inherits them is not the command a shell runs: Vite reads them as
 * `import.meta.env`, and an `astro build` under vitest shipped dev-only markup
 * (`data-image-component` on every content image).
 */
const withoutVitest = (env: NodeJS.ProcessEnv) =>
  Object.fromEntries(
    Object.entries(env).filter(([k]) => !/^(VITEST(_\w+)?|TEST|NODE_ENV|MODE|DEV|PROD|SSR|BASE_URL|VITE_USER_NODE_ENV)$/.test(k)),
  );

/** Runs a command from the project root without blocking the test runner, killed at `timeoutMs`,
 * in the environment a shell would give it (without vitest's variables). `onOutput` sees the
 * output so far each time more arrives. */
export function run(
  cmd: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs: number,
  onOutput?: (output: string) => void,
): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      // (A variable set to undefined is left out of the child's environment.)
      env: { ...withoutVitest(process.env), ASTRO_TELEMETRY_DISABLED: '1', NODE_OPTIONS: `--max-old-space-size=${HEAP_LIMIT_MB}`, ...env },
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const more = (d: Buffer) => {
      output += d;
      onOutput?.(output);
    };
    child.stdout.on('data', more);
    child.stderr.on('data', more);
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, output, ms: Math.round(performance.now() - started) }));
  });
}

/** A fresh copy of `from` at tests/.tmp/<name>/content; returns that directory (absolute). */
export function copyContent(name: string, from: string): { dir: string; content: string } {
  const dir = join(TMP, name);
  // A scratch folder named like a shared site's cache or output would wipe it while other files build or read it.
  for (const site of Object.values(SITES))
    if ([site.cacheDir, site.outDir, site.contentDir].some((d) => join(d) === dir || join(d).startsWith(`${dir}/`)))
      throw new Error(`copyContent('${name}') would delete ${dir}, which the shared site builds use; pick another name`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const content = join(dir, 'content');
  cpSync(from, content, { recursive: true });
  return { dir, content };
}

export const overlay = (from: string, onto: string) => existsSync(from) && cpSync(from, onto, { recursive: true });

const SCRIPTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The arguments after `node` of package.json's script `name`, which must be a plain `node …` command. */
export function scriptCommand(name: string): string[] {
  const words = SCRIPTS[name]?.split(' ');
  if (words?.[0] !== 'node') throw new Error(`package.json's "${name}" script is not a plain node command: ${SCRIPTS[name]}`);
  return words.slice(1);
}

/**
 * `npm run <name> -- <args>`. Unless `viaNpm`, the script's own command from package.json runs with
 * this Node, without npm in front: about half a second of npm's start-up per call, which adds up
 * over a catalogue. Read from package.json, so the command tested is the command users run.
 */
export const npmScript = (
  name: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs: number,
  { viaNpm = false } = {},
) =>
  viaNpm
    ? run('npm', ['run', '-s', name, '--', ...args], env, timeoutMs)
    : run(process.execPath, [...scriptCommand(name), ...args], env, timeoutMs);

/** `npm run check:content` on another content folder, judged at the fixture build's "now"; `direct`: see npmScript. */
export const checkContent = (content: string, { direct = false, timeoutMs = 30_000 } = {}) =>
  npmScript('check:content', ['--content', content, '--now', FIXTURE_NOW.toISOString()], {}, timeoutMs, { viaNpm: !direct });

/** What one `astro build` reads: the content, where it writes, and the build's settings. */
export interface BuildInput {
  contentDir: string;
  outDir: string;
  cacheDir: string;
  defaultStation: string;
  /** The build's "now"; unset builds at the real time. */
  sourceDateEpoch?: string;
  /** More settings (MASTHEAD_SOCIAL_CARDS, TZ, ...). */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Heap cap in MB (default HEAP_LIMIT_MB, as every test process); null leaves Node's own, as `npm run build` has. */
  heapLimitMb?: number | null;
  /** False for a build the content gate must stop: it stops in astro:config:setup, before anything
   * is written to `.astro/`, so it need not wait its turn (see `exclusively`). */
  exclusive?: boolean;
}

const BUILD_LOCK = join(TMP, 'astro-build.lock');

/** Whether the process that took the lock is gone (a test killed mid-build). */
function lockIsStale(): boolean {
  try {
    process.kill(Number(readFileSync(join(BUILD_LOCK, 'pid'), 'utf8')), 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * Runs `task` while no other test file builds. Every `astro build` writes the project's one
 * `.astro/` folder (content-assets.mjs maps each story's images), so two builds of different
 * content at once break each other ("LocalImageUsedWrongly"). Test files run side by side; their
 * builds take turns through this lock, a folder that mkdir makes or refuses atomically.
 * `task` may call `release` once it is past its use of `.astro/`, to let the next build start.
 */
export async function exclusively<T>(task: (release: () => void) => Promise<T>): Promise<T> {
  mkdirSync(TMP, { recursive: true });
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (existsSync(join(BUILD_LOCK, 'pid')) && lockIsStale()) rmSync(BUILD_LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  let held = true;
  const release = () => {
    if (held) rmSync(BUILD_LOCK, { recursive: true, force: true });
    held = false;
  };
  try {
    writeFileSync(join(BUILD_LOCK, 'pid'), String(process.pid));
    return await task(release);
  } finally {
    release();
  }
}

/** Astro's log line as a build starts rendering (src/integrations/astro-turn.ts): about half of each build overlaps the next. */
const RENDERING_ALL = new RegExp(RENDERING.source, 'g');

/**
 * An `onOutput` for `run` that calls `release` once the `builds`-th build of the command starts
 * rendering: 1 for `astro build`; for a command that runs several builds one after another, the
 * number it runs, so that only the last one renders beside the next build.
 */
export function releaseWhenRendering(release: () => void, builds = 1): (output: string) => void {
  let released = false;
  return (output) => {
    if (!released && (output.match(RENDERING_ALL)?.length ?? 0) >= builds) {
      released = true;
      release();
    }
  };
}

/**
 * `astro build` as `npm run build` runs it: Astro's CLI with this Node (what `npx astro build`
 * runs, without npx's startup) and NODE_ENV=production. Vitest sets NODE_ENV=test, which makes
 * Vite keep dev-only code in the client bundles; the tested site must be the one CI publishes.
 * One build at a time across test files until it starts rendering (see `exclusively`, releaseWhenRendering).
 */
export function astroBuild(b: BuildInput): Promise<RunResult> {
  const build = (release?: () => void) =>
    run(
      process.execPath,
      [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', b.outDir],
      {
        NODE_ENV: 'production',
        NODE_OPTIONS: b.heapLimitMb === null ? process.env.NODE_OPTIONS : `--max-old-space-size=${b.heapLimitMb ?? HEAP_LIMIT_MB}`,
        MASTHEAD_CONTENT_DIR: b.contentDir,
        MASTHEAD_CACHE_DIR: b.cacheDir,
        MASTHEAD_DEFAULT_STATION: b.defaultStation,
        SOURCE_DATE_EPOCH: b.sourceDateEpoch,
        ...b.env,
      },
      b.timeoutMs ?? 120_000,
      release && releaseWhenRendering(release),
    );
  return b.exclusive === false ? build() : exclusively(build);
}

/**
 * `astro build` of another content folder into `<dir>/dist`, with its own cache, at the fixture
 * build's "now". `refused`: the content gate must stop it (the malformed and hostile catalogues).
 */
export const buildContent = (
  dir: string,
  content: string,
  timeoutMs = 120_000,
  { refused = false, env = {} }: { refused?: boolean; env?: Record<string, string> } = {},
) =>
  astroBuild({
    exclusive: !refused,
    contentDir: content,
    outDir: join(dir, 'dist'),
    cacheDir: join(dir, 'cache'),
    defaultStation: 'kfix',
    sourceDateEpoch: String(FIXTURE_NOW.getTime() / 1000),
    env,
    timeoutMs,
  });

/** Paths in reports are relative to the project root. */
export const shown = (abs: string) => abs.slice(ROOT.length);

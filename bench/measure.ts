/** Running a command and measuring its wall time and peak memory. */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFiles } from '../src/lib/list-files.ts';

const GNU_TIME = '/usr/bin/time';

export interface Measured {
  ok: boolean;
  code: number | null;
  wallSeconds: number;
  /** User + system CPU time of the process tree (GNU time only): less sensitive than wall time to
   * other load on a shared machine, though not immune to it. */
  cpuSeconds: number | undefined;
  /** Peak resident set size of the largest process, in bytes (`undefined` if it could not be read). */
  peakRssBytes: number | undefined;
  /** Peak of the whole process tree's resident memory at once (polled), in bytes: what the machine
   * must hold, e.g. Astro and the Pagefind indexer it runs side by side. */
  peakTreeRssBytes: number | undefined;
  /** How the peak was measured: `time` (GNU time's %M) or `proc` (polling /proc VmHWM). */
  rssSource: 'time' | 'proc' | 'none';
  output: string;
}

/** How peak RSS will be measured on this machine. */
export const rssMethod = (): Measured['rssSource'] => (existsSync(GNU_TIME) ? 'time' : existsSync('/proc/self/status') ? 'proc' : 'none');

/** A memory figure of a process from /proc (`VmHWM`: its peak so far; `VmRSS`: now), in KB; 0 once it is gone. */
export function procStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Runs `command` with `args` and measures it. Wall time is taken here; peak RSS is the larger of
 * GNU time's `%M` (when `/usr/bin/time` exists) and `VmHWM` of every process in the tree, polled
 * in /proc every 100 ms, which also gives the tree's peak total.
 */
export function measure(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Measured> {
  const method = rssMethod();
  const scratch = mkdtempSync(join(tmpdir(), 'masthead-bench-'));
  const timeFile = join(scratch, 'time.txt');
  const [cmd, argv] = method === 'time' ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    // GNU time's %M misses grandchildren such as the Pagefind indexer, so the tree is polled too.
    let polledKb = 0;
    let treeKb = 0;
    const poll = existsSync('/proc/self/status')
      ? setInterval(() => {
          const stack = [child.pid!];
          let sum = 0;
          while (stack.length) {
            const pid = stack.pop()!;
            polledKb = Math.max(polledKb, procStatusKb(pid, 'VmHWM'));
            sum += procStatusKb(pid, 'VmRSS');
            stack.push(...childPids(pid));
          }
          treeKb = Math.max(treeKb, sum);
        }, 100)
      : undefined;
    child.on('error', (err) => {
      if (poll) clearInterval(poll);
      rmSync(scratch, { recursive: true, force: true });
      reject(err);
    });
    child.on('close', (code) => {
      const wallSeconds = (performance.now() - started) / 1000;
      if (poll) clearInterval(poll);
      let peakKb: number | undefined = polledKb || undefined;
      let cpuSeconds: number | undefined;
      if (method === 'time' && existsSync(timeFile)) {
        // GNU time writes "Command exited with non-zero status N" before the figures on failure.
        const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
        const m = /^(\d+) ([\d.]+) ([\d.]+)$/.exec(last);
        if (m) {
          peakKb = Math.max(peakKb ?? 0, Number(m[1]));
          cpuSeconds = Number(m[2]) + Number(m[3]);
        }
      }
      rmSync(scratch, { recursive: true, force: true });
      resolve({
        ok: code === 0,
        code,
        wallSeconds,
        cpuSeconds,
        peakRssBytes: peakKb === undefined ? undefined : peakKb * 1024,
        peakTreeRssBytes: treeKb ? treeKb * 1024 : undefined,
        rssSource: peakKb === undefined ? 'none' : method,
        output: Buffer.concat(chunks).toString('utf8'),
      });
    });
  });
}

/** Every file under `dir` (links left out) with its size. */
export function walkFiles(dir: string): { path: string; bytes: number }[] {
  return listFiles(dir)
    .map((f) => ({ path: join(dir, f), stat: lstatSync(join(dir, f)) }))
    .filter((f) => f.stat.isFile())
    .map((f) => ({ path: f.path, bytes: f.stat.size }));
}

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Where a build's CPU time goes, from a V8 `.cpuprofile` (`node --cpu-prof`):
 * self time by package and by function, and total (inclusive) time of chosen functions.
 *
 *   npx node bench/profile-summary.ts PROFILE.cpuprofile [--top 30] [--match name,name] [--timeline SECONDS]
 */
import { readFileSync } from 'node:fs';
import { cliArgs } from '../scripts/lib/cli.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/@scope/pkg/...` → `@scope/pkg`; project files by folder; V8 internals by name. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node (core)';
  if (/\/\.prerender\/|\/dist-[^/]+\/|\/chunks\//.test(url)) return 'site code (bundled pages)';
  return url.replace(/^file:\/\//, '').replace(/^.*\/(src|bench)\//, '$1/');
}

/** What the process was doing over time: the top self-time functions in each time slice. */
export function timeline(profile: CpuProfile, sliceSeconds: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const slices: Map<string, number>[] = [];
  let t = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    const k = Math.floor(t / 1e6 / sliceSeconds);
    const { callFrame } = byId.get(id)!;
    const name = `${callFrame.functionName || '(anonymous)'} [${packageOf(callFrame.url, callFrame.functionName)}]`;
    const slice = (slices[k] ??= new Map());
    slice.set(name, (slice.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return slices
    .map((slice, k) => {
      const top = [...(slice ?? new Map<string, number>())]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([name, us]) => `${name} ${(us / 1e6).toFixed(1)}s`);
      return `  ${String(k * sliceSeconds).padStart(4)}s  ${top.join(' | ')}`;
    })
    .join('\n');
}

export function summarise(profile: CpuProfile, opts: { top: number; match: string[] }): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of selfMicros) {
    const { callFrame } = byId.get(id)!;
    const pkg = packageOf(callFrame.url, callFrame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const fn = `${callFrame.functionName || '(anonymous)'}  ${pkg}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }

  // Inclusive time of functions whose name matches: a sample counts once if any ancestor matches.
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfMicros) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur)!.callFrame.functionName;
      for (const want of opts.match) if (name === want) seen.add(want);
    }
    for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + us);
  }

  const s = (us: number) => `${(us / 1e6).toFixed(2)} s`;
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`;
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, opts.top)
      .map(([k, us]) => `  ${s(us).padStart(9)} ${pct(us).padStart(6)}  ${k}`);
  return [
    `sampled CPU time ${s(total)} over ${s(profile.endTime - profile.startTime)} wall`,
    '',
    'self time by package:',
    ...rows(byPackage),
    '',
    'self time by function:',
    ...rows(byFunction),
    ...(opts.match.length ? ['', 'inclusive time of:', ...rows(inclusive)] : []),
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const usage = 'usage: npx node bench/profile-summary.ts PROFILE.cpuprofile [--top 30] [--match fnA,fnB] [--timeline SECONDS]';
  const args = cliArgs('profile-summary', usage, {
    allowPositionals: true,
    options: { top: { type: 'string', default: '30' }, match: { type: 'string', default: '' }, timeline: { type: 'string' } },
  });
  const [file] = args.positionals;
  if (!file) {
    console.error(usage);
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(summarise(profile, { top: Number(args.values.top), match: args.values.match.split(',').filter(Boolean) }));
  const slice = args.values.timeline;
  if (slice) console.log(`timeline (${slice} s slices, top 3 functions by self time):\n${timeline(profile, Number(slice))}`);
}

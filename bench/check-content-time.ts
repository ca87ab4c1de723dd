/** `check:content` timed on a generated corpus, after proving it reads that corpus. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmtS, log, ROOT, WORK } from './common.ts';
import { BENCH_NOW, type CorpusInfo } from './gen-corpus.ts';
import { measure, median } from './measure.ts';
import type { CheckContentResult } from './report.ts';

export async function timeCheckContent(corpus: CorpusInfo, runs: number): Promise<CheckContentResult> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const script = pkg.scripts?.['check:content'];
  if (!script) return { available: false, note: 'not available: package.json has no `check:content` script' };
  // Run the script's command the way npm would, minus npm's own start-up time.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
    MASTHEAD_CONTENT_DIR: corpus.dir,
    MASTHEAD_DEFAULT_STATION: 'kxpr',
    SOURCE_DATE_EPOCH: String(BENCH_NOW.getTime() / 1000),
  };
  // First prove it reads the generated corpus: one invalid story there must make it fail.
  const invalid = join(corpus.dir, 'articles', 'zz-bench-invalid-story.md');
  writeFileSync(invalid, '---\ntitle: ""\n---\n\nA story with no dek, byline, station or date.\n');
  const probe = await measure('sh', ['-c', script], { cwd: ROOT, env }).finally(() => rmSync(invalid, { force: true }));
  writeFileSync(join(WORK, 'logs', `${corpus.stories}-check-content-probe.log`), probe.output);
  if (probe.ok) {
    return {
      available: true,
      script,
      ok: false,
      note: 'not timed: it passed with an invalid story in MASTHEAD_CONTENT_DIR, so it is not checking the generated corpus',
    };
  }
  const times: number[] = [];
  let rss: number | undefined;
  for (let i = 0; i < runs; i++) {
    const r = await measure('sh', ['-c', script], { cwd: ROOT, env });
    writeFileSync(join(WORK, 'logs', `${corpus.stories}-check-content-${i + 1}.log`), r.output);
    if (!r.ok) {
      return {
        available: true,
        script,
        ok: false,
        note: `exit ${r.code} on the generated corpus: ${r.output.trim().split('\n').slice(-5).join(' / ')}`,
      };
    }
    times.push(r.wallSeconds);
    rss = Math.max(rss ?? 0, r.peakRssBytes ?? 0) || undefined;
  }
  log(`check:content ${corpus.stories}: ${fmtS(median(times))}`);
  return { available: true, script, ok: true, medianSeconds: median(times), minSeconds: Math.min(...times), peakRssBytes: rss };
}

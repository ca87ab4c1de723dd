import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PageMessages } from './html-validate-worker.ts';
import { result, type Check, type Site } from './types.ts';

/** HTML validity: html-validate with .htmlvalidate.json, on every core. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Pages that passed before, by content hash, for this html-validate version and config.
 * Scheduled builds mostly rebuild identical pages, so only changed ones are validated again. */
const HTML_CACHE = process.env.MASTHEAD_VERIFY_CACHE ?? join(ROOT, 'node_modules/.cache/masthead-verify/html.json');

export function htmlCheck(site: Site): Check {
  const hashes = new Map<string, string>();
  return {
    name: 'html',
    page({ file, html }) {
      hashes.set(file, sha256(html));
    },
    async finish() {
      const out = result();
      const configText = readFileSync(join(ROOT, '.htmlvalidate.json'), 'utf8');
      const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules/html-validate/package.json'), 'utf8')) as { version: string })
        .version;
      const key = sha256(`${version}\n${configText}`);
      const cache = existsSync(HTML_CACHE)
        ? (JSON.parse(readFileSync(HTML_CACHE, 'utf8')) as { key: string; passed: string[] })
        : undefined;
      const passedBefore = new Set(cache?.key === key ? cache.passed : []);

      const todo = site.htmlFiles.filter((f) => !passedBefore.has(hashes.get(f)!));
      const results = await validateInWorkers(
        todo.map((f) => join(site.dist, f)),
        JSON.parse(configText),
      );
      const current = new Set(hashes.values());
      const passed = new Set([...passedBefore].filter((h) => current.has(h)));
      for (const { file, messages } of results) {
        const rel = relative(site.dist, file).split(sep).join('/');
        for (const m of messages) out.problems.push({ file: rel, message: `${m.line}:${m.column} ${m.message} (${m.ruleId})` });
        if (messages.length === 0) passed.add(hashes.get(rel)!);
      }
      mkdirSync(dirname(HTML_CACHE), { recursive: true });
      writeFileSync(HTML_CACHE, JSON.stringify({ key, passed: [...passed].sort() }));
      out.problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
      out.summary = `${site.htmlFiles.length} pages, ${todo.length} changed since the last pass`;
      return out;
    },
  };
}

/** html-validate takes about 40 ms a page: a big site's pages are spread over every core (a
 * thread costs about a second to start, so small sites stay on one). */
async function validateInWorkers(files: string[], config: unknown): Promise<PageMessages[]> {
  if (files.length === 0) return [];
  const threads = Math.max(1, Math.min(availableParallelism(), Math.floor(files.length / 200)));
  const batches: string[][] = [];
  for (let i = 0; i < files.length; i += 25) batches.push(files.slice(i, i + 25));
  const results: PageMessages[] = [];
  await Promise.all(
    Array.from({ length: threads }, async () => {
      const worker = new Worker(new URL('./html-validate-worker.ts', import.meta.url), { workerData: config });
      try {
        for (let batch = batches.shift(); batch; batch = batches.shift()) {
          const done = new Promise<PageMessages[]>((resolve, reject) => {
            const fail = (e: Error) => reject(e);
            worker.once('error', fail);
            worker.once('message', (m: PageMessages[]) => {
              worker.off('error', fail);
              resolve(m);
            });
          });
          worker.postMessage(batch);
          results.push(...(await done));
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  return results;
}

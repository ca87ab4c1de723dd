import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { listFiles, loadPage } from '../helpers/dist';
import { SITES } from '../helpers/sites';

/** The budget for all JavaScript a page loads up front (issue: at most 10 KB gzipped). */
const BUDGET = 10 * 1024;

/** Gzipped bytes of every script a page loads before any interaction: its module scripts
 * and their static imports. Dynamic `import()`s (hls.js, only for HLS without native
 * support) load on demand and are not counted. */
export function pageJsWeight(dist: string, htmlFile: string): { files: string[]; gzipBytes: number } {
  const $ = loadPage(dist, `/${htmlFile}`);
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const code = readFileSync(join(dist, path), 'utf8');
    for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w${},*\s]+from\s*)?["'`](\.{0,2}\/[^"'`]+)["'`]/g)) {
      visit(new URL(m[1]!, `http://x/${path}`).pathname.slice(1));
    }
  };
  $('script[src]').each((_, s) => visit($(s).attr('src')!.replace(/^\//, '')));
  const files = [...seen].sort();
  return { files, gzipBytes: files.reduce((n, f) => n + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0) };
}

describe.each(['fixtures', 'demo'] as const)('JavaScript weight on the %s site', (site) => {
  const dist = SITES[site].outDir;
  const pages = listFiles(dist).filter((f) => f.endsWith('.html'));

  it(`every page loads at most ${BUDGET / 1024} KB of gzipped JS`, () => {
    const weights = new Map<string, number>();
    for (const page of pages) {
      const { files, gzipBytes } = pageJsWeight(dist, page);
      expect(files.length, page).toBeGreaterThan(0);
      expect(gzipBytes, `${page}: ${files.join(', ')}`).toBeLessThanOrEqual(BUDGET);
      weights.set(files.join(' + '), gzipBytes);
    }
    // One line per distinct script set, for the record.
    for (const [files, bytes] of weights) console.log(`${site}: ${(bytes / 1024).toFixed(2)} KB gz: ${files}`);
  });
});

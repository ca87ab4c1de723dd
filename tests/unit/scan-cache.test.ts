import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openScanCache, pageDigest } from '../../src/integrations/host-files/scan-cache';
import { scanHtml } from '../../src/integrations/host-files/scan';
import { plainScan } from '../../src/integrations/shard-outputs';

const dir = mkdtempSync(join(tmpdir(), 'scan-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const page = (inline: string) =>
  Buffer.from(`<!doctype html><html><head><script>${inline}</script></head><body><img src="https://img.example.org/a.jpg"></body></html>`);

describe('the page scan cache (src/integrations/host-files/scan-cache.ts)', () => {
  const file = join(dir, 'page-scans.json');
  const a = page('one()');
  const b = page('two()');

  it('gives back, in a later build, the scan of a page with the same bytes, and nothing for other bytes', () => {
    const first = openScanCache(file, 'code-1');
    expect(first.get(pageDigest(a))).toBeUndefined();
    first.keep(pageDigest(a), scanHtml(a.toString('utf8')));
    first.save();

    const second = openScanCache(file, 'code-1');
    const cached = second.get(pageDigest(a));
    expect(cached && plainScan(cached)).toEqual(plainScan(scanHtml(a.toString('utf8'))));
    expect(second.get(pageDigest(b))).toBeUndefined();
    expect(second.stats).toEqual({ hits: 1, misses: 1 });
  });

  it('keeps each distinct scan once, and only the pages of the last build', () => {
    const c = openScanCache(file, 'code-1');
    const scan = scanHtml(b.toString('utf8'));
    c.keep(pageDigest(b), scan);
    c.keep(pageDigest(Buffer.concat([b, Buffer.from(' ')])), scan);
    c.save();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { values: unknown[]; pages: Record<string, number> };
    expect(saved.values).toHaveLength(1);
    expect(Object.keys(saved.pages)).toHaveLength(2);
    expect(saved.pages[pageDigest(a)]).toBeUndefined();
  });

  it('starts afresh for other scanner code, and for a damaged file', () => {
    expect(openScanCache(file, 'code-2').get(pageDigest(b))).toBeUndefined();
    writeFileSync(file, '{"version":1,"code":"code-1","scans":[');
    expect(openScanCache(file, 'code-1').get(pageDigest(b))).toBeUndefined();
  });
});

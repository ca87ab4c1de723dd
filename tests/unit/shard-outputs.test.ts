import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { awaitShards, describeShardPages, mergeShardFiles, SHARD_FILES, SHARD_MANIFEST } from '../../src/integrations/shard-outputs';

const dir = mkdtempSync(join(tmpdir(), 'shard-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const page = (canonical: string, extra = '') =>
  `<!doctype html><html><head><link rel="canonical" href="${canonical}"><meta property="article:modified_time" content="2016-03-01T10:00:00-07:00">${extra}</head><body><p style="color:red">x</p></body></html>`;

function shard(name: string, files: Record<string, string>) {
  const root = join(dir, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, SHARD_FILES, rel, '..'), { recursive: true });
    writeFileSync(join(root, SHARD_FILES, rel), text);
  }
  return root;
}

describe('kept shard outputs', () => {
  it("describes each page's head facts and the pages' merged CSP scan once", () => {
    const root = shard('2016', {
      'news/2016/03/01/a/index.html': page('https://x.org/news/2016/03/01/a/'),
      'news/2016/03/02/b/index.html': page('https://x.org/b/', '<meta name="robots" content="noindex">'),
    });
    const d = describeShardPages(join(root, SHARD_FILES));
    expect(d.heads['news/2016/03/01/a/index.html']).toEqual({
      noindex: false,
      canonical: 'https://x.org/news/2016/03/01/a/',
      modified: '2016-03-01T10:00:00-07:00',
    });
    expect(d.heads['news/2016/03/02/b/index.html']?.noindex).toBe(true);
    expect(d.scan.styleAttrHashes).toHaveLength(1);
  });

  it('describes the same with the digest cache, and a changed page afresh', () => {
    const root = shard('2015', {
      'news/2015/03/01/a/index.html': page('https://x.org/news/2015/03/01/a/'),
      'news/2015/03/02/b/index.html': page('https://x.org/b/', '<meta name="robots" content="noindex">'),
    });
    const files = join(root, SHARD_FILES);
    const cache = { dir: join(dir, 'cache-2015'), code: 'c1' };
    const plain = describeShardPages(files);
    expect(describeShardPages(files, cache)).toEqual(plain);
    expect(JSON.parse(readFileSync(join(cache.dir, 'page-heads.json'), 'utf8')).pages).not.toEqual({});
    // Read back from the cache: the same facts.
    expect(describeShardPages(files, cache)).toEqual(plain);
    // A page whose bytes changed is read again, not taken from the cache.
    writeFileSync(join(files, 'news/2015/03/02/b/index.html'), page('https://x.org/b/'));
    expect(describeShardPages(files, cache).heads['news/2015/03/02/b/index.html']?.noindex).toBe(false);
  });

  it('merges by hard link and refuses a file that differs from the core build’s', () => {
    const root = shard('2017', { 'news/2017/01/01/c/index.html': page('https://x.org/c/'), '_astro/site.css': 'a{}' });
    const dist = join(dir, 'dist');
    mkdirSync(join(dist, '_astro'), { recursive: true });
    writeFileSync(join(dist, '_astro/site.css'), 'a{}');
    expect(mergeShardFiles(dist, root)).toEqual(['news/2017/01/01/c/index.html']);
    expect(statSync(join(dist, 'news/2017/01/01/c/index.html')).nlink).toBe(2);
    expect(readFileSync(join(dist, 'news/2017/01/01/c/index.html'), 'utf8')).toContain('https://x.org/c/');
    writeFileSync(join(dist, '_astro/site.css'), 'b{}');
    expect(() => mergeShardFiles(dist, root)).toThrow(/_astro\/site\.css: differs from the core build's/);
  });

  it('waits for shards built beside the core build until each is kept with the awaited key, not an older one', async () => {
    const kept = join(dir, 'awaited');
    const keep = (id: string, key: string) => {
      const scratch = join(kept, `.keep-${id}`);
      mkdirSync(scratch, { recursive: true });
      writeFileSync(join(scratch, SHARD_MANIFEST), JSON.stringify({ id, key }));
      rmSync(join(kept, id), { recursive: true, force: true });
      renameSync(scratch, join(kept, id));
    };
    keep('2014', 'old-key');
    let done = false;
    const waiting = awaitShards(kept, '2014:new-key,2015:k2', 20).then((ms) => ((done = true), ms));
    await new Promise((r) => setTimeout(r, 150));
    expect(done).toBe(false);
    keep('2014', 'new-key');
    await new Promise((r) => setTimeout(r, 150));
    // 2015 is not kept yet.
    expect(done).toBe(false);
    keep('2015', 'k2');
    expect(await waiting).toBeGreaterThanOrEqual(250);
  });
});


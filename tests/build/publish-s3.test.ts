import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_KEY, type Manifest } from '../../scripts/lib/publish-plan';
import { CACHE_CONTROL } from '../../src/integrations/host-files/policy';
import { listFiles } from '../helpers/dist';
import { startFakeAws, type FakeAws } from '../helpers/fake-aws';
import { run } from '../helpers/run';
import { ROOT, SITES } from '../helpers/sites';

/**
 * `npm run publish:s3` with the real AWS SDK, over HTTP, against a local stand-in for the S3
 * and CloudFront calls it makes (tests/helpers/fake-aws.ts), publishing the fixture site.
 */
const dist = SITES.fixtures.outDir;
const BUCKET = 'news-site';
const ARTICLE = 'news/2026/11/20/local-story-with-photo/index.html';
const WIRE = 'news/2026/11/21/wire-story/index.html';
const MOVED = '/news/2026/07/10/moved-story-with-aliases/';
const ALIAS_KEYS = ['2026/07/river-trail.html', 'news/2026/07/09/river-trail-closed/index.html'];

let aws: FakeAws;
beforeAll(async () => {
  aws = await startFakeAws(BUCKET);
});
afterAll(() => aws.close());

function publish(...args: string[]) {
  return run(
    'npm',
    ['run', '--silent', 'publish:s3', '--', '--dist', dist, '--bucket', BUCKET, ...args],
    {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: aws.endpoint,
      AWS_ENDPOINT_URL_CLOUDFRONT: aws.endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
      MASTHEAD_S3_BUCKET: '',
    },
    60_000,
  );
}

const siteFiles = () => listFiles(dist).filter((f) => f !== '_headers' && f !== '_redirects');
const manifestInBucket = () => JSON.parse(aws.objects.get(MANIFEST_KEY)!.body.toString('utf8')) as Manifest;

describe('npm run publish:s3 (AWS SDK v3, against a local S3 and CloudFront)', () => {
  beforeEach(() => {
    aws.calls.length = 0;
    aws.invalidations.length = 0;
    aws.denyPut.clear();
  });

  it('publishes every file once with its Cache-Control and Content-Type, hashed assets first, then redirects, then the manifest', async () => {
    aws.objects.clear();
    const r = await publish('--distribution', 'E2EXAMPLE');
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain('no previous manifest in the bucket: this is the first publish');

    const puts = aws.calls.filter((c) => c.startsWith('PUT ')).map((c) => c.slice(4));
    expect(new Set(puts).size).toBe(puts.length);
    expect(puts.filter((k) => k !== MANIFEST_KEY).sort()).toEqual(siteFiles().sort());
    for (const file of siteFiles()) {
      const o = aws.objects.get(file)!;
      if (ALIAS_KEYS.includes(file)) {
        expect(o.redirect, file).toBe(MOVED);
        continue;
      }
      expect(o.body.equals(readFileSync(join(dist, file))), file).toBe(true);
      if (file.startsWith('_astro/')) expect(o.cacheControl, file).toBe(CACHE_CONTROL.immutable);
      if (file.endsWith('.html')) {
        expect(o.cacheControl, file).toBe(CACHE_CONTROL.revalidate);
        expect(o.contentType, file).toBe('text/html; charset=utf-8');
      }
      if (file.endsWith('.css')) expect(o.contentType, file).toBe('text/css; charset=utf-8');
      if (file.endsWith('.avif')) expect(o.contentType, file).toBe('image/avif');
    }
    // Every hashed asset is in before the first page that could reference it.
    const lastAsset = puts.findLastIndex((k) => k.startsWith('_astro/'));
    const firstPage = puts.findIndex((k) => k.endsWith('.html') && !ALIAS_KEYS.includes(k));
    expect(lastAsset).toBeLessThan(firstPage);
    // Redirect objects after the pages; the manifest last, never cached.
    expect(puts.findIndex((k) => ALIAS_KEYS.includes(k))).toBeGreaterThan(
      puts.findLastIndex((k) => k.endsWith('.html') && !ALIAS_KEYS.includes(k)),
    );
    expect(puts.at(-1)).toBe(MANIFEST_KEY);
    expect(aws.objects.get(MANIFEST_KEY)!.cacheControl).toBe('no-store');
    // Nothing existed before, so nothing is stale in the CDN.
    expect(aws.invalidations).toEqual([]);
  });

  it('uploads, deletes and invalidates nothing when nothing changed', async () => {
    const r = await publish('--distribution', 'E2EXAMPLE');
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/0 to upload, \d+ unchanged; 0 redirects to write, 0 objects to delete, 0 paths to invalidate/);
    expect(aws.calls).toEqual([`GET ${MANIFEST_KEY}`, `PUT ${MANIFEST_KEY}`]);
  });

  it('against an older publish: uploads what changed, deletes what went, invalidates the changed and removed pages', async () => {
    const older = manifestInBucket();
    older.files[ARTICLE] = '0'.repeat(64); // edited since
    older.files['index.html'] = '1'.repeat(64); // the home page changed with it
    delete older.files[WIRE]; // new since
    older.files['news/2025/01/01/retracted-story/index.html'] = '2'.repeat(64); // unpublished since
    older.files['_astro/BaseLayout.0ldHa5h0.css'] = '3'.repeat(64); // an asset of the older build
    older.redirects['/news/2026/11/19/retired-alias/'] = '/news/2026/11/20/local-story-with-photo/';
    aws.objects.set(MANIFEST_KEY, { body: Buffer.from(JSON.stringify(older)) });

    const r = await publish('--distribution', 'E2EXAMPLE');
    expect(r.status, r.output).toBe(0);
    const puts = aws.calls.filter((c) => c.startsWith('PUT ')).map((c) => c.slice(4));
    expect(puts.slice(0, -1).sort()).toEqual(['index.html', ARTICLE, WIRE].sort());
    // Removed pages and redirects go; the older build's hashed asset stays for cached pages.
    expect(aws.calls.filter((c) => c.startsWith('DELETE '))).toEqual([
      'DELETE news/2025/01/01/retracted-story/index.html',
      'DELETE news/2026/11/19/retired-alias/index.html',
    ]);
    expect(aws.invalidations).toEqual([
      {
        distribution: 'E2EXAMPLE',
        callerReference: expect.stringMatching(/^masthead-[0-9a-f]{24}$/),
        paths: ['/', '/news/2025/01/01/retracted-story/', '/news/2026/11/19/retired-alias/', '/news/2026/11/20/local-story-with-photo/'],
      },
    ]);
    // Deletions and the invalidation come after every upload, and the manifest after them all.
    const lastPut = aws.calls.findLastIndex((c) => c.startsWith('PUT ') && !c.endsWith(MANIFEST_KEY));
    expect(aws.calls.findIndex((c) => c.startsWith('DELETE '))).toBeGreaterThan(lastPut);
    expect(aws.calls.at(-1)).toBe(`PUT ${MANIFEST_KEY}`);
    expect(manifestInBucket().files[ARTICLE]).not.toBe('0'.repeat(64));
  });

  it('publishes under --prefix, and invalidates everything at once past --max-invalidation-paths', async () => {
    const r = await publish(
      '--prefix',
      'previews/pr-7',
      '--previous-manifest',
      'none',
      '--distribution',
      'E2EXAMPLE',
      '--max-invalidation-paths',
      '1',
    );
    expect(r.status, r.output).toBe(0);
    const puts = aws.calls.filter((c) => c.startsWith('PUT ')).map((c) => c.slice(4));
    expect(puts.every((k) => k.startsWith('previews/pr-7/'))).toBe(true);
    expect(puts).toContain(`previews/pr-7/${MANIFEST_KEY}`);
  });

  it('stops with AWS’s typed error, naming the file, when an upload is refused', async () => {
    aws.denyPut.add(WIRE);
    const r = await publish('--previous-manifest', 'none');
    expect(r.status).toBe(1);
    expect(r.output).toContain(`publish:s3: uploading ${WIRE}: AccessDenied (HTTP 403): Access Denied`);
    // A failed publish does not record itself, so the next one retries everything that differs.
    expect(aws.calls).not.toContain(`PUT ${MANIFEST_KEY}`);
  });

  it('--dry-run prints the plan and sends nothing', async () => {
    const r = await publish('--previous-manifest', 'none', '--distribution', 'E2EXAMPLE', '--dry-run');
    expect(r.status, r.output).toBe(0);
    expect(aws.calls).toEqual([]);
    expect(r.output).toContain(`PUT ${ARTICLE}  text/html; charset=utf-8  ${CACHE_CONTROL.revalidate}`);
    expect(r.output).toContain(`REDIRECT ${ALIAS_KEYS[0]} → ${MOVED}`);
    expect(r.output).toContain('# dry run: nothing was sent');
  });
});

describe('npm run publish:s3 without what it needs', () => {
  it('refuses to run without a bucket, naming the option', async () => {
    const r = await run('npm', ['run', '--silent', 'publish:s3', '--', '--dist', dist, '--dry-run'], { MASTHEAD_S3_BUCKET: '' }, 30_000);
    expect(r.status).toBe(1);
    expect(r.output).toContain('--bucket is required');
  });

  it('refuses a dist without host files', async () => {
    const r = await run(
      'npm',
      ['run', '--silent', 'publish:s3', '--', '--dist', join(ROOT, 'src'), '--bucket', 'b', '--dry-run'],
      {},
      30_000,
    );
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/is missing; run `npm run build` and `npm run verify` first/);
  });
});

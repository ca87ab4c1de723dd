import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../scripts/lib/publish-plan';
import { CACHE_CONTROL } from '../../src/integrations/host-files/policy';
import { listFiles } from '../helpers/dist';
import { ROOT, SITES, TMP } from '../helpers/sites';

const dist = SITES.fixtures.outDir;
const STAGING = `${TMP}/publish-staging`;
const ARTICLE = 'news/2026/11/20/local-story-with-photo/index.html';
const WIRE = 'news/2026/11/21/wire-story/index.html';
const MOVED = '/news/2026/07/10/moved-story-with-aliases/';

// An `aws` that records being called: a dry run must never call it.
const FAKE_BIN = `${TMP}/fake-aws-bin`;
const AWS_CALLED = `${TMP}/fake-aws-called`;
beforeAll(() => {
  mkdirSync(FAKE_BIN, { recursive: true });
  writeFileSync(`${FAKE_BIN}/aws`, `#!/bin/sh\necho "$@" >> '${AWS_CALLED}'\nexit 1\n`);
  chmodSync(`${FAKE_BIN}/aws`, 0o755);
  rmSync(AWS_CALLED, { force: true });
});

/** Runs a dry run and returns what it printed: the aws commands, split into words, and the rest. */
function dryRun(...args: string[]) {
  rmSync(STAGING, { recursive: true, force: true });
  const r = spawnSync(
    'npm',
    ['run', '--silent', 'publish:s3', '--', '--dist', dist, '--bucket', 'news-site', '--staging', STAGING, '--dry-run', ...args],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PATH: `${FAKE_BIN}:${process.env.PATH}` } },
  );
  expect(r.status, r.stderr).toBe(0);
  expect(existsSync(AWS_CALLED), 'a dry run called the AWS CLI').toBe(false);
  const lines = r.stdout.split('\n');
  const commands = lines.filter((l) => l.startsWith('aws ')).map(words);
  return { out: r.stdout, lines, commands };
}

/** Shell words of a printed command (the plan quotes with single quotes). */
function words(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replaceAll("'\\''", "'") : m[2]!));
}

const stagedFiles = (dir: string) => listFiles(dir);
const flag = (cmd: string[], name: string) => cmd[cmd.indexOf(name) + 1];

describe('npm run publish:s3 -- --dry-run', () => {
  it('plans a first publish: every file once, hashed assets in pass 1, pages after, then the alias redirects', () => {
    const { commands } = dryRun('--previous-manifest', 'none', '--distribution', 'E2EXAMPLE');
    const copies = commands.filter((c) => c[1] === 's3' && c[2] === 'cp' && c.includes('--recursive'));
    const uploaded = copies.flatMap((c) => stagedFiles(c[3]!));
    // Alias pages are not uploaded: an S3 redirect object takes their key (checked below).
    const aliasKeys = new Set(['2026/07/river-trail.html', 'news/2026/07/09/river-trail-closed/index.html']);
    const files = listFiles(dist).filter((f) => f !== '_headers' && f !== '_redirects' && !aliasKeys.has(f));
    expect(uploaded.sort()).toEqual(files);

    const lastImmutable = copies.findLastIndex((c) => flag(c, '--cache-control') === CACHE_CONTROL.immutable);
    const firstOther = copies.findIndex((c) => flag(c, '--cache-control') !== CACHE_CONTROL.immutable);
    expect(lastImmutable).toBeLessThan(firstOther);
    for (const c of copies) {
      expect(c[4]).toBe('s3://news-site/');
      for (const file of stagedFiles(c[3]!)) {
        if (file.startsWith('_astro/')) expect(flag(c, '--cache-control')).toBe(CACHE_CONTROL.immutable);
        if (file.endsWith('.html')) {
          expect(flag(c, '--cache-control')).toBe(CACHE_CONTROL.revalidate);
          expect(flag(c, '--content-type')).toBe('text/html; charset=utf-8');
        }
        if (file.endsWith('.css')) expect(flag(c, '--content-type')).toBe('text/css; charset=utf-8');
        if (file.endsWith('.avif')) expect(flag(c, '--content-type')).toBe('image/avif');
      }
    }

    const redirects = commands.filter((c) => c[2] === 'put-object').map((c) => [flag(c, '--key'), flag(c, '--website-redirect-location')]);
    expect(redirects).toEqual([
      ['2026/07/river-trail.html', MOVED],
      ['news/2026/07/09/river-trail-closed/index.html', MOVED],
    ]);
    // Nothing existed before, so nothing is stale in the CDN.
    expect(commands.some((c) => c[2] === 'create-invalidation')).toBe(false);
    expect(commands.at(-1)).toEqual([
      'aws',
      's3',
      'cp',
      `${STAGING}/manifest.json`,
      's3://news-site/_masthead/publish-manifest.json',
      '--cache-control',
      'no-store',
      '--content-type',
      'application/json',
      '--only-show-errors',
    ]);
  });

  it('uploads nothing and invalidates nothing when nothing changed', () => {
    dryRun('--previous-manifest', 'none');
    const previous = `${TMP}/publish-previous-same.json`;
    writeFileSync(previous, readFileSync(`${STAGING}/manifest.json`));
    const { commands, out } = dryRun('--previous-manifest', previous, '--distribution', 'E2EXAMPLE');
    expect(out).toMatch(/0 to upload, \d+ unchanged; 0 redirects to write, 0 objects to delete, 0 paths to invalidate/);
    expect(commands.map((c) => c.slice(0, 3).join(' '))).toEqual(['aws s3 cp']); // the manifest only
  });

  describe('against an older publish', () => {
    const previous = `${TMP}/publish-previous-older.json`;
    beforeAll(() => {
      dryRun('--previous-manifest', 'none');
      const older = JSON.parse(readFileSync(`${STAGING}/manifest.json`, 'utf8')) as Manifest;
      older.files[ARTICLE] = '0'.repeat(64); // edited since
      older.files['index.html'] = '1'.repeat(64); // the home page changed with it
      delete older.files[WIRE]; // new since
      older.files['news/2025/01/01/retracted-story/index.html'] = '2'.repeat(64); // unpublished since
      older.files['_astro/BaseLayout.0ldHa5h0.css'] = '3'.repeat(64); // an asset of the older build
      older.redirects['/news/2026/11/19/retired-alias/'] = '/news/2026/11/20/local-story-with-photo/';
      writeFileSync(previous, JSON.stringify(older));
    });

    it('uploads only what changed, and invalidates only the changed and removed pages', () => {
      const { commands, lines } = dryRun('--previous-manifest', previous, '--distribution', 'E2EXAMPLE');
      const copies = commands.filter((c) => c[2] === 'cp' && c.includes('--recursive'));
      expect(copies.flatMap((c) => stagedFiles(c[3]!)).sort()).toEqual(['index.html', ARTICLE, WIRE].sort());
      expect(commands.some((c) => c[2] === 'put-object')).toBe(false);

      const invalidation = commands.find((c) => c[2] === 'create-invalidation')!;
      expect(flag(invalidation, '--distribution-id')).toBe('E2EXAMPLE');
      const batch = JSON.parse(readFileSync(flag(invalidation, '--invalidation-batch')!.replace('file://', ''), 'utf8'));
      const paths = [
        '/',
        '/news/2025/01/01/retracted-story/',
        '/news/2026/11/19/retired-alias/',
        '/news/2026/11/20/local-story-with-photo/',
      ];
      expect(batch.Paths).toEqual({ Quantity: 4, Items: paths });
      expect(batch.CallerReference).toMatch(/^masthead-[0-9a-f]{24}$/);
      for (const p of paths) expect(lines).toContain(`#   ${p}`);

      // Removed pages and redirects go; the older build's hashed asset stays for cached pages.
      const deletion = commands.find((c) => c[2] === 'delete-objects')!;
      const keys = JSON.parse(readFileSync(flag(deletion, '--delete')!.replace('file://', ''), 'utf8')).Objects.map(
        (o: { Key: string }) => o.Key,
      );
      expect(keys).toEqual(['news/2025/01/01/retracted-story/index.html', 'news/2026/11/19/retired-alias/index.html']);
    });

    it('invalidates everything at once past --max-invalidation-paths, and honours --prefix', () => {
      const { commands } = dryRun(
        '--previous-manifest',
        previous,
        '--distribution',
        'E2EXAMPLE',
        '--max-invalidation-paths',
        '3',
        '--prefix',
        'site',
      );
      const invalidation = commands.find((c) => c[2] === 'create-invalidation')!;
      const batch = JSON.parse(readFileSync(flag(invalidation, '--invalidation-batch')!.replace('file://', ''), 'utf8'));
      expect(batch.Paths).toEqual({ Quantity: 1, Items: ['/*'] });
      expect(commands.filter((c) => c[2] === 'cp').every((c) => c.some((w) => w.startsWith('s3://news-site/site/')))).toBe(true);
    });

    it('plans the CloudFront security headers from _headers when a response headers policy is given', () => {
      const { commands } = dryRun('--previous-manifest', previous, '--response-headers-policy', 'RHP123');
      expect(commands[0]).toEqual(['aws', 'cloudfront', 'get-response-headers-policy-config', '--id', 'RHP123', '--output', 'json']);
      expect(commands[1]!.slice(0, 4)).toEqual(['aws', 'cloudfront', 'update-response-headers-policy', '--id']);
    });
  });
});

describe('npm run publish:s3 without what it needs', () => {
  it('refuses to run without a bucket, naming the option', () => {
    const r = spawnSync('npm', ['run', '--silent', 'publish:s3', '--', '--dist', dist, '--dry-run'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, MASTHEAD_S3_BUCKET: '' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--bucket is required');
  });

  it('refuses a dist without host files', () => {
    const r = spawnSync('npm', ['run', '--silent', 'publish:s3', '--', '--dist', join(ROOT, 'src'), '--bucket', 'b', '--dry-run'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/is missing; run `npm run build` and `npm run verify` first/);
  });
});

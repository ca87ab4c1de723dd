import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffManifests, parseSiteManifest, SITE_MANIFEST_PATH, siteManifest } from '../../scripts/lib/site-manifest';
import { run } from '../helpers/run';
import { TMP } from '../helpers/sites';

const DIR = join(TMP, 'site-manifest');
const dist = join(DIR, 'dist');

function writeDist(files: Record<string, string>) {
  rmSync(dist, { recursive: true, force: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dist, path, '..'), { recursive: true });
    writeFileSync(join(dist, path), text);
  }
}

/** What the live site serves at /.well-known/masthead-manifest.json. */
let live: { status: number; body: string } = { status: 404, body: 'not found' };
let server: Server;
let origin = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url !== `/${SITE_MANIFEST_PATH}`) return void res.writeHead(404).end();
    res.writeHead(live.status, { 'content-type': 'application/json' }).end(live.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function manifestCli() {
  const output = join(DIR, 'github-output');
  writeFileSync(output, '');
  const r = await run(process.execPath, ['scripts/site-manifest.ts', '--dist', dist, '--live', origin], { GITHUB_OUTPUT: output }, 30_000);
  expect(r.status, r.output).toBe(0);
  return { ...r, githubOutput: readFileSync(output, 'utf8') };
}

const SITE = { 'index.html': '<p>home', _headers: '/*\n  X: y\n', 'news/a/index.html': '<p>a' };

describe('the site manifest', () => {
  it('hashes every file, host files included, but not itself', () => {
    writeDist({ ...SITE, [SITE_MANIFEST_PATH]: 'old' });
    const m = siteManifest(dist);
    expect(Object.keys(m.files)).toEqual(['_headers', 'index.html', 'news/a/index.html']);
    expect(m.files['index.html']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('diffs two manifests into added, changed and removed files', () => {
    const h = (c: string) => c.repeat(64);
    expect(
      diffManifests({ version: 1, files: { a: h('1'), b: h('2'), c: h('3') } }, { version: 1, files: { a: h('1'), b: h('9'), d: h('4') } }),
    ).toEqual({ added: ['d'], changed: ['b'], removed: ['c'] });
  });

  it('does not trust a response that is not a manifest', () => {
    expect(parseSiteManifest('<html>')).toBeUndefined();
    expect(parseSiteManifest('{"version":1,"files":{"a":"nothex"}}')).toBeUndefined();
    expect(parseSiteManifest('{"version":2,"files":{}}')).toBeUndefined();
  });
});

describe('npm run manifest -- --live', { timeout: 60_000 }, () => {
  it('deploys when the live site has no manifest, and writes one into dist', async () => {
    writeDist(SITE);
    live = { status: 404, body: '' };
    const r = await manifestCli();
    expect(r.githubOutput).toBe('deploy=true\n');
    expect(r.output).toMatch(/answered 404/);
    expect(parseSiteManifest(readFileSync(join(dist, SITE_MANIFEST_PATH), 'utf8'))).toEqual(siteManifest(dist));
  });

  it('does not deploy when the rebuilt site is identical to the live one', async () => {
    writeDist(SITE);
    live = { status: 200, body: JSON.stringify(siteManifest(dist)) };
    const r = await manifestCli();
    expect(r.githubOutput).toBe('deploy=false\n');
    expect(r.output).toMatch(/identical/);
  });

  it('deploys when one page changed, and names it', async () => {
    writeDist(SITE);
    live = { status: 200, body: JSON.stringify(siteManifest(dist)) };
    writeDist({ ...SITE, 'news/a/index.html': '<p>a, corrected' });
    const r = await manifestCli();
    expect(r.githubOutput).toBe('deploy=true\n');
    expect(r.output).toMatch(/1 changed: news\/a\/index\.html/);
  });

  it('deploys when the answer is not a manifest (a host error page)', async () => {
    writeDist(SITE);
    live = { status: 200, body: '<!doctype html><title>Oops</title>' };
    expect((await manifestCli()).githubOutput).toBe('deploy=true\n');
  });
});

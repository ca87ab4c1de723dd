import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { edgeFunctionCode, keyValueStoreData, parseRedirects } from '../../infra/edge-function';
import { urlPathOf } from '../../src/integrations/host-files/policy';
import { listFiles } from '../helpers/dist';
import { SITES } from '../helpers/sites';

/**
 * The CloudFront Function of infra/ run on the fixture site's real `_redirects` and files, in
 * Node's `vm` (the code is plain ES5, as CloudFront's runtime runs it), as the CDN would in front
 * of the private bucket: every page and alias must reach a file that exists.
 */
const dist = SITES.fixtures.outDir;
const rules = parseRedirects(readFileSync(join(dist, '_redirects'), 'utf8'));
type Result = { uri?: string; statusCode?: number; headers?: Record<string, { value: string }> };

function edge(code: string) {
  const handler = runInNewContext(`${code}\nhandler;`, {}) as (event: unknown) => Result;
  return (uri: string, host = 'news.example.org') =>
    handler({
      context: { eventType: 'viewer-request' },
      request: { method: 'GET', uri, querystring: {}, headers: { host: { value: host } }, cookies: {} },
    });
}
const request = edge(edgeFunctionCode({ rules, previewDomain: 'preview.news.example.org' }));
const objectExists = (key: string) => existsSync(join(dist, decodeURIComponent(key)));

describe('the edge function on the fixture site', () => {
  it('has the site’s alias rules to serve', () => {
    expect(rules.length).toBeGreaterThan(0);
  });

  it('answers every alias of _redirects with a 301 to a page that exists', () => {
    for (const rule of rules) {
      const r = request(rule.from);
      expect(r, rule.from).toMatchObject({ statusCode: 301, headers: { location: { value: rule.to } } });
      const target = request(rule.to);
      expect(target.uri && objectExists(target.uri), `${rule.to} → ${target.uri}`).toBe(true);
    }
  });

  it('maps the URL of every page and file in dist/ to its object in the bucket', () => {
    const files = listFiles(dist).filter((f) => !f.startsWith('_') || f.startsWith('_astro/'));
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const path = urlPathOf(file);
      const r = request(path);
      // An alias page the build wrote is shadowed by its rule, as on Cloudflare Pages.
      if (r.statusCode === 301)
        expect(
          rules.some((x) => x.from === path),
          path,
        ).toBe(true);
      else expect(r.uri, path).toBe(`/${file}`);
    }
  });

  it('serves a preview host from its prefix, with the same rules', () => {
    expect(request('/', 'pr-3.preview.news.example.org').uri).toBe('/previews/pr-3/index.html');
    expect(request(rules[0]!.from, 'pr-3.preview.news.example.org').statusCode).toBe(301);
  });

  it('fits CloudFront’s function size limit for this site, and has a KeyValueStore form of the same rules', () => {
    expect(Buffer.byteLength(edgeFunctionCode({ rules }))).toBeLessThan(10 * 1024);
    const kvs = JSON.parse(keyValueStoreData(rules)) as { data: { key: string; value: string }[] };
    expect(kvs.data.map((d) => d.key)).toEqual(rules.map((r) => r.from));
  });
});

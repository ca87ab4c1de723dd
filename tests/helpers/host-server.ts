import { HeadersHandler } from '@netlify/headers';
import { parseAllRedirects } from '@netlify/redirect-parser';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';
import { listenLocally, type StaticServer } from './browser';

interface RedirectRule {
  from: string;
  to: string;
  status: number;
}

/** The site's `_redirects`, parsed by Netlify's own parser; parse errors fail loudly. */
export async function readRedirects(dist: string): Promise<RedirectRule[]> {
  const { redirects, errors } = await parseAllRedirects({
    redirectsFiles: [join(dist, '_redirects')],
    configRedirects: [],
    minimal: false,
  });
  if (errors.length) throw new Error(`_redirects: ${errors.map((e: Error) => e.message).join('; ')}`);
  return redirects as RedirectRule[];
}

/**
 * Serves a built `dist/` on 127.0.0.1 the way a CDN would: `_redirects` answered first
 * (Cloudflare Pages always follows them; Netlify does with its force flag), then the file or
 * the site's 404 page, each with the headers `_headers` gives its path, applied by Netlify's
 * headers engine. Only exact-path redirects are supported; that is all Masthead writes.
 */
export async function serveWithHostFiles(dist: string): Promise<StaticServer> {
  const redirects = new Map((await readRedirects(dist)).map((r) => [r.from, r]));
  const headers = new HeadersHandler({ projectDir: dist, publishDir: '.', logger: console });
  const assets = sirv(dist, { dev: false, etag: true, extensions: ['html'] });
  const notFound = join(dist, '404.html');

  const applyHeaders = async (res: ServerResponse, url: URL) => {
    for (const [name, value] of Object.entries(await headers.apply(new Request(url)))) res.setHeader(name, value);
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/_headers' || url.pathname === '/_redirects') {
      res.writeHead(404).end();
      return;
    }
    await applyHeaders(res, url);
    const redirect = redirects.get(url.pathname);
    if (redirect) {
      res.writeHead(redirect.status, { Location: redirect.to }).end();
      return;
    }
    assets(req, res, () => {
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(existsSync(notFound) ? readFileSync(notFound) : 'not found');
    });
  });
  return listenLocally(server);
}

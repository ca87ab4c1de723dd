import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import sirv from 'sirv';
import { afterAll, beforeAll } from 'vitest';
import { OFFLINE_CHROMIUM_FLAGS } from '../../scripts/lib/chromium';
import { ROOT, SITES, type SiteName } from './sites';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Work of the browser's own that no test looks at: the spare renderer process Chromium starts ahead of
 * each next page, and the omnibox popup's WebUI renderers it preloads for every window (headless never
 * shows an omnibox). Off, a new context and page start one renderer instead of three: 1.4 to 0.8 s of
 * CPU each, and every test opens at least one.
 */
const UNUSED_FEATURES = ['SpareRendererForSitePerProcess', 'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

/**
 * The features Playwright turns off itself (chromiumSwitches in playwright-core). Chromium keeps only
 * the last `--disable-features` switch, so ours must repeat them. Read from the installed bundle, so an
 * upgrade that changes the list cannot leave one switched back on.
 */
function playwrightDisabledFeatures(): string[] {
  const bundle = readFileSync(createRequire(import.meta.url).resolve('playwright-core/lib/coreBundle'), 'utf8');
  const list = /\bdisabledFeatures = \[([^\]]*)\]/.exec(bundle)?.[1];
  const names = list
    ?.replace(/\/\/.*$/gm, '')
    .match(/"[^"]*"/g)
    ?.map((quoted) => quoted.slice(1, -1));
  if (!names?.length)
    throw new Error('playwright-core no longer lists its disabled Chromium features as tests/helpers/browser.ts reads them');
  return names;
}

const FLAGS = [
  ...OFFLINE_CHROMIUM_FLAGS,
  '--autoplay-policy=no-user-gesture-required',
  `--disable-features=${[...playwrightDisabledFeatures(), ...UNUSED_FEATURES].join(',')}`,
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}. Install Debian's build with ` +
        '`sudo apt-get install -y chromium` (or set CHROMIUM_PATH). Browser downloads are not used.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
}

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/** Answers one path on the test server instead of `dist/` (generated audio, failing streams). */
export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** Serves a built `dist/` on 127.0.0.1 at a free port, with the site's 404 page. `routes`
 * (by URL path) are looked up on every request, so a test may change them while it runs. */
export async function serveDist(dir: string, routes: Record<string, Route> = {}): Promise<StaticServer> {
  const assets = sirv(dir, { dev: false, etag: true, extensions: ['html'] });
  const notFound = join(dir, '404.html');
  const server: Server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://127.0.0.1').pathname];
    if (route) return route(req, res);
    assets(req, res, () => {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(existsSync(notFound) ? readFileSync(notFound) : 'not found');
    });
  });
  return listenLocally(server);
}

/** Starts a test server on 127.0.0.1 at a free port. */
export async function listenLocally(server: Server): Promise<StaticServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves bytes as a media file, with the byte ranges browsers ask media for. */
export function mediaRoute(body: Buffer, type: string): Route {
  return (req, res) => {
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    const headers = { 'content-type': type, 'accept-ranges': 'bytes', 'cache-control': 'no-store' };
    if (!range) {
      res.writeHead(200, { ...headers, 'content-length': body.length });
      return res.end(body);
    }
    const start = range[1] ? Number(range[1]) : Math.max(0, body.length - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
    if (start >= body.length) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` });
      return res.end();
    }
    res.writeHead(206, { ...headers, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${body.length}` });
    res.end(body.subarray(start, end + 1));
  };
}

/** A URL that answers 404, like a stream whose mount point is gone. */
export const missingRoute: Route = (_req, res) => {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('no such stream');
};

/** Where browser tests save the screenshots people look at. */
export const SHOTS = `${ROOT}tests/e2e/screenshots`;

/**
 * One browser and the test servers of an e2e file: started before its tests, closed after.
 * Tests read `e2e.browser` and `e2e.servers.<name>`.
 */
export function useBrowser<S extends string>(serve: Record<S, () => Promise<StaticServer>>) {
  const e2e = { browser: undefined as unknown as Browser, servers: {} as Record<S, StaticServer> };
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const name of Object.keys(serve) as S[]) e2e.servers[name] = await serve[name]();
    e2e.browser = await launchBrowser();
  });
  afterAll(async () => {
    await e2e.browser?.close();
    for (const server of Object.values<StaticServer>(e2e.servers)) await server.close();
  });
  return e2e;
}

/** Starters for `useBrowser` that serve built sites as they are. */
export const builtSites = <S extends SiteName>(names: Iterable<S>) =>
  Object.fromEntries([...new Set(names)].map((name) => [name, () => serveDist(SITES[name].outDir)])) as Record<
    S,
    () => Promise<StaticServer>
  >;

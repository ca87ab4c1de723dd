import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { serveDist, useBrowser, type Route } from '../helpers/browser';
import { articlePaths, fileForPath } from '../helpers/dist';
import { VIEWPORTS } from '../helpers/page-types';
import { SITES } from '../helpers/sites';

/**
 * A browser paints a page before all of its HTML has arrived: on a slow network between packets, and
 * even locally when the parser runs out of its time slice (CI once painted the home page with the
 * Play Live Radio icon but not yet its label, and the icon moved when the label came: CLS 0.0004).
 * Whatever has been painted must stay where it is when the rest arrives. These tests serve a page in
 * two parts, split after a given tag, and measure the layout shift when the second part lands.
 */

const dist = SITES.demo.outDir;
/** Pages by URL path. `?split=<offset>&id=<n>` serves the page up to offset at once and holds the
 * rest until the test calls `release(n)`, once the browser has painted the first part. */
const pages = new Map<string, string>();
const held = new Map<string, () => void>();
const routes: Record<string, Route> = {};
function splittable(path: string): string {
  const html = readFileSync(fileForPath(dist, path), 'utf8');
  pages.set(path, html);
  routes[path] = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const at = Number(url.searchParams.get('split'));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.write(html.slice(0, at));
    held.set(url.searchParams.get('id')!, () => res.end(html.slice(at)));
  };
  return path;
}

const home = splittable('/');
const story = splittable(articlePaths(dist)[0]!);
const e2e = useBrowser({ demo: () => serveDist(dist, routes) });

/** The offsets just after each tag in html[from, to). */
function tagEnds(html: string, from: number, to: number): number[] {
  const ends: number[] = [];
  for (let i = html.indexOf('>', from); i !== -1 && i < to; i = html.indexOf('>', i + 1)) ends.push(i + 1);
  return ends;
}

let visits = 0;

/** Loads path split at `split`: waits until the first part is parsed and painted (its element count
 * holds over two frames), sends the rest, and returns the layout shift it caused. */
async function shiftAt(page: Page, path: string, split: number) {
  const id = String(++visits);
  await page.goto(`${e2e.servers.demo.origin}${path}?split=${split}&id=${id}`, { waitUntil: 'commit' });
  const painted = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) =>
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(document.getElementsByTagName('*').length))),
        ),
    );
  for (let last = -1, now = await painted(); now !== last;) [last, now] = [now, await painted()];
  expect(held.has(id)).toBe(true);
  held.get(id)!();
  held.delete(id);
  await page.waitForLoadState('domcontentloaded');
  return await page.evaluate(
    () =>
      new Promise<{ shift: number; moved: string[] }>((resolve) => {
        type Shift = PerformanceEntry & { value: number; sources: { node: Node | null }[] };
        let shift = 0;
        const moved: string[] = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Shift[]) {
            shift += entry.value;
            for (const { node } of entry.sources)
              moved.push(node instanceof Element ? node.outerHTML.slice(0, 100) : String(node?.textContent));
          }
        }).observe({ type: 'layout-shift', buffered: true });
        requestAnimationFrame(() => requestAnimationFrame(() => resolve({ shift, moved })));
      }),
  );
}

/** Visits every split, a few at a time, and describes the ones that moved something. */
async function shiftsAt(viewport: { width: number; height: number }, path: string, splits: number[]) {
  const context = await e2e.browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
  // Only the HTML and its stylesheets decide where things are painted as the page arrives (images
  // have their sizes in the HTML, and the player is laid out before its script runs); the rest
  // is page-load.test.ts's business, and left out it halves the time of a visit.
  await context.route('**/*', (route) =>
    ['document', 'stylesheet'].includes(route.request().resourceType()) ? route.fallback() : route.abort(),
  );
  const html = pages.get(path)!;
  const failures: string[] = [];
  try {
    const queue = [...splits];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        // One tab per worker, navigated from split to split: a new tab per visit costs a renderer.
        const page = await context.newPage();
        for (let split = queue.shift(); split !== undefined; split = queue.shift()) {
          const { shift, moved } = await shiftAt(page, path, split);
          if (shift > 0) failures.push(`split after …${html.slice(split - 50, split)}: CLS ${shift} moved ${moved.join(' | ')}`);
        }
      }),
    );
  } finally {
    await context.close();
  }
  return failures;
}

describe('a page that arrives in pieces does not move what is already painted', () => {
  it.each(VIEWPORTS)('the station header and the site navigation, split after each of their tags, on a $name', async (viewport) => {
    const html = pages.get(home)!;
    const start = html.indexOf('<body');
    // Leaving out the station list, which stays closed (and unpainted) until a reader opens it, and
    // the topic links, which run left to right and wrap.
    const list = html.indexOf('<ul', html.indexOf('class="on-air"', start));
    const nav = html.indexOf('<nav class="site-nav"', list);
    const splits = [...tagEnds(html, start, list), ...tagEnds(html, html.indexOf('</details>', list), html.indexOf('<ul', nav))];
    expect(splits.length).toBeGreaterThan(40);
    expect(await shiftsAt(viewport, home, splits)).toEqual([]);
  });

  it.each(VIEWPORTS)('the home page and a story, split at points through the body, on a $name', async (viewport) => {
    for (const path of [home, story]) {
      const html = pages.get(path)!;
      const ends = tagEnds(html, html.indexOf('</header>'), html.length);
      // Points spread evenly: among them the one where the page first grows past the screen.
      const splits = Array.from({ length: 12 }, (_, i) => ends[Math.floor((i * ends.length) / 12)]!);
      expect(await shiftsAt(viewport, path, splits)).toEqual([]);
    }
  });
});

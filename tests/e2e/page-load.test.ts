import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { builtSites, useBrowser } from '../helpers/browser';
import { articlePaths, loadPage } from '../helpers/dist';
import { PAGE_TYPES, VIEWPORTS, type PageType } from '../helpers/page-types';
import { SITES, type SiteName } from '../helpers/sites';
import { all } from '../helpers/html';

const e2e = useBrowser(builtSites<SiteName>(['fixtures', 'demo']));

/** Scrolls to the bottom in steps, so lazy images load the way they do for a reader. */
async function scrollThrough(page: Page) {
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
      scrollTo(0, y);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  await page.waitForLoadState('networkidle');
}

const DEMO_PAGES: PageType[] = [
  { name: 'demo home', site: 'demo', path: '/' },
  { name: 'demo topic', site: 'demo', path: '/topics/transportation/' },
];

// Two pages at a time (the site project's maxConcurrency): most of a visit is waiting for the
// network to go quiet.
describe.concurrent('nothing leaves the origin', () => {
  it.each([...PAGE_TYPES, ...DEMO_PAGES])(
    '$name ($site $path) loads only from its own origin, with no web fonts',
    async ({ site, path, prepare }) => {
      const context = await e2e.browser.newContext();
      try {
        const page = await context.newPage();
        const requests: { url: string; type: string }[] = [];
        page.on('request', (r) => requests.push({ url: r.url(), type: r.resourceType() }));
        await page.goto(e2e.servers[site].origin + path);
        await prepare?.(page);
        await scrollThrough(page);

        const origin = e2e.servers[site].origin;
        expect(requests.length).toBeGreaterThan(0);
        expect(requests.filter((r) => !r.url.startsWith(`${origin}/`) && !/^(data|blob):/.test(r.url))).toEqual([]);
        expect(requests.filter((r) => r.type === 'font')).toEqual([]);
        expect(await page.evaluate(() => document.fonts.size)).toBe(0);
      } finally {
        await context.close();
      }
    },
  );
});

describe('layout stability and image loading', () => {
  const storyWithPhoto = PAGE_TYPES.find((p) => p.name === 'article with photo')!;
  const home: PageType = { name: 'home', site: 'fixtures', path: '/' };
  const cases = [storyWithPhoto, home, ...DEMO_PAGES].flatMap((p) => VIEWPORTS.map((viewport) => ({ ...p, viewport })));

  it.each(cases)('$name ($site $path) on a $viewport.name does not shift as it loads (CLS = 0)', async ({ site, path, viewport }) => {
    const context = await e2e.browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    try {
      // The player fills in Next Up after the page paints. At this time the demo's next programme
      // is a long one ("BBC World Service · Thu, 1:00 AM CST"), which once wrapped on phones.
      await context.clock.setFixedTime(new Date('2026-11-26T02:40:00Z'));
      const page = await context.newPage();
      await page.goto(e2e.servers[site].origin + path);
      await scrollThrough(page);
      type Shift = PerformanceEntry & { value: number; hadRecentInput: boolean; sources: { node: Node | null }[] };
      const { shift, moved } = await page.evaluate(
        () =>
          new Promise<{ shift: number; moved: string[] }>((resolve) => {
            let shift = 0;
            const moved: string[] = [];
            new PerformanceObserver((list) => {
              for (const entry of list.getEntries() as Shift[]) {
                if (entry.hadRecentInput) continue;
                shift += entry.value;
                // What moved, so a failure says where to look.
                for (const { node } of entry.sources)
                  moved.push(node instanceof Element ? node.outerHTML.slice(0, 80) : String(node?.textContent));
              }
            }).observe({ type: 'layout-shift', buffered: true });
            setTimeout(() => resolve({ shift, moved }), 300);
          }),
      );
      expect(shift, `moved: ${moved.join(' | ')}`).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("a story's lead photo loads at once with high priority; photos further down wait for the reader", async () => {
    // A demo story with a lead photo and a photo lower down (a related story's).
    const dist = SITES.demo.outDir;
    const path = articlePaths(dist).find((p) => {
      const $ = loadPage(dist, p);
      return all($, 'figure.photo img[fetchpriority="high"]').length === 1 && all($, 'img[loading="lazy"]').length > 0;
    });
    expect(path).toBeDefined();
    const context = await e2e.browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const page = await context.newPage();
      const images: string[] = [];
      page.on('request', (r) => r.resourceType() === 'image' && images.push(new URL(r.url()).pathname));
      await page.goto(e2e.servers['demo'].origin + path);
      await page.waitForLoadState('networkidle');
      const lead = page.locator('figure.photo img');
      expect(await lead.getAttribute('loading')).toBe('eager');
      expect(images).toContain(await lead.evaluate((img: HTMLImageElement) => new URL(img.currentSrc).pathname));
      const lazy = page.locator('img[loading="lazy"]').last();
      const lazySrc = () => lazy.evaluate((img: HTMLImageElement) => img.currentSrc && new URL(img.currentSrc).pathname);
      expect(await lazySrc()).toBe('');
      await scrollThrough(page);
      const loaded = await lazySrc();
      expect(loaded).toMatch(/\.(avif|webp)$/);
      expect(images).toContain(loaded);
    } finally {
      await context.close();
    }
  });
});

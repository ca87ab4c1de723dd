import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { builtSites, SHOTS, useBrowser } from '../helpers/browser';
import { COLOR_SCHEMES, PAGE_TYPES, VIEWPORTS } from '../helpers/page-types';

/** WCAG 2.2 AA plus axe's best practices. wcag22aa is what catches small touch targets. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

const e2e = useBrowser(builtSites(PAGE_TYPES.map((p) => p.site)));

/**
 * axe-core's own `axe.run` on the page as it is now, every rule of AXE_TAGS. axe-core is put in
 * the page once per load: @axe-core/playwright's `analyze()` parsed its 550 KB three times per
 * call (twice in the page, once in a blank page it opens to merge results), which was most of
 * the cost of this file.
 */
async function axeViolations(page: Page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const violations = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: typeof axe }).axe
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .then((r) => r.violations),
    AXE_TAGS,
  );
  return violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`),
  }));
}

const WIDTHS = VIEWPORTS.map((v) => v.name).join(' and ');

// One load per page, then axe at each width and in each colour scheme: the site's only response to
// the width and to the scheme is CSS (no script reads either), so resizing or switching the emulated
// scheme on the loaded page shows what a load at that width or in that scheme would. Pages are
// checked two at a time: much of a check is waiting.
describe.concurrent('axe finds no WCAG 2.2 AA violations', () => {
  it.each(PAGE_TYPES)(
    `$name ($site $path) on a ${WIDTHS}, in the ${COLOR_SCHEMES.join(' and ')} schemes`,
    async ({ site, path, status = 200, prepare }) => {
      const [first] = VIEWPORTS;
      const context = await e2e.browser.newContext({ viewport: { width: first.width, height: first.height } });
      try {
        const page = await context.newPage();
        const response = await page.goto(e2e.servers[site].origin + path);
        expect(response?.status()).toBe(status);
        await prepare?.(page);
        // Violations by width and scheme, so a failure names both.
        const found: Record<string, unknown[]> = {};
        for (const viewport of VIEWPORTS) {
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
          expect(await page.evaluate(() => innerWidth)).toBe(viewport.width);
          for (const colorScheme of COLOR_SCHEMES) {
            await page.emulateMedia({ colorScheme });
            expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
            found[`${viewport.name}, ${colorScheme}`] = await axeViolations(page);
          }
        }
        expect(found).toEqual(Object.fromEntries(VIEWPORTS.flatMap((v) => COLOR_SCHEMES.map((s) => [`${v.name}, ${s}`, []]))));
      } finally {
        await context.close();
      }
    },
  );
});

describe('the dark theme', () => {
  it.each(VIEWPORTS)('dresses a story on a $name in dark colours', async (viewport) => {
    const context = await e2e.browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, colorScheme: 'dark' });
    try {
      const page = await context.newPage();
      await page.goto(e2e.servers['fixtures'].origin + '/news/2026/11/20/local-story-with-photo/');
      const luminance = (css: string) => {
        const [r, g, b] = css.match(/\d+/g)!.map(Number) as [number, number, number];
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      };
      const body = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const text = await page.locator('h1').evaluate((h1) => getComputedStyle(h1).color);
      expect(luminance(body)).toBeLessThan(0.15);
      expect(luminance(text)).toBeGreaterThan(0.85);
      await page.screenshot({ path: `${SHOTS}/article-dark-${viewport.name}.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });
});

describe('motion', () => {
  it('stops transitions, animations and smooth scrolling when the reader prefers reduced motion', async () => {
    const context = await e2e.browser.newContext({ reducedMotion: 'reduce' });
    try {
      const page = await context.newPage();
      await page.goto(e2e.servers['fixtures'].origin + '/news/2026/11/20/local-story-with-photo/');
      // A probe styled the way a future component might be: the site-wide rule must still stop it.
      await page.addStyleTag({
        content: '@keyframes mh-probe { to { opacity: 0.5 } } .mh-probe { transition: opacity 300ms; animation: mh-probe 2s infinite; }',
      });
      await page.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('beforeend', '<p class="mh-probe">probe</p>'));
      const moving = await page.evaluate(() => {
        const seconds = (list: string) =>
          Math.max(...list.split(',').map((t) => (t.trim().endsWith('ms') ? parseFloat(t) / 1000 : parseFloat(t))));
        const found: string[] = [];
        for (const el of [document.documentElement, ...document.querySelectorAll('body *')]) {
          for (const pseudo of [null, '::before', '::after']) {
            const style = getComputedStyle(el, pseudo);
            const iterations = style.animationName === 'none' ? 0 : 1;
            if (
              seconds(style.transitionDuration) > 0.001 ||
              iterations * seconds(style.animationDuration) > 0.001 ||
              style.scrollBehavior === 'smooth'
            ) {
              found.push(`${el.tagName.toLowerCase()}${pseudo ?? ''}.${el.className}`);
            }
          }
        }
        return found;
      });
      expect(moving).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { serveDist, SHOTS, useBrowser } from '../helpers/browser';
import { VIEWPORTS } from '../helpers/page-types';
import { SITES } from '../helpers/sites';

const ARTICLE = '/news/2026/11/20/local-story-with-photo/';

const e2e = useBrowser({ fixtures: () => serveDist(SITES.fixtures.outDir) });

describe.each(VIEWPORTS)('an article on a $name', (viewport) => {
  it('shows the station chrome and the story', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

    const response = await page.goto(e2e.servers.fixtures.origin + ARTICLE);
    expect(response?.status()).toBe(200);

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Fixture Falls opens its new riverfront library');
    for (const name of ['Play Live Radio', 'Donate']) {
      expect(await page.getByRole('link', { name, exact: true }).isVisible()).toBe(true);
    }
    expect(await page.getByText('Next Up:').isVisible()).toBe(true);
    expect(await page.getByText('Available On Air Stations').isVisible()).toBe(true);

    // The photo is loaded and laid out at the column width, not overflowing the phone.
    const photo = page.locator('figure.photo img');
    await photo.scrollIntoViewIfNeeded();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const box = await photo.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(viewport.width);
    expect(box!.width).toBeGreaterThan(Math.min(viewport.width, 672) * 0.8);

    // Nothing is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);

    // The donation footer and live player are on the page.
    expect(await page.locator('footer.donation-footer .appeal').isVisible()).toBe(true);
    expect(await page.locator('#live-player audio').count()).toBe(1);

    // The skip link is the first stop for a keyboard user and moves focus to the story.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    await page.screenshot({ path: `${SHOTS}/article-${viewport.name}.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('index pages in the browser', () => {
  it.each(['/', '/stations/kfix/', '/topics/education/', '/archive/', '/authors/ada-reporter/', '/stations/kfix/schedule/'])(
    '%s renders without errors or sideways scrolling on a phone',
    async (path) => {
      const context = await e2e.browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      const response = await page.goto(e2e.servers.fixtures.origin + path);
      expect(response?.status()).toBe(200);
      expect(await page.locator('h1').count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: `${SHOTS}/${path.replace(/\W+/g, '_') || 'home'}-phone.png`, fullPage: true });
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  it('serves the 404 page for an unknown path', async () => {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${e2e.servers.fixtures.origin}/news/2099/01/01/nothing-here/`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe("We can't find that page");
    await context.close();
  });
});

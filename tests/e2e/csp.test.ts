import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHOTS, useBrowser } from '../helpers/browser';
import { serveWithHostFiles } from '../helpers/host-server';
import { SITES } from '../helpers/sites';

const ARTICLE = '/news/2026/11/20/local-story-with-photo/';
const KFIX_ACCENT = 'rgb(29, 78, 137)'; // #1d4e89 in tests/fixtures/content/stations/kfix.yaml

const e2e = useBrowser({ fixtures: () => serveWithHostFiles(SITES.fixtures.outDir) });

interface Watched {
  page: Page;
  violations: () => Promise<string[]>;
  errors: string[];
  scripts: { url: string; status: number }[];
}

/** A page that records CSP violations (from before any page script runs), errors and script loads. */
async function watchedPage(): Promise<Watched> {
  const context = await e2e.browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  // Init scripts are injected by the browser's debugging protocol, which the page's CSP does not govern.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sample || e.sourceFile})`),
    );
  });
  const errors: string[] = [];
  const scripts: { url: string; status: number }[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => (m.type() === 'error' || /Content Security Policy/i.test(m.text())) && errors.push(m.text()));
  page.on('response', (r) => r.request().resourceType() === 'script' && scripts.push({ url: r.url(), status: r.status() }));
  return {
    page,
    errors,
    scripts,
    violations: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
  };
}

describe('the site under its Content-Security-Policy header', () => {
  it('loads an article with no CSP violation: styles, the station accent and every script apply', async () => {
    const { page, violations, errors, scripts } = await watchedPage();
    const response = await page.goto(e2e.servers.fixtures.origin + ARTICLE, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toMatch(/^default-src 'self'; script-src 'self'/);

    // Inline <style> blocks and the accent's style attribute are allowed by hash.
    expect(await page.locator('.station-header .brand-bar').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(KFIX_ACCENT);
    expect(await page.locator('footer.donation-footer .appeal-band').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(
      KFIX_ACCENT,
    );
    expect(await page.locator('article .body').evaluate((e) => getComputedStyle(e).fontFamily)).not.toBe('');
    expect(await page.locator('#live-player audio').count()).toBe(1);

    // Every script the page asks for loads (the fixture site ships none yet; the player will).
    const wanted = await page.evaluate(() => [...document.scripts].filter((s) => s.src).map((s) => s.src));
    expect(scripts.filter((s) => wanted.includes(s.url)).map((s) => s.status)).toEqual(wanted.map(() => 200));

    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/article-under-csp-desktop.png` });
    await page.context().close();
  });

  it.each(['/', '/stations/wfix/', '/stations/kfix/schedule/', '/topics/', '/archive/2026/11/', '/authors/ada-reporter/'])(
    '%s loads with no CSP violation',
    async (path) => {
      const { page, violations, errors } = await watchedPage();
      expect((await page.goto(e2e.servers.fixtures.origin + path, { waitUntil: 'networkidle' }))?.status()).toBe(200);
      expect(await violations()).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it('allows WebAssembly only for Pagefind, whose search then runs under the policy', async () => {
    const { page, violations, errors } = await watchedPage();
    const response = await page.goto(e2e.servers.fixtures.origin + ARTICLE, { waitUntil: 'networkidle' });
    const csp = response?.headers()['content-security-policy'] ?? '';
    if (!existsSync(join(SITES.fixtures.outDir, '_pagefind/pagefind.js'))) {
      expect(csp).not.toContain("'wasm-unsafe-eval'");
    } else {
      // Pagefind compiles its WebAssembly in a same-origin worker; without 'wasm-unsafe-eval' it fails to load.
      expect(csp).toContain("'wasm-unsafe-eval'");
      const found = await page.evaluate(`(async () => {
        const pagefind = await import('/_pagefind/pagefind.js');
        const search = await pagefind.search('library');
        return search.results.length;
      })()`);
      expect(found).toBeGreaterThan(0);
    }
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('blocks what the site did not ship: an injected inline script and style attribute', async () => {
    const { page, violations } = await watchedPage();
    await page.goto(e2e.servers.fixtures.origin + ARTICLE, { waitUntil: 'networkidle' });
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injectedRan = true';
      document.body.append(script);
      document.querySelector('h1')!.setAttribute('style', 'color: rgb(255, 0, 0)');
    });
    await expect
      .poll(violations)
      .toEqual([expect.stringMatching(/^script-src-elem blocked inline/), expect.stringMatching(/^style-src-attr blocked inline/)]);
    expect(await page.evaluate(() => (window as unknown as { __injectedRan?: boolean }).__injectedRan)).toBeUndefined();
    expect(await page.locator('h1').evaluate((e) => getComputedStyle(e).color)).not.toBe('rgb(255, 0, 0)');
    await page.context().close();
  });
});

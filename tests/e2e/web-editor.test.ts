/**
 * The web editor end to end: Decap CMS at /admin/ of the demo build in headless Chromium, against
 * decap-server (the local proxy backend) over a copy of content/. What it saves must be a story
 * check:content passes. Screenshots go to tests/.tmp/editor-shots/, or to docs/images/editor/ for
 * docs/editing.md with MASTHEAD_UPDATE_DOCS=1 (a test run must not rewrite tracked files); the
 * preview in them is styled by the build's own article CSS, as the deployed editor's is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';
import type { Browser, Page } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, listenLocally, type StaticServer } from '../helpers/browser';
import { checkContent, copyContent } from '../helpers/run';
import { ROOT, SITES, TMP } from '../helpers/sites';
import { ADMIN_CSP } from '../../src/integrations/host-files/policy';
import { ADMIN_DIR, TOPICS_FILE } from '../../src/integrations/web-editor';
import { EXAMPLES } from '../../src/checks/schema-problems';

const SHOTS = process.env.MASTHEAD_UPDATE_DOCS === '1' ? join(ROOT, 'docs/images/editor') : join(TMP, 'editor-shots');
const PORT = 18_000 + (process.pid % 1000);
const DIST = SITES.demo.outDir;
/** The Tags field's list, as the demo build wrote it from its site index (tests/build/web-editor.test.ts checks it). */
const TOPICS = JSON.parse(readFileSync(join(DIST, ADMIN_DIR, TOPICS_FILE), 'utf8')) as string[];

let browser: Browser;
let site: StaticServer;
let proxy: ChildProcess;
let content: string;
const cspViolations: string[] = [];

async function waitForProxy(url: string) {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"info"}' });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`decap-server did not answer at ${url}`);
}

beforeAll(async () => {
  const copy = copyContent('web-editor', join(ROOT, 'content'));
  content = copy.content;
  const proxyUrl = `http://127.0.0.1:${PORT}/api/v1`;
  proxy = spawn(process.execPath, [join(ROOT, 'node_modules/decap-server/dist/index.js')], {
    env: { ...process.env, PORT: String(PORT), BIND_HOST: '127.0.0.1', MODE: 'fs', GIT_REPO_DIRECTORY: copy.dir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  await waitForProxy(proxyUrl);

  // The demo build as a host serves it, with the CSP _headers gives /admin/; only config.yml's
  // local_backend and the CSP's connect-src name the proxy. The preview links the build's /_astro/ CSS.
  const config = readFileSync(join(DIST, ADMIN_DIR, 'config.yml'), 'utf8').replace(/^local_backend: true$/m, `local_backend:\n  url: ${proxyUrl}`);
  const csp = ADMIN_CSP.replace("connect-src 'self'", `connect-src 'self' ${new URL(proxyUrl).origin}`);
  const assets = sirv(DIST, { dev: false, extensions: ['html'] });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    res.setHeader('content-security-policy', csp);
    if (path === `/${ADMIN_DIR}config.yml`) {
      res.writeHead(200, { 'content-type': 'text/yaml; charset=utf-8' }).end(config);
      return;
    }
    assets(req, res, () => void res.writeHead(404).end());
  });
  site = await listenLocally(server);
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  proxy?.kill();
});

async function openEditor(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    if (process.env.DEBUG_EDITOR) console.log('console:', m.text().slice(0, 300));
  });
  if (process.env.DEBUG_EDITOR) page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto(`${site.origin}/admin/`);
  await page.getByRole('button', { name: /login/i }).click();
  await page.getByText('Stories').first().waitFor();
  return page;
}

const storyFile = (slug: string) => join(content, 'articles', String(new Date().getFullYear()), `${slug}.md`);

async function pickRelation(page: Page, label: string, names: string[]) {
  for (const name of names) {
    await page.getByLabel(label, { exact: true }).fill(name.split(' ')[0]!);
    await page.getByRole('option', { name }).click();
  }
}

describe('the web editor (/admin/)', () => {
  it('creates a story with a photo, two authors and a dateline that check:content passes, then edits its headline', async () => {
    const page = await openEditor();
    await page.screenshot({ path: join(SHOTS, 'stories.png') });
    await page.goto(`${site.origin}/admin/#/collections/articles/new`);
    await page.getByLabel('Headline').fill('Council approves the Front Street bridge');
    await page.getByLabel('Dek (summary)').fill('The 5-2 vote ends a decade of debate over the crossing.');
    await pickRelation(page, 'Byline', ['Maria Okafor', 'Eli Brandt']);
    await page.getByLabel('Dateline').fill('PORT ALDEN');
    await pickRelation(page, 'Station', ['KXPR 89.7']);
    await page.getByLabel('Date', { exact: true }).fill('2026-11-20T09:30');

    // Tags: each entry offers the site's topics, and takes a new one too.
    const tagInputs = page.locator('input[list="masthead-topics"]');
    for (const [i, tag] of ['Transportation', 'Front Street bridge'].entries()) {
      await page.getByRole('button', { name: /add tags/i }).click();
      await tagInputs.nth(i).fill(tag);
    }
    expect(TOPICS).toContain('Transportation');
    expect(await page.locator('#masthead-topics option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(TOPICS);

    // The photo: uploaded through the media library, it lands beside the story.
    await page.getByRole('button', { name: /choose an image/i }).click();
    const upload = page.locator('input[type="file"]');
    await upload.setInputFiles(join(ROOT, 'content/articles/2026/council-chamber.jpg'));
    // The upload is selected as it arrives.
    await page.getByText('council-chamber.jpg').first().waitFor();
    await page.getByRole('button', { name: /choose selected/i }).click();
    await page.getByLabel(/^Alt/).fill('Council members vote in the chamber');
    await page.getByLabel(/^Credit/).fill('Maria Okafor / KXPR');

    await page.locator('[data-slate-editor="true"]').click();
    await page.keyboard.type('The council voted 5-2 on Tuesday to rebuild the bridge.');
    await page.screenshot({ path: join(SHOTS, 'new-story.png'), fullPage: false });

    await page.getByRole('button', { name: /^publish$/i }).click();
    await page.getByText(/publish now/i).click();
    const file = storyFile('council-approves-the-front-street-bridge');
    // decap-server creates the file before it writes it, so wait for the whole frontmatter, not the name.
    const FRONTMATTER = /^---\n([\s\S]*?)\n---$/m;
    await expect.poll(() => (existsSync(file) ? readFileSync(file, 'utf8') : ''), { timeout: 20_000 }).toMatch(FRONTMATTER);

    const saved = readFileSync(file, 'utf8');
    const fm = parseYaml(FRONTMATTER.exec(saved)![1]!) as Record<string, unknown>;
    expect(fm).toMatchObject({
      title: 'Council approves the Front Street bridge',
      byline: ['maria-okafor', 'eli-brandt'],
      dateline: 'PORT ALDEN',
      station: 'kxpr',
      date: '2026-11-20 09:30',
      tags: ['Transportation', 'Front Street bridge'],
      image: { src: 'council-chamber.jpg', alt: 'Council members vote in the chamber', credit: 'Maria Okafor / KXPR' },
    });
    // Optional fields left blank are left out: the schemas refuse empty values.
    expect(Object.keys(fm)).not.toContain('updated');
    expect(readdirSync(join(file, '..'))).toContain('council-chamber.jpg');
    const check = await checkContent(content, { direct: true });
    expect(check.output).not.toMatch(/council-approves-the-front-street-bridge\.md:\d*:? \w/);
    expect(check.status, check.output).toBe(0);

    // Edit the headline; the same file changes.
    await page.getByLabel('Headline').fill('Council approves the Front Street bridge, 5-2');
    await page.getByRole('button', { name: /^publish$/i }).click();
    await page.getByText(/publish now/i).click();
    await expect.poll(() => readFileSync(file, 'utf8'), { timeout: 20_000 }).toContain('title: Council approves the Front Street bridge, 5-2');
    await page.screenshot({ path: join(SHOTS, 'preview.png') });
    await page.close();
    expect(cspViolations).toEqual([]);
  }, 180_000);

  it('shows a missing alt text at the field, in check:content words, and saves nothing', async () => {
    const page = await openEditor();
    await page.goto(`${site.origin}/admin/#/collections/articles/new`);
    await page.getByLabel('Headline').fill('Photo without a description');
    await page.getByLabel('Dek (summary)').fill('A story whose photo has no alt text.');
    await pickRelation(page, 'Byline', ['Jordan Reyes']);
    await pickRelation(page, 'Station', ['KXPR 89.7']);
    await page.getByLabel('Date', { exact: true }).fill('2026-11-20T09:30');
    await page.getByRole('button', { name: /choose an image/i }).click();
    await page.locator('input[type="file"]').setInputFiles(join(ROOT, 'content/articles/2026/grain-elevator.jpg'));
    await page.getByText('grain-elevator.jpg').first().waitFor();
    await page.getByRole('button', { name: /choose selected/i }).click();
    await page.getByLabel(/^Credit/).fill('Jordan Reyes / KXPR');
    await page.locator('[data-slate-editor="true"]').click();
    await page.keyboard.type('The elevator filled by noon.');
    await page.getByRole('button', { name: /^publish$/i }).click();
    await page.getByText(/publish now/i).click();
    // At the field, in check:content's words; nothing is written.
    await page.getByText(`image.alt: is required (${EXAMPLES.articles['image.alt']})`, { exact: true }).waitFor();
    await page.getByLabel(/^Alt/).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'missing-alt.png') });
    expect(existsSync(storyFile('photo-without-a-description'))).toBe(false);
    await page.close();
  }, 180_000);
});

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { buildContent, checkContent, copyContent, npmScript, shown } from '../helpers/run';
import { FIXTURE_NOW, ROOT } from '../helpers/sites';
import { all, parsePage, text as textContent } from '../helpers/html';

const BASE = join(ROOT, 'tests/fixtures/malformed/_base');
/** `npm run new` (npmScript); the first call goes through npm, so the npm script itself is proved. */
const newArticle = (content: string, args: string[], { viaNpm = false } = {}) =>
  npmScript('new', ['--content', content, ...args], { SOURCE_DATE_EPOCH: String(FIXTURE_NOW.getTime() / 1000) }, 30_000, { viaNpm });

it('npm run new scaffolds a draft that passes check:content, publishes once undrafted, and never overwrites', async () => {
  const { dir, content } = copyContent('new-article', BASE);
  const title = 'Élan: the "new" café & bar opens on Front Street';
  const created = await newArticle(content, ['--title', title, '--station', 'kfix', '--byline', 'ada-reporter', '--byline', 'Bill Chappell'], { viaNpm: true });
  expect(created.status, created.output).toBe(0);

  // Dated now in the station's zone (KFIX is America/Chicago: 06:00 CST at FIXTURE_NOW), filed by year.
  const file = join(content, 'articles/2026/elan-the-new-cafe-and-bar-opens-on-front-street.md');
  expect(created.output).toContain(`Created ${shown(file)}`);
  expect(created.output).toContain('http://127.0.0.1:4321/news/2026/11/25/elan-the-new-cafe-and-bar-opens-on-front-street/');
  const text = readFileSync(file, 'utf8');
  expect(text).toMatch(/^date: 2026-11-25T06:00:00-06:00$/m);
  expect(text).toMatch(/^draft: true$/m);

  const asDraft = await checkContent(content, { direct: true });
  expect(asDraft.status, asDraft.output).toBe(0);

  // The same headline again would overwrite: refused, file untouched.
  const again = await newArticle(content, ['--title', title, '--station', 'kfix', '--byline', 'ada-reporter']);
  expect(again.status).toBe(1);
  expect(again.output).toContain('already exists');
  expect(readFileSync(file, 'utf8')).toBe(text);

  // Unknown ids are refused with a suggestion, and nothing is written.
  const typo = await newArticle(content, ['--title', 'Another story', '--station', 'kfx', '--byline', 'ada-reporter']);
  expect(typo.status).toBe(1);
  expect(typo.output).toContain('did you mean "kfix"?');
  expect(existsSync(join(content, 'articles/2026/another-story.md'))).toBe(false);

  writeFileSync(file, text.replace(/^draft: true$/m, 'draft: false'));
  const published = await checkContent(content, { direct: true });
  expect(published.status, published.output).toBe(0);
  expect(published.output).toContain('still has the placeholder from npm run new');

  const build = await buildContent(dir, content);
  expect(build.status, build.output).toBe(0);
  const page = parsePage(readFileSync(join(dir, 'dist/news/2026/11/25/elan-the-new-cafe-and-bar-opens-on-front-street/index.html'), 'utf8'));
  expect(textContent(all(page, 'h1'))).toBe(title);
  expect(textContent(all(page, '.byline'))).toContain('Bill Chappell');
});

it('npm run new without a terminal names the missing flags', async () => {
  const { content } = copyContent('new-article-no-tty', BASE);
  const r = await newArticle(content, ['--title', 'A story']);
  expect(r.status).toBe(2);
  expect(r.output).toContain('missing --station, --byline');
});

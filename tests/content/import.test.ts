import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileForPath, listFiles, loadPage } from '../helpers/dist';
import { buildContent, checkContent, copyContent, npmScript } from '../helpers/run';
import { ROOT, TMP } from '../helpers/sites';
import { all, attr, one, text } from '../helpers/html';

const BASE = join(ROOT, 'tests/fixtures/malformed/_base');
const FIXTURES = join(ROOT, 'tests/fixtures/import');
const EXPORT = join(FIXTURES, 'export-1.2.xml');
const UPLOADS = join(FIXTURES, 'uploads');
const PRIVATE = ['PRIVATE-MARKER-7f3a', 'PROTECTED-MARKER-91bc', 'TRASH-MARKER', 'PAGE-MARKER', 'COMMENT-MARKER', 'SCRIPT-MARKER'];

/** The real CLI, as `npm run import` runs it (npmScript: without npm's startup). */
const runImport = (args: string[], env: Record<string, string> = {}) => npmScript('import', args, env, 120_000);

/** Every file under a folder, with its bytes and modification time. */
const snapshot = (dir: string) =>
  Object.fromEntries(listFiles(dir).map((f) => [f, { text: readFileSync(join(dir, f), 'base64'), mtime: statSync(join(dir, f)).mtimeMs }]));
const grepFiles = (dir: string, needles: string[]) =>
  listFiles(dir).flatMap((f) => {
    const text = readFileSync(join(dir, f), 'latin1');
    return needles.filter((n) => text.includes(n)).map((n) => `${f}: ${n}`);
  });

let server: Server;
let media = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/astana-lead.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(readFileSync(join(FIXTURES, 'media/astana-lead.jpg')));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  media = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('imports a WordPress export and saved pages into stories that pass check:content, re-runs as a no-op, and builds with redirects and no private post', async () => {
  const { dir, content } = copyContent('import-archive', BASE);
  const out = join(content, 'articles/imported');
  const stories = join(out, '2020');

  const first = await runImport(['wordpress', EXPORT, '--station', 'kfix', '--out', out, '--uploads', UPLOADS]);
  expect(first.status, first.output).toBe(0);
  expect(first.output).toContain('7 stories written');
  expect(first.output).toContain('(2 as drafts)');
  expect(first.output).toMatch(/export-1\.2\.xml:\d+: "Secret budget memo PRIVATE-MARKER-7f3a" .*: private post: not imported/);
  expect(first.output).toMatch(/"Members-only preview PROTECTED-MARKER-91bc" .*: password-protected post: not imported/);
  expect(first.output).toContain('not stories: attachment 2, nav_menu_item 1, page 1');
  expect(first.output).toContain('https://old.kfix.example.org/?p=18: has a query string');
  expect(first.output).toContain('"Council approves the levee plan (updated)" → levee-plan-2');

  // The Markdown written: frontmatter from the export, the featured image beside the story, the body's rules applied.
  const levee = readFileSync(join(stories, 'levee-plan.md'), 'utf8');
  expect(levee).toBe(
    [
      '---',
      'title: Council approves the levee plan',
      'dek: The 6-1 vote raises the river levee by four feet.',
      'byline: jordan-lee',
      'station: kfix',
      'date: 2020-05-01T09:30:00-05:00',
      'tags:',
      '  - Environment',
      '  - Flooding',
      'image:',
      '  src: ./levee-plan-levee.jpg',
      '  alt: A concrete levee wall along a brown river',
      '  credit: Jordan Lee/KFIX',
      '  caption: Crews finish the first section of the new levee.',
      'aliases:',
      '  - /2020/05/01/levee-plan/',
      '---',
      '',
      'The Fixture Falls city council voted 6-1 on Thursday to raise the river levee by four feet.',
      '',
      '![Residents fill the council chamber](./levee-plan-crowd.jpg)',
      '',
      '_Residents filled the chamber for the vote. (Jordan Lee/KFIX)_',
      '',
      '## What it costs',
      '',
      'The plan costs $12 million.\\',
      'Most of it comes from a federal grant.',
      '',
      '### What comes next',
      '',
      'Work starts in the fall.',
      '',
    ].join('\n'),
  );
  expect(readFileSync(join(stories, 'levee-plan-levee.jpg')).equals(readFileSync(join(UPLOADS, '2020/05/levee.jpg')))).toBe(true);
  expect(readFileSync(join(content, 'authors/jordan-lee.yaml'), 'utf8')).toBe(
    'name: Jordan Lee\ntitle: Contributor\nbio: Jordan Lee contributed to the archive of this station.\n',
  );
  // Ada Reporter is already an author: her file is reused, not duplicated.
  expect(listFiles(join(content, 'authors'))).toEqual(['ada-reporter.yaml', 'jordan-lee.yaml']);
  expect(readFileSync(join(stories, 'draft-the-school-budget.md'), 'utf8')).toMatch(/^draft: true$/m);
  expect(readFileSync(join(stories, 'water-rates.md'), 'utf8')).toMatch(/^draft: true$/m);
  const future = readFileSync(join(out, '2027/bridge-reopens.md'), 'utf8');
  expect(future).toMatch(/^date: 2027-01-15T06:00:00-06:00$/m);
  expect(future).not.toMatch(/^draft:/m);
  const typography = readFileSync(join(stories, 'typography.md'), 'utf8');
  expect(typography).toContain('title: It’s “typography” — café, 日本語, עברית & 🎉\n');
  expect(typography).toContain('a non-breaking\u00A0space, it’s 5\u00A0°C, AT\\&T, 5 < 6 > 4, an emoji 🎉, 日本語のテキスト, עברית, مرحبا');
  expect(typography).toContain('\n<iframe src="https://www.youtube.com/embed/abc123" title="YouTube video" width="560" height="315" allowfullscreen></iframe>\n');
  expect(typography).not.toMatch(/style=|<script|sharedaddy|Share this|pixel\.wp\.com|chart\.svg|wp:paragraph/);
  const report = JSON.parse(readFileSync(join(ROOT, 'reports/import-report.json'), 'utf8'));
  expect(report.imported).toHaveLength(7);
  expect(report.photos).toMatchObject({ copied: 4, downloaded: 0, missing: [] });
  expect(report.dropped).toMatchObject({ script: 1, 'share widget': 1, 'tracking pixel': 1, 'SVG image': 1 });

  // Private, protected and trashed posts, pages and comments are nowhere in content/.
  expect(grepFiles(content, PRIVATE)).toEqual([]);

  // What was written passes check:content, run as editors run it.
  const checked = await checkContent(content, { direct: true });
  expect(checked.status, checked.output).toBe(0);
  expect(checked.output).toContain('0 errors');

  // A re-run changes nothing, not even a modification time.
  const before = snapshot(content);
  const again = await runImport(['wordpress', EXPORT, '--station', 'kfix', '--out', out, '--uploads', UPLOADS]);
  expect(again.status, again.output).toBe(0);
  expect(again.output).toContain('0 stories written');
  expect(again.output).toContain('7 unchanged, 0 kept');
  expect(snapshot(content)).toEqual(before);

  // An edited story is kept as edited, and reported; --force rewrites it from the export.
  const edited = levee.replace('four feet.', 'four feet. EDITED');
  writeFileSync(join(stories, 'levee-plan.md'), edited);
  const kept = await runImport(['wordpress', EXPORT, '--station', 'kfix', '--out', out, '--uploads', UPLOADS]);
  expect(kept.output).toContain('6 unchanged, 1 kept');
  expect(kept.output).toContain('levee-plan.md: the file exists and differs from the import; --force rewrites it');
  expect(readFileSync(join(stories, 'levee-plan.md'), 'utf8')).toBe(edited);
  // Rewritten with the bodies converted in worker threads (as large exports are): the same files.
  const forced = await runImport(['wordpress', EXPORT, '--station', 'kfix', '--out', out, '--uploads', UPLOADS, '--force'], {
    MASTHEAD_IMPORT_WORKERS: '2',
  });
  expect(forced.status, forced.output).toBe(0);
  expect(forced.output).toContain('7 stories written');
  expect(readFileSync(join(stories, 'levee-plan.md'), 'utf8')).toBe(levee);
  const texts = (snap: ReturnType<typeof snapshot>) => Object.fromEntries(Object.entries(snap).map(([f, v]) => [f, v.text]));
  expect(texts(snapshot(content))).toEqual(texts(before));

  // Saved pages: a public-radio page whose photo is downloaded, and a Drupal page whose photo was saved with it.
  copyContent('import-archive-pages', join(FIXTURES, 'pages'));
  const npr = join(TMP, 'import-archive-pages/content/npr-astana.html');
  writeFileSync(npr, readFileSync(npr, 'utf8').replaceAll('{{MEDIA}}', media));
  const drupal = join(TMP, 'import-archive-pages/content/drupal-bridge.html');
  const nprRun = await runImport(['page', npr, '--station', 'kfix', '--out', out, '--url', 'https://news.example.org/2020/01/14/astana-winter/']);
  expect(nprRun.status, nprRun.output).toBe(0);
  expect(nprRun.output).toContain('photos: 0 copied, 1 downloaded, 0 missing');
  const astana = readFileSync(join(stories, 'astana-winter.md'), 'utf8');
  expect(astana).toContain('byline:\n  - lucy-ash\n  - ada-reporter\ndateline: ASTANA, Kazakhstan\n');
  expect(astana).toContain('copyright: Copyright 2020 NPR\nsource:\n  name: NPR\n  url: https://www.npr.org\naliases:\n  - /2020/01/14/astana-winter/\n');
  expect(astana).toContain('image:\n  src: ./astana-winter-astana-lead.jpg\n');
  expect(astana).not.toMatch(/Copyright 2020 NPR\. To see more|Lucy Ash is NPR/);
  expect(readFileSync(join(content, 'authors/lucy-ash.yaml'), 'utf8')).toContain("bio: Lucy Ash is NPR's correspondent in Central Asia");
  const drupalRun = await runImport(['page', drupal, '--station', 'kfix', '--out', out, '--draft']);
  expect(drupalRun.status, drupalRun.output).toBe(0);
  expect(drupalRun.output).toContain('photos: 1 copied');
  expect(readFileSync(join(out, '2019/old-mill-bridge-gets-a-second-life.md'), 'utf8')).toMatch(/^draft: true$/m);

  // One build of all of it: stories at their permalinks, old addresses redirecting, nothing private anywhere.
  const build = await buildContent(dir, content, 170_000);
  expect(build.status, build.output).toBe(0);
  const dist = join(dir, 'dist');
  expect(grepFiles(dist, PRIVATE)).toEqual([]);
  const story = loadPage(dist, '/news/2020/05/02/typography/');
  expect(text(all(story, 'h1'))).toBe('It’s “typography” — café, 日本語, עברית & 🎉');
  expect(text(one(story, '[data-article-body] p'))).toContain('a non-breaking\u00A0space, it’s 5\u00A0°C, AT&T, 5 < 6 > 4, an emoji 🎉');
  for (const [from, to] of <[string, string][]>[
    ['/2020/05/01/levee-plan/', '/news/2020/05/01/levee-plan/'],
    ['/2020/05/01/levee-plan-2/', '/news/2020/05/01/levee-plan-2/'],
    ['/2020/01/14/astana-winter/', '/news/2020/01/14/astana-winter/'],
  ]) {
    const redirect = loadPage(dist, from);
    expect(attr(one(redirect, 'meta[http-equiv="refresh"]'), 'content'), from).toBe(`0; url=${to}`);
    expect(existsSync(fileForPath(dist, to)), to).toBe(true);
  }
  const wire = loadPage(dist, '/news/2020/01/14/astana-winter/');
  expect(text(all(wire, '.dateline'))).toBe('ASTANA, Kazakhstan —');
  expect(text(all(wire, '.wire-credit'))).toBe('Copyright 2020 NPR. To see more, visit NPR.');
  // Drafts and the scheduled post are not built.
  expect(existsSync(fileForPath(dist, '/news/2020/05/03/draft-the-school-budget/'))).toBe(false);
  expect(existsSync(fileForPath(dist, '/news/2027/01/15/bridge-reopens/'))).toBe(false);
  expect(existsSync(fileForPath(dist, '/news/2019/08/30/old-mill-bridge-gets-a-second-life/'))).toBe(false);
  expect(relative(content, out)).toBe('articles/imported');
}, 300_000);

it('refuses malformed, XXE and entity-bomb exports and unreadable pages with a line and exit 1, writing nothing', async () => {
  const { dir, content } = copyContent('import-refused', BASE);
  const out = join(content, 'articles/imported');
  for (const [file, message] of [
    ['malformed.xml', /malformed\.xml:8: xml: not well-formed XML: unexpected close tag\./],
    ['xxe.xml', /xxe\.xml:2: xml: the export has a DOCTYPE \(WordPress exports never have one; entity declarations are refused/],
    ['billion-laughs.xml', /billion-laughs\.xml:\d+: xml: the export has a DOCTYPE/],
  ] as const) {
    const r = await runImport(['wordpress', join(FIXTURES, file), '--station', 'kfix', '--out', out]);
    expect(r.status, r.output).toBe(1);
    expect(r.output).toMatch(message);
    expect(r.output).toContain('import: nothing was written');
  }
  const page = await runImport(['page', join(FIXTURES, 'pages/broken.html'), '--station', 'kfix', '--out', out]);
  expect(page.status, page.output).toBe(1);
  expect(page.output).toMatch(/broken\.html: file: no article text found in the page \(is this a saved article page\?\)/);
  const usage = await runImport(['wordpress', EXPORT, '--station', 'nope', '--out', out]);
  expect(usage.status).toBe(2);
  expect(usage.output).toContain('no station "nope"');
  expect(existsSync(out)).toBe(false);
  expect(listFiles(content)).toEqual(listFiles(BASE));
  // No staging folder is left behind either.
  expect(readdirSync(dir)).toEqual(['content']);
});

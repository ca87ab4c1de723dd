import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { htmlToMdast } from '../../src/import/html-to-markdown';
import { newReport } from '../../src/import/report';
import { contentDirOf, ImportWriter, type StoryDraft } from '../../src/import/write';
import { siteConfig } from '../../src/site.config';
import { ROOT } from '../helpers/sites';

const station = { id: 'kfix', timezone: 'America/Chicago' };

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'import-write-'));
  const contentDir = join(dir, 'content');
  cpSync(join(ROOT, 'tests/fixtures/malformed/_base'), contentDir, { recursive: true });
  const outDir = join(contentDir, 'articles/imported');
  const report = newReport('wordpress', ['test.xml'], 'kfix', 'out');
  const writer = new ImportWriter({
    contentDir,
    outDir,
    station,
    force: false,
    now: new Date('2026-11-25T12:00:00Z'),
    embedHosts: siteConfig.embedHosts,
    media: { download: false, timeoutMs: 1000, maxBytes: 1_000_000 },
    report,
  });
  return { dir, contentDir, outDir, report, writer };
}

const draft = (over: Partial<StoryDraft>): StoryDraft => ({
  ref: 'test.xml:1',
  slug: 'a-story',
  title: 'A story',
  dek: 'What happened.',
  byline: ['ada-reporter'],
  date: new Date('2020-05-01T14:30:00Z'),
  tags: [],
  aliases: [],
  draft: false,
  body: htmlToMdast('<p>Text of the story.</p>', { embedHosts: siteConfig.embedHosts }),
  ...over,
});

it('drops an old address the checker refuses as an alias, and keeps the story', async () => {
  const { outDir, report, writer, dir } = setup();
  await writer.add(draft({ aliases: ['/topics/levee/', '/2020/05/01/a-story/'] }));
  writer.finish();
  const text = readFileSync(join(outDir, '2020/a-story.md'), 'utf8');
  expect(text).toContain('aliases:\n  - /2020/05/01/a-story/\n');
  expect(text).not.toContain('/topics/levee/');
  expect(report.aliasesNotKept).toEqual([
    { url: '/topics/levee/', reason: expect.stringContaining('is taken by the topic pages'), story: 'A story' },
  ]);
  expect(report.imported).toHaveLength(1);
  // The staging folder is gone.
  expect(readdirSync(dir)).toEqual(['content']);
});

it('does not write a story that fails the checker, and says why', async () => {
  const { outDir, report, writer } = setup();
  // The existing good-story has this permalink: a clash the checker reports.
  await writer.add(
    draft({
      slug: 'good-story',
      title: 'Same address',
      date: new Date('2026-11-20T15:30:00Z'),
      body: htmlToMdast('<p>x</p>', { embedHosts: [] }),
    }),
  );
  await writer.add(draft({ slug: 'unknown-author', byline: ['nobody-here'] }));
  writer.finish();
  expect(existsSync(outDir)).toBe(false);
  expect(report.imported).toEqual([]);
  expect(report.skipped.map((s) => s.title)).toEqual(['Same address', 'A story']);
  expect(report.skipped[0]!.reason).toMatch(
    /^fails check:content: .*good-story\.md.*: slug: has the same permalink \/news\/2026\/11\/20\/good-story\//,
  );
  expect(report.skipped[1]!.reason).toMatch(/unknown-author\.md:\d+: byline: unknown author "nobody-here"/);
});

it('finds the content folder an output folder belongs to', () => {
  expect(contentDirOf('/x/content/articles/imported')).toBe('/x/content');
  expect(contentDirOf('/x/content/articles')).toBe('/x/content');
  expect(contentDirOf('/x/elsewhere')).toBeUndefined();
});

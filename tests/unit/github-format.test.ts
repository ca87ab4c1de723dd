import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeCommandData, escapeCommandProperty, escapeMarkdown, formatAnnotation } from '../../src/checks/github';
import { npmScript } from '../helpers/run';
import { FIXTURE_NOW, ROOT, TMP } from '../helpers/sites';

/**
 * The runner's reading of a workflow command (actions/runner `ActionCommand.TryParseV2`): the
 * command up to the first space, properties up to the next `::`, split on `,` and the first `=`,
 * then GitHub's unescaping. A value that survives this round trip lands where it was meant to.
 */
function parseCommand(line: string) {
  const m = /^::([^ :]+)(?: ([^]*?))?::([^]*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const unescape = (s: string, property: boolean) => {
    let out = s.replaceAll('%0D', '\r').replaceAll('%0A', '\n');
    if (property) out = out.replaceAll('%3A', ':').replaceAll('%2C', ',');
    return out.replaceAll('%25', '%');
  };
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), true);
  }
  return { command: m[1], properties, data: unescape(m[3]!, false) };
}

const cli = (args: string[]) => npmScript('check:content', ['--now', FIXTURE_NOW.toISOString(), ...args], {}, 60_000);

describe('GitHub workflow-command escaping', () => {
  it('escapes %, CR and LF in messages, and also : and , in properties, % first', () => {
    expect(escapeCommandData('100% sure:\r\na, b')).toBe('100%25 sure:%0D%0Aa, b');
    expect(escapeCommandProperty('100% sure:\r\na, b')).toBe('100%25 sure%3A%0D%0Aa%2C b');
    // An already-escaped-looking value is escaped again, not passed through.
    expect(escapeCommandProperty('%0A')).toBe('%250A');
  });

  it('round-trips hostile file names, fields and messages through the runner’s parser', () => {
    const p = {
      file: 'content/articles/2026/a,line=1,title=x::oops%0A.md',
      field: 'image.alt',
      line: 7,
      message: 'says "50%"\nthen:: breaks, and\r\n::error::injected',
      hint: 'fix: this, now',
    };
    const line = formatAnnotation(p);
    expect(line).not.toContain('\n');
    // The properties end at the first `::`; none of theirs may end them early.
    expect(line.slice(2, line.indexOf('::', 2))).toBe(`error file=${escapeCommandProperty(p.file)},line=7,title=image.alt`);
    expect(parseCommand(line)).toEqual({
      command: 'error',
      properties: { file: p.file, line: '7', title: 'image.alt' },
      data: `${p.message} (${p.hint})`,
    });
    expect(parseCommand(formatAnnotation({ ...p, severity: 'warning', line: undefined })).properties).toEqual({
      file: p.file,
      title: 'image.alt',
    });
  });
});

describe('escapeMarkdown', () => {
  it('keeps an editor’s headline as text: no HTML, links, emphasis, code or new blocks', () => {
    expect(escapeMarkdown('<script>x</script> & [link](javascript:1) *a* `b` | c\n# d')).toBe(
      '&lt;script&gt;x&lt;/script&gt; &amp; \\[link\\](javascript:1) \\*a\\* \\`b\\` \\| c # d',
    );
  });
});

describe('npm run check:content -- --format github', { timeout: 60_000 }, () => {
  it('puts a bad date on its file and line as an ::error, and fails', async () => {
    const dir = join(TMP, 'github-format', 'bad-date');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(join(ROOT, 'tests/fixtures/malformed/_base'), dir, { recursive: true });
    cpSync(join(ROOT, 'tests/fixtures/malformed/impossible-calendar-date-is-not-rolled-over/content'), dir, { recursive: true });
    const r = await cli(['--content', dir, '--format', 'github']);
    expect(r.status, r.output).toBe(1);
    const annotations = r.output.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(1);
    const { command, properties, data } = parseCommand(annotations[0]!);
    expect(command).toBe('error');
    expect(properties).toEqual({ file: 'tests/.tmp/github-format/bad-date/articles/2026/bad.md', line: '6', title: 'date' });
    expect(data).toMatch(/not a real date/);
    // The text report is not printed as well: each problem is one annotation.
    expect(r.output).not.toMatch(/^\s*tests\/\.tmp\/.*bad\.md:6: date:/m);
  });

  it('refuses an unknown format', async () => {
    const r = await cli(['--content', 'tests/fixtures/content', '--format', 'xml']);
    expect(r.status).toBe(2);
    expect(r.output).toMatch(/--format "xml" is not known \(use text or github\)/);
  });
});

describe('npm run check:content -- --changed … --summary …', { timeout: 60_000 }, () => {
  it('lists the changed stories with permalink, station, when they appear and their problems', async () => {
    const dir = join(TMP, 'github-format', 'summary');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const changed = join(dir, 'changed.txt');
    const summary = join(dir, 'summary.md');
    const a = 'tests/fixtures/content/articles/2026';
    writeFileSync(
      changed,
      [
        `${a}/future-story.md`,
        `${a}/draft-story.md`,
        `${a}/markup-characters-in-headline.md`,
        `${a}/deleted-in-this-pr.md`,
        `${a}/riverfront-library.jpg`,
        'src/pages/index.astro',
        '',
      ].join('\n'),
    );
    writeFileSync(summary, '# Earlier step\n');
    const r = await cli([
      '--content',
      'tests/fixtures/content',
      '--changed',
      changed,
      '--summary',
      summary,
      '--preview-url',
      'https://pr-7.preview.example/',
    ]);
    expect(r.status, r.output).toBe(0);
    const md = readFileSync(summary, 'utf8');
    // Appended, as $GITHUB_STEP_SUMMARY expects.
    expect(md.startsWith('# Earlier step\n## Stories in this pull request (4)\n')).toBe(true);
    expect(md).toContain('Preview of the whole site: https://pr-7.preview.example/');
    // Permalinks are the data layer's, dated in the station's zone.
    expect(md).toContain(
      '  - Permalink: https://news.example.org/news/2026/12/25/future-story/ · [preview](https://pr-7.preview.example/news/2026/12/25/future-story/)\n' +
        '  - Station: WFIX 88.3 (wfix)\n' +
        '  - Scheduled for December 25, 2026 at 6:00 AM EST\n' +
        '  - Warning (line 6, date): is in the future',
    );
    expect(md).toMatch(
      /- \*\*DRAFTMARKER[^\n]*\n {2}- Permalink: https:\/\/news\.example\.org\/news\/[^\n]+\n {2}- Station: [^\n]+\n {2}- Draft: not published\n/,
    );
    expect(md).toContain(
      `- **School board's site showed &quot;&lt;/script&gt;&quot; &amp; &lt;b&gt;raw code&lt;/b&gt; after an update** (${a}/markup-characters-in-headline.md)`,
    );
    expect(md).toMatch(/markup-characters-in-headline\.md\)\n[^\n]*\n[^\n]*\n {2}- Publishes at once \(dated November 24, 2026/);
    expect(md).toContain(`- ${a}/deleted-in-this-pr.md: removed`);
    // Photos and code are not stories.
    expect(md).not.toContain('riverfront-library');
    expect(md).not.toContain('index.astro');
  });

  it('says so when the pull request changes no story', async () => {
    const dir = join(TMP, 'github-format', 'no-stories');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'changed.txt'), 'README.md\n');
    rmSync(join(dir, 'summary.md'), { force: true });
    const r = await cli([
      '--content',
      'tests/fixtures/content',
      '--changed',
      join(dir, 'changed.txt'),
      '--summary',
      join(dir, 'summary.md'),
    ]);
    expect(r.status, r.output).toBe(0);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toBe(
      '## Stories in this pull request (0)\n\nThis pull request changes no story.\n',
    );
  });
});

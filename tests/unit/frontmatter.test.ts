import { describe, expect, it } from 'vitest';
import { parseFrontmatter } from '@astrojs/internal-helpers/frontmatter';
import { stringify } from 'yaml';
import { bodyStart, frontmatterText, parseStory, parseYaml, storyFile } from '../../src/content/frontmatter';
import { didYouMean, fieldName, fieldPath, knownKeys, schemaProblems } from '../../src/checks/schema-problems';
import { articleSchema } from '../../src/schemas/article';
import { z } from 'astro/zod';
import type { SchemaContext } from 'astro:content';

const story = (fm: string, body = 'Body.\n') => `---\n${fm}\n---\n\n${body}`;

describe('parseStory', () => {
  it("reads YAML frontmatter and finds each field's line, nested ones too", () => {
    const r = parseStory(
      story('title: A story\nimage:\n  src: ./a.jpg\n  alt: An alt\ncorrections:\n  - date: 2026-11-21\n    text: Fixed.'),
    );
    expect(r.problems).toEqual([]);
    expect(r.data).toMatchObject({ title: 'A story', image: { src: './a.jpg' } });
    expect(r.lineOf(['title'])).toBe(2);
    expect(r.lineOf(['image', 'alt'])).toBe(5);
    expect(r.lineOf(['corrections', 0, 'text'])).toBe(8);
    // A missing nested field points at its parent; a missing top-level field has no line.
    expect(r.lineOf(['image', 'credit'])).toBe(3);
    expect(r.lineOf(['dek'])).toBeUndefined();
  });

  it('keeps file lines after a BOM, leading blank lines and CRLF line ends', () => {
    const r = parseStory('\uFEFF\n\r\n---\r\ntitle: x\r\ndek: y\r\n---\r\nBody\r\n');
    expect(r.problems).toEqual([]);
    expect(r.lineOf(['dek'])).toBe(5);
  });

  it("turns unquoted timestamps into dates, as Astro's parser does", () => {
    expect(parseStory(story('date: 2026-11-20T09:30:00-06:00')).data).toEqual({ date: new Date('2026-11-20T15:30:00Z') });
  });

  it.each([
    ["tab indentation, on the tab's line", story('title: x\nimage:\n\tsrc: ./a.jpg'), 4, /Tabs are not allowed/, 'spaces'],
    ['a repeated field', story('title: x\ntitle: y'), 3, /unique/, 'once'],
    ['an unclosed quote, where it opens', story('title: "x\ndek: y\nbyline: z'), 2, /Missing closing/, 'close the quote'],
  ])('reports %s', (_name, text, line, message, hint) => {
    const [p] = parseStory(text).problems;
    expect(p).toMatchObject({ line, field: '(frontmatter)' });
    expect(p!.message).toMatch(message);
    expect(p!.hint).toContain(hint);
  });

  it.each([
    ['no frontmatter', '# Title\n\nText', 'the file has no frontmatter'],
    ['an unclosed frontmatter', '---\ntitle: x\n\nText', 'never closed'],
    ['TOML frontmatter', '+++\ntitle = "x"\n+++\n', 'TOML'],
    ['JavaScript frontmatter', '---js\n{ title: (globalThis.PWNED = 1, "x") }\n---\n', 'JavaScript is not allowed'],
    ['JSON frontmatter', '---json\n{ "title": "x" }\n---\n', 'JSON is not allowed'],
    ['an unknown frontmatter language', '---coffee\ntitle: x\n---\n', 'language "coffee"'],
    ['four dashes, which open no fence', '----\ntitle: x\n---\n', 'the file has no frontmatter'],
    ['a list instead of fields', '---\n- a\n---\n', 'must be fields'],
  ])('refuses %s', (_name, text, message) => {
    const r = parseStory(text);
    expect(r.data).toBeUndefined();
    expect(r.problems.map((p) => p.message).join()).toContain(message);
    expect((globalThis as { PWNED?: unknown }).PWNED).toBeUndefined();
  });

  it.each([
    ['a plain story', story('title: x')],
    ['a BOM, blank lines and CRLF', '\uFEFF\n \r\n---\r\ntitle: x\r\n---\r\n\r\nBody\r\n'],
    ['an empty frontmatter', '---\n---\nBody\n'],
    ['a comment-only frontmatter', '---\n# nothing yet\n---\n\n\nBody\n'],
    ['a thematic break in the body', story('title: x', 'One\n\n---\n\nTwo\n')],
    ['no body at all', '---\ntitle: x\n---'],
  ])('starts the body where Astro does: %s', (_name, text) => {
    const astro = parseFrontmatter(text).content.trim();
    expect(text.slice(bodyStart(text).offset).trimEnd()).toBe(astro);
    expect(parseStory(text).body).toEqual(bodyStart(text));
  });

  it('gives the frontmatter text without parsing it, and none for a file without one', () => {
    expect(frontmatterText(story('title: x\ndate: 2026-02-30'))).toBe('\ntitle: x\ndate: 2026-02-30');
    expect(frontmatterText('---\ntitle: x\n\nno closing fence')).toBe('\ntitle: x\n\nno closing fence');
    expect(frontmatterText('# Title\n\nText')).toBeUndefined();
    expect(frontmatterText('----\ntitle: x\n---\n')).toBeUndefined();
  });

  it('writes the fence that it reads', () => {
    const fields = { title: 'A: "story"', byline: ['ada', 'Jo Guest'], tags: [] };
    const text = storyFile(stringify(fields), 'Body text.\n');
    expect(text).toBe(`---\n${stringify(fields)}---\n\nBody text.\n`);
    const r = parseStory(text);
    expect(r.problems).toEqual([]);
    expect(r.data).toEqual(fields);
    expect(text.slice(r.body.offset)).toBe('Body text.\n');
  });

  it('stops a billion-laughs alias bomb quickly, in little memory', () => {
    const levels = ['l0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      levels.push(
        `l${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const started = performance.now();
    const r = parseYaml(levels.join('\n'));
    expect(r.data).toBeUndefined();
    expect(r.problems[0]!.message).toContain('aliases expand too far');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('schema problems', () => {
  const schema = articleSchema({ image: () => z.string() } as unknown as SchemaContext);
  const problems = (data: unknown) => {
    const r = schema.safeParse(data);
    return r.success ? [] : schemaProblems(r.error.issues, data, schema).map((p) => ({ ...p, path: fieldName(p.path) }));
  };
  const valid = { title: 'T', dek: 'D', byline: 'ada', station: 'kxpr', date: '2026-11-20T09:30:00-06:00' };

  it('suggests the field a typo meant, at any depth', () => {
    expect(problems({ ...valid, updatd: 'x', image: { src: './a.jpg', alt: 'a', credit: 'c', captoin: 'x' } })).toEqual([
      { path: 'image.captoin', message: 'unknown field "captoin"', hint: 'did you mean "caption"?' },
      { path: 'updatd', message: 'unknown field "updatd"', hint: 'did you mean "updated"?' },
    ]);
    expect(didYouMean('Title', ['title', 'dek'])).toBe('title');
    expect(didYouMean('zzzzzz', ['title', 'dek'])).toBeUndefined();
    expect(knownKeys(schema, ['corrections', 0])).toEqual(['date', 'text']);
  });

  it('words type errors for editors, with an example', () => {
    const [missing] = problems({ ...valid, title: undefined });
    expect(missing).toMatchObject({ path: 'title', message: 'is required' });
    expect(missing!.hint).toContain('title: "');
    expect(problems({ ...valid, draft: 'yes' })).toEqual([
      { path: 'draft', message: 'must be true or false, not text', hint: 'write draft: true or draft: false' },
    ]);
    expect(problems({ ...valid, tags: 'Politics' })[0]).toMatchObject({ path: 'tags', message: 'must be a list, not text' });
    expect(problems({ ...valid, dek: null })[0]).toMatchObject({ path: 'dek', message: 'is empty' });
  });

  it('reports inside a byline list rather than "invalid input"', () => {
    expect(problems({ ...valid, byline: ['ada', 7] })[0]).toMatchObject({ path: 'byline[1]', message: 'must be text, not a number' });
  });

  it('round-trips field names and paths', () => {
    expect(fieldName(['corrections', 0, 'date'])).toBe('corrections[0].date');
    expect(fieldPath('corrections[0].date')).toEqual(['corrections', 0, 'date']);
    expect(fieldPath('byline[1]')).toEqual(['byline', 1]);
  });
});

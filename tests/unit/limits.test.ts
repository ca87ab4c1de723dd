import { describe, expect, it } from 'vitest';
import { escapeUnsafe, hasUnsafeChars, nestingDepth } from '../../src/content/limits';
import { formatProblem } from '../../src/content/problems';

describe('Markdown nesting depth, measured before parsing', () => {
  it.each([
    ['Plain text.\n\nMore.', 0, 1],
    ['> quote', 1, 1],
    ['text\n\n> > > deep\n> one', 3, 3],
    ['- a\n  - b\n    - c', 3, 3],
    ['1. a\n   1) b', 2, 2],
    ['>>>>>', 5, 1],
    ['- > 1. > * x', 5, 1],
    ['* * * * * * * * * * * * * * * * * * * *', 0, 1], // a thematic break
    ['    code block, not a list', 0, 1],
    ['2026. starts an ordered list, as Markdown reads it', 1, 1],
  ])('%j is %i deep at line %i', (body, depth, line) => {
    expect(nestingDepth(body)).toEqual({ depth, line: depth ? line : 1 });
  });

  it('measures a megabyte of > in linear time (the parser took 650 s on it)', () => {
    expect(nestingDepth(`intro\n\n${'>'.repeat(1_000_000)}\n`)).toEqual({ depth: 1_000_000, line: 3 });
  });
});

describe('control and bidi characters', () => {
  it.each(['a\nb', 'a\tb', 'evil\u202egpj', 'x\u2066y', 'x\u200ey', 'x\u0085y', 'x\u007fy', 'x\u0000y'])('finds and escapes %j', (s) => {
    expect(hasUnsafeChars(s)).toBe(true);
    expect(hasUnsafeChars(escapeUnsafe(s))).toBe(false);
  });

  it('leaves accents, emoji and ordinary punctuation alone', () => {
    for (const s of ['Ünïcödé', 'café 🎙️', 'a-b_c.d (e)']) {
      expect(hasUnsafeChars(s)).toBe(false);
      expect(escapeUnsafe(s)).toBe(s);
    }
  });

  it('keeps a report line on one line, with the name shown as stored', () => {
    const line = formatProblem({ file: 'content/articles/line\nbreak\u202e.md', field: 'file', message: 'bad', hint: 'rename' });
    expect(line).toBe('content/articles/line\\u{000A}break\\u{202E}.md: file: bad (rename)');
  });
});

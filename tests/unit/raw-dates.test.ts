import { describe, expect, it } from 'vitest';
import { rawDatesFromSource } from '../../src/content/raw-dates';

describe('rawDatesFromSource', () => {
  it('keeps dates exactly as typed, quoted or not', () => {
    const src = [
      '---',
      'title: x',
      'date: 2025-02-30',
      "updated: '2025-03-01T10:00:00-06:00' # fixed typo",
      'corrections:',
      '  - date: 2025-03-02',
      '    text: one',
      '  - text: two',
      '    date: "2025-03-03 09:00"',
      'tags: [a]',
      '---',
      'date: 1999-01-01 in the body is ignored',
    ].join('\n');
    expect(rawDatesFromSource(src)).toEqual({
      date: '2025-02-30',
      updated: '2025-03-01T10:00:00-06:00',
      corrections: ['2025-03-02', '2025-03-03 09:00'],
    });
  });

  it('returns nothing for a file without frontmatter', () => {
    expect(rawDatesFromSource('just text')).toEqual({ corrections: [] });
  });
});

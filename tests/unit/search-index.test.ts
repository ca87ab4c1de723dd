import { describe, expect, it } from 'vitest';
import { bylineText, hasFullText, searchDocument, type SearchStory } from '../../src/outputs/search-index';

const NOW = new Date('2026-01-01T03:00:00Z'); // still 2025 in Chicago, already 2026 in UTC
const story = (iso: string, over: Partial<SearchStory> = {}): SearchStory => ({
  path: '/news/x/',
  publishedAt: new Date(iso),
  month: { year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)) },
  station: { data: { name: 'KFIX <90.1>', timezone: 'America/Chicago' } },
  byline: [{ name: 'Ada Reporter' }],
  topics: [{ name: 'Water & Power' }],
  entry: { data: { title: 'A "quoted" <b>headline</b>', dek: 'Dek & more' }, rendered: { html: '<p>Body words</p>' } },
  ...over,
});

describe('hasFullText', () => {
  it('counts calendar years in the station zone, this one included', () => {
    // At NOW it is 2025 in Chicago: one year means 2025 only.
    expect(hasFullText(story('2025-03-01T12:00:00Z'), { now: NOW, fullTextYears: 1 })).toBe(true);
    expect(hasFullText(story('2024-12-31T12:00:00Z'), { now: NOW, fullTextYears: 1 })).toBe(false);
    expect(hasFullText(story('2024-12-31T12:00:00Z'), { now: NOW, fullTextYears: 2 })).toBe(true);
    expect(hasFullText(story('2023-12-31T12:00:00Z'), { now: NOW, fullTextYears: 2 })).toBe(false);
  });
});

describe('searchDocument', () => {
  const options = { now: NOW, fullTextYears: 1, lang: 'en-US' };

  it('escapes every field and keeps the body only inside the window', () => {
    const recent = searchDocument(story('2025-06-01T12:00:00Z'), options);
    expect(recent).toContain('<h1>A &quot;quoted&quot; &lt;b&gt;headline&lt;/b&gt;</h1>');
    expect(recent).toContain('<p>Dek &amp; more</p>');
    expect(recent).toContain('<p>By Ada Reporter. Topics: Water &amp; Power.</p>');
    expect(recent).toContain('<span data-pagefind-filter="station">KFIX &lt;90.1&gt;</span>');
    expect(recent).toContain('<p>Body words</p>');
    const old = searchDocument(story('2019-06-01T12:00:00Z'), options);
    expect(old).toContain('<h1>');
    expect(old).not.toContain('Body words');
  });

  it('adds the caption, transcript and corrections of full-text stories', () => {
    const doc = searchDocument(
      story('2025-06-01T12:00:00Z', {
        entry: { data: { title: 't', dek: 'd', image: { caption: 'A caption' } }, rendered: { html: '' } },
        audio: { transcript: 'HOST: hello' },
        corrections: [{ text: 'An earlier version misspelled a name.' }],
      }),
      options,
    );
    expect(doc).toContain('<p>A caption</p>');
    expect(doc).toContain('<p>HOST: hello</p>');
    expect(doc).toContain('<p>An earlier version misspelled a name.</p>');
  });

  it('sorts by the publication instant and shows the date in the station zone', () => {
    const doc = searchDocument(story('2025-06-01T03:30:00Z'), options);
    expect(doc).toContain('data-pagefind-sort="date:2025-06-01T03:30:00.000Z"');
    expect(doc).toContain('<span data-pagefind-meta="date">May 31, 2025</span>');
    expect(doc).toContain('<span data-pagefind-meta="datetime">2025-05-31T22:30:00-05:00</span>');
  });
});

describe('bylineText', () => {
  it('joins names as a sentence', () => {
    expect(bylineText([])).toBe('');
    expect(bylineText(['A'])).toBe('A');
    expect(bylineText(['A', 'B'])).toBe('A and B');
    expect(bylineText(['A', 'B', 'C'])).toBe('A, B and C');
  });
});

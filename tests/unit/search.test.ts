import { describe, expect, it } from 'vitest';
import { describeResults, pagefindQuery, readSearchState, searchQueryString, type SearchState } from '../../src/lib/search-params';

const state = (s: Partial<SearchState>): SearchState => ({ q: '', station: '', topic: '', sort: 'relevance', ...s });

describe('search state in the URL', () => {
  it('reads the query, filters and order, trimming the words', () => {
    expect(readSearchState(new URLSearchParams('q=%20water+bills%20&station=KFIX+90.1&topic=Water&sort=newest'))).toEqual({
      q: 'water bills',
      station: 'KFIX 90.1',
      topic: 'Water',
      sort: 'newest',
    });
  });

  it('falls back to defaults for missing or unknown values', () => {
    expect(readSearchState(new URLSearchParams('sort=sideways'))).toEqual(state({}));
  });

  it('writes only what differs from the defaults, and round-trips', () => {
    expect(searchQueryString(state({}))).toBe('');
    const s = state({ q: 'bridge & tunnel', station: 'WFIX 88.3' });
    expect(searchQueryString(s)).toBe('?q=bridge+%26+tunnel&station=WFIX+88.3');
    expect(readSearchState(new URLSearchParams(searchQueryString(s)))).toEqual(s);
  });
});

describe('pagefindQuery', () => {
  it('is null when there is nothing to look for', () => {
    expect(pagefindQuery(state({}))).toBeNull();
    expect(pagefindQuery(state({ sort: 'newest' }))).toBeNull();
  });

  it('ranks words by relevance unless newest first is asked for', () => {
    expect(pagefindQuery(state({ q: 'library' }))).toEqual({ term: 'library', options: { filters: {} } });
    expect(pagefindQuery(state({ q: 'library', sort: 'newest' }))).toEqual({
      term: 'library',
      options: { filters: {}, sort: { date: 'desc' } },
    });
  });

  it('lists a station’s or topic’s stories newest first when there are no words', () => {
    expect(pagefindQuery(state({ station: 'KFIX 90.1', topic: 'Water' }))).toEqual({
      term: null,
      options: { filters: { station: 'KFIX 90.1', topic: 'Water' }, sort: { date: 'desc' } },
    });
  });
});

describe('describeResults', () => {
  it.each([
    [0, state({ q: 'x' }), 'No stories match “x”'],
    [1, state({ q: 'x' }), '1 story matches “x”'],
    [3, state({ q: 'x', station: 'KFIX 90.1' }), '3 stories match “x” from KFIX 90.1'],
    [2, state({ topic: 'Water' }), '2 stories in Water'],
    [5, state({ station: 'WFIX 88.3', topic: 'Politics' }), '5 stories from WFIX 88.3 in Politics'],
  ])('%i results for %o read "%s"', (count, s, text) => expect(describeResults(count, s)).toBe(text));
});

import { describe, expect, it } from 'vitest';
import { pageKeys } from '../../src/data/page-keys';
import type { RawDates } from '../../src/content/raw-dates';
import { buildSiteIndex, type ArticleEntry, type AuthorEntry, type StationEntry } from '../../src/data/site-index';

const NOW = new Date('2026-11-25T12:00:00Z');
const station = (tagline = 'News for the valley') =>
  ({ id: 'kxpr', collection: 'stations', data: { name: 'KXPR', tagline, timezone: 'America/Chicago' } }) as unknown as StationEntry;
const author = (name = 'Ada Reporter') => ({ id: 'ada', collection: 'authors', data: { name } }) as unknown as AuthorEntry;
const story = (id: string, digest: string, title = id) =>
  ({
    id,
    digest,
    collection: 'articles',
    filePath: `content/articles/${id}.md`,
    data: {
      title,
      dek: 'dek',
      byline: ['ada'],
      station: 'kxpr',
      tags: ['Water'],
      date: '2026-11-01T09:00:00Z',
      corrections: [],
      draft: false,
      aliases: [],
    },
  }) as unknown as ArticleEntry;
const rawDates = (e: ArticleEntry): RawDates => ({ date: String(e.data.date), corrections: [] });

function keys({
  stories = [story('2026/a', 'd1'), story('2026/b', 'd2')],
  tagline = undefined as string | undefined,
  name = undefined as string | undefined,
  years = [2026],
} = {}) {
  const index = buildSiteIndex({
    articles: stories,
    stations: [station(tagline)],
    authors: [author(name)],
    now: NOW,
    rawDates,
    relatedCount: 2,
  });
  const k = pageKeys(index, { years, site: { url: 'https://news.example.org' } });
  return { a: k.article(index.byPath.get('/news/2026/11/01/a/')!), b: k.article(index.byPath.get('/news/2026/11/01/b/')!) };
}

describe('pageKeys', () => {
  const base = keys();

  it('is the same for the same data', () => {
    expect(keys()).toEqual(base);
  });

  it('changes only the edited story’s key when only its text changes', () => {
    const k = keys({ stories: [story('2026/a', 'd1-edited'), story('2026/b', 'd2')] });
    expect(k.a).not.toBe(base.a);
    expect(k.b).toBe(base.b);
  });

  it('changes every key when anything another page shows changes', () => {
    for (const k of [
      keys({ name: 'Ada Q. Renamed' }),
      keys({ tagline: 'A new tagline' }),
      keys({ years: [2027] }),
      keys({ stories: [story('2026/a', 'd1', 'A new headline'), story('2026/b', 'd2')] }),
      keys({ stories: [story('2026/a', 'd1'), story('2026/b', 'd2'), story('2026/c', 'd3')] }),
    ]) {
      expect(k.a).not.toBe(base.a);
      expect(k.b).not.toBe(base.b);
    }
  });

  it('changes a story’s key when a story it shows as related changes, not when an unrelated one does', () => {
    const unrelated = (title = 'c') => {
      const s = story('2026/c', 'd3', title);
      return { ...s, data: { ...s.data, tags: ['Fire'] } } as typeof s;
    };
    const k = (aTitle = '2026/a') => {
      const index = buildSiteIndex({
        articles: [story('2026/a', 'd1', aTitle), story('2026/b', 'd2'), unrelated()],
        stations: [station()],
        authors: [author()],
        now: NOW,
        rawDates,
        relatedCount: 2,
      });
      const keys = pageKeys(index, { years: [2026], site: {} });
      return (slug: string) => keys.article(index.byPath.get(`/news/2026/11/01/${slug}/`)!);
    };
    const before = k();
    const after = k('A new headline');
    expect(after('a')).not.toBe(before('a'));
    // b shows a as related (both are about Water); c, about Fire, does not.
    expect(after('b')).not.toBe(before('b'));
    expect(after('c')).toBe(before('c'));
  });

  it('stops keying pages past the limits, so the incremental manifest stays under V8’s string limit', () => {
    const index = buildSiteIndex({
      articles: [story('2026/a', 'd1'), story('2026/b', 'd2')],
      stations: [station()],
      authors: [author()],
      now: NOW,
      rawDates,
      relatedCount: 2,
    });
    const a = index.articles[0]!;
    const settings = { years: [2026], site: {} };
    expect(pageKeys(index, settings, { stories: 2 }).article(a)).toBeDefined();
    expect(pageKeys(index, settings, { stories: 1 }).article(a)).toBeUndefined();
    // A part of the sharded build keys the story pages it renders, not every story's.
    expect(index.articles.length).toBeGreaterThan(1);
    expect(pageKeys(index, settings, { stories: 1 }, 1).article(a)).toBeDefined();
    expect(pageKeys(index, settings, { stories: 1 }, 2).article(a)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import type { RawDates } from '../../src/content/raw-dates';
import { buildSiteIndex, type ArticleEntry, type AuthorEntry, type StationEntry } from '../../src/data/site-index';

// Loaders hand entries over in file-system or cache order, which differs between machines and
// between cold and warm builds. The index must not depend on it.

const station = (id: string) =>
  ({ id, collection: 'stations', data: { name: id.toUpperCase(), timezone: 'America/Chicago' } }) as unknown as StationEntry;
const author = (id: string) => ({ id, collection: 'authors', data: { name: id } }) as unknown as AuthorEntry;
const story = (id: string, date: string, tags: string[], aliases: string[] = []) =>
  ({
    id,
    collection: 'articles',
    filePath: `content/articles/${id}.md`,
    data: { title: id, dek: 'dek', byline: ['ada'], station: 'kxpr', tags, corrections: [], draft: false, aliases, date },
  }) as unknown as ArticleEntry;
const rawDates = (e: ArticleEntry): RawDates => ({ date: String(e.data.date), updated: undefined, corrections: [] });

const ARTICLES = [
  // Same topic spelled two ways: the page name must not depend on which file came first.
  story('2026/b', '2026-11-01T09:00:00Z', ['city hall']),
  story('2026/a', '2026-11-01T09:00:00Z', ['City Hall'], ['/old/a']),
  story('2026/c', '2026-11-02T09:00:00Z', ['Water'], ['/old/c', '/old/b']),
];
const STATIONS = [station('wbnd'), station('kxpr'), station('kzzz')];
const AUTHORS = [author('zoe'), author('ada'), author('ben')];

const build = (order: <T>(list: T[]) => T[]) => {
  const index = buildSiteIndex({
    articles: order(ARTICLES),
    stations: order(STATIONS),
    authors: order(AUTHORS),
    now: new Date('2026-11-25T12:00:00Z'),
    rawDates,
    relatedCount: 2,
  });
  return {
    articles: index.articles.map((a) => a.path),
    stations: index.stations.map((s) => s.id),
    authors: index.authors.map((a) => a.id),
    topics: [...index.byTopic.values()].map((t) => t.topic.name),
    redirects: index.redirects,
  };
};

describe('the site index is independent of loader order', () => {
  it('gives the same lists whichever order the entries arrive in', () => {
    const forward = build((l) => [...l]);
    const reversed = build((l) => [...l].reverse());
    expect(reversed).toEqual(forward);
    expect(forward.stations).toEqual(['kxpr', 'kzzz', 'wbnd']);
    expect(forward.authors).toEqual(['ada', 'ben', 'zoe']);
    // Same-minute stories are ordered by permalink, topics named by the first file by id.
    expect(forward.articles).toEqual(['/news/2026/11/02/c/', '/news/2026/11/01/a/', '/news/2026/11/01/b/']);
    expect(forward.topics).toEqual(['Water', 'City Hall']);
    expect(forward.redirects.map((r) => r.from)).toEqual(['/old/a/', '/old/b/', '/old/c/']);
  });
});

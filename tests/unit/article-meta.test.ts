import { describe, expect, it } from 'vitest';
import { articleFacts, canonicalUrl, parseCopyrightLine, type ArticleMetaSource } from '../../src/data/article-meta';

const SITE = 'https://news.example.org';

const story = (data: Partial<ArticleMetaSource['entry']['data']> = {}, extra: Partial<ArticleMetaSource> = {}): ArticleMetaSource => ({
  path: '/news/2026/11/20/library/',
  publishedAt: new Date('2026-11-20T15:30:00Z'),
  byline: [{ name: 'Ada Reporter', author: { id: 'ada-reporter' } }, { name: 'Casey Guest' }],
  topics: [
    { slug: 'education', name: 'Education' },
    { slug: 'water', name: 'Water' },
  ],
  station: { id: 'kfix', data: { name: 'KFIX 90.1', timezone: 'America/Chicago', legalName: 'Fixture Falls Public Radio, Inc.' } },
  entry: { data: { title: 'Library opens', dek: 'It floods less.', ...data } },
  ...extra,
});

describe('canonicalUrl', () => {
  const wire = story({ source: { name: 'NPR', url: 'https://www.npr.org/2026/11/20/library-story' } });

  it('is the story itself by default, syndicated or not', () => {
    expect(canonicalUrl(story(), SITE, 'self')).toBe(`${SITE}/news/2026/11/20/library/`);
    expect(canonicalUrl(wire, SITE, 'self')).toBe(`${SITE}/news/2026/11/20/library/`);
  });

  it('is the original under the source policy', () => {
    expect(canonicalUrl(wire, SITE, 'source')).toBe('https://www.npr.org/2026/11/20/library-story');
    expect(canonicalUrl(story(), SITE, 'source')).toBe(`${SITE}/news/2026/11/20/library/`);
  });

  it('stays on the story when the source names only a homepage', () => {
    expect(canonicalUrl(story({ source: { name: 'NPR', url: 'https://www.npr.org/' } }), SITE, 'source')).toBe(
      `${SITE}/news/2026/11/20/library/`,
    );
  });
});

describe('articleFacts', () => {
  it('dates carry the station offset; modified falls back to published', () => {
    const f = articleFacts(story(), { site: SITE, syndication: 'self' });
    expect(f.published).toBe('2026-11-20T09:30:00-06:00');
    expect(f.modified).toBe('2026-11-20T09:30:00-06:00');
    const updated = articleFacts(story({}, { updatedAt: new Date('2026-11-21T14:00:00Z') }), { site: SITE, syndication: 'self' });
    expect(updated.modified).toBe('2026-11-21T08:00:00-06:00');
  });

  it('links known authors and keeps guests as names; section is the first topic', () => {
    const f = articleFacts(story(), { site: SITE, syndication: 'self' });
    expect(f.authors).toEqual([{ name: 'Ada Reporter', url: `${SITE}/authors/ada-reporter/` }, { name: 'Casey Guest' }]);
    expect(f.section).toBe('Education');
    expect(f.tags).toEqual(['Education', 'Water']);
    expect(f.copyrightHolder).toBeUndefined();
    expect(articleFacts(story({}, { topics: [] }), { site: SITE, syndication: 'self' }).section).toBe('KFIX 90.1');
  });

  it('names the copyright holder of wire stories', () => {
    expect(articleFacts(story({ copyright: 'Copyright 2026 NPR' }), { site: SITE, syndication: 'self' })).toMatchObject({
      copyrightHolder: 'NPR',
      copyrightYear: 2026,
    });
    const sourced = articleFacts(story({ source: { name: 'The Associated Press', url: 'https://apnews.com/x' } }), {
      site: SITE,
      syndication: 'source',
    });
    expect(sourced).toMatchObject({ copyrightHolder: 'The Associated Press', isSelfCanonical: false, canonical: 'https://apnews.com/x' });
  });

  it('reads copyright lines', () => {
    expect(parseCopyrightLine('Copyright 2020 NPR')).toEqual({ holder: 'NPR', year: 2020 });
    expect(parseCopyrightLine('© 2024 The Associated Press.')).toEqual({ holder: 'The Associated Press', year: 2024 });
    expect(parseCopyrightLine('Reuters')).toEqual({ holder: 'Reuters' });
  });
});

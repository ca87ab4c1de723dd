import { describe, expect, it } from 'vitest';
import type { RawDates } from '../../src/content/raw-dates';
import { buildSiteIndex, ContentError, type ArticleEntry, type AuthorEntry, type StationEntry } from '../../src/data/site-index';
import { formatProblem } from '../../src/content/problems';

const NOW = new Date('2026-11-25T12:00:00Z');

const station = (id: string, timezone: string) =>
  ({ id, collection: 'stations', data: { name: id.toUpperCase(), timezone } }) as unknown as StationEntry;
const author = (id: string, name: string) => ({ id, collection: 'authors', data: { name } }) as unknown as AuthorEntry;

type Fm = Partial<ArticleEntry['data']> & { date: string };
const story = (id: string, fm: Fm) =>
  ({
    id,
    collection: 'articles',
    filePath: `content/articles/${id}.md`,
    data: { title: id, dek: 'dek', byline: ['ada'], station: 'kxpr', tags: [], corrections: [], draft: false, aliases: [], ...fm },
  }) as unknown as ArticleEntry;

// The raw text is what the editor typed; in these tests it is the string in `date`.
const rawDates = (e: ArticleEntry): RawDates => ({
  date: String(e.data.date),
  updated: e.data.updated === undefined ? undefined : String(e.data.updated),
  corrections: e.data.corrections.map((c) => String(c.date)),
});

const build = (articles: ArticleEntry[]) =>
  buildSiteIndex({
    articles,
    stations: [station('kxpr', 'America/Chicago'), station('wbnd', 'America/New_York')],
    authors: [author('ada', 'Ada Reporter'), author('ben', 'Ben Editor')],
    now: NOW,
    rawDates,
    relatedCount: 2,
  });

const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ContentError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
};

describe('buildSiteIndex', () => {
  it('leaves out drafts and stories dated after now, and sorts newest first', () => {
    const index = build([
      story('2026/old', { date: '2026-10-01T09:00:00-05:00' }),
      story('2026/draft', { date: '2026-11-01T09:00:00-05:00', draft: true }),
      story('2026/future', { date: '2026-11-25T12:00:01Z' }),
      story('2026/exactly-now', { date: '2026-11-25T12:00:00Z' }),
      story('2026/new', { date: '2026-11-24T09:00:00-06:00' }),
    ]);
    expect(index.articles.map((a) => a.id)).toEqual(['2026/exactly-now', '2026/new', '2026/old']);
  });

  it('dates permalinks and archive months in the station time zone', () => {
    const index = build([
      story('2026/late', { date: '2026-03-01T23:30:00-06:00' }),
      story('2026/naive', { date: '2026-07-04 12:00', station: 'wbnd' }),
    ]);
    const late = index.articles.find((a) => a.id === '2026/late')!;
    expect(late.path).toBe('/news/2026/03/01/late/');
    expect(late.month).toEqual({ year: 2026, month: 3 });
    const naive = index.articles.find((a) => a.id === '2026/naive')!;
    expect(naive.publishedAt.toISOString()).toBe('2026-07-04T16:00:00.000Z');
  });

  it('slugs the file name, or uses the slug field', () => {
    const index = build([
      story('2026/Hello World', { date: '2026-11-01T09:00:00Z' }),
      story('2026/nested/x', { date: '2026-11-02T09:00:00Z', slug: 'custom' }),
    ]);
    expect(index.articles.map((a) => a.path).sort()).toEqual(['/news/2026/11/01/hello-world/', '/news/2026/11/02/custom/']);
  });

  it('links known authors and keeps guest names as text', () => {
    const [a] = build([story('2026/x', { date: '2026-11-01T09:00:00Z', byline: ['ada', 'Bill Chappell'] })]).articles;
    expect(a!.byline.map((b) => [b.name, b.author?.id])).toEqual([
      ['Ada Reporter', 'ada'],
      ['Bill Chappell', undefined],
    ]);
  });

  it('groups by station, author, topic and month', () => {
    const index = build([
      story('2026/a', { date: '2026-11-01T09:00:00Z', tags: ['Climate', 'Public Health'], byline: ['ada', 'ben'] }),
      story('2026/b', { date: '2026-10-01T09:00:00Z', tags: ['climate'], station: 'wbnd' }),
    ]);
    expect([...index.byStation.keys()].sort()).toEqual(['kxpr', 'wbnd']);
    expect(index.byAuthor.get('ben')!.map((a) => a.id)).toEqual(['2026/a']);
    expect(index.byTopic.get('climate')!.articles.map((a) => a.id)).toEqual(['2026/a', '2026/b']);
    expect(index.byTopic.get('public-health')!.topic.name).toBe('Public Health');
    expect([...index.byMonth.keys()]).toEqual(['2026-11', '2026-10']);
  });

  it('finds related stories by shared topics, most shared first', () => {
    const index = build([
      story('2026/a', { date: '2026-11-05T09:00:00Z', tags: ['x', 'y'] }),
      story('2026/b', { date: '2026-11-04T09:00:00Z', tags: ['x'] }),
      story('2026/c', { date: '2026-11-03T09:00:00Z', tags: ['x', 'y'] }),
      story('2026/d', { date: '2026-11-02T09:00:00Z', tags: ['z'] }),
    ]);
    const a = index.articles.find((x) => x.id === '2026/a')!;
    expect(index.related(a).map((x) => x.id)).toEqual(['2026/c', '2026/b']);
  });

  it('relates a story only to stories of its own year or earlier, so a new story never changes past years', () => {
    const index = build([
      story('2026/new', { date: '2026-11-05T09:00:00Z', tags: ['x', 'y'] }),
      story('2019/late', { date: '2019-12-20T09:00:00Z', tags: ['x'] }),
      story('2019/old', { date: '2019-03-01T09:00:00Z', tags: ['x', 'y'] }),
      story('2018/older', { date: '2018-05-01T09:00:00Z', tags: ['y'] }),
      // 2020-01-01 05:30 UTC is still 2019 in Chicago, kxpr's zone: a 2019 story.
      story('2019/new-year', { date: '2020-01-01T05:30:00Z', tags: ['x'] }),
    ]);
    const of = (id: string) => index.related(index.articles.find((x) => x.id === id)!).map((x) => x.id);
    expect(of('2019/old')).toEqual(['2019/new-year', '2019/late']);
    expect(of('2018/older')).toEqual([]);
    expect(of('2026/new')).toEqual(['2019/old', '2019/new-year']);
  });

  it('reports every problem at once, naming file and field', () => {
    const problems = problemsOf(() =>
      build([
        story('2026/bad-station', { date: '2026-11-01T09:00:00Z', station: 'nope' }),
        story('2026/rolled-over', { date: '2025-02-30' }),
        story('2026/unknown-author', { date: '2026-11-01T09:00:00Z', byline: ['no-such-person'] }),
        story('2026/backwards', { date: '2026-11-02T09:00:00Z', updated: '2026-11-01T09:00:00Z' }),
      ]),
    );
    // In file order, whatever order the loader returned them in.
    expect(problems).toEqual([
      expect.stringMatching(/^content\/articles\/2026\/backwards\.md: updated: is before `date`/),
      expect.stringMatching(/^content\/articles\/2026\/bad-station\.md: station: unknown station "nope" \(use one of: kxpr, wbnd\)$/),
      expect.stringMatching(/^content\/articles\/2026\/rolled-over\.md: date: "2025-02-30" is not a real date/),
      expect.stringMatching(/^content\/articles\/2026\/unknown-author\.md: byline: unknown author "no-such-person"/),
    ]);
  });

  it('reports two stories on one permalink, naming both files', () => {
    const problems = problemsOf(() =>
      build([story('2026/Hello World', { date: '2026-11-01T09:00:00Z' }), story('2026/hello-world', { date: '2026-11-01T10:00:00Z' })]),
    );
    expect(problems).toEqual([
      'content/articles/2026/hello-world.md: slug: has the same permalink /news/2026/11/01/hello-world/ as content/articles/2026/Hello World.md (rename one file or set a different `slug`)',
    ]);
  });
});

describe('aliases', () => {
  it('redirect old paths of published stories to their permalinks', () => {
    const index = build([
      story('2026/moved', { date: '2026-11-01T09:00:00Z', aliases: ['/news/2026/10/31/old-slug', '/old/page.html'] }),
      story('2026/draft', { date: '2026-11-01T09:00:00Z', draft: true, aliases: ['/gone/'] }),
    ]);
    expect(index.redirects).toEqual([
      { from: '/news/2026/10/31/old-slug/', to: '/news/2026/11/01/moved/' },
      { from: '/old/page.html', to: '/news/2026/11/01/moved/' },
    ]);
  });

  it('may not shadow a live story or repeat another alias', () => {
    const problems = problemsOf(() =>
      build([
        story('2026/a', { date: '2026-11-01T09:00:00Z', aliases: ['/news/2026/11/02/b/', '/x/'] }),
        story('2026/b', { date: '2026-11-02T09:00:00Z', aliases: ['/x/'] }),
      ]),
    );
    expect(problems).toEqual([
      'content/articles/2026/a.md: aliases[0]: /news/2026/11/02/b/ is the permalink of content/articles/2026/b.md (an alias cannot replace a live story; remove it)',
      'content/articles/2026/b.md: aliases[0]: /x/ is already an alias of content/articles/2026/a.md (keep it in one story only)',
    ]);
  });

  // The catalogue of take-overs (issue 12), each refused for the rule it breaks.
  it.each([
    ['//stations/kxpr/', '"//stations/kxpr/" has an empty segment (//)'],
    ['/stations/kxpr/', '/stations/kxpr/ is taken by the station pages'],
    ['/404.html', '/404.html is taken by the "page not found" page'],
    ['/search/', '/search/ is taken by the search page'],
    ['/search', '/search is taken by the search page'],
    ['/', '/ is taken by the home page'],
    ['/page/2/', 'is taken by the home page and its later pages'],
    ['/rss.xml', "/rss.xml is taken by the site's RSS feed"],
    ['/RSS.XML', "/RSS.XML is taken by the site's RSS feed"],
    ['/rss.xml/x/', "is taken by the site's RSS feed"],
    ['/robots.txt', '/robots.txt is taken by robots.txt'],
    ['/news-sitemap.xml', 'is taken by the news sitemap'],
    ['/sitemap-index.xml', 'is taken by the sitemaps'],
    ['/sitemap-3.xml', 'is taken by the sitemaps'],
    ['/_pagefind/pagefind.js', 'is taken by the search index'],
    ['/_headers', '/_headers is taken by host configuration'],
    ['/_redirects', 'is taken by host configuration'],
    ['/_astro/x.js', 'is taken by host configuration'],
    ['/_worker.js', 'is taken by host configuration'],
    ['/og/news/x.png', 'is taken by the share images'],
    ['/audio/abc/x.mp3', 'is taken by story audio'],
    ['/favicon.svg', 'is taken by a file of the site (public/favicon.svg)'],
    ['/news/2026/11/02/b/index.html', 'is the permalink of content/articles/2026/b.md'],
    ['/NEWS/2026/11/02/B/', 'is the permalink of content/articles/2026/b.md'],
    ['/news/2026/11/02/%62/', 'is the permalink of content/articles/2026/b.md'],
    ['/*', '"/*" has a splat (*)'],
    ['/:splat', '"/:splat" has a colon (:)'],
    ['/x#y', '"/x#y" has a fragment (#…)'],
    ['/x?y=1', '"/x?y=1" has a query (?…)'],
    ['/a/../stations/kxpr/', '"/a/../stations/kxpr/" has a ".." segment'],
    ['/a/%2e%2e/stations/kxpr/', 'has a ".." segment (written %2e%2e)'],
    ['/a%2fb/', 'encodes a slash (%2f) inside a segment'],
    ['/.well-known/x', 'has a segment starting with a dot (.well-known)'],
    ['/a\\b', 'contains a backslash'],
    ['/a\nb', 'contains an invisible control character (U+000A)'],
    ['/a\u202eb', 'contains an invisible control character (U+202E)'],
    ['/caf\u00e9/', 'contains "\u00e9"'],
    ['/caf%C3%A9/', 'has %C3, part of a non-ASCII character'],
    ['/a%20b/', 'encodes " " (%20)'],
    ['/a%zz/', 'has a broken percent-escape (%zz)'],
    ['https://example.org/x', 'is a full web address'],
  ])('refuses %j as an alias', (alias, message) => {
    const problems = problemsOf(() =>
      buildSiteIndex({
        articles: [story('2026/a', { date: '2026-11-01T09:00:00Z', aliases: [alias] }), story('2026/b', { date: '2026-11-02T09:00:00Z' })],
        stations: [station('kxpr', 'America/Chicago')],
        authors: [author('ada', 'Ada Reporter')],
        now: NOW,
        rawDates,
        relatedCount: 2,
        publicFiles: ['favicon.svg'],
      }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^content\/articles\/2026\/a\.md: aliases\[0\]: /);
    expect(problems[0]).toContain(message);
  });

  it('keeps old CMS addresses: capitals, file names with extensions, escapes of plain characters', () => {
    const index = build([
      story('2026/moved', {
        date: '2026-11-01T09:00:00Z',
        aliases: [
          '/2019/05/story.html',
          '/News/Old_Story.aspx',
          '/blog/index.php',
          '/a%2Db/',
          '/~staff/x',
          '/archive.html',
          '/feeds/old.rss',
        ],
      }),
    ]);
    expect(index.redirects.map((r) => r.from)).toEqual([
      '/2019/05/story.html',
      '/News/Old_Story.aspx',
      '/a-b/',
      '/archive.html',
      '/blog/index.php',
      '/feeds/old.rss',
      '/~staff/x/',
    ]);
  });

  it('may not be listed twice, in any spelling, or make a folder of another alias', () => {
    const problems = problemsOf(() =>
      build([
        story('2026/a', { date: '2026-11-01T09:00:00Z', aliases: ['/old/', '/OLD', '/old.html'] }),
        story('2026/b', { date: '2026-11-02T09:00:00Z', aliases: ['/old.html/x/', '/old/index.html'] }),
      ]),
    );
    expect(problems).toEqual([
      'content/articles/2026/a.md: aliases[1]: /OLD repeats aliases[0] (list each old address once)',
      'content/articles/2026/b.md: aliases[0]: /old.html/x/ would make a folder of the alias /old.html (content/articles/2026/a.md) (pick one form of the old address: a file such as /old.html, or a folder such as /old/)',
      'content/articles/2026/b.md: aliases[1]: /old/index.html is already an alias of content/articles/2026/a.md (keep it in one story only)',
    ]);
  });
});

import fc from 'fast-check';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawDates } from '../../src/content/raw-dates';
import { buildSiteIndex, ContentError, type ArticleEntry, type AuthorEntry, type StationEntry } from '../../src/data/site-index';
import { reservedBy } from '../../src/data/site-routes';
import { redirectProblems } from '../../src/integrations/host-files/policy';
import { aliasGrammarProblem, aliasKey, normaliseAlias } from '../../src/lib/alias-path';
import { redirectFile } from '../../src/outputs/redirect-page';

/**
 * Property tests of the alias grammar (src/lib/alias-path.ts) and of what an alias may take
 * over (src/data/site-routes.ts): whatever an editor or an attacker writes, an alias that passes
 * is a plain path that stays inside dist/, and one that is grammatical is refused only when it
 * collides with something the build writes. The checker and the `_redirects` writer agree.
 */

const RUNS = { numRuns: 2000 };

/** Pieces attackers combine: separators, dots and their escapes, redirect syntax, invisible characters. */
const piece = fc.constantFrom(
  '/',
  '//',
  '.',
  '..',
  '%2e',
  '%2E',
  '%2e%2e',
  '%2f',
  '%2F',
  '%5c',
  '%',
  '%4',
  '%zz',
  '%41',
  '%7e',
  '%00',
  '%0a',
  '%C3%A9',
  '*',
  ':',
  ':splat',
  '?',
  '#',
  '\\',
  ' ',
  '\t',
  '\n',
  '\u0000',
  '\u202e',
  '\u200b',
  'é',
  '!',
  '$',
  '&',
  "'",
  '(',
  ';',
  '=',
  '@',
  '+',
  ',',
  'a',
  'Z',
  '0',
  '-',
  '_',
  '~',
  'index.html',
  'rss.xml',
  '_headers',
  '_pagefind',
  'stations',
  'news',
  '.html',
);
const hostile = fc.oneof(
  fc.array(piece, { maxLength: 12 }).map((p) => p.join('')),
  fc.array(piece, { maxLength: 12 }).map((p) => `/${p.join('')}`),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `/${s}`),
  fc.string({ maxLength: 40 }),
);

const decode = (path: string) => path.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

describe('any string the grammar accepts', () => {
  it('is a plain path: no //, no dot segments, no * : ? # or backslash, and only a-z 0-9 - . _ ~ once decoded', () => {
    fc.assert(
      fc.property(hostile, (alias) => {
        if (aliasGrammarProblem(alias)) return;
        expect(alias.startsWith('/')).toBe(true);
        expect(alias).not.toMatch(/[*:?#\\]/);
        const decoded = decode(alias);
        expect(decoded).toMatch(/^[A-Za-z0-9._~/-]+$/);
        expect(decoded).not.toContain('//');
        for (const segment of decoded.split('/')) {
          expect(['.', '..']).not.toContain(segment);
          expect(segment.startsWith('.')).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('is published as a file inside dist/', () => {
    fc.assert(
      fc.property(hostile, (alias) => {
        if (aliasGrammarProblem(alias)) return;
        const file = redirectFile(normaliseAlias(alias));
        expect(posix.normalize(`dist/${file}`).startsWith('dist/')).toBe(true);
        expect(posix.normalize(`dist/${file}`)).toBe(`dist/${file}`);
      }),
      RUNS,
    );
  });
});

// A small site: one story whose aliases are generated, and one whose permalink they may hit.
const station = { id: 'kfix', collection: 'stations', data: { name: 'KFIX', timezone: 'America/Chicago' } } as unknown as StationEntry;
const author = { id: 'ada', collection: 'authors', data: { name: 'Ada' } } as unknown as AuthorEntry;
const story = (id: string, date: string, aliases: string[]) =>
  ({
    id,
    collection: 'articles',
    filePath: `content/articles/${id}.md`,
    data: { title: id, dek: 'dek', byline: ['ada'], station: 'kfix', tags: [], corrections: [], draft: false, aliases, date },
  }) as unknown as ArticleEntry;
const rawDates = (e: ArticleEntry): RawDates => ({ date: String(e.data.date), corrections: [] });
const OTHER = '/news/2026/11/20/other-story/';
const PUBLIC = ['favicon.svg'];

function refusals(alias: string): string[] {
  try {
    buildSiteIndex({
      articles: [story('2026/moved', '2026-11-01T09:00:00Z', [alias]), story('2026/other-story', '2026-11-20T09:00:00-06:00', [])],
      stations: [station],
      authors: [author],
      now: new Date('2026-11-25T12:00:00Z'),
      rawDates,
      relatedCount: 0,
      publicFiles: PUBLIC,
    });
    return [];
  } catch (e) {
    if (e instanceof ContentError) return e.problems.map((p) => `${p.field}: ${p.message}`);
    throw e;
  }
}

/** Grammatical aliases, biased towards the addresses the build writes. */
const segment = fc.oneof(
  fc.stringMatching(/^[a-z0-9_~-][a-zA-Z0-9._~-]{0,15}$/),
  fc.constantFrom(
    'news',
    '2026',
    '11',
    '20',
    'other-story',
    'stations',
    'kfix',
    'search',
    'page',
    '2',
    'rss.xml',
    'robots.txt',
    '_pagefind',
    'pagefind.js',
    '_headers',
    '_redirects',
    '_astro',
    'og',
    'audio',
    'topics',
    'authors',
    'archive',
    'index.html',
    '404.html',
    'sitemap-index.xml',
    'sitemap-0.xml',
    'news-sitemap.xml',
    'favicon.svg',
    'RSS.XML',
    'Search',
    'story.html',
    'old-slug',
  ),
);
/** Some characters written as percent-escapes, as old CMS exports do. */
const escaped = (s: string, mask: number) =>
  [...s].map((c, i) => ((mask >> i) & 1 ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : c)).join('');
const grammatical = fc
  .tuple(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.integer({ min: 0, max: 0xffff }))
  .map(([segments, slash, mask]) => escaped(`/${segments.join('/')}${slash ? '/' : ''}`, mask).replace(/^%2F/, '/'))
  .filter((a) => !aliasGrammarProblem(a));

describe('a grammatical alias', () => {
  it('is accepted unless it collides with an address the build writes, and the _redirects writer agrees', () => {
    fc.assert(
      fc.property(grammatical, (alias) => {
        const found = refusals(alias);
        const published = normaliseAlias(alias);
        const collides = reservedBy(alias, PUBLIC) !== undefined || aliasKey(published) === aliasKey(OTHER);
        expect(found.length, `${alias}: ${found.join('; ')}`).toBe(collides ? 1 : 0);
        if (collides) expect(found[0]).toMatch(/^aliases\[0\]: .* (is taken by|is the permalink of) /);
        // The writer of _redirects, given the same site, refuses exactly the same aliases.
        const writer = redirectProblems([{ from: published, to: '/news/2026/11/01/moved/' }], { permalinks: [OTHER], publicFiles: PUBLIC });
        expect(writer.length, alias).toBe(collides ? 1 : 0);
      }),
      RUNS,
    );
  });

  it('generated from the grammar is mostly accepted (the generator is not all collisions)', () => {
    const sample = fc.sample(grammatical, { numRuns: 500, seed: 12 });
    const accepted = sample.filter((a) => refusals(a).length === 0);
    expect(accepted.length).toBeGreaterThan(100);
    expect(sample.length - accepted.length).toBeGreaterThan(20);
  });
});

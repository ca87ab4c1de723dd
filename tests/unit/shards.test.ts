import { describe, expect, it } from 'vitest';
import { resolveBuildPart, rendersSharedPages, rendersStoryOf } from '../../src/data/build-part';
import { dirtiedBy, firstOpenYear, groupOf, planShards, type KeptShard, type PlanInput, type ShardStory } from '../../src/data/shards';

const NOW = new Date('2026-11-25T12:00:00Z');
const TZ = 'America/Chicago';
const INPUTS = { templates: 't1', photos: 'p1', dependencies: 'd1', public: 'u1', stations: 's1', authors: 'a1' };

const stories: ShardStory[] = [
  { file: 'content/articles/2016/a.md', year: 2016, digest: 'a1' },
  { file: 'content/articles/2016/b.md', year: 2016, digest: 'b1' },
  { file: 'content/articles/2019/c.md', year: 2019, digest: 'c1' },
  { file: 'content/articles/2025/d.md', year: 2025, digest: 'd1' },
  { file: 'content/articles/2026/e.md', year: 2026, digest: 'e1' },
];

const base: PlanInput = { stories, now: NOW, timeZone: TZ, inputs: INPUTS, chrome: 'c1' };

/** What a build keeps after building every shard of `input`'s plan. */
const keptAfter = (input: PlanInput): Record<string, KeptShard> =>
  Object.fromEntries(planShards(input).shards.map((s) => [s.id, { key: s.key, parts: s.parts }]));

const withStory = (file: string, digest: string) => stories.map((s) => (s.file === file ? { ...s, digest } : s));

describe('planShards', () => {
  it('makes one closed shard per past year with stories; the current year belongs to the core build', () => {
    const plan = planShards(base);
    expect(plan.currentYear).toBe(2026);
    expect(plan.firstOpenYear).toBe(2026);
    expect(plan.shards.map((s) => [s.id, s.stories])).toEqual([
      ['2016', ['content/articles/2016/a.md', 'content/articles/2016/b.md']],
      ['2019', ['content/articles/2019/c.md']],
      ['2025', ['content/articles/2025/d.md']],
    ]);
    expect(plan.coreStories).toEqual(['content/articles/2026/e.md']);
    // Nothing is kept yet: every shard must be built, and says why.
    expect(plan.dirty).toEqual(['2016', '2019', '2025']);
    expect(plan.shards.every((s) => s.why === 'no kept output')).toBe(true);
  });

  it('keeps more years open on request, and takes the current year in the given zone', () => {
    expect(planShards({ ...base, openYears: 2 }).shards.map((s) => s.id)).toEqual(['2016', '2019']);
    // 03:00 UTC on New Year's Day is still the old year in Chicago, and already the new one in Tokyo.
    const newYear = new Date('2027-01-01T03:00:00Z');
    expect(firstOpenYear(newYear, TZ)).toBe(2026);
    expect(firstOpenYear(newYear, 'Asia/Tokyo')).toBe(2027);
    expect(planShards({ ...base, now: newYear, timeZone: 'Asia/Tokyo' }).shards.map((s) => s.id)).toEqual(['2016', '2019', '2025', '2026']);
    expect(() => firstOpenYear(NOW, TZ, 0)).toThrow(/openYears must be a whole number of at least 1/);
  });

  it('gives the same keys for the same inputs, whatever order the stories come in', () => {
    const a = planShards(base);
    const b = planShards({ ...base, stories: [...stories].reverse(), inputs: Object.fromEntries(Object.entries(INPUTS).reverse()) });
    expect(b.shards.map((s) => s.key)).toEqual(a.shards.map((s) => s.key));
    expect(new Set(a.shards.map((s) => s.key)).size).toBe(3);
  });

  it('reuses every kept shard when nothing changed', () => {
    const plan = planShards({ ...base, kept: keptAfter(base) });
    expect(plan.dirty).toEqual([]);
    expect(plan.shards.map((s) => s.why)).toEqual(['kept output reused', 'kept output reused', 'kept output reused']);
  });

  it('a corrected 2016 story dirties the 2016 shard only (the core build, with the listings, runs anyway)', () => {
    const plan = planShards({ ...base, stories: withStory('content/articles/2016/b.md', 'b2'), kept: keptAfter(base) });
    expect(plan.dirty).toEqual(['2016']);
    expect(plan.shards[0]!.why).toBe('changed: content/articles/2016/b.md');
  });

  it('a new or edited story of the current year dirties no shard', () => {
    const more = [...withStory('content/articles/2026/e.md', 'e2'), { file: 'content/articles/2026/f.md', year: 2026, digest: 'f1' }];
    const plan = planShards({ ...base, stories: more, kept: keptAfter(base) });
    expect(plan.dirty).toEqual([]);
    expect(plan.coreStories).toEqual(['content/articles/2026/e.md', 'content/articles/2026/f.md']);
  });

  it('a story added to or removed from a past year dirties that year, and says which', () => {
    const added = planShards({
      ...base,
      stories: [...stories, { file: 'content/articles/2019/z.md', year: 2019, digest: 'z1' }],
      kept: keptAfter(base),
    });
    expect(added.dirty).toEqual(['2019']);
    expect(added.shards[1]!.why).toBe('added: content/articles/2019/z.md');
    const removed = planShards({ ...base, stories: stories.filter((s) => !s.file.endsWith('/a.md')), kept: keptAfter(base) });
    expect(removed.dirty).toEqual(['2016']);
    expect(removed.shards[0]!.why).toBe('removed: content/articles/2016/a.md');
  });

  it.each(['templates', 'stations', 'authors', 'photos', 'dependencies', 'public'])('a change to %s dirties every shard', (group) => {
    const plan = planShards({ ...base, inputs: { ...INPUTS, [group]: 'changed' }, kept: keptAfter(base) });
    expect(plan.dirty).toEqual(['2016', '2019', '2025']);
    expect(new Set(plan.shards.map((s) => s.why))).toEqual(new Set([`${group} changed`]));
  });

  it('a change to what every page shows (navigation topics, the footer year) dirties every shard', () => {
    const plan = planShards({ ...base, chrome: 'c2', kept: keptAfter(base) });
    expect(plan.dirty).toEqual(['2016', '2019', '2025']);
    expect(plan.shards[0]!.why).toMatch(/site-wide chrome/);
  });

  it('refuses a story listed twice and a year that is not one', () => {
    expect(() => planShards({ ...base, stories: [...stories, stories[0]!] })).toThrow('content/articles/2016/a.md: listed twice');
    expect(() => planShards({ ...base, stories: [{ file: 'x.md', year: Number.NaN, digest: 'x' }] })).toThrow(
      'x.md: year: NaN is not a year',
    );
  });
});

describe('groupOf and dirtiedBy', () => {
  it('puts each input file in its group, the most specific prefix first', () => {
    expect(groupOf('src/layouts/ArticleLayout.astro')).toBe('templates');
    expect(groupOf('astro.config.mjs')).toBe('templates');
    // How a shard's files are kept is part of its output.
    expect(groupOf('scripts/shards.ts')).toBe('templates');
    expect(groupOf('src/images/service.ts')).toBe('photos');
    expect(groupOf('package-lock.json')).toBe('dependencies');
    expect(groupOf('public/favicon.svg')).toBe('public');
    expect(groupOf('content:stations/kxpr.yaml')).toBe('stations');
    expect(groupOf('content:authors/ada.yaml')).toBe('authors');
    expect(groupOf('content:articles/2016/a.md')).toBeUndefined();
    expect(groupOf('docs/scaling.md')).toBeUndefined();
    expect(groupOf('src')).toBeUndefined();
  });

  it('says what a set of changed files dirties', () => {
    const plan = planShards(base);
    const year = (f: string) => stories.find((s) => s.file === f)?.year;
    expect(dirtiedBy(['content/articles/2016/b.md'], plan, year)).toEqual({ all: false, groups: [], shards: ['2016'], core: true });
    expect(dirtiedBy(['content/articles/2026/e.md'], plan, year)).toEqual({ all: false, groups: [], shards: [], core: true });
    expect(dirtiedBy(['content:stations/kxpr.yaml', 'content/articles/2016/b.md'], plan, year)).toEqual({
      all: true,
      groups: ['stations'],
      shards: ['2016', '2019', '2025'],
      core: true,
    });
  });
});

describe('resolveBuildPart', () => {
  it('reads MASTHEAD_SHARD: a full build, the core build or one closed year', () => {
    expect(resolveBuildPart({}, NOW, TZ)).toEqual({ kind: 'full' });
    expect(resolveBuildPart({ MASTHEAD_SHARD: 'core' }, NOW, TZ)).toEqual({ kind: 'core', firstOpenYear: 2026 });
    expect(resolveBuildPart({ MASTHEAD_SHARD: '2016' }, NOW, TZ)).toEqual({ kind: 'shard', year: 2016, firstOpenYear: 2026 });
    expect(resolveBuildPart({ MASTHEAD_SHARD: 'core', MASTHEAD_OPEN_YEARS: '3' }, NOW, TZ)).toEqual({ kind: 'core', firstOpenYear: 2024 });
  });

  it('refuses what it cannot build, saying how to fix it', () => {
    expect(() => resolveBuildPart({ MASTHEAD_SHARD: '2026' }, NOW, TZ)).toThrow(
      'MASTHEAD_SHARD: 2026 is not a closed year; years from 2026 on are built by the core build (hint: MASTHEAD_SHARD=core)',
    );
    expect(() => resolveBuildPart({ MASTHEAD_SHARD: 'old' }, NOW, TZ)).toThrow(/neither "core" nor a year/);
    expect(() => resolveBuildPart({ MASTHEAD_SHARD: 'core', MASTHEAD_OPEN_YEARS: 'two' }, NOW, TZ)).toThrow(/MASTHEAD_OPEN_YEARS: "two"/);
    expect(() => resolveBuildPart({ MASTHEAD_SHARD: 'core', MASTHEAD_OPEN_YEARS: '0' }, NOW, TZ)).toThrow(/MASTHEAD_OPEN_YEARS/);
  });

  it('renders each story page in exactly one part', () => {
    const core = resolveBuildPart({ MASTHEAD_SHARD: 'core' }, NOW, TZ);
    const shard = resolveBuildPart({ MASTHEAD_SHARD: '2016' }, NOW, TZ);
    const full = resolveBuildPart({}, NOW, TZ);
    for (const year of [2016, 2019, 2026, 2027]) {
      expect(rendersStoryOf(full, year)).toBe(true);
      expect(rendersStoryOf(core, year)).toBe(year >= 2026);
      expect(rendersStoryOf(shard, year)).toBe(year === 2016);
    }
    expect([full, core, shard].map(rendersSharedPages)).toEqual([true, true, false]);
  });
});

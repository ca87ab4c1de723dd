import { appendFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BENCH_NOW, generateCorpus } from '../../bench/gen-corpus';
import { readShardFacts, type ShardFacts } from '../../src/data/shard-facts';
import { siteConfig } from '../../src/site.config';
import { ROOT, TMP } from '../helpers/sites';

/** What the sharded build's plan reads from content: each story page's digest must change exactly
 * when something that page shows changes. On a generated corpus (no photos), read as the CLI reads it. */
const CONTENT = join(TMP, 'shard-facts/content');
const site = { ...siteConfig, defaultStation: 'kxpr' };
const read = () => readShardFacts({ root: ROOT, contentDir: CONTENT, now: BENCH_NOW, site });
const digests = (f: ShardFacts) => new Map(f.stories.map((s) => [s.file, s.digest]));
const changed = (a: ShardFacts, b: ShardFacts) => [...digests(b)].filter(([file, d]) => digests(a).get(file) !== d).map(([file]) => file);
const storyIn = (year: string, i = 0) => {
  const dir = join(CONTENT, 'articles', year);
  return join(
    dir,
    readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .sort()[i]!,
  );
};
const rel = (abs: string) => abs.slice(ROOT.length);

let before: ShardFacts;

beforeAll(async () => {
  await generateCorpus({ dir: CONTENT, stories: 120, photos: false });
  before = read();
}, 120_000);

describe('readShardFacts', () => {
  it('gives every published story its permalink year and a digest, and the default station’s zone', () => {
    expect(before.stories.length).toBe(120);
    expect(new Set(before.stories.map((s) => s.year)).size).toBeGreaterThan(8);
    expect(before.timeZone).toBe('America/Chicago');
    expect(Object.keys(before.inputs).sort()).toEqual(['authors', 'dependencies', 'photos', 'public', 'stations', 'templates']);
    // Every feed's newest stories, and no more than the feeds hold.
    expect(before.feedStories.size).toBeGreaterThan(siteConfig.feedItems - 1);
    expect(before.feedStories.size).toBeLessThanOrEqual(120);
  });

  it('a corrected body changes that story’s digest only', () => {
    const file = storyIn('2016');
    const original = readFileSync(file, 'utf8');
    try {
      appendFileSync(file, '\nCorrection: an earlier version misspelled a name.\n');
      expect(changed(before, read())).toEqual([rel(file)]);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('a new headline changes that story and the later pages that list it as related, never an earlier year', () => {
    const file = storyIn('2016');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, original.replace(/^title: .*$/m, 'title: "A corrected headline for the benchmark story"'));
      const after = read();
      const hit = changed(before, after);
      expect(hit).toContain(rel(file));
      const years = new Map(after.stories.map((s) => [s.file, s.year]));
      for (const f of hit) expect(years.get(f), f).toBeGreaterThanOrEqual(2016);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('a new story this year changes no page of a past year', () => {
    const source = storyIn('2026');
    const copy = source.replace(/\.md$/, '-follow-up.md');
    writeFileSync(
      copy,
      readFileSync(source, 'utf8')
        .replace(/^title: "?(.*?)"?$/m, 'title: "Follow-up: $1"')
        .replace(/^slug: .*$/m, ''),
    );
    try {
      const after = read();
      expect(after.stories.length).toBe(121);
      const years = new Map(after.stories.map((s) => [s.file, s.year]));
      for (const f of changed(before, after)) expect(years.get(f), f).toBe(2026);
    } finally {
      rmSync(copy);
    }
  });

  it('a station edit changes the stations input, which every shard key covers', () => {
    const file = join(CONTENT, 'stations/kxpr.yaml');
    const original = readFileSync(file, 'utf8');
    try {
      appendFileSync(file, '\n# edited\n');
      const after = read();
      expect(
        Object.entries(after.inputs)
          .filter(([k, v]) => before.inputs[k as keyof ShardFacts['inputs']] !== v)
          .map(([k]) => k),
      ).toEqual(['stations']);
    } finally {
      writeFileSync(file, original);
    }
  });
});

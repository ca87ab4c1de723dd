import { readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BENCH_NOW, generateCorpus } from '../../bench/gen-corpus';
import { checkerSalt, openFactsCache, RACY_MARGIN_NS } from '../../src/checks/facts-cache';
import { checkContent } from '../../src/checks/index';
import { pathUnder } from '../../src/checks/story';
import { openPlanCache } from '../../src/data/plan-cache';
import { PLAN_CACHE_SALT, readShardFacts, type ShardFacts } from '../../src/data/shard-facts';
import { siteConfig } from '../../src/site.config';
import { ROOT, TMP } from '../helpers/sites';

/**
 * The plan trusts an unchanged story or photo by its stat (src/data/plan-cache.ts) together with
 * check:content's cache, and does not read it. Every run here is compared with a plan that reads
 * every file afresh, and counts the files it read.
 */
const DIR = join(TMP, 'shard-plan-cache');
const CONTENT = join(DIR, 'content');
const CHECK_FILE = join(DIR, 'facts.json');
const PLAN_FILE = join(DIR, 'plan-files.txt');
const site = { ...siteConfig, defaultStation: 'kxpr' };
/** Whole seconds: utimes() puts them back exactly. */
const OLD = 1_600_000_000;

const MARGIN_MS = Number(RACY_MARGIN_NS / 1_000_000n) + 200;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const nowNs = () => BigInt(Date.now()) * 1_000_000n;
/** A run that starts well after every file here was written, so it may trust them next time. */
const later = () => nowNs() + 2n * RACY_MARGIN_NS;

/** check:content with its cache (as CI runs it just before), then the plan with both caches. */
function plan({ startedNs = later(), checkerStartedNs = startedNs }: { startedNs?: bigint; checkerStartedNs?: bigint } = {}) {
  const checker = openFactsCache(CHECK_FILE, checkerSalt({ embedHosts: siteConfig.embedHosts }), { startedNs: checkerStartedNs });
  checkContent({ contentDir: CONTENT, root: ROOT, now: BENCH_NOW, embedHosts: siteConfig.embedHosts, cache: checker });
  checker.save();
  const files = openPlanCache(PLAN_FILE, PLAN_CACHE_SALT, { startedNs });
  const reads: string[] = [];
  const facts = readShardFacts({
    root: ROOT,
    contentDir: CONTENT,
    now: BENCH_NOW,
    site,
    cachedStory: (file, bytes) => checker.get(checker.key(pathUnder(CONTENT, file), bytes))?.entry,
    checkedByStat: (file, stat) => checker.byStat(pathUnder(CONTENT, file), stat)?.entry,
    planCache: files,
    readFile: (file) => {
      reads.push(file);
      return readFileSync(file);
    },
  });
  files.save();
  return { facts, reads, stats: files.stats };
}
/** Every file read and hashed, no cache. */
const truth = () => readShardFacts({ root: ROOT, contentDir: CONTENT, now: BENCH_NOW, site });
const digests = (f: ShardFacts) => new Map(f.stories.map((s) => [s.file, s.digest]));
const changed = (a: ShardFacts, b: ShardFacts) => [...digests(b)].filter(([file, d]) => digests(a).get(file) !== d).map(([file]) => file);
const rel = (abs: string) => abs.slice(ROOT.length);

let stories: string[];
let photos: string[];
/** A story with a lead photo of its own. */
let withPhoto: { story: string; photo: string };

beforeAll(async () => {
  rmSync(DIR, { recursive: true, force: true });
  await generateCorpus({ dir: CONTENT, stories: 40, photos: true });
  stories = readdirSync(join(CONTENT, 'articles'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(CONTENT, 'articles', f));
  photos = readdirSync(join(CONTENT, 'articles/photos')).map((f) => join(CONTENT, 'articles/photos', f));
  const story = stories.find((s) => /^ {2}src: \.\.\/photos\/\d+\.jpg$/m.test(readFileSync(s, 'utf8')))!;
  const photo = join(CONTENT, 'articles/photos', /^ {2}src: \.\.\/photos\/(\d+\.jpg)$/m.exec(readFileSync(story, 'utf8'))![1]!);
  withPhoto = { story, photo };
  // Photos are hard links into the benchmark's photo cache: each gets its own copy, so no test edits the cache.
  for (const p of photos) {
    const bytes = readFileSync(p);
    rmSync(p);
    writeFileSync(p, bytes);
  }
  // A first run reads everything and keeps it.
  const first = plan();
  expect(first.reads.length).toBe(stories.length + photos.length);
}, 300_000);

describe('the plan cache', () => {
  it('reads no story and no photo when nothing changed, and decides as a plan that reads them all', () => {
    expect(photos.length).toBeGreaterThan(10);
    const { facts, reads, stats } = plan();
    expect(reads).toEqual([]);
    expect(stats.byStat).toBe(stories.length + photos.length);
    expect(digests(facts)).toEqual(digests(truth()));
    expect(facts.chrome).toBe(truth().chrome);
  });

  it('an edit that keeps the size and puts the mtime back still changes the key (its ctime moved)', () => {
    const file = stories[3]!;
    const original = readFileSync(file, 'utf8');
    try {
      utimesSync(file, OLD, OLD);
      const before = plan().facts;
      const kept = () => openPlanCache(PLAN_FILE, PLAN_CACHE_SALT).get(file, statSync(file, { bigint: true }), true);
      expect(kept()).toBeDefined();
      // One letter of the body, same size, mtime restored: only the ctime (which no program can set) says so.
      const at = original.lastIndexOf('e');
      writeFileSync(file, `${original.slice(0, at)}a${original.slice(at + 1)}`);
      utimesSync(file, OLD, OLD);
      expect(statSync(file).size).toBe(Buffer.byteLength(original));
      expect(statSync(file).mtimeMs).toBe(OLD * 1000);
      // The plan's own cache says so (check:content's, which must trust it too, says so as well).
      expect(kept()).toBeUndefined();
      const after = plan();
      expect(after.reads).toEqual([file]);
      expect(changed(before, after.facts)).toEqual([rel(file)]);
      expect(digests(after.facts)).toEqual(digests(truth()));
    } finally {
      writeFileSync(file, original);
      plan();
    }
  });

  it('re-reads a story whose stat was kept too close to the start of the run that kept it', async () => {
    const file = stories[5]!;
    const original = readFileSync(file, 'utf8');
    // Every other file is older than that run's start less the margin.
    await sleep(MARGIN_MS);
    try {
      writeFileSync(file, original.replace(/\n$/, '\n\nA late line.\n'));
      // check:content's cache trusts it from now on; the plan's run started just as it was written.
      plan({ startedNs: nowNs(), checkerStartedNs: later() });
      const racy = plan();
      expect(racy.reads).toEqual([file]);
      expect(racy.stats.racy).toBe(1);
      expect(digests(racy.facts)).toEqual(digests(truth()));
      // Kept again by a run that started well after it was written: trusted.
      expect(plan().reads).toEqual([]);
    } finally {
      writeFileSync(file, original);
      plan();
    }
  });

  it('ignores a damaged, altered, foreign or cut-short cache file whole', () => {
    const good = readFileSync(PLAN_FILE, 'utf8');
    const expected = digests(truth());
    const nl = good.indexOf('\n');
    const header = JSON.parse(good.slice(0, nl)) as Record<string, unknown>;
    // A kept digest changed: it would mislead if used.
    const line = good
      .slice(nl + 1)
      .split('\n')[0]!
      .split('\t');
    line[3] = line[3] === 'A'.repeat(32) ? 'B'.repeat(32) : 'A'.repeat(32);
    const altered = `${good.slice(0, nl + 1)}${line.join('\t')}${good.slice(nl + 1).slice(good.slice(nl + 1).indexOf('\n'))}`;
    const cases: [string, string, RegExp][] = [
      ['altered', altered, /digest does not match/],
      ['cut short', good.slice(0, Math.floor(good.length / 2)), /digest does not match/],
      ['another salt', `${JSON.stringify({ ...header, salt: 'other' })}${good.slice(nl)}`, /another salt/],
      ['another format', `${JSON.stringify({ ...header, format: 'masthead-plan-files/0' })}${good.slice(nl)}`, /another format/],
      ['not JSON', '{"format":\n\0\0garbage', /unreadable/],
      ['empty', '', /no header/],
    ];
    try {
      for (const [name, text, why] of cases) {
        writeFileSync(PLAN_FILE, text);
        const run = plan();
        expect(run.stats.ignored, name).toMatch(why);
        expect(run.reads.length, name).toBe(stories.length + photos.length);
        expect(digests(run.facts), name).toEqual(expected);
      }
    } finally {
      plan();
    }
  });

  it('a replaced photo changes its story’s key and is the only file read; a removed one too', () => {
    const { story, photo } = withPhoto;
    const original = readFileSync(photo);
    const before = plan().facts;
    try {
      const other = photos.find((p) => p !== photo && !readFileSync(p).equals(original))!;
      writeFileSync(`${photo}.new`, readFileSync(other));
      renameSync(`${photo}.new`, photo);
      const replaced = plan();
      expect(replaced.reads).toEqual([photo]);
      expect(changed(before, replaced.facts)).toContain(rel(story));
      expect(digests(replaced.facts)).toEqual(digests(truth()));

      // Gone: the story (unchanged and unread) no longer names an existing file, which is checked every run.
      rmSync(photo);
      const removed = plan();
      expect(removed.reads).toEqual([]);
      expect(changed(replaced.facts, removed.facts)).toContain(rel(story));
      expect(digests(removed.facts)).toEqual(digests(truth()));
    } finally {
      writeFileSync(photo, original);
    }
    const back = plan();
    expect(back.reads).toEqual([photo]);
    expect(digests(back.facts)).toEqual(digests(before));
  });
});

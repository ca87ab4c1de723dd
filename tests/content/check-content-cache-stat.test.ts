import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkerSalt, openFactsCache, RACY_MARGIN_NS } from '../../src/checks/facts-cache';
import { checkContent } from '../../src/checks/index';
import { formatReport } from '../../src/content/problems';
import { siteConfig } from '../../src/site.config';
import { copyContent, scriptCommand } from '../helpers/run';
import { FIXTURE_NOW, ROOT } from '../helpers/sites';

/**
 * check:content trusts a story whose stat (size, mtime and ctime in ns, inode, device) is the one
 * its cache kept, without reading it, as git's index does (src/checks/facts-cache.ts). Every case
 * runs the real CLI on real files and compares its report with a run without the cache.
 */

/** Whole seconds: utimes() puts them back exactly (a fraction goes through a double). */
const OLD = 1_600_000_000;
const MARGIN_MS = Number(RACY_MARGIN_NS / 1_000_000n) + 200;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function project(name: string) {
  const { dir, content } = copyContent(`cache-stat/${name}`, join(ROOT, 'content'));
  const cacheFile = join(dir, 'facts.json');
  const stories = readdirSync(join(content, 'articles'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(content, 'articles', f));
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [...scriptCommand('check:content'), '--content', content, '--now', FIXTURE_NOW.toISOString(), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, MASTHEAD_CHECK_CACHE: cacheFile },
    });
    // The last line says how long it took.
    return { out: r.stdout.replace(/ in \d+\.\d+ s:/, ' in (time):'), err: r.stderr, status: r.status };
  };
  return { dir, content, cacheFile, stories, cli, stats: () => cli('--cache-stats') };
}

/** Old, whole-second times on every story, then past the margin, so a run's stat can vouch for them. */
async function settle(stories: string[]) {
  for (const f of stories) utimesSync(f, OLD, OLD);
  await sleep(MARGIN_MS);
}

const stat = (f: string) => statSync(f, { bigint: true });

/** Replaces `from` with `to` in `file`, keeping its size. */
function sameSizeEdit(file: string, from: string, to: string) {
  expect(to.length).toBe(from.length);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

describe("the check:content cache's stat", () => {
  it('trusts unchanged stories unread, and catches a same-size edit whose mtime was put back (its ctime moved)', async () => {
    const p = project('ctime');
    await settle(p.stories);
    const fresh = p.cli('--no-cache');
    expect(fresh.out).toMatch(/18 stories/);
    expect(p.stats().err).toContain('0 stories unchanged, 18 checked afresh');
    const warm = p.stats();
    expect(warm).toMatchObject({ out: fresh.out, status: fresh.status });
    expect(warm.err).toContain('18 stories unchanged, 0 checked afresh (18 kept; 18 trusted by their size, times and inode unread');

    const story = p.stories.find((f) => readFileSync(f, 'utf8').includes('\nstation: kvlt\n'))!;
    const before = stat(story);
    sameSizeEdit(story, '\nstation: kvlt\n', '\nstation: kvlq\n');
    utimesSync(story, OLD, OLD);
    const after = stat(story);
    // Only the ctime tells: no program can set it.
    expect([after.size, after.mtimeNs, after.ino, after.dev]).toEqual([before.size, before.mtimeNs, before.ino, before.dev]);
    expect(after.ctimeNs).not.toBe(before.ctimeNs);
    const freshEdited = p.cli('--no-cache');
    expect(freshEdited.out).toMatch(/station: no station "kvlq"|kvlq/);
    expect(freshEdited.out).not.toBe(fresh.out);
    const edited = p.stats();
    expect(edited).toMatchObject({ out: freshEdited.out, status: freshEdited.status });
    expect(edited.err).toContain('17 stories unchanged, 1 checked afresh');
  }, 120_000);

  it('catches a same-size edit saved as a new file over the old one (another inode), its mtime put back', async () => {
    const p = project('inode');
    await settle(p.stories);
    p.cli();
    const story = p.stories.find((f) => readFileSync(f, 'utf8').includes('\nstation: kvlt\n'))!;
    const before = stat(story);
    // As editors save: write a copy beside it, then rename it over the story.
    const tmp = `${story}.swp`;
    writeFileSync(tmp, readFileSync(story, 'utf8').replace('\nstation: kvlt\n', '\nstation: kvlq\n'));
    utimesSync(tmp, OLD, OLD);
    renameSync(tmp, story);
    const after = stat(story);
    expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
    expect(after.ino).not.toBe(before.ino);
    const freshEdited = p.cli('--no-cache');
    const edited = p.stats();
    expect(edited).toMatchObject({ out: freshEdited.out, status: freshEdited.status });
    expect(edited.err).toContain('17 stories unchanged, 1 checked afresh');
  }, 120_000);

  it('reads and hashes a story too recent to trust (racily clean), and catches a same-second edit right after a run', async () => {
    const p = project('racy');
    await settle(p.stories);
    p.cli();
    const story = p.stories.find((f) => readFileSync(f, 'utf8').includes('\nstation: kvlt\n'))!;
    // Written just before the run, in the current second, as an editor saves and checks at once.
    const now = Math.floor(Date.now() / 1000);
    sameSizeEdit(story, '\nstation: kvlt\n', '\nstation: kvlq\n');
    utimesSync(story, now, now);
    const first = p.stats();
    expect(first).toMatchObject({ out: p.cli('--no-cache').out });
    expect(first.err).toContain('17 stories unchanged, 1 checked afresh');
    // Nothing changed since, but its times are within the margin of that run's start: its stat cannot vouch for it.
    const again = p.stats();
    expect(again.err).toContain('18 stories unchanged, 0 checked afresh (18 kept; 17 trusted by their size, times and inode unread, 1 read and hashed, 1 of them too recent to trust');
    // The same second, right after that run: another same-size edit, its mtime put back.
    sameSizeEdit(story, '\nstation: kvlq\n', '\nstation: kvlz\n');
    utimesSync(story, now, now);
    const freshEdited = p.cli('--no-cache');
    expect(freshEdited.out).toContain('kvlz');
    const edited = p.stats();
    expect(edited).toMatchObject({ out: freshEdited.out, status: freshEdited.status });
    expect(edited.err).toContain('17 stories unchanged, 1 checked afresh');
    // Once past the margin, the run that read it last vouches for it.
    await sleep(MARGIN_MS);
    p.stats();
    expect(p.stats().err).toContain('(18 kept; 18 trusted by their size, times and inode unread, 0 read and hashed');
  }, 120_000);

  it('reports renamed, moved, swapped and deleted stories as a check without the cache does', async () => {
    const p = project('moves');
    await settle(p.stories);
    p.cli();
    const [renamed, moved, swapA, swapB, deleted] = p.stories;
    renameSync(renamed!, renamed!.replace(/\.md$/, '-renamed.md'));
    mkdirSync(join(p.content, 'articles', 'moved'), { recursive: true });
    renameSync(moved!, join(p.content, 'articles', 'moved', 'story.md'));
    renameSync(swapA!, `${swapA}.tmp`);
    renameSync(swapB!, swapA!);
    renameSync(`${swapA}.tmp`, swapB!);
    rmSync(deleted!);
    const fresh = p.cli('--no-cache');
    expect(fresh.out).toMatch(/17 stories/);
    const after = p.stats();
    expect(after).toMatchObject({ out: fresh.out, status: fresh.status });
    expect(after.err).toContain('13 stories unchanged, 4 checked afresh (18 kept; 13 trusted');
    // The deleted story's entry is gone from the file.
    expect(p.stats().err).toContain('17 stories unchanged, 0 checked afresh (17 kept');
  }, 120_000);

  it('ignores a corrupt cache file with a note and never trusts it, then writes a good one', async () => {
    const p = project('corrupt');
    await settle(p.stories);
    const fresh = p.cli('--no-cache');
    p.cli();
    const saved = readFileSync(p.cacheFile);
    const text = saved.toString('utf8');
    const corrupt: [string, string | Buffer, RegExp][] = [
      // A story's facts changed: the digest no longer matches.
      ['a byte changed in an entry', text.replace('"steps":', '"steqs":'), /damaged: its digest does not match/],
      ['cut short', saved.subarray(0, Math.floor(saved.length / 2)), /damaged: its digest does not match/],
      ['random bytes', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0x7b]), /unreadable|another format/],
      ['empty', '', /no header/],
    ];
    for (const [what, bytes, note] of corrupt) {
      expect(bytes.toString(), what).not.toBe(text);
      writeFileSync(p.cacheFile, bytes);
      const r = p.cli();
      expect(r.out, what).toBe(fresh.out);
      expect(r.status, what).toBe(fresh.status);
      expect(r.err, what).toMatch(/note: the cache .* was ignored/);
      expect(r.err, what).toMatch(note);
    }
    // The run after a corrupt file wrote a good one: every story is trusted by its stat again.
    expect(p.stats().err).toContain('18 stories unchanged, 0 checked afresh (18 kept; 18 trusted');
    truncateSync(p.cacheFile, 10);
    expect(p.stats().err).toMatch(/0 stories unchanged, 18 checked afresh \(0 kept;.*the file was ignored/);
  }, 120_000);

  it('ignores a cache kept by another version of the checker or of its file format', async () => {
    const p = project('versions');
    await settle(p.stories);
    const fresh = p.cli('--no-cache');
    p.cli();
    const saved = readFileSync(p.cacheFile, 'utf8');
    const header = JSON.parse(saved.slice(0, saved.indexOf('\n'))) as { format: string; salt: string };
    for (const [what, change, note] of [
      ['another salt (the code, dependencies, Node or settings)', { salt: 'x'.repeat(43) }, /another checker's code/],
      ['another format', { format: 'masthead-check-facts/3' }, /another format/],
    ] as const) {
      writeFileSync(p.cacheFile, `${JSON.stringify({ ...header, ...change })}${saved.slice(saved.indexOf('\n'))}`);
      const r = p.cli();
      expect(r).toMatchObject({ out: fresh.out, status: fresh.status });
      expect(r.err, what).toMatch(note);
    }
  }, 120_000);

  it('the ctime alone catches a same-size edit whose mtime was put back, with the racy rule out of the way', () => {
    const p = project('ctime-alone');
    for (const f of p.stories) utimesSync(f, OLD, OLD);
    const salt = checkerSalt({ embedHosts: siteConfig.embedHosts });
    const report = (cache?: ReturnType<typeof openFactsCache>) =>
      formatReport(checkContent({ contentDir: p.content, root: ROOT, now: FIXTURE_NOW, embedHosts: siteConfig.embedHosts, cache }).problems);
    // A run that says it started an hour from now: no story's times are too recent to trust, so only the stat decides.
    const times = { startedNs: BigInt(Date.now() + 3_600_000) * 1_000_000n, racyMarginNs: 0n };
    const cold = openFactsCache(p.cacheFile, salt, times);
    report(cold);
    cold.save();
    const story = p.stories.find((f) => readFileSync(f, 'utf8').includes('\nstation: kvlt\n'))!;
    const before = stat(story);
    sameSizeEdit(story, '\nstation: kvlt\n', '\nstation: kvlq\n');
    utimesSync(story, OLD, OLD);
    expect([stat(story).size, stat(story).mtimeNs, stat(story).ino]).toEqual([before.size, before.mtimeNs, before.ino]);
    const fresh = report();
    expect(fresh).toContain('kvlq');
    const warm = openFactsCache(p.cacheFile, salt, times);
    expect(report(warm)).toBe(fresh);
    expect(warm.stats).toMatchObject({ racy: 0, misses: 1, byStat: p.stories.length - 1 });
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBody, bodiesFromEnv, formatKeptStats, FRONTMATTER_ONLY, parseKeptStats, trustedByStat } from '../../src/content/story-loader';
import { RACY_MARGIN_NS } from '../../src/checks/facts-cache';
import { TMP } from '../helpers/sites';

describe('bodiesFromEnv', () => {
  it('renders every body unless MASTHEAD_BODIES names a list', () => {
    expect(bodiesFromEnv({})).toBeUndefined();
    expect(bodiesFromEnv({ MASTHEAD_BODIES: '' })).toBeUndefined();
  });

  it('reads one story id a line, ignoring blank lines', () => {
    mkdirSync(TMP, { recursive: true });
    const file = join(TMP, 'story-loader-bodies.txt');
    writeFileSync(file, '2016/a\n\n  2019/b  \n');
    expect([...bodiesFromEnv({ MASTHEAD_BODIES: file })!]).toEqual(['2016/a', '2019/b']);
  });

  it('refuses a list that does not exist, saying who writes it', () => {
    expect(() => bodiesFromEnv({ MASTHEAD_BODIES: '/nonexistent/bodies.txt' })).toThrow(
      'MASTHEAD_BODIES: /nonexistent/bodies.txt does not exist (hint: it is written by npm run shards; unset it to render every story)',
    );
  });
});

describe('assertBody', () => {
  it('stops a page that would show a story whose body this build did not render', () => {
    expect(() => assertBody({ id: '2016/a', filePath: 'content/articles/2016/a.md', digest: `abc${FRONTMATTER_ONLY}` })).toThrow(
      /^content\/articles\/2016\/a\.md: body: not rendered in this part of the sharded build \(hint: the build's MASTHEAD_BODIES list must name "2016\/a"/,
    );
  });

  it('lets through a rendered story, and an empty body rendered as such', () => {
    expect(() => assertBody({ id: '2016/a', digest: 'abc', rendered: { html: '<p>x</p>' } })).not.toThrow();
    expect(() => assertBody({ id: '2016/b', digest: 'abc', rendered: { html: '' } })).not.toThrow();
    // A full build stores every story with its own digest.
    expect(() => assertBody({ id: '2016/c', digest: 'abc' })).not.toThrow();
  });
});

describe('the stats kept with the content store', () => {
  const stat = (mtimeNs: bigint, ctimeNs = mtimeNs) => ({ mtimeNs, ctimeNs });
  const started = 10_000_000_000_000n;
  const kept = { startedNs: started, stats: new Map([['2016/a.md', 'sig-a']]) };

  it('round-trip through the meta value, leaving out a path no line format can hold', () => {
    const text = formatKeptStats({ startedNs: started, stats: new Map([...kept.stats, ['2016/tab\there.md', 'sig-t']]) });
    expect(parseKeptStats(text)).toEqual(kept);
  });

  it('read as none kept when the value is missing or not theirs', () => {
    expect(parseKeptStats(undefined)).toBeUndefined();
    expect(parseKeptStats('')).toBeUndefined();
    expect(parseKeptStats('{"not":"ours"}')).toBeUndefined();
  });

  it('vouch for a file only with the same stat, both times older than the last sync by the margin', () => {
    const old = started - RACY_MARGIN_NS - 1n;
    expect(trustedByStat(kept, '2016/a.md', stat(old), 'sig-a')).toBe(true);
    // Another stat: edited, touched, replaced.
    expect(trustedByStat(kept, '2016/a.md', stat(old), 'sig-b')).toBe(false);
    // Not kept, or nothing kept.
    expect(trustedByStat(kept, '2016/b.md', stat(old), 'sig-a')).toBe(false);
    expect(trustedByStat(undefined, '2016/a.md', stat(old), 'sig-a')).toBe(false);
    // Racily clean: written within the margin of the sync that kept it, an edit may have left its stat unchanged.
    expect(trustedByStat(kept, '2016/a.md', stat(started - RACY_MARGIN_NS), 'sig-a')).toBe(false);
    expect(trustedByStat(kept, '2016/a.md', stat(old, started), 'sig-a')).toBe(false);
  });
});

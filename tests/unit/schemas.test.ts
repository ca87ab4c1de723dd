import { z } from 'astro/zod';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaContext } from 'astro:content';
import { describe, expect, it } from 'vitest';
import { articleSchema } from '../../src/schemas/article';
import { authorSchema } from '../../src/schemas/author';
import { DEFAULT_ACCENT, stationSchema } from '../../src/schemas/station';
import { siteConfigSchema } from '../../src/site.config';
import { ROOT } from '../helpers/sites';

// Outside Astro, `image()` has no file to resolve; a string stands in for it.
const ctx = { image: () => z.string() } as unknown as SchemaContext;
const article = articleSchema(ctx);

const valid = {
  title: 'Council approves the bridge',
  dek: 'The vote was 5-2.',
  byline: 'ada-reporter',
  station: 'kxpr',
  date: '2026-11-20T09:30:00-06:00',
};

const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('articleSchema', () => {
  it('accepts a minimal story and fills defaults', () => {
    const r = article.parse(valid);
    expect(r).toMatchObject({ byline: ['ada-reporter'], tags: [], corrections: [], draft: false });
  });

  it('accepts every optional field', () => {
    const r = article.safeParse({
      ...valid,
      byline: ['ada-reporter', 'Bill Chappell'],
      dateline: 'ASTANA, Kazakhstan',
      copyright: 'Copyright 2020 NPR',
      source: { name: 'NPR', url: 'https://www.npr.org/' },
      updated: new Date('2026-11-21T00:00:00Z'),
      tags: ['Politics'],
      image: { src: './photo.jpg', alt: 'A bridge', credit: 'A. Photographer / KXPR', caption: 'The bridge.' },
      corrections: [{ date: '2026-11-21', text: 'Fixed the vote count.' }],
      draft: true,
      slug: 'bridge-vote',
    });
    expect(issues(r)).toEqual([]);
  });

  it.each([
    [{ title: '' }, 'title: is required'],
    [{ title: 'x'.repeat(141) }, 'title: must be 140 characters or fewer'],
    [{ dek: 'x'.repeat(301) }, 'dek: must be 300 characters or fewer'],
    [{ station: 'KXPR 89.7' }, 'station: must be a file id'],
    [{ image: { src: './a.jpg', alt: '', credit: 'x' } }, 'image.alt: is required'],
    [{ image: { src: './a.jpg', alt: 'x' } }, 'image.credit:'],
    [{ slug: '../../etc/passwd' }, 'slug: must be lowercase words joined by hyphens'],
    [
      { source: { name: 'NPR', url: 'javascript:alert(1)' } },
      'source.url: "javascript:alert(1)" uses javascript:, which is not allowed here',
    ],
    [
      { source: { name: 'NPR', url: 'https://x.example;sandbox/' } },
      'source.url: "https://x.example;sandbox/" has "x.example;sandbox" as its host',
    ],
    [
      { audio: { src: 'http://cdn.example.org/a.mp3', duration: 60, length: 1, type: 'audio/mpeg' } },
      'audio.src: "http://cdn.example.org/a.mp3" uses http:',
    ],
    [
      { audio: { src: 'https://x.example;sandbox/a.mp3', duration: 60, length: 1, type: 'audio/mpeg' } },
      'has "x.example;sandbox" as its host',
    ],
    [{ aliases: ['//stations/kxpr/'] }, 'aliases.0: "//stations/kxpr/" has an empty segment (//)'],
    [{ aliases: ['/x#y'] }, 'aliases.0: "/x#y" has a fragment'],
    [{ aliases: ['/%2e%2e/secret/'] }, 'aliases.0: "/%2e%2e/secret/" has a ".." segment (written %2e%2e)'],
  ])('rejects %j', (change, message) => {
    const r = article.safeParse({ ...valid, ...change });
    expect(r.success).toBe(false);
    expect(issues(r).join('\n')).toContain(message);
  });

  it('rejects unknown keys so a typo cannot drop a field', () => {
    const r = article.safeParse({ ...valid, updatd: '2026-11-21' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['updatd'] });
  });

  it('requires the required fields', () => {
    const r = article.safeParse({});
    expect(issues(r).map((i) => i.split(':')[0])).toEqual(expect.arrayContaining(['title', 'dek', 'byline', 'station', 'date']));
  });
});

const station = {
  name: 'KXPR 89.7',
  tagline: 'NPR in the Sandhill Valley',
  legalName: 'Sandhill Valley Public Radio, Inc.',
  mission: 'Local news.',
  timezone: 'America/Chicago',
  stream: { url: 'https://streams.example.org/kxpr.mp3', type: 'audio/mpeg' },
  frequencies: [{ callsign: 'KXPR', frequency: '89.7 FM', city: 'Harlan Springs' }],
  schedule: [{ title: 'Jazz Overnight', days: 'daily', start: '22:00', end: '05:00' }],
  donate: { url: 'https://donate.example.org/kxpr', appeal: 'Give today.' },
};

describe('stationSchema', () => {
  it('accepts a station and turns one stream into a list', () => {
    expect(stationSchema.parse(station).stream).toEqual([station.stream]);
  });

  it('accepts a stream served by the site itself, as a path', () => {
    const stream = { url: '/test-audio/kfix.mp3', type: 'audio/mpeg' };
    expect(stationSchema.parse({ ...station, stream }).stream).toEqual([stream]);
  });

  it.each([
    [{ timezone: 'Central Time' }, 'timezone: must be an IANA time zone'],
    [{ schedule: [{ title: 'x', days: ['monday'], start: '05:00', end: '09:00' }] }, 'schedule.0.days'],
    [{ schedule: [{ title: 'x', days: 'daily', start: '5am', end: '09:00' }] }, 'schedule.0.start: must be a 24-hour time'],
    [{ frequencies: [] }, 'frequencies'],
    [{ donate: { url: 'donate.example.org', appeal: 'x' } }, 'donate.url'],
    [{ donate: { url: 'javascript:alert(1)', appeal: 'x' } }, 'donate.url: "javascript:alert(1)" uses javascript:'],
    [{ stream: { url: 'javascript:alert(1)', type: 'audio/mpeg' } }, 'stream.url: "javascript:alert(1)" uses javascript:'],
    [
      { stream: { url: 'http://streams.example.org/live.mp3', type: 'audio/mpeg' } },
      'stream.url: "http://streams.example.org/live.mp3" uses http:',
    ],
    [{ stream: { url: 'https://x.example;sandbox/live.mp3', type: 'audio/mpeg' } }, 'has "x.example;sandbox" as its host'],
    [{ stream: { url: '//evil.example/live.mp3', type: 'audio/mpeg' } }, 'starts with //'],
    [{ stream: { url: 'https://user:pw@streams.example.org/live.mp3', type: 'audio/mpeg' } }, 'has a user name or password'],
    [{ colour: 'red' }, 'Unrecognized key'],
  ])('rejects %j', (change, message) => {
    const r = stationSchema.safeParse({ ...station, ...change });
    expect(r.success).toBe(false);
    expect(issues(r).join('\n')).toContain(message);
  });

  it("has one default accent: the station schema's, which the chrome's CSS token repeats", () => {
    expect(DEFAULT_ACCENT).toMatch(/^#[0-9a-f]{6}$/);
    expect(stationSchema.shape.accent.safeParse(DEFAULT_ACCENT).success).toBe(true);
    const css = readFileSync(join(ROOT, 'src/styles/tokens.css'), 'utf8');
    expect([...css.matchAll(/--mh-color-accent:\s*([^;]+);/g)].map((m) => m[1])).toEqual([DEFAULT_ACCENT]);
  });
});

describe('authorSchema', () => {
  const author = authorSchema(ctx);
  it.each(['javascript:alert(1)', ' javascript:alert(1)', 'data:text/html,x', 'https://x.example"onmouseover=x/', 'https:example.org'])(
    'refuses the link %j',
    (url) => {
      const r = author.safeParse({ name: 'Ada', title: 'Reporter', bio: 'Covers things.', links: [{ label: 'Site', url }] });
      expect(issues(r).join('\n')).toMatch(/^links\.0\.url: /);
    },
  );
  it('accepts an author without a photo', () => {
    expect(author.parse({ name: 'Ada', title: 'Reporter', bio: 'Covers things.' }).links).toEqual([]);
  });
  it('rejects a missing bio', () => {
    expect(author.safeParse({ name: 'Ada', title: 'Reporter' }).success).toBe(false);
  });
});

describe('siteConfigSchema', () => {
  it('rejects a site URL that is not http(s)', () => {
    const r = siteConfigSchema.safeParse({
      url: 'ftp://x',
      name: 'x',
      description: 'x',
      defaultStation: 'kxpr',
      lang: 'en',
      pageSize: 12,
      relatedCount: 3,
    });
    expect(r.success).toBe(false);
  });
});

import { z } from 'astro/zod';
import type { SchemaContext } from 'astro:content';
import { describe, expect, it } from 'vitest';
import { articleSchema } from '../../src/schemas/article';
import { authorSchema } from '../../src/schemas/author';
import { stationSchema } from '../../src/schemas/station';
import { siteConfigSchema } from '../../src/site.config';

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
    [{ source: { name: 'NPR', url: 'javascript:alert(1)' } }, 'source.url: must be an http(s) URL'],
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

  it.each([
    [{ timezone: 'Central Time' }, 'timezone: must be an IANA time zone'],
    [{ schedule: [{ title: 'x', days: ['monday'], start: '05:00', end: '09:00' }] }, 'schedule.0.days'],
    [{ schedule: [{ title: 'x', days: 'daily', start: '5am', end: '09:00' }] }, 'schedule.0.start: must be a 24-hour time'],
    [{ frequencies: [] }, 'frequencies'],
    [{ donate: { url: 'donate.example.org', appeal: 'x' } }, 'donate.url'],
    [{ colour: 'red' }, 'Unrecognized key'],
  ])('rejects %j', (change, message) => {
    const r = stationSchema.safeParse({ ...station, ...change });
    expect(r.success).toBe(false);
    expect(issues(r).join('\n')).toContain(message);
  });
});

describe('authorSchema', () => {
  const author = authorSchema(ctx);
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

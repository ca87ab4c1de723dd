import { describe, expect, it } from 'vitest';
import { formatDateTime, parseEditorDate, toZonedIso, zonedParts, zonedTimeToUtc } from '../../src/lib/dates';

const CHICAGO = 'America/Chicago';

describe('parseEditorDate', () => {
  it.each([
    ['2026-11-20T09:30:00-06:00', '2026-11-20T15:30:00.000Z', true],
    ['2026-11-20T09:30:00Z', '2026-11-20T09:30:00.000Z', true],
    ['2026-11-20T09:30:00+0530', '2026-11-20T04:00:00.000Z', true],
    ['2024-02-29', '2024-02-29T06:00:00.000Z', false],
  ])('reads %s', (text, iso, hasZone) => {
    const r = parseEditorDate(text, CHICAGO);
    expect(r).toEqual({ ok: true, date: new Date(iso), hasZone });
  });

  it("reads a time without an offset in the station's zone, across DST", () => {
    // Chicago is UTC-5 in July and UTC-6 in December.
    expect(parseEditorDate('2026-07-04 12:00', CHICAGO)).toMatchObject({ date: new Date('2026-07-04T17:00:00Z') });
    expect(parseEditorDate('2026-12-04 12:00', CHICAGO)).toMatchObject({ date: new Date('2026-12-04T18:00:00Z') });
  });

  it.each([
    ['2025-02-30', /2025-02 has 28 days/],
    ['2025-13-45', /no month 13/],
    ['2023-02-29', /has 28 days/],
    ['2026-11-20T25:00:00Z', /impossible time/],
    ['next tuesday', /is not a date/],
    ['2026-11-20T09:30:00+15:00', /impossible UTC offset/],
  ])('rejects %s instead of rolling it over', (text, message) => {
    const r = parseEditorDate(text, CHICAGO);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe('time zones', () => {
  it('finds the wall clock in a zone', () => {
    expect(zonedParts(new Date('2026-03-02T05:30:00Z'), CHICAGO)).toMatchObject({ year: 2026, month: 3, day: 1, hour: 23, minute: 30 });
  });

  it('maps a spring-forward gap time forward and a fall-back overlap to the first occurrence', () => {
    // 2026-03-08 02:30 does not exist in Chicago; 2026-11-01 01:30 happens twice.
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, CHICAGO).toISOString()).toBe('2026-03-08T08:30:00.000Z');
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, CHICAGO).toISOString()).toBe('2026-11-01T06:30:00.000Z');
    // Europe's overlap is at a positive offset: 02:30 on 2026-10-25 is first read in CEST.
    expect(zonedTimeToUtc({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('reads the hours just after a change with the new offset', () => {
    // Fall back at 02:00 CDT: from then on the day is on CST (UTC-6).
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 1, hour: 2, minute: 0 }, CHICAGO).toISOString()).toBe('2026-11-01T08:00:00.000Z');
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 1, hour: 5, minute: 0 }, CHICAGO).toISOString()).toBe('2026-11-01T11:00:00.000Z');
    // Spring forward at 02:00 CST: 05:00 is CDT (UTC-5).
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 5, minute: 0 }, CHICAGO).toISOString()).toBe('2026-03-08T10:00:00.000Z');
    expect(parseEditorDate('2026-11-01 05:00', CHICAGO)).toMatchObject({ date: new Date('2026-11-01T11:00:00Z') });
  });

  it('writes ISO dates with the offset in force', () => {
    expect(toZonedIso(new Date('2026-11-20T15:30:00Z'), CHICAGO)).toBe('2026-11-20T09:30:00-06:00');
    expect(toZonedIso(new Date('2026-07-20T15:30:00Z'), CHICAGO)).toBe('2026-07-20T10:30:00-05:00');
    expect(toZonedIso(new Date('2026-07-20T15:30:00Z'), 'Asia/Kolkata')).toBe('2026-07-20T21:00:00+05:30');
  });

  it('formats a readable date with the zone', () => {
    expect(formatDateTime(new Date('2026-11-20T15:30:00Z'), CHICAGO, 'en-US')).toBe('November 20, 2026 at 9:30 AM CST');
  });
});

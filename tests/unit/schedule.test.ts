import { describe, expect, it } from 'vitest';
import type { Program } from '../../src/schemas/station';
import { airingsAround, expandDays, formatStartTime, nextChangeAt, onAirAt, programsOn } from '../../src/client/live-player/schedule';

const CHICAGO = 'America/Chicago';
const iso = (d: Date | undefined) => d?.toISOString();
/** On Now and Next Up as titles with UTC instants, so each case reads as one line. */
const onAir = (schedule: Program[], now: string, tz = CHICAGO) => {
  const r = onAirAt(schedule, tz, new Date(now));
  return {
    now: r.current && `${r.current.program.title} ${iso(r.current.start)}–${iso(r.current.end)}`,
    next: r.next && `${r.next.program.title} ${iso(r.next.start)}`,
  };
};

// The fixture station's week (tests/fixtures/content/stations/kfix.yaml).
const KFIX: Program[] = [
  { title: 'Morning Edition', days: 'weekdays', start: '05:00', end: '09:00' },
  { title: 'Fixture Midday', host: 'Pat Example', days: 'weekdays', start: '09:00', end: '16:00' },
  { title: 'All Things Considered', days: 'weekdays', start: '16:00', end: '19:00' },
  { title: 'Evening Jazz', days: 'weekdays', start: '19:00', end: '24:00' },
  { title: 'Weekend Music', days: 'weekends', start: '05:00', end: '24:00' },
  { title: 'Overnight', days: 'daily', start: '00:00', end: '05:00' },
];

// A KXPR-like weekend night: a Saturday show that runs past midnight, then overnight news.
const NIGHTS: Program[] = [
  { title: 'Saturday Night Bluegrass', days: ['sat'], start: '18:00', end: '21:00' },
  { title: 'Jazz After Hours', days: ['sat'], start: '21:00', end: '01:00' },
  { title: 'BBC World Service', days: 'daily', start: '01:00', end: '05:00' },
  { title: 'Sunday Reflections', days: ['sun'], start: '05:00', end: '06:00' },
  { title: 'Weekend Edition Sunday', days: ['sun'], start: '06:00', end: '10:00' },
  { title: 'Sunday Classics', days: ['sun'], start: '11:00', end: '14:00' },
];

describe('day shorthands and the schedule page', () => {
  it('expands day shorthands', () => {
    expect(expandDays('weekdays')).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(expandDays('weekends')).toEqual(['sat', 'sun']);
    expect(expandDays('daily')).toHaveLength(7);
    expect(expandDays(['sat'])).toEqual(['sat']);
  });

  it('lists a day in airing order', () => {
    const schedule: Program[] = [
      { title: 'ATC', days: 'weekdays', start: '16:00', end: '18:30' },
      { title: 'Morning Edition', days: 'weekdays', start: '05:00', end: '09:00' },
      { title: 'Weekend Edition', days: 'weekends', start: '08:00', end: '10:00' },
    ];
    expect(programsOn(schedule, 'tue').map((p) => p.title)).toEqual(['Morning Edition', 'ATC']);
    expect(programsOn(schedule, 'sun').map((p) => p.title)).toEqual(['Weekend Edition']);
  });
});

describe('On Now and Next Up', () => {
  it('on a weekday morning (Wednesday 06:00 CST)', () => {
    expect(onAir(KFIX, '2026-11-25T12:00:00Z')).toEqual({
      now: 'Morning Edition 2026-11-25T11:00:00.000Z–2026-11-25T15:00:00.000Z',
      next: 'Fixture Midday 2026-11-25T15:00:00.000Z',
    });
  });

  it('at the exact start of a program, the new one is on', () => {
    expect(onAir(KFIX, '2026-11-25T15:00:00Z')).toMatchObject({
      now: expect.stringMatching(/^Fixture Midday /),
      next: expect.stringMatching(/^All Things Considered /),
    });
    expect(onAir(KFIX, '2026-11-25T14:59:59Z').now).toMatch(/^Morning Edition /);
  });

  it('across midnight from Friday night into the weekend', () => {
    // Friday 23:30 CST: the weekday show ends at midnight, and Overnight is the next program.
    expect(onAir(KFIX, '2026-11-28T05:30:00Z')).toEqual({
      now: 'Evening Jazz 2026-11-28T01:00:00.000Z–2026-11-28T06:00:00.000Z',
      next: 'Overnight 2026-11-28T06:00:00.000Z',
    });
    // Saturday 04:59 CST: next is the weekend schedule, not Morning Edition.
    expect(onAir(KFIX, '2026-11-28T10:59:00Z').next).toBe('Weekend Music 2026-11-28T11:00:00.000Z');
    // Sunday 23:59 CST: Monday's Overnight starts at midnight.
    expect(onAir(KFIX, '2026-11-30T05:59:00Z')).toEqual({
      now: 'Weekend Music 2026-11-29T11:00:00.000Z–2026-11-30T06:00:00.000Z',
      next: 'Overnight 2026-11-30T06:00:00.000Z',
    });
  });

  it('a program that starts on Saturday is still on after midnight on Sunday', () => {
    // Sunday 2026-11-29 00:30 CST.
    expect(onAir(NIGHTS, '2026-11-29T06:30:00Z')).toEqual({
      now: 'Jazz After Hours 2026-11-29T03:00:00.000Z–2026-11-29T07:00:00.000Z',
      next: 'BBC World Service 2026-11-29T07:00:00.000Z',
    });
  });

  it('in a gap in the schedule there is nothing on now, and Next Up is the next start', () => {
    // Sunday 10:30 CST: nothing is scheduled from 10:00 to 11:00.
    expect(onAir(NIGHTS, '2026-11-29T16:30:00Z')).toEqual({ now: undefined, next: 'Sunday Classics 2026-11-29T17:00:00.000Z' });
  });

  it('a show that runs around the clock has no Next Up', () => {
    const allDay: Program[] = [{ title: 'Around the Clock', days: 'daily', start: '00:00', end: '24:00' }];
    const r = onAirAt(allDay, 'America/New_York', new Date('2026-11-25T12:00:00Z'));
    expect(r.current?.program.title).toBe('Around the Clock');
    expect(r.next).toBeUndefined();
  });

  it('a show that continues past midnight under the same title is not its own Next Up', () => {
    const schedule: Program[] = [
      { title: 'Weekend Music', days: 'weekends', start: '00:00', end: '24:00' },
      { title: 'Monday Show', days: ['mon'], start: '00:00', end: '24:00' },
    ];
    // Saturday noon CST: Weekend Music goes on through Sunday; Monday Show is next.
    expect(onAir(schedule, '2026-11-28T18:00:00Z').next).toBe('Monday Show 2026-11-30T06:00:00.000Z');
  });

  it('when programs overlap, the one that started last is on', () => {
    const schedule: Program[] = [
      { title: 'Long Block', days: 'daily', start: '09:00', end: '17:00' },
      { title: 'Special', days: ['wed'], start: '12:00', end: '13:00' },
    ];
    expect(onAir(schedule, '2026-11-25T18:30:00Z').now).toMatch(/^Special /);
  });

  it('an empty schedule has neither', () => {
    expect(onAirAt([], CHICAGO, new Date('2026-11-25T12:00:00Z'))).toEqual({});
  });
});

describe('daylight-saving changes in America/Chicago', () => {
  it('spring forward (2026-03-08): an overnight show that spans 02:00 is one hour shorter', () => {
    // 03:30 CDT; 02:00–02:59 did not exist that night.
    const r = onAirAt(NIGHTS, CHICAGO, new Date('2026-03-08T08:30:00Z'));
    expect(r.current?.program.title).toBe('BBC World Service');
    expect(iso(r.current?.start)).toBe('2026-03-08T07:00:00.000Z'); // 01:00 CST
    expect(iso(r.current?.end)).toBe('2026-03-08T10:00:00.000Z'); // 05:00 CDT
    expect((r.current!.end.getTime() - r.current!.start.getTime()) / 3_600_000).toBe(3);
    expect(r.next?.program.title).toBe('Sunday Reflections');
    expect(iso(r.next?.start)).toBe('2026-03-08T10:00:00.000Z');
  });

  it('spring forward: the Saturday show crossing midnight still ends at 01:00 CST', () => {
    expect(onAir(NIGHTS, '2026-03-08T06:59:00Z')).toEqual({
      now: 'Jazz After Hours 2026-03-08T03:00:00.000Z–2026-03-08T07:00:00.000Z',
      next: 'BBC World Service 2026-03-08T07:00:00.000Z',
    });
  });

  it('spring forward: a show scheduled inside the skipped hour does not air', () => {
    const schedule: Program[] = [...NIGHTS, { title: 'Lost Hour', days: ['sun'], start: '02:00', end: '03:00' }];
    const titles = airingsAround(schedule, CHICAGO, new Date('2026-03-08T08:30:00Z'), 0, 0).map((a) => a.program.title);
    expect(titles).not.toContain('Lost Hour');
    // The week after, it airs as usual.
    expect(onAir(schedule, '2026-03-15T07:30:00Z').now).toBe('Lost Hour 2026-03-15T07:00:00.000Z–2026-03-15T08:00:00.000Z');
  });

  it('fall back (2026-11-01): the overnight show runs through both 01:00 hours', () => {
    // 00:59 CDT, then 01:30 CDT, then 01:30 CST (the repeated hour).
    expect(onAir(NIGHTS, '2026-11-01T05:59:00Z')).toEqual({
      now: 'Jazz After Hours 2026-11-01T02:00:00.000Z–2026-11-01T06:00:00.000Z',
      next: 'BBC World Service 2026-11-01T06:00:00.000Z',
    });
    for (const t of ['2026-11-01T06:30:00Z', '2026-11-01T07:30:00Z', '2026-11-01T10:59:00Z']) {
      expect(onAir(NIGHTS, t)).toEqual({
        now: 'BBC World Service 2026-11-01T06:00:00.000Z–2026-11-01T11:00:00.000Z', // 01:00 CDT – 05:00 CST: five hours
        next: 'Sunday Reflections 2026-11-01T11:00:00.000Z',
      });
    }
  });

  it('fall back: a weekday morning after the change starts at 05:00 CST', () => {
    expect(onAir(KFIX, '2026-11-02T10:30:00Z')).toEqual({
      now: 'Overnight 2026-11-02T06:00:00.000Z–2026-11-02T11:00:00.000Z',
      next: 'Morning Edition 2026-11-02T11:00:00.000Z',
    });
  });
});

describe('refreshing and showing times', () => {
  it('the next change is the earlier of the end of now and the next start', () => {
    const now = new Date('2026-11-29T16:30:00Z');
    expect(iso(nextChangeAt(onAirAt(NIGHTS, CHICAGO, now)))).toBe('2026-11-29T17:00:00.000Z');
    expect(iso(nextChangeAt(onAirAt(KFIX, CHICAGO, new Date('2026-11-25T12:00:00Z'))))).toBe('2026-11-25T15:00:00.000Z');
    expect(nextChangeAt({})).toBeUndefined();
  });

  const fmt = (start: string, now: string, viewer: string) =>
    formatStartTime(new Date(start), CHICAGO, new Date(now), viewer).replace(/\s/g, ' ');

  it('shows the start in station time, with the weekday only when it is not today there', () => {
    expect(fmt('2026-11-25T22:00:00Z', '2026-11-25T12:00:00Z', CHICAGO)).toBe('4:00 PM');
    expect(fmt('2026-11-28T06:00:00Z', '2026-11-28T05:30:00Z', CHICAGO)).toBe('Sat 12:00 AM');
  });

  it("adds the zone when the listener's clock differs from the station's", () => {
    expect(fmt('2026-11-25T22:00:00Z', '2026-11-25T12:00:00Z', 'America/New_York')).toBe('4:00 PM CST');
    expect(fmt('2026-07-01T21:00:00Z', '2026-07-01T12:00:00Z', 'Europe/Berlin')).toBe('4:00 PM CDT');
    // Winnipeg keeps Chicago's clock, so no zone is needed.
    expect(fmt('2026-11-25T22:00:00Z', '2026-11-25T12:00:00Z', 'America/Winnipeg')).toBe('4:00 PM');
  });
});

/**
 * Schedule math for the schedule page and the live player (this module runs in the
 * browser too, so it imports no zod). Pure: the schedule, the station's IANA time zone and
 * `now` are arguments.
 */
import type { Program } from '../../schemas/station';
import { offsetMinutes, zonedParts, zonedTimeToUtc } from '../../lib/dates';
import { WEEKDAYS, type Weekday } from '../../lib/weekdays';

/** The weekdays a program's `days` field names. */
export function expandDays(days: Program['days']): Weekday[] {
  if (days === 'daily') return [...WEEKDAYS];
  if (days === 'weekdays') return WEEKDAYS.slice(0, 5);
  if (days === 'weekends') return WEEKDAYS.slice(5);
  return days;
}

/** Programs that start on `day`, in airing order. */
export function programsOn(schedule: Program[], day: Weekday): Program[] {
  return schedule.filter((p) => expandDays(p.days).includes(day)).sort((a, b) => a.start.localeCompare(b.start));
}

/** One broadcast of a program: the instants it starts and ends. */
export interface Airing {
  program: Program;
  start: Date;
  end: Date;
}

export interface OnAir {
  /** The program on the air at `now`, if the schedule covers that moment. */
  current?: Airing;
  /** The next different program to start after `now` (a program that simply continues is skipped). */
  next?: Airing;
}

const MINUTES_PER_DAY = 24 * 60;
const clockMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A calendar date `offset` days after y-m-d (calendar arithmetic in UTC, so no DST). */
function addDays(y: number, m: number, d: number, offset: number) {
  const t = new Date(Date.UTC(y, m - 1, d + offset));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), weekday: WEEKDAYS[(t.getUTCDay() + 6) % 7]! };
}

/** The instant of `minutes` past local midnight of the given date (minutes may exceed a day). */
function localInstant(date: { year: number; month: number; day: number }, minutes: number, timeZone: string): Date {
  const d = addDays(date.year, date.month, date.day, Math.floor(minutes / MINUTES_PER_DAY));
  const m = minutes % MINUTES_PER_DAY;
  return zonedTimeToUtc({ year: d.year, month: d.month, day: d.day, hour: Math.floor(m / 60), minute: m % 60 }, timeZone);
}

/**
 * Every airing that starts on the station-local dates from `daysBefore` days before `now`'s
 * date to `daysAfter` days after it, in start order. Days name the date a program starts, so
 * a 22:00–02:00 show on Friday ends on Saturday morning. Wall-clock times are read in the
 * station's zone on each date, so an hour-long show that spans a DST change is 0 or 2 real
 * hours long; a show that falls entirely in a spring-forward gap does not air.
 */
export function airingsAround(schedule: Program[], timeZone: string, now: Date, daysBefore = 1, daysAfter = 7): Airing[] {
  const today = zonedParts(now, timeZone);
  const out: Airing[] = [];
  for (let offset = -daysBefore; offset <= daysAfter; offset++) {
    const date = addDays(today.year, today.month, today.day, offset);
    for (const program of schedule) {
      if (!expandDays(program.days).includes(date.weekday)) continue;
      const startMin = clockMinutes(program.start);
      let endMin = clockMinutes(program.end);
      // An end at or before the start means the program runs past midnight.
      if (endMin <= startMin) endMin += MINUTES_PER_DAY;
      const start = localInstant(date, startMin, timeZone);
      const end = localInstant(date, endMin, timeZone);
      if (end > start) out.push({ program, start, end });
    }
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime());
}

const sameShow = (a: Airing, b: Airing) => a.program.title === b.program.title && (a.program.host ?? '') === (b.program.host ?? '');

/** What is on the air at `now` in the station's zone, and what comes next. */
export function onAirAt(schedule: Program[], timeZone: string, now: Date): OnAir {
  const airings = airingsAround(schedule, timeZone, now);
  const t = now.getTime();
  let current: Airing | undefined;
  // If editors overlap two programs, the one that started last is on the air.
  for (const a of airings) if (a.start.getTime() <= t && t < a.end.getTime()) current = a;
  if (current) current = { ...current };
  for (const a of airings) {
    if (a.start.getTime() <= t) continue;
    // A show that continues straight on (Weekend Music until 24:00, again from 00:00) is not "next".
    if (current && sameShow(a, current) && a.start.getTime() <= current.end.getTime()) {
      if (a.end > current.end) current.end = a.end;
      continue;
    }
    return { current, next: a };
  }
  return { current };
}

/** When On Now or Next Up next changes: the current program's end or the next start. */
export function nextChangeAt(onAir: OnAir): Date | undefined {
  const times = [onAir.current?.end, onAir.next?.start].filter((d): d is Date => d !== undefined);
  return times.length ? new Date(Math.min(...times.map((d) => d.getTime()))) : undefined;
}

/**
 * A start time as a listener reads it: "4:00 PM" in the station's zone, with the weekday
 * when it is not today there ("Sat 5:00 AM"), and the zone's abbreviation when the
 * listener's own zone (`viewerTimeZone`) is on a different clock ("4:00 PM CST").
 */
export function formatStartTime(start: Date, timeZone: string, now: Date, viewerTimeZone: string, lang = 'en-US'): string {
  const a = zonedParts(start, timeZone);
  const b = zonedParts(now, timeZone);
  const otherDay = a.year !== b.year || a.month !== b.month || a.day !== b.day;
  const otherClock = offsetMinutes(start, timeZone) !== offsetMinutes(start, viewerTimeZone);
  return new Intl.DateTimeFormat(lang, {
    timeZone,
    hour: 'numeric',
    minute: '2-digit',
    ...(otherDay ? { weekday: 'short' } : {}),
    ...(otherClock ? { timeZoneName: 'short' } : {}),
  }).format(start);
}

/** Dates as editors write them, and how they are shown. Pure: time zones are arguments. */

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const EDITOR_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?[ ]?(Z|[+-]\d{2}:?\d{2})?)?$/;

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of `date` in `timeZone`, from Intl. */
export function readZonedParts(date: Date, timeZone: string): ZonedParts {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(date)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour!, minute: out.minute!, second: out.second! };
}

let reader: (date: Date, timeZone: string) => ZonedParts = readZonedParts;

/** The wall-clock reading of `date` in `timeZone`. */
export function zonedParts(date: Date, timeZone: string): ZonedParts {
  return reader(date, timeZone);
}

/**
 * Build-side only: check:content reads each instant once across runs (src/checks/zoned-readings.ts).
 * The remembering reader lives there so the browser's copy of this module (the live player's
 * schedule) stays small; `undefined` restores Intl.
 */
export function setZonedReader(r: ((date: Date, timeZone: string) => ZonedParts) | undefined): void {
  reader = r ?? readZonedParts;
}

/** Offset of `timeZone` from UTC at `date`, in minutes (e.g. -360 for CST). */
export function offsetMinutes(date: Date, timeZone: string): number {
  const p = zonedParts(date, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000);
}

/** The instant a wall-clock time in `timeZone` names. In a DST gap the clock is read
 * with the earlier offset (02:30 on a spring-forward day becomes 03:30); in an overlap the
 * first occurrence wins. */
export function zonedTimeToUtc(p: Omit<ZonedParts, 'second'> & { second?: number }, timeZone: string): Date {
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second ?? 0);
  // The offsets in force a day either side; a wall time can only mean one of them. Probing
  // at `wall` itself misreads the hours just after a change (05:00 on a fall-back day).
  const before = offsetMinutes(new Date(wall - DAY_MS), timeZone);
  const after = offsetMinutes(new Date(wall + DAY_MS), timeZone);
  const valid = [before, after]
    .map((offset) => wall - offset * 60000)
    .filter((t, i) => offsetMinutes(new Date(t), timeZone) === [before, after][i]);
  return new Date(valid.length ? Math.min(...valid) : wall - before * 60000);
}

const DAY_MS = 86_400_000;

export type EditorDateResult = { ok: true; date: Date; hasZone: boolean } | { ok: false; error: string };

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * Parse a date exactly as written. Rejects impossible calendar dates that YAML and JS
 * silently roll over (`2025-02-30`, `2025-13-45`). A time without an offset is read in
 * `timeZone` (the station's).
 * @example parseEditorDate('2026-11-20 09:30', 'America/Chicago') // 15:30Z
 */
export function parseEditorDate(text: string, timeZone: string): EditorDateResult {
  const m = EDITOR_DATE.exec(text.trim());
  if (!m) {
    return {
      ok: false,
      error: `"${text}" is not a date; write it as 2026-11-20T09:30:00-06:00, or 2026-11-20 09:30 for the station's time zone`,
    };
  }
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12) return { ok: false, error: `"${text}" has no month ${month}` };
  if (day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, error: `"${text}" is not a real date: ${y}-${mo} has ${daysInMonth(year, month)} days` };
  }
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, error: `"${text}" has an impossible time of day` };
  if (zone) {
    const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    if (Math.abs(offset) > 14 * 60) return { ok: false, error: `"${text}" has an impossible UTC offset` };
    return { ok: true, hasZone: true, date: new Date(Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60000) };
  }
  return { ok: true, hasZone: false, date: zonedTimeToUtc({ year, month, day, hour, minute, second }, timeZone) };
}

/** ISO 8601 with the zone's offset, e.g. `2026-11-20T09:30:00-06:00` (for `datetime` and JSON-LD). */
export function toZonedIso(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  const off = offsetMinutes(date, timeZone);
  const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
  const sign = off < 0 ? '-' : '+';
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}

const displayFormatters = new Map<string, Intl.DateTimeFormat>();
function displayFormatter(key: string, make: () => Intl.DateTimeFormat) {
  let f = displayFormatters.get(key);
  if (!f) displayFormatters.set(key, (f = make()));
  return f;
}

/** "November 20, 2026 at 9:30 AM CST" */
export function formatDateTime(date: Date, timeZone: string, lang: string): string {
  return displayFormatter(
    `dt|${timeZone}|${lang}`,
    () => new Intl.DateTimeFormat(lang, { timeZone, dateStyle: 'long', timeStyle: 'short' }),
  )
    .format(date)
    .concat(' ', zoneAbbreviation(date, timeZone, lang));
}

/** "November 20, 2026" */
export function formatDate(date: Date, timeZone: string, lang: string): string {
  return displayFormatter(`d|${timeZone}|${lang}`, () => new Intl.DateTimeFormat(lang, { timeZone, dateStyle: 'long' })).format(date);
}

/** "November 2026" */
export function formatMonth(year: number, month: number, lang: string): string {
  return displayFormatter(`m|${lang}`, () => new Intl.DateTimeFormat(lang, { timeZone: 'UTC', year: 'numeric', month: 'long' })).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

export function zoneAbbreviation(date: Date, timeZone: string, lang: string): string {
  const part = displayFormatter(`z|${timeZone}|${lang}`, () => new Intl.DateTimeFormat(lang, { timeZone, timeZoneName: 'short' }))
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? '';
}

import { readZonedParts, setZonedReader, type ZonedParts } from '../lib/dates';

/** One time zone's readings, sorted by instant: `[epoch ms, year, month, day, hour, minute, second, …]`. */
export type ZoneReadings = number[];

const WIDTH = 7;
const PARTS_RANGES = [
  [-8.64e15, 8.64e15],
  [-271821, 275760],
  [1, 12],
  [1, 31],
  [0, 23],
  [0, 59],
  [0, 59],
] as const;

/** Whether `v` is a list of readings as `ZonedReadings.save` writes it: whole numbers in range, instants strictly rising. */
export function isZoneReadings(v: unknown): v is ZoneReadings {
  if (!Array.isArray(v) || v.length % WIDTH !== 0) return false;
  for (let i = 0; i < v.length; i++) {
    const n = v[i] as unknown;
    const [lo, hi] = PARTS_RANGES[i % WIDTH]!;
    if (!Number.isSafeInteger(n) || (n as number) < lo || (n as number) > hi) return false;
    if (i % WIDTH === 0 && i > 0 && (n as number) <= (v[i - WIDTH] as number)) return false;
  }
  return true;
}

const partsAt = (r: ZoneReadings, i: number): ZonedParts => ({
  year: r[i + 1]!,
  month: r[i + 2]!,
  day: r[i + 3]!,
  hour: r[i + 4]!,
  minute: r[i + 5]!,
  second: r[i + 6]!,
});

/** The index of `ms` in `r`, or -1: readings are sorted, so no map is built when a run starts. */
function find(r: ZoneReadings, ms: number): number {
  let lo = 0;
  let hi = r.length / WIDTH - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = r[mid * WIDTH]!;
    if (at === ms) return mid * WIDTH;
    if (at < ms) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Readings of `zonedParts` by time zone: those an earlier run kept (with its cache, keyed by Node's
 * version, i.e. its time-zone data) and those this run used. Intl takes 10-20 µs a reading and
 * 100,000 stories need two or three each.
 */
export class ZonedReadings {
  private readonly used = new Map<string, Uint8Array>();
  private readonly fresh = new Map<string, Map<number, ZonedParts>>();

  constructor(private readonly before: ReadonlyMap<string, ZoneReadings> = new Map()) {}

  read(date: Date, timeZone: string): ZonedParts {
    const ms = date.getTime();
    const kept = this.before.get(timeZone);
    const i = kept ? find(kept, ms) : -1;
    if (i >= 0) {
      let used = this.used.get(timeZone);
      if (!used) this.used.set(timeZone, (used = new Uint8Array(kept!.length / WIDTH)));
      used[i / WIDTH] = 1;
      return partsAt(kept!, i);
    }
    let fresh = this.fresh.get(timeZone);
    if (!fresh) this.fresh.set(timeZone, (fresh = new Map()));
    let parts = fresh.get(ms);
    if (!parts) fresh.set(ms, (parts = readZonedParts(date, timeZone)));
    return { ...parts };
  }

  /** Every kept reading was used and none was new: the kept ones need not be written again. */
  get unchanged(): boolean {
    if (this.fresh.size) return false;
    for (const [zone, r] of this.before) {
      const used = this.used.get(zone);
      if (r.length && (!used || !used.every((u) => u === 1))) return false;
    }
    return true;
  }

  /** The readings this run used, by zone, sorted. */
  save(): Record<string, ZoneReadings> {
    const out: Record<string, ZoneReadings> = {};
    for (const zone of new Set([...this.before.keys(), ...this.fresh.keys()])) {
      const rows: [number, ZonedParts][] = [];
      const kept = this.before.get(zone);
      const used = this.used.get(zone);
      if (kept && used) for (let i = 0; i < kept.length; i += WIDTH) if (used[i / WIDTH]) rows.push([kept[i]!, partsAt(kept, i)]);
      rows.push(...(this.fresh.get(zone) ?? []));
      if (!rows.length) continue;
      rows.sort((a, b) => a[0] - b[0]);
      out[zone] = rows.flatMap(([ms, p]) => [ms, p.year, p.month, p.day, p.hour, p.minute, p.second]);
    }
    return out;
  }
}

/** Lets check:content answer `zonedParts` from `readings`; `undefined` goes back to Intl alone. */
export function keepZonedReadings(readings: ZonedReadings | undefined): void {
  setZonedReader(readings && ((date, timeZone) => readings.read(date, timeZone)));
}

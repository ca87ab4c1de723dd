import { readZonedParts, setZonedReader, type ZonedParts } from '../lib/dates';

/** Readings by `${timeZone}\0${epoch ms}`: those from an earlier run, and those this run made or used. */
export interface ZonedReadings {
  before: ReadonlyMap<string, ZonedParts>;
  now: Map<string, ZonedParts>;
}

/**
 * Lets check:content keep every reading `zonedParts` makes, and start from those of an earlier run
 * (kept with its cache, keyed by Node's version, i.e. its time-zone data): Intl takes 10-20 µs a
 * reading and 100,000 stories need two or three each. `undefined` goes back to Intl alone.
 */
export function keepZonedReadings(readings: ZonedReadings | undefined): void {
  if (!readings) return setZonedReader(undefined);
  // One story's instant is read several times (its permalink, its archive month).
  const recent = new Map<string, ZonedParts>();
  setZonedReader((date, timeZone) => {
    const key = `${timeZone}\0${date.getTime()}`;
    let parts = recent.get(key) ?? readings.before.get(key);
    if (!parts) {
      parts = readZonedParts(date, timeZone);
      if (recent.size >= 64) recent.clear();
      recent.set(key, parts);
    }
    readings.now.set(key, parts);
    return { ...parts };
  });
}

import { describe, expect, it } from 'vitest';
import type { Program } from '../../src/schemas/station';
import { expandDays, programsOn } from '../../src/utils/schedule';

describe('schedule', () => {
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

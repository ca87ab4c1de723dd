import { WEEKDAYS, type Program, type Weekday } from '../schemas/station';

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

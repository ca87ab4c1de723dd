import { z } from 'astro/zod';
import { WEEKDAYS, type Weekday } from '../lib/weekdays.ts';
import { clockTime, httpUrl, webUrl } from './common.ts';

export { WEEKDAYS, type Weekday };

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const streamSourceSchema = z.strictObject({
  /** An https stream, or a path on the site itself (same origin, `'self'` in the CSP). Browsers
   * block http audio on https pages, and the CSP's media-src is built from this URL's origin. */
  url: webUrl({ schemes: ['https:'], rootRelative: true }),
  type: z.string().regex(/^[a-z]+\/[\w.+-]+$/, { error: 'must be a MIME type such as audio/mpeg' }),
});

export const programSchema = z.strictObject({
  title: z.string().min(1),
  host: z.string().optional(),
  /** Days the program airs; `daily` and `weekdays` are shorthands. */
  days: z.union([z.enum(['daily', 'weekdays', 'weekends']), z.array(z.enum(WEEKDAYS)).min(1)]),
  start: clockTime,
  /** May be earlier than `start`: the program then runs past midnight. */
  end: clockTime,
});

/** The site's accent where a station sets none: the chrome's CSS default (tokens.css, which a
 * test holds to this value), the browser's theme colour and the share cards. */
export const DEFAULT_ACCENT = '#8a1c2b';

export const stationSchema = z.strictObject({
  name: z.string().min(1).max(60),
  tagline: z.string().min(1).max(80),
  legalName: z.string().min(1),
  mission: z.string().min(1).max(240).meta({ cms: { widget: 'text' } }),
  timezone: z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as America/Chicago' }),
  /** One source or several, in order of preference (e.g. HLS then MP3). */
  stream: z.union([streamSourceSchema, z.array(streamSourceSchema).min(1)]).transform((s) => (Array.isArray(s) ? s : [s])),
  frequencies: z.array(z.strictObject({ callsign: z.string().min(1), frequency: z.string().min(1), city: z.string().min(1) })).min(1),
  schedule: z.array(programSchema).default([]),
  donate: z.strictObject({ url: httpUrl, appeal: z.string().min(1).max(200) }),
  /** Brand colour for the station's chrome; must keep white text readable. Unset: `DEFAULT_ACCENT`. */
  accent: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .optional(),
});

export type StationData = z.output<typeof stationSchema>;
export type Program = z.output<typeof programSchema>;

import { z } from 'astro/zod';
import { webUrlProblem, type WebUrlRules } from '../lib/web-url.ts';

/** Dates as editors write them. Unquoted YAML dates arrive as `Date` objects; the raw
 * text is re-checked by the data layer (see `src/lib/dates.ts`), because YAML silently
 * rolls `2025-02-30` over to March 2. */
export const editorDate = z
  .union([z.string().min(1), z.date()], {
    error: 'must be a date such as 2026-11-20T09:30:00-06:00 (or 2026-11-20 09:30 for the station\'s time zone)',
  })
  // The web editor writes the station-local form (src/cms/config.ts).
  .meta({ cms: { widget: 'datetime' } });

/** An id of a file in another collection: lowercase letters, digits and hyphens. */
export const fileId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be a file id: lowercase letters, digits and hyphens (e.g. kxpr)' });

/** "HH:MM" on a 24-hour clock; "24:00" ends a program at midnight. */
export const clockTime = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'must be a 24-hour time such as 05:00 or 19:30' });

/** A URL that reaches an `href`, a `src` or a header: parsed, with an allowed scheme and a plain host (see `web-url.ts`). */
export const webUrl = (rules: WebUrlRules) =>
  z.string({ error: 'must be a web address' }).superRefine((url, ctx) => {
    const problem = webUrlProblem(url, rules);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A link readers follow: an http(s) URL on a plain host. */
export const httpUrl = webUrl({ schemes: ['https:', 'http:'] });

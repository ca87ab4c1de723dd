import { z } from 'astro/zod';

/** Dates as editors write them. Unquoted YAML dates arrive as `Date` objects; the raw
 * text is re-checked by the data layer (see `src/utils/dates.ts`), because YAML silently
 * rolls `2025-02-30` over to March 2. */
export const editorDate = z.union([z.string().min(1), z.date()], {
  error: 'must be a date such as 2026-11-20T09:30:00-06:00 (or 2026-11-20 09:30 for the station\'s time zone)',
});

/** An id of a file in another collection: lowercase letters, digits and hyphens. */
export const fileId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be a file id: lowercase letters, digits and hyphens (e.g. kxpr)' });

/** "HH:MM" on a 24-hour clock; "24:00" ends a program at midnight. */
export const clockTime = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'must be a 24-hour time such as 05:00 or 19:30' });

export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** Days of the week as schedules name them. Lives apart from the zod schemas so browser
 * code (the live player's schedule math) can import it without pulling in zod. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

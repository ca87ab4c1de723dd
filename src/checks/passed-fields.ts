import type { z } from 'astro/zod';
import { arrayElement } from './schema-walk';

/**
 * An object with only what passed its own schema: a field that failed is absent, and a list
 * item that failed is `undefined` in its place, so the indexes in messages stay the editor's.
 */
export type Passed<T> = { [K in keyof T]?: T[K] extends readonly (infer I)[] ? (I | undefined)[] : T[K] };

type Schema = z.ZodType;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The fields of `data` that pass their own schema in `shape` (an object schema's fields), parsed.
 * When the object as a whole fails, the rules that read other files still run on these, so one
 * bad field hides no other problem and causes no false one (a missing field is not checked).
 */
export function passedFields<T>(shape: Record<string, Schema>, data: unknown): Passed<T> {
  const out: Record<string, unknown> = {};
  const fields = isRecord(data) ? data : {};
  for (const [key, schema] of Object.entries(shape)) {
    const r = schema.safeParse(fields[key]);
    if (r.success) out[key] = r.data;
    else {
      const items = passedItems(schema, fields[key]);
      if (items) out[key] = items;
    }
  }
  return out as Passed<T>;
}

/**
 * A list field whose own checks pass once its failed items are left out: the parsed items at
 * their places, `undefined` where an item failed. Undefined if the list fails as a whole (not a
 * list, too many or too few items), or its parsed form is not one output per item.
 */
function passedItems(schema: Schema, value: unknown): unknown[] | undefined {
  const element = arrayElement(schema) as Schema | undefined;
  if (!element || !Array.isArray(value)) return undefined;
  const kept = value.map((item) => element.safeParse(item).success);
  const r = schema.safeParse(value.filter((_, i) => kept[i]));
  if (!r.success || !Array.isArray(r.data) || r.data.length !== kept.filter(Boolean).length) return undefined;
  const parsed = r.data as unknown[];
  let next = 0;
  return kept.map((ok) => (ok ? parsed[next++] : undefined));
}

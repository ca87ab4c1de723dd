import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'astro/zod';
import type { FieldPath } from '../content/frontmatter';
import { knownKeys } from './schema-walk';

export { knownKeys };

/** A schema problem before it is given a file: the field's path and what is wrong. */
export interface FieldProblem {
  path: FieldPath;
  message: string;
  hint?: string;
}

/** `['corrections', 0, 'date']` → `corrections[0].date` */
export function fieldName(path: FieldPath): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');
}

/** The inverse of `fieldName`, for problems that arrive as text (`byline[1]`). */
export function fieldPath(field: string): FieldPath {
  return field.split(/\.|(?=\[)/).map((part) => (/^\[(\d+)\]$/.test(part) ? Number(part.slice(1, -1)) : part));
}

/** Examples editors can copy, per collection, keyed by field name without list indexes. */
export const EXAMPLES = {
  articles: {
    title: 'e.g. title: "Council approves the Front Street bridge"',
    dek: 'one or two sentences, e.g. dek: "The 5-2 vote ends a decade of debate."',
    byline: 'e.g. byline: maria-okafor, or byline: [maria-okafor, "Bill Chappell"]',
    station: 'e.g. station: kxpr, a file name in content/stations/',
    date: 'e.g. date: 2026-11-20T09:30:00-06:00',
    updated: 'e.g. updated: 2026-11-21T08:00:00-06:00',
    tags: 'e.g. tags: [Politics, Transportation]',
    draft: 'write draft: true or draft: false',
    image: 'e.g. image: { src: ./bridge.jpg, alt: "…", credit: "Name / KXPR" }',
    'image.src': 'e.g. src: ./bridge.jpg, the photo beside the story',
    'image.alt': 'describe what the photo shows for readers who cannot see it',
    'image.credit': 'name the photographer and outlet, e.g. credit: "Maria Okafor / KXPR"',
    corrections: 'e.g. corrections: [{ date: 2026-11-21T10:00:00-06:00, text: "…" }]',
    'corrections.date': 'e.g. date: 2026-11-21T10:00:00-06:00',
    'corrections.text': 'say what was wrong and what is right now',
    source: 'e.g. source: { name: NPR, url: https://www.npr.org/… }',
    aliases: 'e.g. aliases: [/news/2026/11/20/old-slug/]',
    slug: 'e.g. slug: council-bridge-vote',
  },
  stations: {
    name: 'e.g. name: KXPR 89.7',
    tagline: 'e.g. tagline: NPR for the Harlan Valley',
    legalName: 'e.g. legalName: Harlan Valley Public Radio, Inc.',
    mission: 'one sentence, e.g. mission: Independent journalism for the Harlan Valley.',
    timezone: 'e.g. timezone: America/Chicago',
    stream: 'e.g. stream: { url: https://streams.example.org/live.mp3, type: audio/mpeg }',
    frequencies: 'e.g. frequencies: [{ callsign: KXPR, frequency: 89.7 FM, city: Harlan Springs }]',
    donate: 'e.g. donate: { url: https://donate.example.org/, appeal: "Support local news" }',
  },
  authors: {
    name: 'e.g. name: Maria Okafor',
    title: 'e.g. title: Statehouse Reporter, KXPR',
    bio: 'a sentence or two about the reporter',
  },
} satisfies Record<string, Record<string, string>>;

export type Collection = keyof typeof EXAMPLES;

const exampleFor = (collection: Collection, path: FieldPath) =>
  (EXAMPLES[collection] as Record<string, string>)[path.filter((k) => typeof k === 'string').join('.')];

function kindOf(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  switch (typeof value) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true/false';
    case 'object':
      return 'a set of fields';
    default:
      return typeof value;
  }
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a set of fields (name: value lines)',
  date: 'a date',
};

/** The value at `path` in parsed YAML, if there is one. */
export function valueAt(data: unknown, path: FieldPath): unknown {
  let v = data;
  for (const k of path) v = v == null ? undefined : (v as Record<string | number, unknown>)[k];
  return v;
}

/** `updatd` → `updated`: the nearest known name, if it is near enough to be a typo. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  if (!known.length) return undefined;
  const lower = key.toLowerCase();
  const exact = known.find((k) => k.toLowerCase() === lower);
  if (exact) return exact;
  const best = closest(lower, known as string[]);
  return distance(lower, best.toLowerCase()) <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

type Issue = z.core.$ZodIssue;

/** Zod issues, reworded for editors, with did-you-mean for unknown fields. */
export function schemaProblems(
  issues: readonly Issue[],
  data: unknown,
  schema: unknown,
  collection: Collection = 'articles',
  base: FieldPath = [],
): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const issue of issues) {
    const path: FieldPath = [...base, ...(issue.path as (string | number)[])];
    const value = valueAt(data, path);
    const example = exampleFor(collection, path);
    const custom = !issue.message.startsWith('Invalid') && !issue.message.startsWith('Too ') && !issue.message.startsWith('Unrecognized');

    // A missing field fails as a type or as every branch of a union (byline, date); either way
    // the editor left it out, whatever the schema's own message says about its form.
    if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
      out.push({ path, message: 'is required', hint: example });
      continue;
    }

    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(schema, path);
        for (const key of issue.keys) {
          const guess = didYouMean(key, known);
          out.push({
            path: [...path, key],
            message: `unknown field "${key}"`,
            hint: guess ? `did you mean "${guess}"?` : `known fields here: ${known.join(', ')}`,
          });
        }
        break;
      }
      case 'invalid_type':
        if (value === null) out.push({ path, message: 'is empty', hint: example });
        else
          out.push({
            path,
            message: custom ? issue.message : `must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${kindOf(value)}`,
            hint: example,
          });
        break;
      case 'invalid_union': {
        if (custom) {
          out.push({ path, message: issue.message, hint: example });
          break;
        }
        // Report the branch that got furthest: its issues sit deepest inside the value.
        const branches = issue.errors.filter((b) => b.length);
        const deepest = branches.find((b) => b.some((i) => i.path.length > 0));
        if (deepest) out.push(...schemaProblems(deepest, data, schema, collection, path));
        else out.push({ path, message: value === null ? 'is empty' : `has the wrong form (${kindOf(value)})`, hint: example });
        break;
      }
      case 'too_small':
      case 'too_big': {
        if (custom) out.push({ path, message: issue.message, hint: example });
        else {
          const n = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
          const isText = issue.origin === 'string';
          const unit = isText ? 'characters' : 'items';
          let message: string;
          if (issue.code === 'too_small')
            message = n <= 1 ? (isText ? 'must not be empty' : 'must list at least one') : `must have at least ${n} ${unit}`;
          else message = `must have at most ${n} ${unit}${isText && typeof value === 'string' ? ` (it has ${value.length})` : ''}`;
          out.push({ path, message, hint: example });
        }
        break;
      }
      case 'invalid_value':
        out.push({ path, message: `must be one of: ${issue.values.map(String).join(', ')}`, hint: example });
        break;
      case 'invalid_format':
        out.push({ path, message: custom ? issue.message : `has the wrong form (${issue.format})`, hint: example });
        break;
      default:
        out.push({ path, message: issue.message, hint: (issue as { params?: { hint?: string } }).params?.hint ?? example });
    }
  }
  return out;
}

/** The save check of the web editor: the article schema and check:content's wording, in the browser. */
import { z } from 'astro/zod';
import type { SchemaContext } from 'astro:content';
import { articleSchema } from '../../schemas/article.ts';
import { fieldName, schemaProblems } from '../../checks/schema-problems.ts';

// Photos are checked on disk by check:content; here a photo is its file name.
const schema = articleSchema({ image: () => z.string().min(1) } as unknown as SchemaContext);

/** Decap keeps a cleared optional field as "" until it leaves it out of the saved file. */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== '' && v !== null && v !== undefined)
        .map(([k, v]) => [k, withoutEmpty(v)]),
    );
  }
  return value;
}

/** check:content's lines for an entry's frontmatter, or none. */
export function entryProblems(data: Record<string, unknown>): string[] {
  const { body: _body, ...frontmatter } = data;
  const cleaned = withoutEmpty(frontmatter) as Record<string, unknown>;
  const result = schema.safeParse(cleaned);
  if (result.success) return [];
  return schemaProblems(result.error.issues, cleaned, schema, 'articles').map(
    (p) => `${fieldName(p.path)}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`,
  );
}


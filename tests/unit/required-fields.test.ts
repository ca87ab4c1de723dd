import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'astro/zod';
import type { SchemaContext } from 'astro:content';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { articleSchema } from '../../src/schemas/article';
import { authorSchema } from '../../src/schemas/author';
import { stationSchema } from '../../src/schemas/station';
import { siteConfig } from '../../src/site.config';
import { checkContent } from '../../src/checks/index';
import { formatProblem, isError } from '../../src/content/problems';
import { EXAMPLES } from '../../src/checks/schema-problems';
import { site } from '../helpers/content-site';
import { FIXTURE_NOW, ROOT } from '../helpers/sites';

/**
 * Leaving out a required field reads "is required" with the example to copy, for every required
 * field of every collection (it once read `byline: has the wrong form (undefined)`). The fields
 * come from the schemas themselves, so a new required field is covered without touching this file.
 */
const context = { image: () => z.string() } as unknown as SchemaContext;
const required = (schema: z.ZodObject) =>
  Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);

const COLLECTIONS = [
  { collection: 'articles', file: 'articles/2026/good-story.md', fields: required(articleSchema(context)) },
  { collection: 'stations', file: 'stations/kfix.yaml', fields: required(stationSchema) },
  { collection: 'authors', file: 'authors/ada-reporter.yaml', fields: required(authorSchema(context)) },
] as const;

/** The file without `field`: YAML edited as YAML, so a block field goes with all its lines. */
function without(text: string, field: string): string {
  const story = /^---\n([\s\S]*?)\n---\n/.exec(text);
  const doc = parseDocument(story ? story[1]! : text);
  expect(doc.has(field), `the base file sets ${field}`).toBe(true);
  doc.delete(field);
  return story ? `---\n${String(doc)}---\n${text.slice(story[0].length)}` : String(doc);
}

it('finds the required fields (a schema change that makes them all optional would empty this test)', () => {
  expect(COLLECTIONS.map((c) => c.fields)).toEqual([
    ['title', 'dek', 'byline', 'station', 'date'],
    ['name', 'tagline', 'legalName', 'mission', 'timezone', 'stream', 'frequencies', 'donate'],
    ['name', 'title', 'bio'],
  ]);
});

describe.each(COLLECTIONS)('$collection', ({ collection, file, fields }) => {
  it.each(fields)('a missing %s is required, with the example', (field) => {
    const dir = site(`required-${collection}-${field}`, {});
    writeFileSync(join(dir, file), without(readFileSync(join(dir, file), 'utf8'), field));
    const { problems } = checkContent({
      contentDir: dir,
      root: ROOT,
      now: FIXTURE_NOW,
      embedHosts: siteConfig.embedHosts,
      defaultStation: 'kfix',
    });
    const example = (EXAMPLES[collection] as Record<string, string>)[field];
    expect(example, `schema-problems.ts has no example for ${collection}.${field}`).toBeDefined();
    const shown = `${join(dir, file).slice(ROOT.length)}: ${field}: is required (${example})`;
    expect(problems.filter(isError).map(formatProblem)).toContain(shown);
  });
});

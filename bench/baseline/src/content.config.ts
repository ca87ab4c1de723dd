import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

// The same story files Masthead builds, read with a loose schema and default glob options.
const contentDir = (process.env.MASTHEAD_CONTENT_DIR ?? '../.work/corpus-1000').replace(/\/+$/, '');

const stories = defineCollection({
  loader: glob({ pattern: '**/*.md', base: `${contentDir}/articles` }),
  schema: z.looseObject({
    title: z.string(),
    dek: z.string().optional(),
    date: z.coerce.date(),
    tags: z.array(z.string()).default([]),
  }),
});

export const collections = { stories };

import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { articleSchema } from './schemas/article';
import { authorSchema } from './schemas/author';
import { stationSchema } from './schemas/station';
import { contentDir } from './content-paths';

export { articleSchema, authorSchema, stationSchema };

/** Ids are the file's path without extension, as written. The permalink slug is derived
 * later, so two files that slug the same (`Hello World.md`, `hello-world.md`) reach the
 * data layer as two entries and are reported as a collision instead of one being dropped. */
const idFromPath = ({ entry }: { entry: string }) => entry.replace(/\.(md|ya?ml)$/i, '');

const articles = defineCollection({
  loader: glob({ pattern: '**/*.md', base: `${contentDir}/articles`, generateId: idFromPath }),
  schema: articleSchema,
});

const stations = defineCollection({
  loader: glob({ pattern: '*.yaml', base: `${contentDir}/stations`, generateId: idFromPath }),
  schema: stationSchema,
});

const authors = defineCollection({
  loader: glob({ pattern: '*.yaml', base: `${contentDir}/authors`, generateId: idFromPath }),
  schema: authorSchema,
});

export const collections = { articles, stations, authors };

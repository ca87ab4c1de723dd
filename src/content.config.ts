import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { bodiesFromEnv, storyLoader } from './content/story-loader';
import { articleSchema } from './schemas/article';
import { authorSchema } from './schemas/author';
import { stationSchema } from './schemas/station';
import { contentDir } from './content/paths';

export { articleSchema, authorSchema, stationSchema };

/** Ids are the file's path without extension, as written. The permalink slug is derived
 * later, so two files that slug the same (`Hello World.md`, `hello-world.md`) reach the
 * data layer as two entries and are reported as a collision instead of one being dropped. */
const idFromPath = ({ entry }: { entry: string }) => entry.replace(/\.(md|ya?ml)$/i, '');

const articles = defineCollection({
  // retainBody: false keeps the raw Markdown out of the content store, which every build
  // loads whole (at 10,000 stories: 143 -> 81 MB, peak memory -0.5 GB). Pages use the
  // rendered HTML (`render(entry)`, `entry.rendered.html`); nothing reads `entry.body`.
  // A part of the sharded build renders only the bodies it shows (MASTHEAD_BODIES, see story-loader.ts).
  loader: storyLoader({ pattern: '**/*.md', base: `${contentDir}/articles`, generateId: idFromPath, retainBody: false }, bodiesFromEnv()),
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

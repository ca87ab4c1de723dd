import { getCollection, type CollectionEntry } from 'astro:content';

export type Story = CollectionEntry<'stories'>;

let newestFirst: Promise<Story[]> | undefined;

/** Every story, newest first, read once per build. */
export function getStories(): Promise<Story[]> {
  newestFirst ??= getCollection('stories').then((all) => all.sort((a, b) => b.data.date.getTime() - a.data.date.getTime()));
  return newestFirst;
}

export const tagSlug = (tag: string) => tag.toLowerCase().replace(/[^a-z0-9]+/g, '-');

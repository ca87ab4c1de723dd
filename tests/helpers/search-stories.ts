import type { SearchStory } from '../../src/outputs/search-index';

const station = { data: { name: 'KFIX 90.1', timezone: 'America/Chicago' } };

/** A hand-made story for the search index: published at `iso` (UTC) at KFIX, filed under its month. */
export function searchStory(iso: string, slug: string, text: { title?: string | undefined; dek?: string | undefined } = {}): SearchStory {
  return {
    path: `/news/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${slug}/`,
    publishedAt: new Date(iso),
    month: { year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)) },
    station,
    byline: [{ name: 'Ada Reporter' }],
    topics: [{ name: 'Water' }],
    entry: {
      data: { title: text.title ?? `Harbor ${slug}`, dek: text.dek ?? `A dek about ${slug}.` },
      rendered: { html: `<p>Body of ${slug}.</p>` },
    },
  };
}

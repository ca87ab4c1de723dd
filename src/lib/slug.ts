import slugifyText from '@sindresorhus/slugify';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** URL-safe ASCII slug: "Ünïcödé News" → "unicode-news". */
export function slugify(text: string): string {
  // Already a slug (most file names): slugify would return it unchanged, at a tenth of the cost.
  if (SLUG.test(text)) return text;
  return slugifyText(text, { decamelize: false });
}

/** The slug a story file gets when its frontmatter sets none: its file name, slugified. */
export function slugFromPath(id: string): string {
  const base = id.split('/').pop() ?? id;
  return slugify(base);
}

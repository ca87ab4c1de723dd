import slugifyText from '@sindresorhus/slugify';

/** URL-safe ASCII slug: "Ünïcödé News" → "unicode-news". */
export function slugify(text: string): string {
  return slugifyText(text, { decamelize: false });
}

/** The slug a story file gets when its frontmatter sets none: its file name, slugified. */
export function slugFromPath(id: string): string {
  const base = id.split('/').pop() ?? id;
  return slugify(base);
}

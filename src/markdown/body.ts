/** Astro's frontmatter fence (`@astrojs/internal-helpers/frontmatter`): optional BOM or
 * leading blank lines, then `---` (or TOML's `+++`) … `---`. */
const FRONTMATTER = /(?:^\uFEFF?|^\s*\n)(?:---|\+\+\+)[\s\S]*?\n(?:---|\+\+\+)/;

/**
 * Where a story's Markdown body starts, as Astro sees it: after the frontmatter, with
 * surrounding whitespace trimmed. Astro renders only that trimmed body, so line numbers
 * from the Markdown pipeline are shifted by `line - 1` to point into the file.
 */
export function bodyStart(text: string): { offset: number; line: number } {
  const fence = FRONTMATTER.exec(text);
  let offset = fence ? fence.index + fence[0].length : 0;
  while (offset < text.length && /\s/.test(text[offset]!)) offset++;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { offset, line };
}

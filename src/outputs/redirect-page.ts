import { aliasGrammarProblem } from '../lib/alias-path.ts';
import { distFileOf } from '../lib/dist-path.ts';
import { escapeXml } from '../lib/escape.ts';

/** The file an alias is served from: `/old/path/` → `old/path/index.html`, `/old/page.html` as is.
 * Only a grammatical alias has a file: anything else (`//x`, `/../x`) could land outside its place. */
export function redirectFile(from: string): string {
  const problem = aliasGrammarProblem(from);
  if (problem) throw new Error(`redirect page: the alias ${problem}; run npm run check:content to see which story`);
  return distFileOf(from);
}

/**
 * A page that sends readers on to a story's new address: an instant meta refresh, a link for
 * anyone it does not move, a canonical link and `noindex` so search engines index only the story.
 */
export function redirectPage({ to, title, site, lang }: { to: string; title: string; site: string; lang: string }): string {
  const href = escapeXml(to);
  return `<!DOCTYPE html>
<html lang="${escapeXml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Moved: ${escapeXml(title)}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="${escapeXml(new URL(to, site).href)}">
<meta http-equiv="refresh" content="0; url=${href}">
</head>
<body>
<p>This story has moved to <a href="${href}">${escapeXml(title)}</a>.</p>
</body>
</html>
`;
}

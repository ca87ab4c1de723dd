import { parseAllRedirects } from '@netlify/redirect-parser';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listDist } from '../../src/integrations/host-files/index.ts';
import { HOST_FILES } from '../../src/integrations/host-files/policy.ts';
import { attr, elements, parseHtml, type Document } from '../../src/lib/html.ts';
import { isReaderPage } from '../../src/lib/dist-path.ts';
import type { RedirectRule, Site } from './types.ts';

/** The origin of the home page's canonical link. */
function canonicalOrigin(document: Document): string | undefined {
  for (const el of elements(document)) {
    if (el.tagName !== 'link' || !(attr(el, 'rel') ?? '').toLowerCase().split(/\s+/).includes('canonical')) continue;
    try {
      return new URL(attr(el, 'href') ?? '').origin;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Lists `dist/` and reads what several checks share; pages are parsed later, one at a time. */
export async function loadSite(dist: string): Promise<Site> {
  const allFiles = listDist(dist);
  const files = allFiles.filter((f) => !(HOST_FILES as readonly string[]).includes(f));
  const redirectsFile = join(dist, '_redirects');
  let redirects: Site['redirects'];
  if (existsSync(redirectsFile)) {
    const parsed = await parseAllRedirects({ redirectsFiles: [redirectsFile], configRedirects: [], minimal: false });
    redirects = { rules: parsed.redirects as RedirectRule[], errors: parsed.errors as Error[] };
  }
  return {
    dist,
    allFiles,
    files,
    fileSet: new Set(files),
    // Reader pages: /admin/ is the web editor's app (its own CSP; tests/e2e/web-editor.test.ts).
    htmlFiles: files.filter(isReaderPage),
    origin: existsSync(join(dist, 'index.html')) ? canonicalOrigin(parseHtml(readFileSync(join(dist, 'index.html'), 'utf8'))) : undefined,
    redirects,
  };
}

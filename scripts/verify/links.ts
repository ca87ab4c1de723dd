import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkReferences, cssReferences, scanLinks, type LinkProblem, type PageLinks, type SiteFiles } from '../lib/links.ts';
import { result, type Check, type Site } from './types.ts';

/** Links: every internal reference resolves to a file or an alias, every `#fragment` to an id
 * (scripts/lib/links.ts). */

/** How many pages to name for one missing target before summing up the rest. */
const PAGES_PER_TARGET = 50;

export function linksCheck(site: Site): Check {
  const pages = new Map<string, PageLinks>();
  return {
    name: 'links',
    page({ file, document }) {
      pages.set(file, scanLinks(document));
    },
    finish() {
      const out = result();
      const files: SiteFiles = {
        origin: site.origin ?? 'https://site.invalid',
        has: (f) => site.fileSet.has(f),
        redirects: new Set(site.redirects?.rules.map((r) => r.from)),
        ids: (f) => pages.get(f)?.ids,
      };
      const found: LinkProblem[] = [];
      let checked = 0;
      for (const [file, page] of pages) {
        checked += page.references.length;
        found.push(...checkReferences(file, page.references, page.media, files));
      }
      for (const file of site.files.filter((f) => f.endsWith('.css'))) {
        const refs = cssReferences(readFileSync(join(site.dist, file), 'utf8'));
        checked += refs.length;
        found.push(...checkReferences(file, refs, new Set(), files));
      }

      const byTarget = new Map<string, LinkProblem[]>();
      for (const p of found) byTarget.set(p.target, [...(byTarget.get(p.target) ?? []), p]);
      for (const [target, list] of byTarget) {
        for (const p of list.slice(0, PAGES_PER_TARGET)) out.problems.push({ file: p.file, message: p.message });
        if (list.length > PAGES_PER_TARGET) {
          out.problems.push({ file: `${list.length - PAGES_PER_TARGET} more pages`, message: `the same problem with ${target}` });
        }
      }
      out.summary = `${checked} references in ${pages.size} pages`;
      return out;
    },
  };
}

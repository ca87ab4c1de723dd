import { overBudget, pageAssets, pageWeigher, type PageWeight } from '../page-weight.ts';
import { result, type Check, type Site } from './types.ts';

/** Page weight, with the same measurement and budgets as `npm run budget` (scripts/page-weight.ts). */
export function budgetCheck(site: Site): Check {
  const weigh = pageWeigher(site.dist);
  const pages: PageWeight[] = [];
  return {
    name: 'budget',
    page({ file, html, document }) {
      // Only reader pages reach a check (src/lib/dist-path.ts, isReaderPage).
      pages.push(weigh(file, html, pageAssets(document)));
    },
    finish() {
      const out = result();
      for (const p of overBudget(pages)) {
        out.problems.push({ file: p.path, message: `${p.what} is ${p.bytes} bytes compressed, over its budget of ${p.budget}` });
      }
      out.summary = `${pages.length} pages weighed`;
      return out;
    },
  };
}

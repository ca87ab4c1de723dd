import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHtml } from '../../src/lib/html.ts';
import { articleCheck } from './article.ts';
import { budgetCheck } from './budget.ts';
import { feedsCheck } from './feeds.ts';
import { filesCheck } from './files.ts';
import { headersCheck } from './headers.ts';
import { htmlCheck } from './html-validity.ts';
import { linksCheck } from './links.ts';
import { pageCodeCheck } from './page-code.ts';
import { redirectsCheck } from './redirects.ts';
import { loadSite } from './site.ts';
import type { Check, CheckResult, Site } from './types.ts';

/** Every check, in the order they are reported. */
const CHECKS: ((site: Site) => Check | Promise<Check>)[] = [
  headersCheck,
  redirectsCheck,
  pageCodeCheck,
  articleCheck,
  linksCheck,
  htmlCheck,
  feedsCheck,
  filesCheck,
  budgetCheck,
];

export interface Report {
  name: string;
  result: CheckResult;
  seconds: number;
}

const crashed = (name: string, e: unknown): CheckResult => ({
  problems: [{ file: '(verify)', message: `the ${name} check crashed: ${(e as Error).stack ?? String(e)}` }],
  notes: [],
});

/**
 * Runs every check on a built site. Each page is read and parsed once (parse5, as a browser
 * parses it) and shown to every check in turn; a check that throws is reported as crashed,
 * and the others carry on.
 */
export async function verifySite(dist: string): Promise<Report[]> {
  const site = await loadSite(dist);
  const spent = new Map<Check, number>();
  const failed = new Map<Check, CheckResult>();
  const time = <T>(check: Check, run: () => T): T => {
    const started = performance.now();
    try {
      return run();
    } finally {
      spent.set(check, (spent.get(check) ?? 0) + performance.now() - started);
    }
  };

  const checks: Check[] = [];
  for (const create of CHECKS) {
    const started = performance.now();
    try {
      const check = await create(site);
      checks.push(check);
      spent.set(check, performance.now() - started);
    } catch (e) {
      const check: Check = { name: create.name.replace(/Check$/, ''), finish: () => crashed(create.name, e) };
      checks.push(check);
    }
  }

  let parsing = 0;
  for (const file of site.htmlFiles) {
    const started = performance.now();
    const html = readFileSync(join(dist, file), 'utf8');
    const page = { file, html, document: parseHtml(html) };
    parsing += performance.now() - started;
    for (const check of checks) {
      if (!check.page || failed.has(check)) continue;
      try {
        time(check, () => check.page!(page));
      } catch (e) {
        failed.set(check, crashed(check.name, e));
      }
    }
  }

  const reports: Report[] = [];
  for (const check of checks) {
    let r = failed.get(check);
    if (!r) {
      const started = performance.now();
      try {
        r = await check.finish();
      } catch (e) {
        r = crashed(check.name, e);
      }
      spent.set(check, (spent.get(check) ?? 0) + performance.now() - started);
    }
    reports.push({ name: check.name, result: r, seconds: (spent.get(check) ?? 0) / 1000 });
  }
  reports.push({
    name: 'parse',
    result: { problems: [], notes: [], summary: `${site.htmlFiles.length} pages parsed once with parse5` },
    seconds: parsing / 1000,
  });
  return reports;
}

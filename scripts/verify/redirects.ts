import { HOST_LIMITS } from '../../src/integrations/host-files/policy.ts';
import { fileOfPath } from '../lib/links.ts';
import { redirectRuleOf } from './redirect-pages.ts';
import { result, type Check, type RedirectRule, type Site } from './types.ts';

/**
 * `_redirects`: parses, stays within the host's limits, redirects (never rewrites) to files that
 * exist, matches one exact path per rule (no splats or placeholders), and never shadows a file:
 * Cloudflare Pages applies redirects before files, so a rule for `/rss.xml` would take the feed
 * away. The one file a rule may sit on is its own alias redirect page.
 */

const PERMITTED_REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

/** `*` anywhere, or a `:name` segment: a rule that matches more than one path. */
const isPattern = (path: string) => path.includes('*') || path.split('/').some((segment) => segment.startsWith(':'));

/** The files a host may answer `from` with: the file itself, its directory index, its pretty `.html`. */
function servedFiles(from: string): string[] {
  let path = from;
  try {
    path = decodeURIComponent(from);
  } catch {
    // Keep it as written.
  }
  const rel = path.replace(/^\/+/, '');
  if (rel === '' || rel.endsWith('/')) return [`${rel}index.html`];
  return [rel, `${rel}/index.html`, `${rel}.html`];
}

export function redirectsCheck(site: Site): Check {
  const out = result();
  const name = 'redirects';
  if (!site.redirects) {
    out.problems.push({
      file: '_redirects',
      message: 'is missing; the host-files integration (astro.config.mjs) writes it during `astro build`',
    });
    return { name, finish: () => out };
  }
  const { rules, errors } = site.redirects;
  const problem = (message: string) => out.problems.push({ file: '_redirects', message });
  for (const e of errors) problem(e.message);
  if (rules.length > HOST_LIMITS.redirects)
    problem(`has ${rules.length} redirects; Cloudflare Pages reads at most ${HOST_LIMITS.redirects} static ones`);

  // Hosts match paths without regard to case on some plans; compare as they might.
  const byLowerCase = new Map(site.allFiles.map((f) => [f.toLowerCase(), f]));
  const shadowed = new Map<string, { rule: RedirectRule; file: string }[]>();
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.from)) problem(`${r.from} is redirected twice`);
    seen.add(r.from);
    if (!PERMITTED_REDIRECT_STATUS.has(r.status ?? 0)) problem(`${r.from}: status ${r.status} is not a redirect Cloudflare Pages accepts`);
    let toPath: string | undefined;
    try {
      toPath = new URL(r.to, site.origin ?? 'https://site.invalid').pathname;
    } catch {
      problem(`${r.from} redirects to ${r.to}, which is not a URL`);
    }
    if (isPattern(r.from) || (toPath !== undefined && isPattern(toPath))) {
      problem(`${r.from} ${r.to} is a splat or placeholder rule; every alias must be one exact path`);
      continue;
    }
    if (r.to.startsWith('/') && !fileOfPath(site.fileSet, r.to.replace(/[?#].*$/, '')))
      problem(`${r.from} redirects to ${r.to}, which has no file`);
    for (const candidate of servedFiles(r.from)) {
      const file = byLowerCase.get(candidate.toLowerCase());
      if (file) shadowed.set(file, [...(shadowed.get(file) ?? []), { rule: r, file }]);
    }
  }

  return {
    name,
    page(page) {
      // An alias's own redirect page is the one file its rule may sit on.
      const own = shadowed.has(page.file) ? redirectRuleOf(page, site) : undefined;
      if (own)
        shadowed.set(
          page.file,
          shadowed.get(page.file)!.filter((s) => s.rule !== own),
        );
    },
    finish() {
      for (const [file, list] of shadowed) {
        for (const { rule } of list) {
          problem(
            `${rule.from} shadows ${file}, a file of the build: Cloudflare Pages applies redirects before files, so it would never be served`,
          );
        }
      }
      out.summary = `${rules.length} redirects`;
      return out;
    },
  };
}

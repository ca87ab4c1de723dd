import { urlPathOf } from '../../src/integrations/host-files/policy.ts';
import { redirectPage } from '../../src/outputs/redirect-page.ts';
import { attr, elements, textOf } from '../../src/lib/html.ts';
import type { Page, RedirectRule, Site } from './types.ts';

/** Files the host treats specially or the home page: an alias must never be written there. */
const NEVER_A_REDIRECT = new Set(['index.html', '404.html']);

/**
 * The `_redirects` rule a page is the redirect page of, if it is one: a page counts only if it
 * is, byte for byte, what src/outputs/redirect-page.ts writes for the values it shows, at the
 * file of a `_redirects` rule with the same target, and its canonical URL is on the site. So a
 * meta refresh in any other page, or a redirect page an alias wrote over another page through
 * a non-canonical path (`//stations/x/`), is not one.
 */
export function redirectRuleOf(page: Page, site: Pick<Site, 'origin' | 'redirects'>): RedirectRule | undefined {
  if (NEVER_A_REDIRECT.has(page.file) || !page.html.includes('http-equiv="refresh"')) return undefined;
  let lang: string | undefined;
  let title: string | undefined;
  let canonical: string | undefined;
  let to: string | undefined;
  for (const el of elements(page.document)) {
    if (el.tagName === 'html') lang ??= attr(el, 'lang');
    else if (el.tagName === 'title') title ??= textOf(el);
    else if (el.tagName === 'link' && attr(el, 'rel') === 'canonical') canonical ??= attr(el, 'href');
    else if (el.tagName === 'a') to ??= attr(el, 'href');
  }
  if (lang === undefined || !title?.startsWith('Moved: ') || canonical === undefined || to === undefined) return undefined;
  let expected: string;
  try {
    if (new URL(canonical).origin !== site.origin) return undefined;
    // The canonical URL is `to` resolved on the site, so resolving on it gives the same.
    expected = redirectPage({ to, title: title.slice('Moved: '.length), site: canonical, lang });
  } catch {
    return undefined;
  }
  if (expected !== page.html) return undefined;
  const path = urlPathOf(page.file);
  return site.redirects?.rules.find((r) => r.from === path && r.to === to);
}

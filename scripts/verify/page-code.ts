import { cspAllows, parsePolicies, urlPathOf } from '../../src/integrations/host-files/policy.ts';
import { BODY_CONTAINER, cspHash } from '../../src/integrations/host-files/scan.ts';
import {
  attr,
  attrName,
  describe,
  elements,
  isInside,
  isJavascriptUrl,
  parseNoscript,
  textOf,
  type Element,
  type ParentNode,
} from '../../src/lib/html.ts';
import { readHeaders } from './headers.ts';
import { redirectRuleOf } from './redirect-pages.ts';
import { result, type Check, type Page, type Site } from './types.ts';

/**
 * Code on pages, read from each page's parse5 tree as a browser would read it: no meta refresh
 * but in alias redirect pages, no script but the bundles in /_astro/ and the JSON the templates
 * write, no inline event handlers, no `javascript:` URLs, no `<base>`. The CSP would block most
 * of these; verify makes them fail before publishing rather than trusting the header to arrive.
 */

/** Where the build puts every bundled script (Astro's `build.assets`). */
export const SCRIPT_DIR = '/_astro/';

/** Inline data the templates write: JSON-LD (JsonLd.astro) and the player's station list
 * (LivePlayer.astro). A browser never runs them; they must still parse, or escaping broke. */
const DATA_BLOCK_TYPES = new Set(['application/ld+json', 'application/json']);

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'poster', 'data', 'background', 'cite', 'ping']);

export async function pageCodeCheck(site: Site): Promise<Check> {
  const out = result();
  const headers = await readHeaders(site.dist);
  let scripts = 0;

  const checkElement = (page: Page, el: Element, inBody: boolean, csp: Map<string, string[]>[] | undefined) => {
    const problem = (message: string) => out.problems.push({ file: page.file, message });
    for (const a of el.attrs) {
      const name = attrName(a);
      if (/^on/i.test(a.name)) problem(`has an inline event handler ${name}= on ${describe(el)}`);
      else if (URL_ATTRIBUTES.has(a.name) && isJavascriptUrl(a.value)) problem(`has a javascript: URL in ${name}= on ${describe(el)}`);
    }
    switch (el.tagName) {
      case 'meta':
        if ((attr(el, 'http-equiv') ?? '').trim().toLowerCase() === 'refresh' && !redirectRuleOf(page, site)) {
          problem(
            `has ${describe(el)} sending readers to "${attr(el, 'content') ?? ''}", but it is not an alias redirect page (src/outputs/redirect-page.ts)`,
          );
        }
        break;
      case 'base':
        problem(`has ${describe(el)}, which no template writes; it would change where every relative link points`);
        break;
      case 'script': {
        scripts++;
        if (inBody) {
          problem(`has ${describe(el)} inside the story body; story bodies never carry scripts`);
          break;
        }
        const src = attr(el, 'src') ?? attr(el, 'href');
        if (src !== undefined) {
          let url: URL | undefined;
          try {
            url = new URL(src, `${site.origin ?? 'https://site.invalid'}${urlPathOf(page.file)}`);
          } catch {
            // Reported below.
          }
          if (!url || url.origin !== (site.origin ?? 'https://site.invalid') || !url.pathname.startsWith(SCRIPT_DIR)) {
            problem(`loads a script from ${src} (${describe(el)}); the site's scripts all come from ${SCRIPT_DIR}`);
          }
          break;
        }
        const type = (attr(el, 'type') ?? '').trim().toLowerCase();
        const text = textOf(el);
        if (DATA_BLOCK_TYPES.has(type)) {
          try {
            JSON.parse(text);
          } catch (e) {
            problem(`has a ${type} block that is not JSON (${describe(el)}: ${(e as Error).message}); its escaping broke`);
          }
        } else if (!csp || !csp.every((policy) => cspAllows(policy, 'script-src-elem', cspHash(text)))) {
          problem(`has an inline script no template writes (${describe(el)}: ${text.trim().slice(0, 60)}); its hash is not in the CSP`);
        }
        break;
      }
    }
  };

  return {
    name: 'page code',
    page(page) {
      const policy = headers?.headersFor(urlPathOf(page.file))['content-security-policy'];
      const csp = policy ? parsePolicies(policy) : undefined;
      let body: Element | undefined;
      const visit = (root: ParentNode, lineOffset: number) => {
        for (const el of elements(root)) {
          if (!body && attr(el, BODY_CONTAINER) !== undefined) body = el;
          checkElement(page, el, !!body && (el === body || isInside(el, body)), csp);
          // With scripting off a browser parses <noscript> as markup; check what it would find.
          if (el.tagName === 'noscript' && lineOffset === 0) visit(parseNoscript(textOf(el)), 1);
        }
      };
      visit(page.document, 0);
    },
    finish() {
      out.summary = `${site.htmlFiles.length} pages, ${scripts} scripts`;
      return out;
    },
  };
}

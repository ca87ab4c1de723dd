import { attr, describe, elementChildren, elements, isInside, type Element } from '../../src/lib/html.ts';
import { BODY_CONTAINER, BODY_END } from '../../src/integrations/host-files/scan.ts';
import { result, type Check } from './types.ts';

/**
 * A story body stays inside its article. src/layouts/ArticleLayout.astro writes the body into
 * one container and ends that container with the end mark the CSP scan reads, both sealed with
 * the body's hash; raw HTML that closes what it did not open (`</div>`) moves the mark, or
 * leaves elements between the container and the mark outside the container, where they could
 * paint over the page with the site's own CSS.
 */

const startOf = (el: Element) => el.sourceCodeLocation?.startOffset;

export function articleCheck(): Check {
  const out = result();
  let articles = 0;
  return {
    name: 'articles',
    page({ file, document }) {
      const problem = (message: string) => out.problems.push({ file, message });
      const containers: Element[] = [];
      const ends: Element[] = [];
      let main: Element | undefined;
      for (const el of elements(document)) {
        if (attr(el, BODY_CONTAINER) !== undefined) containers.push(el);
        if (attr(el, BODY_END) !== undefined) ends.push(el);
        if (el.tagName === 'main') main ??= el;
      }
      if (containers.length === 0 && ends.length === 0) return;
      articles++;
      if (containers.length !== 1 || ends.length !== 1) {
        problem(
          `has ${containers.length} story body containers [${BODY_CONTAINER}] and ${ends.length} end markers [${BODY_END}]; the article template writes one of each, so the story body wrote the others`,
        );
        return;
      }
      const [container] = containers as [Element];
      const [end] = ends as [Element];
      if (!attr(container, BODY_CONTAINER) || attr(end, BODY_END) !== attr(container, BODY_CONTAINER)) {
        problem(
          `the story body's end mark ${describe(end)} does not carry the seal of its container ${describe(container)}; the article template writes both with the body's hash, so the story body wrote one`,
        );
        return;
      }
      const from = container.sourceCodeLocation?.startTag?.endOffset ?? 0;
      const to = startOf(end) ?? 0;
      // Everything written between the container's start tag and the marker is the story body.
      const leaked = [...elements(document)].filter((el) => {
        const at = startOf(el);
        return at !== undefined && at > from && at < to && !isInside(el, container);
      });
      if (leaked.length > 0) {
        problem(
          `the story body leaks out of its container: ${describe(leaked[0]!)}${leaked.length > 1 ? ` and ${leaked.length - 1} more elements` : ''} ended up outside [${BODY_CONTAINER}] (${describe(container)}), because the body closed elements it did not open`,
        );
      } else if (end.parentNode !== container || elementChildren(container).at(-1) !== end) {
        const parent = end.parentNode && 'tagName' in end.parentNode ? describe(end.parentNode) : 'the document';
        problem(
          `the story body did not end where the template ends it: the end marker ${describe(end)} is inside ${parent}, not last in ${describe(container)}, because the body left an element open or closed one it did not open`,
        );
      }
      const article = container.parentNode;
      if (!article || !('tagName' in article) || article.tagName !== 'article' || !main || !isInside(article, main)) {
        problem(
          `the story body container ${describe(container)} is not directly inside an <article> in <main>, where the template puts it`,
        );
      }
    },
    finish() {
      out.summary = `${articles} article pages`;
      return out;
    },
  };
}

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, serializeOuter, type DefaultTreeAdapterTypes } from 'parse5';
import type { Browser } from 'playwright-core';
import { markdownToHtml, type MarkdownToHtmlResult } from 'satteri';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_TAGS, htmlPolicyPlugin, LINE_OFFSET_DATA_KEY, POLICY_DATA_KEY, type BodyProblem } from '../../src/markdown/html-policy';
import { siteConfig } from '../../src/site.config';
import { parseSrcset } from '../../src/lib/srcset';
import { launchBrowser } from '../helpers/browser';
import { ROOT } from '../helpers/sites';

/**
 * The raw-HTML policy must mean what the browser means. Each snippet of a corpus of tricky
 * markup is rendered by the real Markdown pipeline with the policy; for every snippet the
 * policy accepts, the rendered story is put in an article page, parsed by parse5 as a whole
 * document (as a browser parses the page) and checked on that tree: the article body holds
 * only allowed elements, attributes and addresses, and the page's own markup after the body
 * is untouched. A few pages are also loaded in Chromium, whose tree must equal parse5's.
 */

const plugin = htmlPolicyPlugin({ embedHosts: siteConfig.embedHosts, onProblems: 'collect' });
const FILE = join(ROOT, 'tests/fixtures/content/articles/2026/local-story-with-photo.md');

function render(markdown: string) {
  const r = markdownToHtml(markdown, {
    mdastPlugins: [plugin],
    fileURL: pathToFileURL(FILE),
    data: { [LINE_OFFSET_DATA_KEY]: 0 },
  }) as MarkdownToHtmlResult;
  const problems = (r.data[POLICY_DATA_KEY] as BodyProblem[] | undefined) ?? [];
  return { html: r.html, errors: problems.filter((p) => p.severity === 'error') };
}

/** The article page around a rendered story, as the template writes it (trimmed). */
const page = (body: string) =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Story</title></head><body>' +
  '<main id="main"><article class="article" data-article><h1>Headline</h1>' +
  `<div class="body" data-article-body>${body}</div>` +
  '<nav class="topics" id="after"><a href="/topics/x/">Topics</a></nav></article></main>' +
  '<footer id="site-footer">Footer</footer></body></html>';

type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document;

const children = (n: Node): DefaultTreeAdapterTypes.ChildNode[] => ('childNodes' in n ? n.childNodes : []);
const elements = (n: Node) => children(n).filter((c): c is Element => 'tagName' in c);

function* walk(n: Node): Generator<Element> {
  for (const c of children(n)) {
    if ('tagName' in c) {
      yield c;
      yield* walk(c);
      if (c.tagName === 'template') yield* walk((c as DefaultTreeAdapterTypes.Template).content as unknown as Node);
    }
  }
}

/** Markup the Markdown renderer itself writes around a story's text and raw HTML. */
const MARKDOWN_TAGS = new Set(['p', 'img', 'section']);
const URL_ATTRS = new Set(['href', 'src', 'cite', 'action', 'formaction', 'poster', 'data', 'background', 'ping', 'srcset', 'xlink:href']);
const SAFE_PROTOCOLS = new Set(['https:', 'http:', 'mailto:', 'tel:']);

/** What the browser will build from the page, checked without the policy's own code. */
function violations(html: string): string[] {
  const doc = parse(page(html));
  const out: string[] = [];
  const [htmlEl] = elements(doc);
  const body = elements(htmlEl!).find((e) => e.tagName === 'body')!;
  const shape = (e: Element) =>
    `${e.tagName}${e.attrs.find((a) => a.name === 'id') ? `#${e.attrs.find((a) => a.name === 'id')!.value}` : ''}`;
  // The page around the story keeps its shape: main and the site footer in <body>, the
  // headline, the story body and the topics in <article>, the topics' link unwrapped.
  expect(elements(body).map(shape), 'the page around the story').toEqual(['main#main', 'footer#site-footer']);
  const article = elements(elements(body)[0]!)[0]!;
  expect(
    elements(article).map((e) => e.tagName),
    'the article',
  ).toEqual(['h1', 'div', 'nav']);
  const after = elements(article)[2]!;
  expect(serializeOuter(after)).toBe('<nav class="topics" id="after"><a href="/topics/x/">Topics</a></nav>');
  expect(serializeOuter(elements(body)[1]!)).toBe('<footer id="site-footer">Footer</footer>');

  for (const el of walk(elements(article)[1]!)) {
    if (!ALLOWED_TAGS.has(el.tagName) && !MARKDOWN_TAGS.has(el.tagName)) out.push(`<${el.tagName}>`);
    for (const { name, value } of el.attrs) {
      if (name.startsWith('on') || name === 'srcdoc' || name === 'style') out.push(`${name} on <${el.tagName}>`);
      if (!URL_ATTRS.has(name)) continue;
      for (const url of name === 'srcset' ? parseSrcset(value).map((c) => c.url) : [value]) {
        let protocol: string;
        try {
          protocol = new URL(url, 'https://masthead.test/story/').protocol;
        } catch {
          continue;
        }
        if (!SAFE_PROTOCOLS.has(protocol)) out.push(`${protocol} in ${name} on <${el.tagName}>`);
      }
      if (el.tagName === 'iframe' && name === 'src') {
        const host = new URL(value).hostname;
        if (!siteConfig.embedHosts.some((h) => h.host === host)) out.push(`iframe from ${host}`);
      }
    }
  }
  return out;
}

/** A node as [namespace, name, attributes, children], text and comments as strings (serialisers
 * differ: Chromium now escapes < and > in attribute values, parse5 7 does not). */
function shapeOf(n: DefaultTreeAdapterTypes.ChildNode): unknown {
  if (n.nodeName === '#text') return `#text ${(n as DefaultTreeAdapterTypes.TextNode).value}`;
  if (n.nodeName === '#comment') return `#comment ${(n as DefaultTreeAdapterTypes.CommentNode).data}`;
  const el = n as Element;
  const kids = el.tagName === 'template' ? (el as DefaultTreeAdapterTypes.Template).content.childNodes : el.childNodes;
  return [el.namespaceURI, el.tagName, el.attrs.map((a) => [a.prefix ? `${a.prefix}:${a.name}` : a.name, a.value]), kids.map(shapeOf)];
}

interface Snippet {
  name: string;
  markdown: string;
  /** What the policy decides; fixed here, so a change in either direction is seen. */
  accepted: boolean;
  /** Also compare Chromium's tree with parse5's. */
  browser?: boolean;
}

const YT = 'https://www.youtube-nocookie.com/embed/abc123';

const CORPUS: Snippet[] = [
  // comments
  { name: 'a plain comment', markdown: 'Text\n\n<!-- an editor note -->\n\nMore', accepted: true },
  { name: 'a comment ended by --!>', markdown: '<!-- x --!><b id="revealed">bold</b> -->', accepted: false, browser: true },
  { name: 'an empty comment <!-->', markdown: '<!--><b id="revealed">x</b>-->', accepted: false, browser: true },
  { name: 'an empty comment <!--->', markdown: '<!---><b id="revealed">x</b>-->', accepted: false },
  { name: 'a nested comment', markdown: '<!-- a <!-- b --> c -->', accepted: false },
  { name: 'an unclosed comment', markdown: '<!-- never closed\n\nMore text', accepted: false },
  { name: '--!> inside an attribute', markdown: '<span title="--!>">ok</span>', accepted: true, browser: true },
  { name: 'a processing instruction', markdown: '<div><?php echo 1 ?><b>x</b></div>', accepted: false },
  // CDATA
  { name: 'CDATA in HTML content', markdown: '<div><![CDATA[><b id="revealed">x</b>]]></div>', accepted: false, browser: true },
  // quotes and tags left open
  {
    name: 'a quote left open across blocks',
    markdown: '<div title="\n\nHe said " autofocus onfocus="x()" y="\n\n</div>',
    accepted: false,
    browser: true,
  },
  { name: 'an unclosed single quote', markdown: "<span title='x>y</span>\n\nMore text", accepted: false },
  { name: 'a tag without ">"', markdown: '<div class="a"\n\nMore text', accepted: false },
  { name: 'a self-closing div', markdown: '<div/>Text', accepted: false },
  { name: 'a duplicate attribute', markdown: '<a href="https://example.org/" href="javascript:x()">x</a>', accepted: false },
  { name: 'a quote in an attribute name', markdown: '<a "onclick=x()" href="https://example.org/">x</a>', accepted: false },
  // stray and missing end tags
  { name: 'a stray </div>', markdown: 'Text\n\n</div>\n\n<div class="x">Outside</div>', accepted: false, browser: true },
  { name: 'a stray </article>', markdown: 'Text</article>', accepted: false },
  { name: 'a stray </body>', markdown: 'Text\n\n</body>', accepted: false },
  { name: 'an unclosed div', markdown: '<div class="note">\n\nNever closed.', accepted: false, browser: true },
  { name: 'a link cut off by </p>', markdown: '<p><a href="https://example.org/">x</p>\n\nMore', accepted: false, browser: true },
  { name: 'nested links', markdown: '<a href="https://a.example/">one <a href="https://b.example/">two</a></a>', accepted: false },
  { name: 'a paragraph left open', markdown: '<p>An open paragraph', accepted: true, browser: true },
  { name: 'list items with implied ends', markdown: '<ul><li>one<li>two</ul>', accepted: true },
  // foreign content
  { name: 'svg with a style breakout', markdown: '<svg><style><b id="revealed">x</b></style></svg>', accepted: false, browser: true },
  { name: 'svg desc and title', markdown: '<svg><desc><b>x</b></desc><title><i>y</i></title></svg>', accepted: false },
  { name: 'math with a table and style', markdown: '<math><mtext><table><mglyph><style><img src=x onerror=x()>', accepted: false },
  // raw text and escapable raw text
  {
    name: 'noscript smuggling',
    markdown: '<div><noscript><p title="</noscript><b id="revealed">x</b>"></noscript></div>',
    accepted: false,
    browser: true,
  },
  { name: 'template content', markdown: '<template><b>x</b></template>', accepted: false },
  {
    name: 'textarea RCDATA',
    markdown: '<div><textarea><p title="</textarea><b id="revealed">x</b>"></textarea></div>',
    accepted: false,
    browser: true,
  },
  { name: 'a title element', markdown: '<div><title></title><b>x</b></div>', accepted: false },
  { name: 'plaintext', markdown: '<plaintext><b>x</b>', accepted: false },
  // entity tricks
  { name: 'an entity-encoded javascript: href', markdown: '<a href="&#x6A;avascript:x()">x</a>', accepted: false },
  { name: 'a &Tab; in the scheme', markdown: '<a href="java&Tab;script:x()">x</a>', accepted: false },
  { name: 'zero-padded decimal references', markdown: '<a href="&#0000106&#0000097vascript:x()">x</a>', accepted: false },
  { name: 'a legacy entity in a query', markdown: '<a href="https://example.org/?a=1&copy=2">x</a>', accepted: true, browser: true },
  { name: '< and & in text', markdown: '<q>3 < 5 & 6 > 2</q>', accepted: true, browser: true },
  // null bytes (raw HTML keeps them; browsers replace or drop them by context)
  { name: 'a null byte in an attribute', markdown: '<span title="a\u0000b">x</span>', accepted: false },
  // tables
  { name: 'a form in a table', markdown: '<table><form action="https://x.example/"><tr><td>x</td></tr></form></table>', accepted: false },
  { name: 'foster-parented bold', markdown: '<table><tr><td>x</td></tr><b>y</b></table>', accepted: true, browser: true },
  { name: 'a table with implied tbody', markdown: '<table><tr><td>1</td></tr></table>', accepted: true },
  { name: 'a select', markdown: '<select><option>x</select>', accepted: false },
  // attributes
  { name: 'a style attribute', markdown: 'A <span style="color:red">red</span> word', accepted: false },
  { name: 'an event handler', markdown: '<b onmouseover="x()">x</b>', accepted: false },
  { name: 'an iframe from an embed host', markdown: `<iframe src="${YT}" title="Video"></iframe>`, accepted: true },
  { name: 'an iframe with srcdoc', markdown: `<iframe src="${YT}" srcdoc="<b>x</b>" title="Video"></iframe>`, accepted: false },
  { name: 'an iframe left open', markdown: `<iframe src="${YT}" title="Video">\n\nMore`, accepted: false },
  // Markdown and raw HTML together
  {
    name: 'details around Markdown',
    markdown: '<details>\n<summary>More</summary>\n\nMarkdown *inside*, [a link](https://example.org/).\n\n</details>',
    accepted: true,
    browser: true,
  },
  // The browser closes <b> with the first paragraph and reopens it in the second, where </b> closes it.
  { name: 'bold across paragraphs', markdown: 'One <b>two\n\nthree</b> four', accepted: true, browser: true },
];

describe('the policy and the browser read a story the same way', () => {
  it.each(CORPUS.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const { html, errors } = render(s.markdown);
    expect(errors.length === 0, `policy errors: ${JSON.stringify(errors)}`).toBe(s.accepted);
    if (s.accepted) expect(violations(html)).toEqual([]);
  });

  it('the corpus holds both verdicts, and refused snippets would have been harmful or ambiguous', () => {
    expect(CORPUS.filter((s) => s.accepted).length).toBeGreaterThan(5);
    // Without the policy, these refused snippets would break the page or reach the reader.
    const harmful = CORPUS.filter((s) => !s.accepted).filter((s) => {
      try {
        return violations(markdownToHtml(s.markdown, {}).html).length > 0;
      } catch {
        return true; // the page around the story lost its shape
      }
    });
    expect(harmful.length).toBeGreaterThan(20);
  });
});

describe('Chromium builds the same tree as parse5', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const chosen = CORPUS.filter((s) => s.browser);
  it('for every chosen snippet, the page body is the same tree', async () => {
    expect(chosen.length).toBeGreaterThanOrEqual(12);
    const context = await browser.newContext();
    const tab = await context.newPage();
    // Nothing leaves the test: the page is answered here and every other request fails.
    await tab.route('**/*', (route) => {
      const html = pages.get(route.request().url());
      return html === undefined ? route.abort() : route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    });
    const pages = new Map<string, string>();
    for (const [i, s] of chosen.entries()) {
      const { html } = render(s.markdown);
      const url = `https://masthead.test/story-${i}/`;
      pages.set(url, page(html));
      await tab.goto(url);
      const browserTree = await tab.evaluate(() => {
        // (A function of its own: it runs in the page.)
        const shape = (n: globalThis.Node): unknown => {
          if (n.nodeType === 3) return `#text ${n.nodeValue}`;
          if (n.nodeType === 8) return `#comment ${n.nodeValue}`;
          const el = n as globalThis.Element;
          const kids = el.localName === 'template' ? (el as HTMLTemplateElement).content.childNodes : el.childNodes;
          return [el.namespaceURI, el.localName, [...el.attributes].map((a) => [a.name, a.value]), [...kids].map(shape)];
        };
        return shape(document.body);
      });
      const doc = parse(page(html));
      const body = elements(elements(doc)[0]!).find((e) => e.tagName === 'body')!;
      expect(browserTree, s.name).toEqual(shapeOf(body));
    }
    await context.close();
  }, 60_000);
});

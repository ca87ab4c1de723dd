import { describe, expect, it } from 'vitest';
import { isJavascriptUrl, parseHtml } from '../../src/lib/html';
import { articleCheck } from '../../scripts/verify/article';
import { svgDangers } from '../../scripts/verify/files';
import { pageCodeCheck } from '../../scripts/verify/page-code';
import type { CheckResult, Site } from '../../scripts/verify/types';

/** An article page as ArticleLayout.astro writes it, with `body` as the story's HTML. */
const articlePage = (body: string) =>
  `<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><main id="main"><div class="page-width">` +
  `<article class="article" data-article><header><h1>Headline</h1></header>` +
  `<div class="body" data-article-body="seal">${body}<div data-article-body-end="seal" hidden></div></div>` +
  `<nav class="topics" aria-label="Topics"></nav></article></div></main></body></html>`;

const articleProblems = (html: string) => {
  const check = articleCheck();
  check.page!({ file: 'news/x/index.html', html, document: parseHtml(html) });
  return (check.finish() as CheckResult).problems.map((p) => p.message);
};

describe('the article check', () => {
  it('passes balanced bodies, whatever they contain', () => {
    expect(articleProblems(articlePage('<p>One <em>two</em></p><table><tr><td>cell</td></tr></table><p>unclosed'))).toEqual([]);
  });

  it('leaves pages without a story body alone', () => {
    expect(articleProblems('<!DOCTYPE html><html><body><main><div>home</div></main></body></html>')).toEqual([]);
  });

  it('names the first element a `</div>` leaked out of the container', () => {
    const [message] = articleProblems(articlePage('<p>a</p></div><div class="live-player">Sign in</div><div>'));
    expect(message).toMatch(/^the story body leaks out of its container: <div class="live-player"> \(line 1\) and 1 more elements/);
  });

  it('refuses a body that leaves an element open around the marker', () => {
    const [message] = articleProblems(articlePage('<span class="x">open'));
    expect(message).toMatch(/the end marker <div data-article-body-end="seal" hidden> \(line 1\) is inside <span class="x">/);
  });

  it('refuses a body that writes its own container or marker', () => {
    expect(articleProblems(articlePage('</div><div data-article-body>'))).toEqual([
      expect.stringMatching(/^has 2 story body containers \[data-article-body\] and 1 end markers/),
    ]);
    expect(articleProblems(articlePage('<template><div data-article-body-end="seal" hidden></div></template>'))).toEqual([
      expect.stringMatching(/^has 1 story body containers \[data-article-body\] and 2 end markers/),
    ]);
  });

  it("refuses an end mark that does not carry the container's seal", () => {
    const forged = articlePage('').replace('data-article-body-end="seal"', 'data-article-body-end="forged"');
    expect(articleProblems(forged)).toEqual([
      expect.stringMatching(/^the story body's end mark <div data-article-body-end="forged" hidden> \(line 1\) does not carry the seal/),
    ]);
  });

  it('refuses a body that closes the article and main, even when it reopens them', () => {
    const problems = articleProblems(articlePage('</div></article></div></main><main><div><article><div class="body">'));
    expect(problems[0]).toMatch(/^the story body leaks out of its container: <main> \(line 1\)/);
  });
});

describe('scripted SVG', () => {
  const svg = (inner: string, attrs = '') =>
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"${attrs}>${inner}</svg>`;

  it('passes a plain drawing', () => {
    expect(svgDangers(svg('<title>Chart</title><rect width="10" height="10" fill="#c00"/><a href="https://example.org/">x</a>'))).toEqual(
      [],
    );
  });

  it.each([
    ['a script', svg('<script>alert(1)</script>'), '<script> (line 1)'],
    ['an XHTML script', svg('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>'), '<h:script> (line 1)'],
    ['foreignObject', svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'), '<foreignObject> (line 1)'],
    ['onload', svg('', ' onload="alert(1)"'), 'the event handler onload= on <svg> (line 1)'],
    ['a javascript: link', svg('<a xlink:href=" java&#9;script:alert(1)">x</a>'), 'a javascript: URL in xlink:href= on <a> (line 1)'],
    ['an animated handler', svg('<set attributeName="onmouseover" to="alert(1)"/>'), 'an animation of onmouseover= on <set> (line 1)'],
    ['entities', `<!DOCTYPE svg [<!ENTITY x "y">]>${svg('')}`, 'a DOCTYPE that declares entities'],
  ])('refuses %s', (_name, text, found) => {
    expect(svgDangers(text)).toContain(found);
  });

  it('refuses what does not parse as XML, since it cannot be checked', () => {
    expect(svgDangers('<svg><rect></svg>')).toEqual([expect.stringMatching(/^markup that does not parse as XML/)]);
  });
});

describe('javascript: URLs', () => {
  it.each(['javascript:alert(1)', ' JavaScript:x', '\x01java\tscript:x', 'java\nscript:x'])('%j runs code', (url) => {
    expect(isJavascriptUrl(url)).toBe(true);
  });
  it.each(['https://example.org/javascript:x', '/javascript/', 'javascript', '#javascript:'])('%j does not', (url) => {
    expect(isJavascriptUrl(url)).toBe(false);
  });
});

describe('the page code check', () => {
  const site: Site = {
    dist: '/nonexistent-dist',
    allFiles: ['page.html'],
    files: ['page.html'],
    fileSet: new Set(['page.html']),
    htmlFiles: ['page.html'],
    origin: 'https://news.example.org',
  };
  const pageProblems = async (body: string, head = '') => {
    const html = `<!DOCTYPE html><html lang="en"><head><title>x</title>${head}</head><body>${body}</body></html>`;
    const check = await pageCodeCheck(site);
    check.page!({ file: 'page.html', html, document: parseHtml(html) });
    return ((await check.finish()) as CheckResult).problems.map((p) => p.message);
  };

  it('passes the bundles and the JSON the templates write', async () => {
    expect(
      await pageProblems(
        '<script type="application/json" data-stations>{"a":1}</script><script type="module" src="/_astro/x.js"></script>',
        '<script type="application/ld+json">{"@type":"NewsArticle"}</script>',
      ),
    ).toEqual([]);
  });

  it.each([
    [
      'a refresh after a comment a browser ends at --!>',
      '<!-- x --!><meta http-equiv="Refresh" content="0; url=https://evil.example/"> -->',
      /^has <meta http-equiv="Refresh"/,
    ],
    [
      'a refresh a browser without scripts would follow',
      '<noscript><meta http-equiv="refresh" content="0; url=/x"></noscript>',
      /^has <meta http-equiv="refresh"/,
    ],
    [
      'an SVG script from elsewhere',
      '<svg><script href="https://evil.example/x.js"></script></svg>',
      /^loads a script from https:\/\/evil\.example\/x\.js/,
    ],
    ['a script on the site but outside /_astro/', '<script src="/uploads/x.js"></script>', /^loads a script from \/uploads\/x\.js/],
    [
      'JSON that an escape broke',
      '<script type="application/ld+json">{"name":"</script><p>x</p>',
      /^has a application\/ld\+json block that is not JSON/,
    ],
    ['an inline script', '<script>alert(1)</script>', /^has an inline script no template writes/],
    ['an event handler on SVG', '<svg><rect onmouseover="alert(1)"/></svg>', /^has an inline event handler onmouseover= on <rect/],
    ['a javascript: link with an entity', '<a href="java&#x09;script:alert(1)">x</a>', /^has a javascript: URL in href= on <a/],
    [
      'a <base>',
      '<base href="https://evil.example/">',
      /^has <base href="https:\/\/evil\.example\/"> \(line 1\), which no template writes/,
    ],
  ])('refuses %s', async (_name, body, message) => {
    expect(await pageProblems(body)).toContainEqual(expect.stringMatching(message));
  });
});

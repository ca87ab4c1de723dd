import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { markdownToHtml, type MarkdownToHtmlResult } from 'satteri';
import { describe, expect, it } from 'vitest';
import { bodyStart } from '../../src/content/frontmatter';
import { htmlPolicyPlugin, LINE_OFFSET_DATA_KEY, POLICY_DATA_KEY, type BodyProblem } from '../../src/markdown/html-policy';
import { siteConfig } from '../../src/site.config';
import { ROOT } from '../helpers/sites';
import { all, attr, one, parseFragment, text, the } from '../helpers/html';

// Body images resolve beside this (real) story, which has riverfront-library.jpg next to it.
const CONTENT = join(ROOT, 'tests/fixtures/content');
const FILE = join(CONTENT, 'articles/2026/local-story-with-photo.md');
const plugin = htmlPolicyPlugin({ embedHosts: siteConfig.embedHosts, contentDir: CONTENT, onProblems: 'collect' });

function render(markdown: string, lineOffset = 0) {
  const r = markdownToHtml(markdown, {
    mdastPlugins: [plugin],
    fileURL: pathToFileURL(FILE),
    data: { [LINE_OFFSET_DATA_KEY]: lineOffset },
  }) as MarkdownToHtmlResult;
  const problems = (r.data[POLICY_DATA_KEY] as BodyProblem[] | undefined) ?? [];
  return { html: r.html, problems, errors: problems.filter((p) => p.severity === 'error') };
}

describe('the raw-HTML policy', () => {
  it('allows formatting, tables, figures, asides and details, unchanged', () => {
    const md = [
      'Text with <mark>marks</mark>, <abbr title="Public Radio">PR</abbr> and H<sub>2</sub>O.',
      '',
      '<figure>\n<blockquote>A quote.</blockquote>\n<figcaption>Someone, 2026</figcaption>\n</figure>',
      '',
      '<aside class="note">Related: <a href="https://example.org/x">more</a></aside>',
      '',
      '<details>\n<summary>Full results</summary>\n\n| Ward | Yes |\n|---|---|\n| 1 | 412 |\n\n</details>',
      '',
      '<table><caption>Votes</caption><thead><tr><th scope="col">Ward</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>',
    ].join('\n');
    const { html, problems } = render(md);
    expect(problems).toEqual([]);
    const $ = parseFragment(html);
    expect(text(all($, 'figure figcaption'))).toBe('Someone, 2026');
    expect(text(all($, 'details summary'))).toBe('Full results');
    expect(text(one($, 'details table td'))).toBe('1');
    expect(attr(one($, 'aside a'), 'href')).toBe('https://example.org/x');
  });

  it('renders an iframe from a listed host lazy, in a wrapper sized by its kind', () => {
    const { html, problems } = render(
      '<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/abc123" title="Council meeting video" allowfullscreen></iframe>',
    );
    expect(problems).toEqual([]);
    const $ = parseFragment(html);
    const iframe = the($, '.mh-embed[data-embed-kind="video"] > iframe');
    expect(attr(iframe, 'src')).toBe('https://www.youtube-nocookie.com/embed/abc123');
    expect(attr(iframe, 'loading')).toBe('lazy');
    expect(attr(iframe, 'title')).toBe('Council meeting video');
    expect(attr(iframe, 'allowfullscreen')).toBe('');
    expect(attr(iframe, 'referrerpolicy')).toBe('strict-origin-when-cross-origin');
  });

  it.each([
    ['a script', 'Hi\n\n<script>alert(1)</script>', '<script> is not allowed', 'embed code'],
    ['a script in inline HTML', 'Hi <script src="https://x.example/a.js"></script> there', '<script> is not allowed', 'embed code'],
    ['a style element', '<style>p { color: red }</style>', '<style> is not allowed', 'Markdown'],
    ['an event handler', 'A <span onclick="steal()">trap</span>', 'onclick="…" on <span> is not allowed', 'remove the attribute'],
    ['an upper-case handler', '<div ONLOAD="x()">y</div>', 'onload="…" on <div>', 'remove'],
    ['a javascript: link in Markdown', '[x](javascript:alert(1))', 'a link uses a javascript: address', 'https://'],
    ['a javascript: autolink', '<javascript:alert(1)>', 'javascript: address', 'https://'],
    ['an obfuscated javascript: href', '<a href="jav&#x09;ascript:alert(1)">x</a>', 'href on <a> uses a javascript: address', 'https://'],
    ['a vbscript: href', '<a href=" vbscript:msgbox">x</a>', 'vbscript: address', 'https://'],
    ['a data: image', '![chart](data:image/png;base64,AAAA)', 'an image uses a data: address', 'beside the story'],
    [
      'a data: URL in srcset',
      '<div><img srcset="a.jpg 1x, data:image/png;base64,AA 2x" alt=""></div>',
      'srcset on <img> uses a data: address',
      'beside',
    ],
    [
      'a javascript: URL after a CDN resize URL in srcset',
      '<div><img srcset="/cdn-cgi/image/width=480,quality=80/a.jpg 480w, javascript:alert(1) 800w" alt=""></div>',
      'srcset on <img> uses a javascript: address',
      'https://',
    ],
    [
      'a javascript: link definition',
      '[x][evil]\n\n[evil]: javascript:alert(1)',
      'link definition [evil] uses a javascript: address',
      'https://',
    ],
    [
      'an iframe from an unlisted host',
      '<iframe src="https://evil.example.com/p" title="x"></iframe>',
      'from evil.example.com is not an allowed embed host',
      'YouTube at www.youtube-nocookie.com/embed/',
    ],
    ['an iframe over http', '<iframe src="http://www.youtube.com/embed/x" title="x"></iframe>', 'must load over https://', 'https://'],
    ['an iframe without a title', '<iframe src="https://player.vimeo.com/video/1"></iframe>', '<iframe> needs a title', 'screen-reader'],
    ['an iframe with srcdoc', '<iframe srcdoc="<script>x</script>" title="x"></iframe>', '<iframe srcdoc> is not allowed', 'embed code'],
    [
      'a page address instead of an embed address',
      '<iframe src="https://www.youtube.com/watch?v=x" title="x"></iframe>',
      'must use its embed address (https://www.youtube.com/embed/…)',
      '"Embed" code',
    ],
    [
      'an iframe inside a paragraph',
      'See <iframe src="https://www.youtube.com/embed/x" title="x"></iframe> here',
      'must be written whole, on its own lines',
      'blank line',
    ],
    ['a form', '<form action="https://x.example"><input name="q"></form>', '<form> is not allowed', 'link to the form'],
    ['an object', '<object data="https://x.example/a.swf"></object>', '<object> is not allowed', 'embed code'],
    ['a raw image', '<img src="./photo.jpg" alt="x">', '<img> is not allowed', '![description](./photo.jpg)'],
    ['a base element', '<base href="https://evil.example/">', '<base> is not allowed', 'page template'],
    ['a level-1 heading', '# A second headline', 'a level-1 heading (# …) is not allowed', 'start sections with ##'],
    ['a raw h1', '<h1>Big</h1>', '<h1> is not allowed', '##'],
    ['a skipped heading level', '## Section\n\n#### Too deep', 'heading level jumps from ## to ####', 'use ### here'],
    ['a first heading below h2', '### Starts at three', 'heading level jumps from the headline to ###', 'use ## here'],
    ['a raw heading that skips', '## Section\n\n<h5>Deep</h5>', 'heading level jumps from ## to #####', 'use ###'],
    ['a missing body image', '![The river](./no-such-photo.jpg)', 'image ./no-such-photo.jpg is not beside the story', 'case-sensitive'],
    ['a body image that is not an image', '![Report](./report.pdf)', './report.pdf is not an image the site can use', '.jpg'],
  ])('refuses %s, saying why and what to do', (_name, md, message, hint) => {
    const { errors } = render(md);
    const error = errors.find((e) => e.message.includes(message));
    expect(error, JSON.stringify(errors)).toBeDefined();
    expect(error!.hint).toContain(hint);
  });

  it('accepts sane headings, body images beside the story and https links', () => {
    const { problems } = render(
      'Lead.\n\n## One\n\n### One point one\n\n## Two\n\n![The library](./riverfront-library.jpg)\n\n[Site](https://example.org/)',
    );
    expect(problems).toEqual([]);
  });

  it('warns, without failing, about http: links and images without a description', () => {
    const { problems, errors } = render('[old site](http://example.org/page)\n\n![](./riverfront-library.jpg)');
    expect(errors).toEqual([]);
    expect(problems.map((p) => p.message)).toEqual([
      'a link goes to an insecure http: address, http://example.org/page',
      'image ./riverfront-library.jpg has no description',
    ]);
  });

  it('names the line in the file: inside a multi-line block, after the frontmatter', () => {
    const file = '---\ntitle: x\n---\n\nIntro.\n\n<figure>\n<figcaption>ok</figcaption>\n<script>bad()</script>\n</figure>\n';
    const start = bodyStart(file);
    expect(start.line).toBe(5);
    const { errors } = render(file.slice(start.offset), start.line - 1);
    expect(errors.map((e) => e.line)).toEqual([9]);
  });

  it("hands each document's problems to the build's callback, with the file", () => {
    const seen: { file: string; problems: BodyProblem[] }[] = [];
    const build = htmlPolicyPlugin({
      embedHosts: siteConfig.embedHosts,
      contentDir: CONTENT,
      onProblems: (file, problems) => seen.push({ file, problems }),
    });
    markdownToHtml('Hi\n\n<script>x()</script>', {
      mdastPlugins: [build],
      fileURL: pathToFileURL(FILE),
      data: { [LINE_OFFSET_DATA_KEY]: 10 },
    });
    markdownToHtml('Fine.', { mdastPlugins: [build], fileURL: pathToFileURL(FILE) });
    expect(seen).toEqual([{ file: FILE, problems: [expect.objectContaining({ line: 13, severity: 'error' })] }]);
  });
});

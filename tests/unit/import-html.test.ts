import { toText } from 'hast-util-to-text';
import rehypeParse from 'rehype-parse';
import { markdownToHtml, type MarkdownToHtmlResult } from 'satteri';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { htmlToMdast, htmlToText, toMarkdown } from '../../src/import/html-to-markdown';
import { autop, expandShortcodes, parseAttributes } from '../../src/import/shortcodes';
import { htmlPolicyPlugin, POLICY_DATA_KEY, type BodyProblem } from '../../src/markdown/html-policy';
import { siteConfig } from '../../src/site.config';

const embedHosts = siteConfig.embedHosts;
const convert = (html: string, names: (src: string) => string | undefined = (s) => s.split('/').pop()) => {
  const c = htmlToMdast(html, { embedHosts });
  return { ...c, md: toMarkdown(c.tree, names) };
};
/** The Markdown rendered as the build renders it, through the same HTML policy. */
const render = (md: string) => {
  const r = markdownToHtml(md, { mdastPlugins: [htmlPolicyPlugin({ embedHosts, onProblems: 'collect' })] }) as MarkdownToHtmlResult;
  return { html: r.html, problems: (r.data[POLICY_DATA_KEY] as BodyProblem[] | undefined) ?? [] };
};
const text = (html: string) =>
  toText(unified().use(rehypeParse, { fragment: true }).parse(html))
    .replace(/[ \t\n\r]+/g, ' ')
    .trim();

describe('HTML to Markdown', () => {
  it('round-trips the UTF-8 challenge exactly: what readers see is the same text', () => {
    const html =
      '<p>“Curly quotes,” ‘single ones,’ an em dash — and an en dash –, a non-breaking&nbsp;space, it&#8217;s 5&nbsp;°C, ' +
      'AT&amp;T, 5 &lt; 6 &gt; 4, &amp;nbsp; written out, an emoji 🎉 👩🏽‍🚀, 日本語のテキスト, עברית, مرحبا, \u200Fmarks\u200E, ' +
      'a star * an _underscore_ a [bracket] a `tick` a #hash and a \\backslash.</p>' +
      '<p><strong>Bold “quote”</strong> and <em>it’s</em> <a href="https://example.org/a?b=1&amp;c=2">a link</a>.</p>';
    const { md } = convert(html);
    expect(md).toContain('a non-breaking\u00A0space');
    expect(md).toContain('5\u00A0°C');
    const rendered = render(md);
    expect(rendered.problems).toEqual([]);
    expect(text(rendered.html)).toBe(text(html));
    expect(rendered.html).toContain('href="https://example.org/a?b=1&amp;c=2"');
  });

  it('starts headings at ## and never skips a level', () => {
    const { md } = convert('<h1>One</h1><p>a</p><h4>Four</h4><p>b</p><h2>Two</h2><p>c</p><h3>Three</h3>');
    expect(md.match(/^#+ .*$/gm)).toEqual(['## One', '### Four', '### Two', '#### Three']);
    // A body whose top heading is h3 moves up to ##.
    expect(convert('<h3>A</h3><p>x</p><h4>B</h4>').md.match(/^#+ .*$/gm)).toEqual(['## A', '### B']);
    expect(render(convert('<h1>One</h1><h5>Five</h5>').md).problems).toEqual([]);
  });

  it('keeps iframes from embed hosts as whole blocks and turns others into links', () => {
    const { md, dropped } = convert(
      '<p>Watch <iframe src="https://www.youtube.com/embed/x1" style="border:0" width="560" height="315" allowfullscreen></iframe> now</p>' +
        '<iframe src="https://evil.example.com/frame" title="Poll"></iframe><iframe src="https://www.youtube.com/watch?v=x1"></iframe>',
    );
    expect(md).toContain(
      '\n\n<iframe src="https://www.youtube.com/embed/x1" title="YouTube video" width="560" height="315" allowfullscreen></iframe>\n\n',
    );
    expect(md).not.toContain('style');
    expect(md).toContain('[Poll](https://evil.example.com/frame)');
    // The watch page is not an embed address: a link, not an iframe.
    expect(md).toContain('(https://www.youtube.com/watch?v=x1)');
    expect(dropped['iframe from another host (now a link)']).toBe(2);
    const r = render(md);
    expect(r.problems).toEqual([]);
    expect(r.html).toContain('data-embed-kind="video"');
  });

  it('drops scripts, styles, forms, tracking pixels, share widgets, SVG and script links, and counts each', () => {
    const { md, dropped, images } = convert(
      '<p>Keep me.</p><script>alert("SCRIPT")</script><style>p{}</style><form><input name="q"><button>Go</button></form>' +
        '<div class="sharedaddy sd-sharing">Share on Facebook</div><img src="https://pixel.wp.com/g.gif" width="1" height="1">' +
        '<img src="https://cdn.example.org/chart.svg" alt="chart"><img src="data:image/png;base64,AAAA" alt="x">' +
        '<p><a href="javascript:alert(1)">click</a> <a href=" JaVa\tscript:alert(2)">two</a></p><svg><script>x</script></svg>',
    );
    expect(md).toBe('Keep me.\n\nclick two\n');
    expect(images).toEqual([]);
    expect(dropped).toEqual({
      script: 1,
      style: 1,
      form: 1,
      'share widget': 1,
      'tracking pixel': 1,
      'SVG image': 1,
      'data: image': 1,
      'script link': 2,
      svg: 1,
    });
  });

  it('lists images once, names them through the caller, and removes those that could not be saved', () => {
    const html =
      '<p><img src="https://x.org/a.jpg" alt="First" style="width:100%"></p><figure><img src="https://x.org/b.jpg" alt="Second"><figcaption>The caption</figcaption></figure><p>text <img src="https://x.org/a.jpg" alt="First"></p>';
    const c = htmlToMdast(html, { embedHosts });
    expect(c.images).toEqual([
      { src: 'https://x.org/a.jpg', alt: 'First' },
      { src: 'https://x.org/b.jpg', alt: 'Second' },
    ]);
    const md = toMarkdown(c.tree, (src) => (src.endsWith('a.jpg') ? 'story-a.jpg' : undefined));
    expect(md).toBe('![First](./story-a.jpg)\n\n_The caption_\n\ntext ![First](./story-a.jpg)\n');
    // The tree is not changed by naming, so it can be named again.
    expect(toMarkdown(c.tree, () => 'n.jpg')).toContain('![Second](./n.jpg)');
  });

  it('resolves relative addresses against the page, and photos saved with a page against its folder', () => {
    const c = htmlToMdast('<p><a href="/news/x">x</a> <img src="story_files/p.jpg" alt="p"> <img src="/img/q.jpg" alt="q"></p>', {
      embedHosts,
      baseUrl: 'https://old.example.org/2020/story',
      localBase: 'file:///saved/',
    });
    expect(c.images.map((i) => i.src)).toEqual(['file:///saved/story_files/p.jpg', 'https://old.example.org/img/q.jpg']);
    expect(toMarkdown(c.tree, () => undefined)).toBe('[x](https://old.example.org/news/x)\n');
  });

  it('reads titles and excerpts as text, entities decoded, non-breaking spaces kept', () => {
    expect(htmlToText('It&#8217;s&nbsp;a <b>test</b> &amp; more &lt;3')).toBe('It’s\u00A0a test & more <3');
  });
});

describe('WordPress shortcodes and blocks', () => {
  const ctx = {
    attachment: (id: string) =>
      id === '7' ? { url: 'https://old.org/wp-content/uploads/p.jpg', alt: 'A "photo"', caption: 'Cap & tion' } : undefined,
  };

  it('turns [caption], [gallery], [audio] and [embed] into their content, and leaves unknown ones as text', () => {
    const r = expandShortcodes(
      '[caption id="attachment_7" align="alignnone" width="300"]<a href="https://old.org/p"><img src="https://old.org/p.jpg" alt="P"></a> The caption[/caption]' +
        '[gallery ids="7,8"][audio mp3="https://old.org/a.mp3"][/audio][embed]https://vimeo.com/1[/embed]' +
        '[contact-form-7 id="4"] [sic] [[caption]]',
      ctx,
    );
    expect(r.html).toBe(
      '<figure><img src="https://old.org/p.jpg" alt="P"><figcaption>The caption</figcaption></figure>' +
        '<figure><img src="https://old.org/wp-content/uploads/p.jpg" alt="A &quot;photo&quot;"><figcaption>Cap &amp; tion</figcaption></figure>' +
        '<p><a href="https://old.org/a.mp3">Listen: a.mp3</a></p><p><a href="https://vimeo.com/1">https://vimeo.com/1</a></p>' +
        '[contact-form-7 id="4"] [sic] [caption]',
    );
    expect(r.converted).toEqual({ caption: 1, gallery: 1, audio: 1, embed: 1 });
    expect(r.unknown).toEqual(['contact-form-7']);
    expect(r.warnings).toEqual(['[gallery] image 8 is not an attachment in the export']);
  });

  it('removes block comments and keeps the HTML between them', () => {
    const r = expandShortcodes('<!-- wp:paragraph {"align":"center"} --><p>Hi</p><!-- /wp:paragraph --><!-- wp:separator /-->', ctx);
    expect(r.html).toBe('<p>Hi</p>');
  });

  it('adds paragraphs to classic-editor posts as wpautop does', () => {
    expect(autop('One\nline two\n\n<h2>Head</h2>\nAfter\n<ul><li>a</li></ul>')).toBe(
      '<p>One<br>\nline two</p>\n<h2>Head</h2>\n<p>After</p>\n<ul><li>a</li></ul>',
    );
    expect(autop('<p>Block editor</p>\n\nkept')).toBe('<p>Block editor</p>\n\nkept');
  });

  it('reads attributes in every quoting style', () => {
    expect(parseAttributes(`id="a b" width=300 title='x' autoplay`)).toEqual({ id: 'a b', width: '300', title: 'x', autoplay: '' });
  });
});

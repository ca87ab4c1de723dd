import { describe, expect, it } from 'vitest';
import hostFiles from '../../src/integrations/host-files/index';
import {
  CACHE_CONTROL,
  cacheClassOf,
  cacheRules,
  contentSecurityPolicy,
  cspAllows,
  parseCsp,
  redirectProblems,
  renderRedirects,
  SVG_CSP,
  svgRules,
  urlPathOf,
  type HeaderRule,
} from '../../src/integrations/host-files/policy';
import { cspHash, emptyScan, scanHtml } from '../../src/integrations/host-files/scan';
import { checkReferences, cssReferences, scanLinks, type SiteFiles } from '../../scripts/lib/links';
import { contentTypeOf, mergeCsp, planPublish, redirectKey, responseHeadersPolicyConfig } from '../../scripts/lib/publish-plan';

const HASHED = ['_astro/'];
/** SHA-256 of the empty string, the CSP test vector. */
const EMPTY_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

describe('cache classes', () => {
  it.each([
    ['_astro/BaseLayout.bzC8qYWF.css', 'immutable'],
    ['_astro/photo.D97o7Vyd_ZHnDOC.jpg', 'immutable'],
    ['_pagefind/fragment/en_8a1f3c2.pf_fragment', 'immutable'],
    ['_pagefind/index/en_4b2c.pf_index', 'immutable'],
    ['_pagefind/pagefind.en_2d7e91a.pf_meta', 'immutable'],
    ['_pagefind/pagefind.js', 'revalidate'],
    ['_pagefind/pagefind-entry.json', 'revalidate'],
    ['_pagefind/wasm.en.pagefind', 'revalidate'],
    ['_pagefind/eras.json', 'revalidate'],
    // An older search era's folder is named by its content (src/outputs/search-index.ts).
    ['_pagefind/archive/2019-2020-4be0a1c2d3e4/pagefind.js', 'immutable'],
    ['_pagefind/archive/2019-2020-4be0a1c2d3e4/pagefind-entry.json', 'immutable'],
    ['index.html', 'revalidate'],
    ['news/2026/11/20/x/index.html', 'revalidate'],
    ['rss.xml', 'revalidate'],
    ['stations/kfix/feed.json', 'revalidate'],
    ['robots.txt', 'revalidate'],
    ['favicon.svg', 'static'],
    ['audio/intro.mp3', 'static'],
  ])('%s is %s', (file, cls) => expect(cacheClassOf(file, HASHED)).toBe(cls));

  it('treats extra content-hashed directories as immutable', () => {
    expect(cacheClassOf('audio/intro.4f2a9c.mp3', [...HASHED, 'audio/'])).toBe('immutable');
  });
});

/** How CDNs match `_headers` paths: `/dir/*` by prefix, anything else exactly. */
// As Netlify's parser reads a pattern: `/news/*` is `^/news/?(.*)`, so it matches `/news-sitemap.xml` too.
const matches = (rule: HeaderRule, path: string) =>
  rule.path.endsWith('/*') ? path.startsWith(rule.path.slice(0, -1)) : rule.path === path;
/** Netlify reads `/news/*` as `^/news/?(.*)`: it also matches `/news-sitemap.xml`. */
const netlifyMatches = (rule: HeaderRule, path: string) =>
  rule.path.endsWith('/*') ? path.startsWith(rule.path.slice(0, -2)) : rule.path === path;

describe('cache rules', () => {
  const files = [
    '404.html',
    '_astro/a.Bc8qYWF1.css',
    '_astro/b.D97o7Vyd.jpg',
    'favicon.svg',
    'index.html',
    'news/2026/11/20/a/index.html',
    'news/2026/11/21/b/index.html',
    'news-sitemap.xml',
    '_pagefind/fragment/en_1.pf_fragment',
    '_pagefind/index/en_2.pf_index',
    '_pagefind/pagefind-entry.json',
    '_pagefind/pagefind.en_3.pf_meta',
    '_pagefind/pagefind.js',
    'rss.xml',
    'stations/kfix/index.html',
    'stations/kfix/rss.xml',
    'stations/kfix/logo.png',
  ];
  const rules = cacheRules(files, (f) => cacheClassOf(f, HASHED));

  it('collapses uniform directories and spells out mixed ones', () => {
    expect(rules.map((r) => `${r.path} ${r.headers[0]![1]}`)).toEqual([
      `/404.html ${CACHE_CONTROL.revalidate}`,
      `/favicon.svg ${CACHE_CONTROL.static}`,
      `/ ${CACHE_CONTROL.revalidate}`,
      `/news-sitemap.xml ${CACHE_CONTROL.revalidate}`,
      `/rss.xml ${CACHE_CONTROL.revalidate}`,
      `/_astro/* ${CACHE_CONTROL.immutable}`,
      // Netlify's `/news/*` also matches /news-sitemap.xml, of the same class: harmless.
      `/_pagefind/pagefind-entry.json ${CACHE_CONTROL.revalidate}`,
      `/_pagefind/pagefind.en_3.pf_meta ${CACHE_CONTROL.immutable}`,
      `/_pagefind/pagefind.js ${CACHE_CONTROL.revalidate}`,
      `/_pagefind/fragment/* ${CACHE_CONTROL.immutable}`,
      `/_pagefind/index/* ${CACHE_CONTROL.immutable}`,
      // Not `/news/*`, which Netlify would also match to /news-sitemap.xml.
      `/news/2026/* ${CACHE_CONTROL.revalidate}`,
      `/stations/kfix/ ${CACHE_CONTROL.revalidate}`,
      `/stations/kfix/logo.png ${CACHE_CONTROL.static}`,
      `/stations/kfix/rss.xml ${CACHE_CONTROL.revalidate}`,
    ]);
  });

  it('matches every file with exactly one rule, of its own class, on Cloudflare and on Netlify', () => {
    for (const file of files) {
      const own = CACHE_CONTROL[cacheClassOf(file, HASHED)];
      for (const host of [matches, netlifyMatches]) {
        const hit = rules.filter((r) => host(r, urlPathOf(file)));
        expect(hit.map((r) => r.headers[0]![1]), file).toEqual([own]);
      }
    }
  });

  it('gives a thousand uniform folders one rule, and home pagination one rule beside the search bundle', () => {
    const many = Array.from({ length: 1000 }, (_, i) => `topics/t${i}/index.html`);
    const paged = Array.from({ length: 500 }, (_, i) => `page/${i + 2}/index.html`);
    const search = ['_pagefind/index/en_2.pf_index', '_pagefind/pagefind.js', 'search/index.html'];
    const got = cacheRules([...many, ...paged, ...search], (f) => cacheClassOf(f, HASHED)).map((r) => r.path);
    expect(got.filter((p) => p.startsWith('/topics/'))).toEqual(['/topics/*']);
    expect(got.filter((p) => p.startsWith('/page/'))).toEqual(['/page/*']);
    expect(got.length).toBeLessThan(10);
  });

  it('spells a folder out when a sibling Netlify would also match sits beside it', () => {
    // Netlify's `/feeds/*` also matches /feeds-art/….
    const files = ['feeds/a/rss.xml', 'feeds/b/rss.xml', 'feeds-art/logo.png'];
    const got = cacheRules(files, (f) => cacheClassOf(f, HASHED)).map((r) => r.path);
    expect(got).not.toContain('/feeds/*');
    expect(got).toEqual(expect.arrayContaining(['/feeds/a/*', '/feeds/b/*', '/feeds-art/*']));
  });

  it('does not depend on the order files are listed in', () => {
    expect(cacheRules([...files].reverse(), (f) => cacheClassOf(f, HASHED))).toEqual(rules);
  });
});

describe('the Content-Security-Policy', () => {
  const base = { scan: emptyScan(), streams: [], embedHosts: [], hasPagefind: false };

  it('allows only the site itself when the site uses nothing else', () => {
    expect(contentSecurityPolicy(base)).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'none'; img-src 'self'; font-src 'self'; media-src 'self'; " +
        "connect-src 'self'; worker-src 'self'; frame-src 'none'; form-action 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });

  it('lets players reach every station stream, with blob: for HLS through Media Source Extensions', () => {
    const csp = parseCsp(
      contentSecurityPolicy({
        ...base,
        streams: [
          { url: 'https://streams.example.org/kxpr/live.m3u8', type: 'application/vnd.apple.mpegurl' },
          { url: 'https://icecast.example.net:8443/wbnd.mp3', type: 'audio/mpeg' },
          { url: '/test-audio/kfix.mp3', type: 'audio/mpeg' },
        ],
      }),
    );
    expect(csp.get('media-src')).toEqual(["'self'", 'blob:', 'https://icecast.example.net:8443', 'https://streams.example.org']);
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://icecast.example.net:8443', 'https://streams.example.org']);
    expect(csp.get('worker-src')).toEqual(["'self'"]);
  });

  it('builds stream sources from parsed origins only, and refuses a URL whose host would add a directive', () => {
    const stream = (url: string) => contentSecurityPolicy({ ...base, streams: [{ url, type: 'audio/mpeg' }] });
    expect(parseCsp(stream('https://S.Example.org:443/a.mp3?x=1;y')).get('media-src')).toEqual(["'self'", 'https://s.example.org']);
    for (const url of [
      'https://x.example;sandbox/live.mp3',
      'https://x.example%3Bsandbox/live.mp3',
      'javascript:alert(1)',
      '//evil.example/a.mp3',
      "https://x.example'/",
    ]) {
      expect(() => stream(url), url).toThrow(/is not a plain https:\/\/ URL/);
    }
  });

  it('refuses any source that is not a CSP source expression, wherever it comes from', () => {
    const scan = emptyScan();
    scan.imgSources.add('https://a.example sandbox');
    expect(() => contentSecurityPolicy({ ...base, scan })).toThrow(
      '"https://a.example sandbox" is not a CSP source expression, so it cannot go into img-src',
    );
    expect(() =>
      contentSecurityPolicy({ ...base, extra: { 'connect-src': ["https://api.example.org; script-src 'unsafe-inline'"] } }),
    ).toThrow('cannot go into connect-src');
  });

  it('leaves a page URL whose host is no plain domain out of the policy, so the browser blocks it', () => {
    const scan = scanHtml('<img src="https://x.example;sandbox/a.png"><img src="https://ok.example.org/b.png">');
    expect([...scan.imgSources]).toEqual(['https://ok.example.org']);
  });

  it('has no blob: sources without HLS', () => {
    const csp = contentSecurityPolicy({ ...base, streams: [{ url: 'https://s.example.org/a.mp3', type: 'audio/mpeg' }] });
    expect(csp).not.toContain('blob:');
  });

  it('allows WebAssembly only when Pagefind is built', () => {
    expect(parseCsp(contentSecurityPolicy({ ...base, hasPagefind: true })).get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  });

  it('lists hashes, frames and extra sources in a stable order', () => {
    const scan = scanHtml(
      '<style></style><div style="--mh-color-accent: #8a1c2b"></div><iframe src="https://www.youtube-nocookie.com/embed/x"></iframe><form action="/search/"></form>',
    );
    const csp = parseCsp(
      contentSecurityPolicy({ ...base, scan, embedHosts: ['player.vimeo.com'], extra: { 'connect-src': ['https://api.example.org'] } }),
    );
    expect(csp.get('style-src')).toEqual(["'self'", EMPTY_HASH]);
    expect(csp.get('style-src-attr')).toEqual(["'unsafe-hashes'", expect.stringMatching(/^'sha256-[\w+/]{43}='$/)]);
    expect(csp.get('frame-src')).toEqual(['https://player.vimeo.com', 'https://www.youtube-nocookie.com']);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://api.example.org']);
  });

  it('is checked source by source, with CSP fallbacks', () => {
    const csp = parseCsp(`default-src 'self'; style-src 'self' ${EMPTY_HASH}; img-src 'self' https://*.example.org`);
    expect(cspAllows(csp, 'style-src-elem', EMPTY_HASH)).toBe(true);
    // A hash allows a style attribute only with 'unsafe-hashes'.
    expect(cspAllows(csp, 'style-src-attr', EMPTY_HASH)).toBe(false);
    expect(cspAllows(parseCsp(`style-src-attr 'unsafe-hashes' ${EMPTY_HASH}`), 'style-src-attr', EMPTY_HASH)).toBe(true);
    expect(cspAllows(csp, 'img-src', 'https://cdn.example.org')).toBe(true);
    expect(cspAllows(csp, 'img-src', 'https://example.org.evil.net')).toBe(false);
    expect(cspAllows(csp, 'media-src', "'self'")).toBe(true);
    expect(cspAllows(csp, 'media-src', 'https://streams.example.org')).toBe(false);
    expect(cspAllows(csp, 'script-src-elem', EMPTY_HASH)).toBe(false);
    expect(cspAllows(csp, 'form-action', 'https://anywhere.example')).toBe(true);
  });
});

describe('scanning built HTML', () => {
  it('hashes the templates’ inline code, skips data blocks, and never trusts story bodies', () => {
    const scan = scanHtml(`<!doctype html><html><head>
      <script type="application/ld+json">{"@type":"NewsArticle"}</script>
      <script type="module">init()</script>
      <style></style>
      </head><body>
      <header style="--mh-color-accent: #1d4e89"><a href="javascript:void 0">x</a></header>
      <div data-article-body>
        <p style="color:red">x</p>
        <table><tr><td style="text-align: right">4</td></tr></table>
        <script>steal()</script>
        <img src="https://images.example.com/a.jpg" srcset="/a.jpg 1x, data:image/png;base64,AA 2x" onerror="x()">
        <iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>
      </div>
      <audio controls><source src="https://streams.example.org/live.m3u8" type="application/vnd.apple.mpegurl"></audio>
      </body></html>`);
    expect(scan.scriptHashes.size).toBe(1);
    expect(scan.styleHashes).toEqual(new Set([EMPTY_HASH]));
    // The accent and the table alignment; not the story's own colour.
    expect(scan.styleAttrHashes.size).toBe(2);
    expect(scan.imgSources).toEqual(new Set(['https://images.example.com', "'self'", 'data:']));
    expect(scan.frameSources).toEqual(new Set(['https://www.youtube-nocookie.com']));
    expect(scan.mediaSources).toEqual(new Set(['https://streams.example.org']));
    expect(scan.findings.map((f) => `${f.where} ${f.kind}`)).toEqual([
      'template javascript-url',
      'story style-attribute',
      'story inline-script',
      'story event-handler',
    ]);
  });

  it('trusts nothing from a story body to the end mark sealed with its hash, whatever the story closes or forges', () => {
    const seal = 'c2VhbC1vZi10aGUtYm9keQ';
    const scan = scanHtml(`<!doctype html><html><body><article>
      <div class="body" data-article-body="${seal}"><p>x</p></div></article>
      <div class="live-player" style="position:fixed;height:100vh">Sign in again</div>
      <div data-article-body-end="forged" hidden></div><p style="color:blue">y</p>
      </div><div data-article-body-end="${seal}" hidden></div>
      <footer style="--mh-color-accent: #1d4e89"></footer>
      </body></html>`);
    expect(scan.styleAttrHashes).toEqual(new Set([cspHash('--mh-color-accent: #1d4e89')]));
    expect(scan.findings.map((f) => `${f.where} ${f.kind}`)).toEqual(['story style-attribute', 'story style-attribute']);
  });

  /** An article page as ArticleLayout.astro writes it, with `body` as the story and `after` as the template's markup after it. */
  const sealed = (body: string, after = '') =>
    `<!doctype html><html><head></head><body><main><article><div class="body" data-article-body="S">${body}` +
    `<div data-article-body-end="S" hidden></div></div>${after}</article></main></body></html>`;

  it('reads a story as a browser does: a comment ends at `--!>`, so the style after it counts', () => {
    const scan = scanHtml(sealed('<!-- x --!><p style="position:fixed">y</p><style>body{display:none}</style> -->'));
    expect(scan.styleAttrHashes).toEqual(new Set());
    expect(scan.styleHashes).toEqual(new Set());
    expect(scan.findings.map((f) => `${f.where} ${f.kind}`)).toEqual(['story style-attribute', 'story inline-style']);
  });

  it("counts attributes a story merges into the page's own <body> or <html> as the story's", () => {
    const scan = scanHtml(sealed('<body style="visibility:hidden" onload="steal()"><html style="filter:blur(9px)">'));
    expect(scan.styleAttrHashes).toEqual(new Set());
    expect(scan.findings.map((f) => `${f.where} ${f.kind}`).sort()).toEqual([
      'story event-handler',
      'story style-attribute',
      'story style-attribute',
    ]);
  });

  it("counts formatting elements a story left open, which the parser re-creates in the template's markup, as the story's", () => {
    const scan = scanHtml(sealed('<p><b style="position:fixed;inset:0">x</p>', '<p>Topics</p>'));
    expect(scan.styleAttrHashes).toEqual(new Set());
    // The story's <b> and its copy inside the template's <p>.
    expect(scan.findings.map((f) => `${f.where} ${f.kind}`)).toEqual(['story style-attribute', 'story style-attribute']);
  });

  it('reads <noscript> as markup too, since the policy holds with scripting off', () => {
    const scan = scanHtml('<!doctype html><html><body><noscript><img src="https://img.example.org/a.png"></noscript></body></html>');
    expect(scan.imgSources).toEqual(new Set(['https://img.example.org']));
  });
});

describe('SVG files', () => {
  it('get a policy of their own that forbids every script, whatever the case of the name', () => {
    expect(svgRules(['favicon.svg', '_astro/logo.Ab12.SVG', 'index.html', 'svg/index.html'])).toEqual([
      { path: '/favicon.svg', headers: [['Content-Security-Policy', SVG_CSP]] },
      { path: '/_astro/logo.Ab12.SVG', headers: [['Content-Security-Policy', SVG_CSP]] },
    ]);
    const csp = parseCsp(SVG_CSP);
    expect(cspAllows(csp, 'script-src', "'self'")).toBe(false);
    expect(cspAllows(csp, 'script-src-attr', EMPTY_HASH)).toBe(false);
    expect(csp.has('sandbox')).toBe(true);
  });
});

describe('_redirects', () => {
  it('writes sorted 301s both Netlify and Cloudflare Pages read', () => {
    const text = renderRedirects([
      { from: '/old/b/', to: '/news/2026/11/20/b/' },
      { from: '/2019/a.html', to: '/news/2026/11/20/a/' },
    ]);
    expect(text.split('\n').slice(1)).toEqual(['/2019/a.html /news/2026/11/20/a/ 301', '/old/b/ /news/2026/11/20/b/ 301', '']);
  });

  it('refuses to write a rule that is not a plain alias, takes a reserved address, or hides a built file', () => {
    const to = '/news/2026/11/20/a/';
    const files = [
      'index.html',
      'rss.xml',
      'search/index.html',
      'news/2026/11/20/a/index.html',
      'news/2026/11/20/b/index.html',
      'old/index.html',
      'Old.html',
      'favicon.svg',
    ];
    const permalinks = [to, '/news/2026/11/20/b/'];
    const publicFiles = ['favicon.svg'];
    expect(redirectProblems([{ from: '/old/', to }], { files, permalinks, publicFiles })).toEqual([]);
    for (const [from, why] of [
      ['/*', 'has a splat (*)'],
      ['/:splat', 'has a colon (:)'],
      ['//search/', 'has an empty segment (//)'],
      ['/x#y', 'has a fragment'],
      ['/_headers/', 'is taken by host configuration'],
      ['/rss.xml', "is taken by the site's RSS feed"],
      ['/robots.txt', 'is taken by robots.txt'],
      ['/_pagefind/pagefind.js', 'is taken by the search index'],
      ['/news/2026/11/20/b/', 'would replace the story published there'],
      ['/news/2026/11/20/B/index.html', 'would replace the story published there'],
      ['/favicon.svg', 'is taken by a file of the site (public/favicon.svg)'],
      ['/old.html', 'would hide Old.html'],
    ] as const) {
      const problems = redirectProblems([{ from, to }], { files, permalinks, publicFiles });
      expect(problems, from).toHaveLength(1);
      expect(problems[0]).toMatch(
        new RegExp(`^the alias ${JSON.stringify(from).replace(/[*?]/g, '\\$&')} \\(of "${to}"\\): .*${why.replace(/[()*]/g, '\\$&')}`),
      );
      expect(() => renderRedirects([{ from, to }], { files, permalinks, publicFiles }), from).toThrow('host-files: _redirects not written');
    }
  });
});

describe('the publish plan', () => {
  const cacheControlOf = (file: string) => CACHE_CONTROL[cacheClassOf(file, HASHED)];

  it('names content types the way browsers need them', () => {
    expect(contentTypeOf('news/x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('_astro/a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('_astro/a.avif')).toBe('image/avif');
    expect(contentTypeOf('_pagefind/index/en_1.pf_index')).toBe('application/octet-stream');
  });

  it('puts a redirect object in place of a page at an alias address', () => {
    expect(redirectKey('/old/path/')).toBe('old/path/index.html');
    expect(redirectKey('/2019/story.html')).toBe('2019/story.html');
    const plan = planPublish({
      files: { 'index.html': 'a', 'old/path/index.html': 'alias page' },
      redirects: { '/old/path/': '/news/x/' },
      previous: { version: 1, files: {}, redirects: {} },
      cacheControlOf,
      maxInvalidationPaths: 100,
    });
    expect(plan.groups.flatMap((g) => g.files)).toEqual(['index.html']);
    expect(plan.redirects).toEqual([{ key: 'old/path/index.html', location: '/news/x/' }]);
  });

  it('deploys the union of this and the last publish’s CSP to CloudFront', () => {
    expect(
      mergeCsp(
        "script-src 'self'; style-src 'self' 'sha256-new'; frame-src 'none'",
        "script-src 'self'; style-src 'self' 'sha256-old'; frame-src 'none'",
      ),
    ).toBe("script-src 'self'; style-src 'self' 'sha256-new' 'sha256-old'; frame-src 'none'");
    expect(mergeCsp("frame-src 'none'", 'frame-src https://a.example')).toBe('frame-src https://a.example');
  });

  it('keeps a response headers policy’s own settings when it sets the security headers', () => {
    const current = {
      Name: 'news',
      Comment: 'x',
      CustomHeadersConfig: { Quantity: 1, Items: [{ Header: 'X-Station', Value: 'kxpr', Override: true }] },
    };
    const next = responseHeadersPolicyConfig(current, {
      'Content-Security-Policy': "default-src 'self'",
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Permissions-Policy': 'camera=()',
    });
    expect(next.Name).toBe('news');
    expect(next.SecurityHeadersConfig).toMatchObject({
      ContentSecurityPolicy: { Override: true, ContentSecurityPolicy: "default-src 'self'" },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Preload: false },
    });
    expect(next.CustomHeadersConfig).toEqual({
      Quantity: 2,
      Items: [
        { Header: 'X-Station', Value: 'kxpr', Override: true },
        { Header: 'Permissions-Policy', Value: 'camera=()', Override: true },
      ],
    });
  });
});

describe('the links check', () => {
  const files = new Set(['index.html', 'news/a/index.html', 'news/café/index.html', '_astro/x.css', 'rss.xml']);
  const site: SiteFiles = {
    origin: 'https://news.example.org',
    has: (f) => files.has(f),
    redirects: new Set(['/old/a/']),
    ids: (f) => (f === 'news/a/index.html' ? new Set(['main', 'comments']) : new Set(['main'])),
  };
  const check = (html: string) =>
    checkReferences('news/a/index.html', scanLinks(html).references, scanLinks(html).media, site).map((p) => p.message);

  it('resolves relative, root-relative and same-origin absolute URLs, query strings aside', () => {
    expect(
      check(
        '<a href="../../">home</a><a href="/news/a/?utm=x#comments">x</a><link rel="canonical" href="https://news.example.org/news/a/">',
      ),
    ).toEqual([]);
    expect(check('<a href="/news/café/">encoded</a><a href="/rss.xml">feed</a><img srcset="/_astro/x.css 1x">')).toEqual([]);
  });

  it('leaves other sites, mail links, live streams and #top alone, and accepts aliases the host redirects', () => {
    expect(
      check(
        '<a href="https://www.npr.org/x">npr</a><a href="mailto:news@example.org">mail</a><a href="#top">top</a>' +
          '<audio><source src="/live/kxpr.m3u8"><a href="/live/kxpr.m3u8">stream</a></audio><a href="/old/a/">moved</a>',
      ),
    ).toEqual([]);
  });

  it('names what is missing', () => {
    expect(
      check(
        '<a href="/news/b/">b</a><img src="/_astro/gone.jpg"><a href="#nowhere">x</a><meta property="og:image" content="https://news.example.org/og/a.png">',
      ),
    ).toEqual([
      'broken link /news/b/ (no such file)',
      'broken image /_astro/gone.jpg (no such file)',
      'link to /news/a/#nowhere, but that page has no id "nowhere"',
      'broken og:image URL /og/a.png (no such file)',
    ]);
  });

  it('reads a srcset as browsers do, keeping the commas of a CDN resize URL', () => {
    const cdn = '/cdn-cgi/image/width=480,quality=80/_astro/gone.jpg';
    expect(check(`<img srcset="${cdn} 480w, /_astro/x.css 800w">`)).toEqual([`broken image ${cdn} (no such file)`]);
  });

  it('reads url() references in stylesheets', () => {
    expect(cssReferences("@font-face{src:url('/fonts/a.woff2')} .x{background:url(data:image/png;base64,AA)}").map((r) => r.url)).toEqual([
      '/fonts/a.woff2',
      'data:image/png;base64,AA',
    ]);
  });
});

describe('the host-files integration', () => {
  const configDone = (names: string[]) => () =>
    (hostFiles().hooks['astro:config:done'] as unknown as (o: unknown) => void)({
      config: {
        integrations: names.map((name) => ({ name })),
        build: { assets: '_astro' },
        publicDir: new URL('../../public/', import.meta.url),
      },
    });

  it('insists on running after every integration that writes into dist/', () => {
    expect(configDone(['@astrojs/sitemap', 'masthead:host-files'])).not.toThrow();
    expect(configDone(['masthead:host-files', 'pagefind'])).toThrow(/hostFiles\(\) must come last.*move it after pagefind/);
  });
});

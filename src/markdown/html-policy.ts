import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Html, Parents } from 'mdast';
import type { Token } from 'parse5';
import { defineMdastPlugin, type MdastPluginEntry, type MdastVisitorContext } from 'satteri';
import type { EmbedHost } from '../site.config';
import { contentDir } from '../content/paths';
import { escapeXml } from '../lib/escape';
import { parseSrcset } from '../lib/srcset';
import { confineImage } from '../content/confine';
import { bodyStart } from '../content/frontmatter';
import { parseStoryHtml, type HtmlChunk } from './raw-html';

/** A problem in a story's body; `line` is the line in the file. */
export interface BodyProblem {
  line: number;
  message: string;
  hint: string;
  severity: 'error' | 'warning';
}

/**
 * A local image the body uses, left in the problem list where its problem would stand when the
 * plugin runs with `deferLocalImages`: the caller checks it against the disk (`localImageProblem`).
 */
export interface DeferredImage {
  line: number;
  image: { url: string; path: string };
}

/** Where `check:content` reads the problems of the document it just rendered. */
export const POLICY_DATA_KEY = 'mastheadBodyProblems';
/** Lines before the body (set by the checker, which knows them; the build reads the file). */
export const LINE_OFFSET_DATA_KEY = 'mastheadBodyLineOffset';
/** The local images the body uses, for the checker's unused-file warnings. */
export const LOCAL_IMAGES_DATA_KEY = 'mastheadLocalImages';

const GUIDE = 'docs/editing.md';

/** Raw HTML a story may use. Everything else fails, with a reason; nothing is stripped. (Exported for the differential test.) */
export const ALLOWED_TAGS: ReadonlySet<string> = new Set([
  // formatting
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'blockquote',
  'br',
  'cite',
  'code',
  'data',
  'del',
  'dfn',
  'div',
  'em',
  'hr',
  'i',
  'ins',
  'kbd',
  'mark',
  'p',
  'pre',
  'q',
  'rp',
  'rt',
  'ruby',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
  'wbr',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  // tables
  'table',
  'caption',
  'colgroup',
  'col',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  // story furniture
  'figure',
  'figcaption',
  'aside',
  'details',
  'summary',
  // checked against the embed hosts
  'iframe',
]);

const EMBED_HINT = "paste the provider's <iframe> embed code from an allowed embed host";

/** Why a tag is refused, and what to do instead. */
const REFUSED: Record<string, string> = {
  script: `scripts would run on readers' pages; for a graphic or player, ${EMBED_HINT}; see "Embeds" in ${GUIDE}`,
  style: "the site's design styles every story; use Markdown for emphasis, lists and tables",
  img: 'use Markdown, ![description](./photo.jpg), with the photo beside the story, so it is resized and described',
  picture: 'use Markdown, ![description](./photo.jpg), with the photo beside the story',
  svg: 'save the graphic as an image file beside the story and use ![description](./chart.png)',
  math: 'save the formula as an image beside the story, or write it out in words',
  audio: `for audio, ${EMBED_HINT}, e.g. an NPR or SoundCloud player`,
  video: `for video, ${EMBED_HINT}, e.g. YouTube or Vimeo`,
  object: EMBED_HINT,
  embed: EMBED_HINT,
  applet: EMBED_HINT,
  frame: EMBED_HINT,
  frameset: EMBED_HINT,
  form: 'forms cannot work on a static site; link to the form instead',
  input: 'forms cannot work on a static site; link to the form instead',
  button: 'forms cannot work on a static site; link to the form instead',
  select: 'forms cannot work on a static site; link to the form instead',
  textarea: 'forms cannot work on a static site; link to the form instead',
  h1: "the headline is the page's only level-1 heading; start sections with ##",
  base: 'the page template sets this; remove it',
  link: 'the page template sets this; remove it',
  meta: 'the page template sets this; remove it',
  title: 'the page template sets this; remove it',
  head: 'the page template sets this; remove it',
  body: 'the page template sets this; remove it',
  html: 'the page template sets this; remove it',
};

const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'cite',
  'poster',
  'action',
  'formaction',
  'data',
  'background',
  'longdesc',
  'xlink:href',
  'ping',
  'srcset',
]);

/** Browsers drop tabs and newlines anywhere in a URL and leading control characters and spaces. */
function urlScheme(url: string): string | undefined {
  let start = 0;
  while (start < url.length && url.charCodeAt(start) <= 0x20) start++;
  const cleaned = url
    .slice(start)
    .replace(/[\t\n\r]/g, '')
    .toLowerCase();
  return /^([a-z][a-z0-9+.-]*):/.exec(cleaned)?.[1];
}

const DANGEROUS_SCHEMES = new Set(['javascript', 'vbscript', 'data']);

function schemeProblem(url: string, what: string): Omit<BodyProblem, 'line'> | undefined {
  const scheme = urlScheme(url);
  if (scheme && DANGEROUS_SCHEMES.has(scheme)) {
    return {
      message: `${what} uses a ${scheme}: address, which is not allowed`,
      hint:
        scheme === 'data'
          ? 'put the file beside the story and link it by name, e.g. ![description](./chart.png)'
          : "link to a web address (https://…); code in links would run on readers' pages",
      severity: 'error',
    };
  }
  if (scheme === 'http') {
    return {
      message: `${what} goes to an insecure http: address, ${truncate(url)}`,
      hint: 'use https:// if the site supports it',
      severity: 'warning',
    };
  }
  return undefined;
}

const truncate = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function describeHosts(hosts: readonly EmbedHost[]): string {
  return hosts.map((h) => `${h.name} at ${h.host}${h.pathPrefix ?? ''}`).join(', ');
}

/** Rebuilds an allowed iframe: lazy, and in a wrapper that sizes it by kind (see embeds.css). */
function renderEmbed(attribs: Record<string, string>, host: EmbedHost): string {
  const attrs = { ...attribs, loading: 'lazy', referrerpolicy: attribs.referrerpolicy ?? 'strict-origin-when-cross-origin' };
  const list = Object.entries(attrs)
    .map(([k, v]) => (v === '' && k !== 'title' && k !== 'src' ? k : `${k}="${escapeXml(v)}"`))
    .join(' ');
  return `<span class="mh-embed" data-embed-kind="${host.kind}"><iframe ${list}></iframe></span>`;
}

export interface HtmlPolicyOptions {
  embedHosts: readonly EmbedHost[];
  /** Body images must resolve inside this folder (see `confineImage`); the build's by default. */
  contentDir?: string;
  /**
   * `collect`: leave the problems in `data[POLICY_DATA_KEY]` (check:content).
   * Otherwise a callback gets each document's problems (the build records them and fails).
   */
  onProblems: 'collect' | ((file: string, problems: BodyProblem[]) => void);
  /**
   * With `collect`: do not look at the disk; leave each local image as a `DeferredImage` in the
   * list, so what the text alone decides can be kept by content hash (the checker's cache) and the
   * image checked on every run.
   */
  deferLocalImages?: boolean;
}

/** A body image's problem on disk: confined to content/, never SVG, within the size and pixel limits. */
export function localImageProblem(contentDir: string, file: string, path: string, url: string): Omit<BodyProblem, 'line'> | undefined {
  const found = confineImage(contentDir, file, path);
  if ('refused' in found) return { message: found.refused.message.replace(path, url), hint: found.refused.hint, severity: 'error' };
  if ('missing' in found) {
    return {
      message: `image ${url} is not beside the story`,
      hint: 'put the file next to the .md file, or fix the name; names are case-sensitive',
      severity: 'error',
    };
  }
  return undefined;
}

type Pending = (Omit<BodyProblem, 'line'> | Omit<DeferredImage, 'line'>) & {
  /** Line within the body as Sätteri numbers it. */
  bodyLine: number;
};

/**
 * The raw-HTML policy and body checks, as a Sätteri mdast plugin on the real Markdown
 * pipeline: the build and `check:content` run this same walk. It checks raw HTML against an
 * allowlist, link and image addresses, heading levels and local images, and renders
 * allowed iframes responsive and lazy.
 */
export function htmlPolicyPlugin(options: HtmlPolicyOptions): MdastPluginEntry {
  if (options.deferLocalImages && options.onProblems !== 'collect') throw new Error('deferLocalImages needs onProblems: "collect"');
  const hostsByName = new Map(options.embedHosts.map((h) => [h.host, h]));
  const allowedList = describeHosts(options.embedHosts);

  return () => {
    /** The raw-HTML nodes in document order; footnotes are rendered after the body. */
    const htmlNodes: { node: Html; line: number }[] = [];
    const footnoteHtml: { node: Html; line: number }[] = [];
    const found: Pending[] = [];
    const headings: { bodyLine: number; depth: number; raw: boolean }[] = [];
    const add = (bodyLine: number, p: Omit<BodyProblem, 'line'> | Omit<DeferredImage, 'line'> | undefined) => {
      if (p) found.push({ ...p, bodyLine });
    };

    const localImages: string[] = [];
    const checkLocalImage = (url: string, bodyLine: number, ctx: MdastVisitorContext) => {
      if (!ctx.fileURL || urlScheme(url) || url.startsWith('/') || url.startsWith('#')) return;
      let path: string;
      try {
        path = decodeURI(url.split(/[?#]/)[0]!);
      } catch {
        path = url;
      }
      localImages.push(path);
      if (options.deferLocalImages) return add(bodyLine, { image: { url, path } });
      // Confined to content/, never SVG, within the size and pixel limits: the one check for every local image.
      add(bodyLine, localImageProblem(options.contentDir ?? contentDir, fileURLToPath(ctx.fileURL), path, url));
    };

    const checkIframe = (attribs: Record<string, string>, bodyLine: number): EmbedHost | undefined => {
      const src = attribs.src ?? '';
      let url: URL | undefined;
      try {
        url = new URL(src);
      } catch {
        url = undefined;
      }
      const bad = (message: string, hint: string) => {
        add(bodyLine, { message, hint, severity: 'error' });
        return undefined;
      };
      if ('srcdoc' in attribs) return bad('<iframe srcdoc> is not allowed', `${EMBED_HINT}; srcdoc would run any HTML on the page`);
      if (!url)
        return bad(`<iframe> needs a full https:// address in src (got "${truncate(src)}")`, `${EMBED_HINT}; see "Embeds" in ${GUIDE}`);
      if (url.protocol !== 'https:') return bad(`<iframe> must load over https:// (got ${url.protocol})`, 'change the address to https://');
      const host = hostsByName.get(url.hostname);
      if (!host) {
        return bad(
          `<iframe> from ${url.hostname} is not an allowed embed host`,
          `allowed: ${allowedList}; link to it instead, or ask a developer to add the host to embedHosts in src/site.config.ts`,
        );
      }
      if (host.pathPrefix && !url.pathname.startsWith(host.pathPrefix)) {
        return bad(
          `<iframe> from ${host.name} must use its embed address (https://${host.host}${host.pathPrefix}…)`,
          `use the "Embed" code ${host.name} offers, not the page address`,
        );
      }
      if (!attribs.title?.trim()) {
        return bad('<iframe> needs a title', 'add title="…" saying what the embed shows, for screen-reader users');
      }
      return host;
    };

    /** The allowlist, on each start tag the story's raw HTML writes, as the browser tokenised it. */
    const checkStartTag = (token: Token.TagToken, line: number): EmbedHost | undefined => {
      const name = token.tagName;
      if (/^h[1-6]$/.test(name)) headings.push({ bodyLine: line, depth: Number(name[1]), raw: true });
      if (!ALLOWED_TAGS.has(name)) {
        add(line, {
          message: `<${name}> is not allowed in a story`,
          hint:
            REFUSED[name] ??
            'allowed HTML: formatting, lists, tables, figure/figcaption, aside, details/summary and iframes from embed hosts; ' +
              `see "Raw HTML" in ${GUIDE}`,
          severity: 'error',
        });
      }
      const attribs: Record<string, string> = {};
      for (const { name: attr, value: v } of token.attrs) {
        attribs[attr] = v;
        if (attr.startsWith('on')) {
          add(line, {
            message: `${attr}="…" on <${name}> is not allowed`,
            hint: "event handlers would run code on readers' pages; remove the attribute",
            severity: 'error',
          });
        } else if (attr === 'style') {
          add(line, {
            message: `style="…" on <${name}> is not allowed`,
            hint: "the site's design styles every story, and its security policy blocks styles written in a story; use Markdown for emphasis",
            severity: 'error',
          });
        } else if (URL_ATTRIBUTES.has(attr)) {
          const urls = attr === 'srcset' ? parseSrcset(v).map((c) => c.url) : [v];
          for (const u of urls) add(line, schemeProblem(u, `${attr} on <${name}>`));
        }
      }
      return name === 'iframe' ? checkIframe(attribs, line) : undefined;
    };

    /** Checks the body's raw HTML as the browser reads the whole body, and renders allowed iframes. */
    const checkRawHtml = (ctx: MdastVisitorContext) => {
      // The Markdown between raw-HTML nodes is rendered as escaped text inside balanced tags of
      // its own: "x" stands for it. (A raw end tag that would close one of those tags is then
      // refused as closing nothing, which errs on the safe side.)
      const nodes = [...htmlNodes, ...footnoteHtml];
      const chunks: HtmlChunk[] = nodes.flatMap(({ node, line }, i) => [
        ...(i ? [{ text: 'x', raw: false, line }] : []),
        { text: node.value, raw: true, line },
      ]);
      const nodeOf = (chunk: number) => (chunk % 2 === 0 ? nodes[chunk / 2]?.node : undefined);
      const hosts = new Map<Token.TagToken, EmbedHost | undefined>();
      const before = found.length;
      const result = parseStoryHtml(chunks, {
        onStartTag: (token, line) => {
          const host = checkStartTag(token, line);
          if (token.tagName === 'iframe') hosts.set(token, host);
        },
        whole: new Set(['iframe']),
        splitProblem: () => ({
          message: '<iframe> must be written whole, on its own lines',
          hint: 'put the embed code <iframe …></iframe> in its own paragraph, with a blank line before and after',
        }),
      });
      // How the browser reads the markup comes first on a line: it explains what the tags mean.
      const tagProblems = found.splice(before);
      for (const p of result.problems) add(p.line, { message: p.message, hint: p.hint, severity: 'error' });
      found.push(...tagProblems);
      const edits = new Map<number, { from: number; to: number; text: string }[]>();
      for (const w of result.whole) {
        const host = hosts.get(w.token);
        if (!host) continue;
        const attribs = Object.fromEntries(w.token.attrs.map((a) => [a.name, a.value]));
        edits.set(w.chunk, [...(edits.get(w.chunk) ?? []), { from: w.from, to: w.to, text: renderEmbed(attribs, host) }]);
      }
      for (const [chunk, list] of edits) {
        const node = nodeOf(chunk);
        if (!node) continue;
        let out = node.value;
        for (const e of list.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
        ctx.replaceNode(node, { type: 'html', value: out });
      }
    };

    return defineMdastPlugin({
      name: 'masthead-html-policy',
      options: { position: true },

      html(node, ctx) {
        const line = node.position?.start.line ?? 1;
        let inFootnote = false;
        let parent: Readonly<Parents> | undefined = ctx.parent(node);
        // Footnote definitions sit at the top or in a container or two; no need to climb far.
        for (let i = 0; parent && i < 8 && !inFootnote; i++, parent = ctx.parent(parent)) inFootnote = parent.type === 'footnoteDefinition';
        (inFootnote ? footnoteHtml : htmlNodes).push({ node, line });
      },

      heading(node) {
        headings.push({ bodyLine: node.position?.start.line ?? 1, depth: node.depth, raw: false });
      },

      link(node) {
        add(node.position?.start.line ?? 1, schemeProblem(node.url, 'a link'));
      },

      definition(node) {
        add(node.position?.start.line ?? 1, schemeProblem(node.url, `the link definition [${node.identifier}]`));
      },

      image(node, ctx) {
        const line = node.position?.start.line ?? 1;
        add(line, schemeProblem(node.url, 'an image'));
        checkLocalImage(node.url, line, ctx);
        if (!node.alt?.trim()) {
          add(line, {
            message: `image ${truncate(node.url)} has no description`,
            hint: 'write what the photo shows inside the brackets: ![A crowd outside city hall](./rally.jpg)',
            severity: 'warning',
          });
        }
      },

      after(_root, ctx) {
        if (htmlNodes.length || footnoteHtml.length) checkRawHtml(ctx);
        // The headline is the page's h1, so the body starts at h2 and never skips a level.
        let previous = 1;
        for (const h of headings.sort((a, b) => a.bodyLine - b.bodyLine)) {
          if (h.depth === 1 && !h.raw) {
            add(h.bodyLine, {
              message: 'a level-1 heading (# …) is not allowed in the body',
              hint: "the headline is the page's only level-1 heading; start sections with ##",
              severity: 'error',
            });
          } else if (h.depth > previous + 1) {
            const marks = (n: number) => '#'.repeat(n);
            add(h.bodyLine, {
              message: `heading level jumps from ${previous === 1 ? 'the headline' : marks(previous)} to ${marks(h.depth)}`,
              hint: `use ${marks(previous + 1)} here, so the outline skips no level`,
              severity: 'error',
            });
          }
          previous = Math.max(h.depth, 1);
        }
        if (options.onProblems === 'collect') ctx.data[LOCAL_IMAGES_DATA_KEY] = localImages;
        if (!found.length) return;

        let offset = ctx.data[LINE_OFFSET_DATA_KEY] as number | undefined;
        const file = ctx.fileURL ? fileURLToPath(ctx.fileURL) : '(markdown)';
        if (offset === undefined && ctx.fileURL) {
          // The build renders the trimmed body; count the lines before it in the file.
          offset = bodyStart(readFileSync(ctx.fileURL, 'utf8')).line - 1;
        }
        const problems = found.map(({ bodyLine, ...p }) => ({ ...p, line: bodyLine + (offset ?? 0) })).sort((a, b) => a.line - b.line);
        if (options.onProblems === 'collect') ctx.data[POLICY_DATA_KEY] = problems;
        // Images are deferred only in `collect` mode (checked when the plugin is made), so these are all problems.
        else options.onProblems(file, problems as BodyProblem[]);
      },
    });
  };
}

/**
 * WordPress shortcodes and block comments, turned into the HTML they stand for, before the
 * HTML becomes Markdown. Only the shortcodes WordPress itself ships are known; any other
 * `[name …]` is left as text and reported, never dropped silently.
 */

import { escapeXml } from '../lib/escape';

/** What the shortcodes need from the rest of the export: attachments by id (for galleries). */
export interface ShortcodeContext {
  attachment(id: string): { url: string; alt?: string; caption?: string } | undefined;
}

export interface ShortcodeResult {
  html: string;
  /** Known shortcodes converted, by name. */
  converted: Record<string, number>;
  /** `[name]` that looked like a shortcode but is not one we know: left in the text. */
  unknown: string[];
  /** Problems a reader of the report should see (e.g. a gallery image not in the export). */
  warnings: string[];
}

const KNOWN = new Set(['caption', 'wp_caption', 'gallery', 'audio', 'video', 'embed', 'playlist']);

/** `id="a" width=300 autoplay` → { id: 'a', width: '300', autoplay: '' }, as WordPress's shortcode_parse_atts reads them. */
export function parseAttributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)|"([^"]*)"|(\S+)/g;
  for (const m of text.matchAll(re)) {
    if (m[1]) out[m[1].toLowerCase()] = m[2]!;
    else if (m[3]) out[m[3].toLowerCase()] = m[4]!;
    else if (m[5]) out[m[5].toLowerCase()] = m[6]!;
    else if (m[7] !== undefined) out[m[7]] = '';
    else if (m[8]) out[m[8]] = '';
  }
  return out;
}

// One shortcode: [name attrs] … [/name], or self-closing; `[[name]]` is WordPress's escape for literal text.
const SHORTCODE = /\[(\[?)([a-zA-Z_][\w-]*)(?![\w-])([^\]]*?)(?:(\/)\]|\](?:([\s\S]*?)\[\/\2\])?)(\]?)/g;

function figure(img: string, caption: string | undefined): string {
  return `<figure>${img}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`;
}

/**
 * Turns `[caption]`, `[gallery]`, `[audio]`, `[video]`, `[embed]` and `[playlist]` into plain
 * HTML: a figure with its caption, one figure per gallery image, a link to the media. Block
 * comments (`<!-- wp:paragraph -->`) are removed; the HTML between them is the content.
 */
export function expandShortcodes(html: string, ctx: ShortcodeContext): ShortcodeResult {
  const converted: Record<string, number> = {};
  const unknown: string[] = [];
  const warnings: string[] = [];
  const count = (name: string) => (converted[name] = (converted[name] ?? 0) + 1);

  const expand = (text: string): string =>
    text.replace(
      SHORTCODE,
      (whole, open: string, rawName: string, attrText: string, _selfClose, inner: string | undefined, close: string) => {
        const name = rawName.toLowerCase();
        if (open === '[' && close === ']') return whole.slice(1, -1); // [[caption]] is the literal text [caption]
        if (!KNOWN.has(name)) {
          // Plain bracketed words ("[sic]", "[Editor's note]") are not shortcodes; only report names
          // with attributes or a closing tag, which are.
          if (attrText.trim() || inner !== undefined) unknown.push(name);
          return whole;
        }
        count(name);
        const atts = parseAttributes(attrText);
        const body = inner ?? '';
        switch (name) {
          case 'caption':
          case 'wp_caption': {
            // The caption is the text after the image (or an attribute, in old exports).
            const img = /^\s*(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?/i.exec(body)?.[0] ?? '';
            const caption = (atts.caption ?? body.slice(img.length)).trim();
            return figure(img.replace(/^\s*<a\b[^>]*>\s*|\s*<\/a>$/gi, ''), caption || undefined);
          }
          case 'gallery': {
            const ids = (atts.ids ?? atts.include ?? '')
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean);
            if (!ids.length) {
              warnings.push('[gallery] without ids: its images are not in the export and were not imported');
              return '';
            }
            return ids
              .map((id) => {
                const a = ctx.attachment(id);
                if (!a) {
                  warnings.push(`[gallery] image ${id} is not an attachment in the export`);
                  return '';
                }
                return figure(`<img src="${escapeXml(a.url)}" alt="${escapeXml(a.alt ?? '')}">`, a.caption && escapeXml(a.caption));
              })
              .join('');
          }
          case 'audio':
          case 'video':
          case 'playlist': {
            const src = atts.src ?? atts.mp3 ?? atts.m4a ?? atts.ogg ?? atts.wav ?? atts.mp4 ?? atts.webm ?? body.trim();
            if (!src) {
              warnings.push(`[${name}] with no file address was removed`);
              return '';
            }
            const label = name === 'audio' ? 'Listen' : name === 'video' ? 'Watch' : 'Playlist';
            return `<p><a href="${escapeXml(src)}">${label}: ${escapeXml(src.split('/').pop()!.split('?')[0]!)}</a></p>`;
          }
          case 'embed': {
            const url = body.trim() || atts.src || '';
            return url ? `<p><a href="${escapeXml(url)}">${escapeXml(url)}</a></p>` : '';
          }
          default:
            return whole;
        }
      },
    );

  // Block comments carry editor settings only; what readers saw is the HTML between them.
  const withoutBlocks = html.replace(/<!--\s*\/?wp:[\s\S]*?-->/g, '');
  return { html: expand(withoutBlocks), converted, unknown: [...new Set(unknown)], warnings };
}

const BLOCK_TAG =
  /^<\/?(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tr|td|th|figure|figcaption|hr|iframe|dl|dd|dt|section|aside|address|form|script|style)\b/i;

/**
 * WordPress stores classic-editor posts without paragraph tags and adds them on display
 * (`wpautop`): a blank line separates paragraphs, a single newline is a line break. Posts
 * written in the block editor already have their `<p>`s and are returned unchanged.
 */
export function autop(html: string): string {
  if (/<p[\s>]/i.test(html)) return html;
  const blocks = 'h[1-6]|ul|ol|dl|blockquote|pre|table|figure|hr|iframe|div|section|aside|address';
  return (
    html
      .replace(/\r\n?/g, '\n')
      // Block elements stand apart from the text around them, as wpautop makes them.
      .replace(new RegExp(`(<(?:${blocks})[\\s>/])`, 'gi'), '\n\n$1')
      .replace(new RegExp(`(</(?:${blocks})>)`, 'gi'), '$1\n\n')
      .split(/\n\s*\n/)
      .map((chunk) => chunk.trim())
      .filter(Boolean)
      .map((chunk) => (BLOCK_TAG.test(chunk) ? chunk : `<p>${chunk.replace(/\n/g, '<br>\n')}</p>`))
      .join('\n')
  );
}

/**
 * Saved article pages (from Grove, Arc, Drupal, WordPress or a web archive) to story drafts.
 * The article is found with @mozilla/readability on linkedom, a DOM that never runs the
 * page's scripts. Metadata comes from JSON-LD, then Open Graph and `article:*`, then `<time>`,
 * before Readability's guesses; the newsroom parts of a public-radio page (dateline lead-in,
 * wire line, trailing bio) become their frontmatter fields instead of body text.
 */
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { Paragraph, Root as MdastRoot, RootContent } from 'mdast';
import type { EmbedHost } from '../site.config';
import { parseEditorDate } from '../lib/dates';
import { slugify } from '../lib/slug';
import { firstSentence, htmlToMdast, textOf, type Converted } from './html-to-markdown';
import { tally, type ImportReport } from './report';
import { aliasFor, type ImportWriter, type StationInfo, type StoryDraft } from './write';

export interface PageOptions {
  /** The page's address on its old site (`--url`); otherwise its canonical or og:url is used. */
  url?: string;
  /** Folder the saved page is in, for photos saved with it (`page_files/photo.jpg`). */
  localBase?: string;
  embedHosts: readonly EmbedHost[];
  timeZone: string;
}

export interface PageStory {
  title: string;
  dek: string;
  /** Names as the page gives them, "By" and "and" removed. */
  byline: string[];
  dateline?: string;
  date?: Date;
  updated?: Date;
  tags: string[];
  leadPhoto?: { src: string; alt?: string; caption?: string; credit?: string };
  copyright?: string;
  source?: { name: string; url: string };
  /** The trailing "Jane Doe is a reporter…" line, removed from the body. */
  bio?: { name: string; text: string };
  canonical?: string;
  body: Converted;
}

export class PageError extends Error {}

type Json = Record<string, unknown>;
const ARTICLE_TYPES =
  /^(?:NewsArticle|Article|ReportageNewsArticle|AnalysisNewsArticle|BlogPosting|OpinionNewsArticle|Report|LiveBlogPosting)$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const nameOf = (v: unknown): string | undefined => str(v) ?? (v && typeof v === 'object' ? str((v as Json).name) : undefined);

/** The JSON-LD object describing the article, wherever in the page's graphs it is. */
function jsonLdArticle(doc: Document): Json | undefined {
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue;
    }
    const queue = list(data);
    while (queue.length) {
      const node = queue.shift();
      if (!node || typeof node !== 'object') continue;
      const o = node as Json;
      if (list(o['@type']).some((t) => typeof t === 'string' && ARTICLE_TYPES.test(t))) return o;
      queue.push(...list(o['@graph']));
    }
  }
  return undefined;
}

/** Names in a byline: "By Jane Doe and John Roe" → ["Jane Doe", "John Roe"]. */
export function splitByline(text: string): string[] {
  return text
    .replace(/^\s*by\s+/i, '')
    .split(/\s*,\s*and\s+|\s+and\s+|\s*&\s*|\s*,\s*/i)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s && !/^https?:/.test(s) && s.length <= 80);
}

function date(text: string | undefined, timeZone: string): Date | undefined {
  if (!text) return undefined;
  const r = parseEditorDate(text.replace(/\.\d+(?=Z|[+-]|$)/, ''), timeZone);
  if (r.ok) return r.date;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

// "ASTANA, Kazakhstan —" and "WASHINGTON —": capitals, then optionally a comma and a region.
const DATELINE = /^([A-Z][A-Z.'’\- ]{1,40}[A-Z.](?:,\s+[A-Z][A-Za-z.'’\- ]{1,30})?)\s*(?:—|–|--)\s+/;
// "Copyright 2020 NPR. To see more, visit https://www.npr.org."
/** Byline, date and share lines in CMS templates (`byline`, `node__meta`, `story-meta`, `entry-meta`). */
const META_BLOCK = /(?:^|[\s_-])(?:byline|meta|dateline-meta|author-info|share-tools)(?:$|[\s_-])/i;
const WIRE = /^Copyright (\d{4}) (.+?)\.\s*To see more, visit (https?:\/\/\S+?)\.?$/;

/** Removes a dateline lead-in from the first paragraph and returns it. */
function takeDateline(tree: MdastRoot): string | undefined {
  const first = tree.children.find((c): c is Paragraph => c.type === 'paragraph');
  if (!first) return undefined;
  const lead = first.children[0];
  // A dateline set in bold is its own node: "<strong>ASTANA, Kazakhstan</strong> — …".
  if (lead && lead.type === 'strong') {
    const inner = textOf(lead).trim();
    const next = first.children[1];
    const dash = next?.type === 'text' ? /^\s*(?:—|–|--)?\s*/.exec(next.value) : null;
    const m = DATELINE.exec(`${inner} — `) ?? DATELINE.exec(inner);
    if (m && next?.type === 'text' && (dash?.[0].trim() || /(?:—|–|--)\s*$/.test(inner))) {
      first.children.shift();
      next.value = next.value.slice(dash![0].length);
      return m[1]!.trim();
    }
    return undefined;
  }
  if (lead?.type !== 'text') return undefined;
  const m = DATELINE.exec(lead.value);
  if (!m) return undefined;
  lead.value = lead.value.slice(m[0].length);
  return m[1]!.trim();
}

function removeParagraph(tree: MdastRoot, p: RootContent) {
  tree.children.splice(tree.children.indexOf(p), 1);
}

/** Reads a saved page into what a story needs. Throws `PageError` when there is no article in it. */
export function readPage(html: string, options: PageOptions): PageStory {
  const { document } = parseHTML(html) as unknown as { document: Document };
  const meta = (key: string) =>
    str(document.querySelector(`meta[property="${key}"]`)?.getAttribute('content')) ??
    str(document.querySelector(`meta[name="${key}"]`)?.getAttribute('content'));
  const metas = (key: string) =>
    [...document.querySelectorAll(`meta[property="${key}"], meta[name="${key}"]`)]
      .map((m) => str(m.getAttribute('content')))
      .filter((s) => s !== undefined);
  const ld = jsonLdArticle(document);
  const canonical =
    options.url ?? str(document.querySelector('link[rel="canonical"]')?.getAttribute('href')) ?? meta('og:url') ?? str(ld?.url);
  const base = canonical && /^https?:/i.test(canonical) ? canonical : undefined;

  // The wire line may sit outside what Readability keeps; look for it in the whole page first.
  let wire: RegExpExecArray | null = null;
  for (const p of document.querySelectorAll('p')) {
    wire = WIRE.exec((p.textContent ?? '').replace(/\s+/g, ' ').trim());
    if (wire) break;
  }

  // The lead photo: JSON-LD's image, else og:image, with a caption and credit from its figure.
  const ldImage = list(ld?.image)[0];
  const ldImageObj = ldImage && typeof ldImage === 'object' ? (ldImage as Json) : undefined;
  let leadSrc = str(ldImage) ?? str(ldImageObj?.url) ?? str(ldImageObj?.contentUrl) ?? meta('og:image');
  if (leadSrc && base) leadSrc = new URL(leadSrc, base).href;
  let leadCaption = str(ldImageObj?.caption);
  let leadCredit = str(ldImageObj?.creditText) ?? nameOf(list(ldImageObj?.author)[0]) ?? nameOf(list(ldImageObj?.copyrightHolder)[0]);
  const leadAlt = meta('og:image:alt') ?? meta('twitter:image:alt') ?? str(ldImageObj?.description);
  const figure = document.querySelector('figure');
  if (figure && (!leadCaption || !leadCredit)) {
    const creditEl = figure.querySelector('[class*="credit"]');
    const credit = creditEl?.textContent?.replace(/\s+/g, ' ').trim();
    const captionEl = figure.querySelector('figcaption [class*="caption"]') ?? figure.querySelector('figcaption');
    let caption = captionEl?.textContent?.replace(/\s+/g, ' ').trim();
    if (caption && credit) caption = caption.replace(credit, '').trim();
    leadCredit ??= credit?.replace(/^(?:photo|credit|image)s?:\s*/i, '') || undefined;
    leadCaption ??= caption || undefined;
  }

  const timeEl = document.querySelector('article time[datetime]') ?? document.querySelector('time[datetime]');
  const published =
    str(ld?.datePublished) ?? meta('article:published_time') ?? str(timeEl?.getAttribute('datetime')) ?? meta('date') ?? meta('pubdate');
  const modified = str(ld?.dateModified) ?? meta('article:modified_time');

  const ldAuthors = list(ld?.author)
    .map(nameOf)
    .filter((s): s is string => !!s);
  const metaAuthor = [meta('author'), ...metas('article:author')].find((a) => a && !/^https?:/.test(a));
  const title = str(ld?.headline) ?? meta('og:title') ?? str(document.querySelector('h1')?.textContent) ?? str(document.title);

  const tags = [
    ...list(ld?.articleSection),
    ...list(ld?.keywords).flatMap((k) => (typeof k === 'string' ? k.split(',') : [])),
    meta('article:section'),
    ...metas('article:tag'),
  ]
    .map((t) => (typeof t === 'string' ? t.trim() : ''))
    .filter(Boolean);

  // What the page had that a story cannot: counted, since Readability removes it silently.
  const dropped: Record<string, number> = {};
  const count = (what: string, n: number) => n && (dropped[what] = (dropped[what] ?? 0) + n);
  count('script', document.querySelectorAll('script:not([type="application/ld+json"])').length);
  count('style', document.querySelectorAll('style').length);
  count('form', document.querySelectorAll('form').length);
  const iframesBefore = document.querySelectorAll('body iframe').length;
  // Byline and date lines are read above; left in, Readability keeps them as a first paragraph.
  for (const el of [...document.querySelectorAll('body [class]')]) {
    if (!el.isConnected || el.closest('figure')) continue;
    const cls = el.getAttribute('class') ?? '';
    if (META_BLOCK.test(cls) && (el.textContent ?? '').trim().length < 200) el.remove();
  }

  const article = new Readability(document, { charThreshold: 100 }).parse();
  if (!article?.content || (article.textContent ?? '').trim().length < 40) throw new PageError('no article text found in the page');
  const body = htmlToMdast(article.content, { embedHosts: options.embedHosts, baseUrl: base, localBase: options.localBase });
  const iframesAfter = (article.content.match(/<iframe\b/gi) ?? []).length;
  count('iframe outside the article', iframesBefore - iframesAfter);
  for (const [k, n] of Object.entries(dropped)) body.dropped[k] = (body.dropped[k] ?? 0) + n;

  // The lead photo is the frontmatter's image; the same photo in the body would show twice.
  const leafName = (u: string) =>
    u
      .split(/[?#]/)[0]!
      .split('/')
      .pop()!
      .replace(/-\d+x\d+(?=\.)/, '');
  if (leadSrc) {
    const dup = body.images.find((i) => leafName(i.src) === leafName(leadSrc!));
    if (dup) {
      const idx = body.tree.children.findIndex(
        (c) => c.type === 'paragraph' && c.children.some((k) => k.type === 'image' && k.url === dup.src),
      );
      if (idx !== -1) {
        body.tree.children.splice(idx, 1);
        // A caption line right under it is the same caption as the frontmatter's.
        const next = body.tree.children[idx];
        if (next?.type === 'paragraph' && next.children.length === 1 && next.children[0]!.type === 'emphasis')
          body.tree.children.splice(idx, 1);
      }
      body.images.splice(body.images.indexOf(dup), 1);
    }
  }

  const dateline = takeDateline(body.tree);
  for (const p of [...body.tree.children]) {
    if (p.type === 'paragraph' && WIRE.test(textOf(p).replace(/\s+/g, ' ').trim())) removeParagraph(body.tree, p);
  }

  const byline = ldAuthors.length ? ldAuthors : splitByline(metaAuthor ?? article.byline ?? '');

  // A trailing line about one of the authors is their bio: it belongs in the author file.
  let bio: PageStory['bio'];
  const last = [...body.tree.children].reverse().find((c): c is Paragraph => c.type === 'paragraph');
  if (last) {
    const text = textOf(last).replace(/\s+/g, ' ').trim();
    const who = byline.find((n) => text.startsWith(`${n} `) && /^\S+(?:\s\S+){0,3}\s(?:is|was|covers|reports|writes|joined)\b/.test(text));
    if (who && text.length <= 600) {
      bio = { name: who, text };
      removeParagraph(body.tree, last);
    }
  }

  return {
    title: title ?? '',
    dek: str(ld?.description) ?? meta('og:description') ?? meta('description') ?? firstSentence(body.tree),
    byline,
    dateline,
    date: date(published, options.timeZone) ?? date(article.publishedTime ?? undefined, options.timeZone),
    updated: date(modified, options.timeZone),
    tags: [...new Map(tags.map((t) => [slugify(t), t])).values()],
    leadPhoto: leadSrc ? { src: leadSrc, alt: leadAlt, caption: leadCaption, credit: leadCredit } : undefined,
    copyright: wire ? `Copyright ${wire[1]} ${wire[2]}` : undefined,
    source: wire ? { name: wire[2]!, url: wire[3]! } : undefined,
    bio,
    canonical,
    body,
  };
}

export interface ImportPageOptions {
  file: string;
  html: string;
  url?: string;
  /** `--date`: used only when the page states no publish date. */
  fallbackDate?: Date;
  station: StationInfo;
  embedHosts: readonly EmbedHost[];
  allDrafts: boolean;
  knownAuthors: Map<string, string>;
  /** This site's origin: an old address there becomes an alias. */
  siteOrigin: string;
  writer: ImportWriter;
  report: ImportReport;
}

/** One saved page to one story draft, handed to the writer. */
export async function importPage(o: ImportPageOptions): Promise<void> {
  const r = o.report;
  const page = readPage(o.html, {
    url: o.url,
    localBase: pathToFileURL(`${dirname(resolve(o.file))}/`).href,
    embedHosts: o.embedHosts,
    timeZone: o.station.timezone,
  });
  tally(r.dropped, page.body.dropped);
  const skip = (reason: string) => r.skipped.push({ title: page.title || '(untitled)', ref: o.file, oldUrl: page.canonical, reason });
  if (!page.title) return void skip('no headline found (no JSON-LD headline, og:title or <h1>)');
  const date = page.date ?? o.fallbackDate;
  if (!date) return void skip('the page states no publish date; pass --date 2020-05-01T09:00:00-05:00');
  if (!page.byline.length) return void skip('no byline found (no JSON-LD author, author meta or byline)');

  // Known authors by name; a guest with a bio line on the page gets an author file from it.
  const byline = page.byline.map((name) => {
    const known = o.knownAuthors.get(name.toLowerCase());
    if (known) {
      if (!r.authors.matched.includes(known)) r.authors.matched.push(known);
      return known;
    }
    if (page.bio?.name === name && slugify(name)) {
      const id = slugify(name);
      o.writer.addAuthor({ id, name, title: 'Contributor', bio: page.bio.text });
      return id;
    }
    return name;
  });

  const aliases: string[] = [];
  if (o.url) {
    const a = aliasFor(o.url, [o.siteOrigin]);
    if (a.alias) aliases.push(a.alias);
    else r.aliasesNotKept.push({ url: o.url, reason: a.reason!, story: page.title });
  }

  let image: StoryDraft['image'];
  const lead = page.leadPhoto;
  if (lead?.alt && lead.credit) image = { src: lead.src, alt: lead.alt, credit: lead.credit, caption: lead.caption };
  else if (lead) {
    const missing = [lead.alt ? '' : 'alt text', lead.credit ? '' : 'a credit'].filter(Boolean).join(' and ');
    r.warnings.push({ ref: o.file, message: `lead photo ${lead.src} has no ${missing}: put at the top of the body instead of image:` });
    page.body.tree.children.unshift(
      { type: 'paragraph', children: [{ type: 'image', url: lead.src, alt: lead.alt ?? lead.caption ?? '', title: null }] },
      ...(lead.caption
        ? [
            {
              type: 'paragraph' as const,
              children: [{ type: 'emphasis' as const, children: [{ type: 'text' as const, value: lead.caption }] }],
            },
          ]
        : []),
    );
    page.body.images.unshift({ src: lead.src, alt: lead.alt ?? '' });
  }

  let slug = page.title;
  try {
    const last = new URL(page.canonical ?? '').pathname.split('/').filter(Boolean).pop();
    if (last && slugify(last.replace(/\.[a-z]+$/i, '')).length > 3 && !/^\d+$/.test(last)) slug = last.replace(/\.[a-z]+$/i, '');
  } catch {
    /* no address: the headline */
  }

  await o.writer.add({
    ref: o.file,
    oldUrl: page.canonical,
    slug,
    title: page.title,
    dek: page.dek || page.title,
    byline,
    dateline: page.dateline,
    date,
    updated: page.updated,
    tags: page.tags,
    image,
    copyright: page.copyright,
    source: page.source,
    aliases,
    draft: o.allDrafts,
    body: page.body,
    photoDir: dirname(resolve(o.file)),
  });
}

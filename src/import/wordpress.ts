/**
 * WordPress posts to story drafts. The export is read twice, both times streamed: first for
 * the attachments (featured images may come after the posts that use them), then for the
 * posts. Only `post` items are stories; private, password-protected and trashed posts are
 * never written, and are listed in the report by title and old address.
 */
import type { Image } from 'mdast';
import type { EmbedHost } from '../site.config';
import { parseEditorDate } from '../lib/dates';
import { slugify } from '../lib/slug';
import { statSync } from 'node:fs';
import { inlineConverter, workerConverter, type PostBody } from './convert';
import { firstSentence, htmlToText } from './html-to-markdown';
import type { ImportReport } from './report';
import { tally } from './report';
import { readWxr, WxrError, type WxrChannel, type WxrItem } from './wxr';
import { aliasFor, type ImportWriter, type StationInfo, type StoryDraft } from './write';

export interface Attachment {
  url: string;
  alt?: string;
  caption?: string;
  credit?: string;
}

export interface WordPressOptions {
  file: string;
  station: StationInfo;
  embedHosts: readonly EmbedHost[];
  /** Every story as a draft (`--draft`). */
  allDrafts: boolean;
  /** Existing authors by display name, so an export's "Maria Okafor" is maria-okafor. */
  knownAuthors: Map<string, string>;
  writer: ImportWriter;
  report: ImportReport;
}

/** A credit WordPress keeps in the photo's metadata (PHP-serialised), or the Media Credit plugin's field. */
function creditOf(meta: Record<string, string>): string | undefined {
  const plugin = meta._media_credit?.trim();
  if (plugin) return plugin;
  const m = /s:6:"credit";s:\d+:"([^"]*)";/.exec(meta._wp_attachment_metadata ?? '');
  return m?.[1]?.trim() || undefined;
}

/** Pass one: every attachment, by id. Only a few fields each, so memory stays small. */
export async function readAttachments(file: string): Promise<{ channel: WxrChannel; attachments: Map<string, Attachment> }> {
  const attachments = new Map<string, Attachment>();
  let channel: WxrChannel | undefined;
  for await (const e of readWxr(file)) {
    if (e.type === 'channel') channel = e.channel;
    else if (e.item.postType === 'attachment' && e.item.attachmentUrl) {
      const i = e.item;
      attachments.set(i.postId, {
        url: i.attachmentUrl,
        alt: htmlToText(i.meta._wp_attachment_image_alt ?? '') || undefined,
        caption: htmlToText(i.excerpt) || undefined,
        credit: creditOf(i.meta),
      });
    }
  }
  if (!channel || !channel.version)
    throw new WxrError('this is not a WordPress export: it has no <wp:wxr_version>', 1, 'export it from WordPress with Tools → Export');
  return { channel, attachments };
}

const ZERO_DATE = /^0000-00-00/;

/** When the post was published: the GMT field, else the local one in the station's zone, else the RSS date. */
function dateOf(item: WxrItem, timeZone: string): Date | undefined {
  if (item.postDateGmt && !ZERO_DATE.test(item.postDateGmt)) {
    const r = parseEditorDate(`${item.postDateGmt}Z`.replace(' ', 'T'), timeZone);
    if (r.ok) return r.date;
  }
  if (item.postDate && !ZERO_DATE.test(item.postDate)) {
    const r = parseEditorDate(item.postDate, timeZone);
    if (r.ok) return r.date;
  }
  const rss = item.pubDate ? new Date(item.pubDate) : undefined;
  return rss && !Number.isNaN(rss.getTime()) ? rss : undefined;
}

/** Pass two: posts to drafts, handed to the writer one by one. */
export async function importWordPress(o: WordPressOptions): Promise<void> {
  const { channel, attachments } = await readAttachments(o.file);
  const r = o.report;
  const origins = [channel.blogUrl, channel.link].flatMap((u) => {
    try {
      return [new URL(u).origin];
    } catch {
      return [];
    }
  });

  // Authors: one file each, by display name; an author already in content/ is reused.
  const authorIds = new Map<string, string>();
  for (const a of channel.authors) {
    const name = a.displayName || [a.firstName, a.lastName].filter(Boolean).join(' ') || a.login;
    const known = o.knownAuthors.get(name.toLowerCase());
    const id = known ?? (slugify(name) || slugify(a.login));
    authorIds.set(a.login, id);
    if (known) {
      if (!r.authors.matched.includes(known)) r.authors.matched.push(known);
      continue;
    }
    const bio = htmlToText(a.description ?? '');
    if (!bio)
      r.warnings.push({ ref: `authors/${id}.yaml`, message: `the export has no bio for ${name}; write one (a placeholder was used)` });
    o.writer.addAuthor({ id, name, title: 'Contributor', bio: bio || `${name} contributed to the archive of this station.` });
  }

  // Workers pay for themselves only on a large export (MASTHEAD_IMPORT_WORKERS=0 or N decides instead).
  const setup = { attachments: [...attachments], embedHosts: o.embedHosts };
  const wanted = process.env.MASTHEAD_IMPORT_WORKERS === undefined ? undefined : Number(process.env.MASTHEAD_IMPORT_WORKERS);
  const converter =
    wanted === 0 || (wanted === undefined && statSync(o.file).size <= 4 * 1024 * 1024)
      ? inlineConverter(setup)
      : workerConverter(setup, wanted);
  const queue: (() => Promise<void>)[] = [];

  const finishPost = async (
    item: WxrItem,
    ref: string,
    title: string,
    date: Date,
    skip: (reason: string) => void,
    converted: Promise<PostBody>,
  ) => {
    const body = await converted;
    tally(r.shortcodes.converted, body.shortcodes.converted);
    for (const u of body.shortcodes.unknown) r.shortcodes.unknown[u] = (r.shortcodes.unknown[u] ?? 0) + 1;
    for (const w of body.shortcodes.warnings) r.warnings.push({ ref, message: w });
    tally(r.dropped, body.dropped);

    const categories = item.terms.filter((t) => t.domain === 'category' && t.nicename !== 'uncategorized').map((t) => htmlToText(t.name));
    const tags = item.terms.filter((t) => t.domain === 'post_tag' || t.domain === 'tag').map((t) => htmlToText(t.name));

    // The featured image is the lead photo when it has what `image` needs (alt and credit);
    // otherwise it opens the body, so it is not lost, and the report says what to add.
    let image: StoryDraft['image'];
    const thumb = item.meta._thumbnail_id && attachments.get(item.meta._thumbnail_id.trim());
    if (item.meta._thumbnail_id && !thumb)
      r.warnings.push({ ref, message: `featured image ${item.meta._thumbnail_id} is not in the export` });
    if (thumb) {
      if (thumb.alt && thumb.credit) image = { src: thumb.url, alt: thumb.alt, credit: thumb.credit, caption: thumb.caption };
      else {
        const missing = [thumb.alt ? '' : 'alt text', thumb.credit ? '' : 'a credit'].filter(Boolean).join(' and ');
        r.warnings.push({ ref, message: `featured image ${thumb.url} has no ${missing}: put at the top of the body instead of image:` });
        const node: Image = { type: 'image', url: thumb.url, alt: thumb.alt ?? thumb.caption ?? '', title: null };
        body.tree.children.unshift({ type: 'paragraph', children: [node] });
        if (!body.images.some((i) => i.src === thumb.url)) body.images.unshift({ src: thumb.url, alt: node.alt ?? '' });
      }
    }

    const aliases: string[] = [];
    if (item.link) {
      const a = aliasFor(item.link, origins);
      if (a.alias) aliases.push(a.alias);
      else if (item.status === 'publish' || item.status === 'future')
        r.aliasesNotKept.push({ url: item.link, reason: a.reason!, story: title });
    }

    // WXR 1.0 lists no authors: the post's login is all there is.
    if (item.creator && !authorIds.has(item.creator)) {
      const known = o.knownAuthors.get(item.creator.toLowerCase());
      const id = known ?? slugify(item.creator);
      authorIds.set(item.creator, id);
      if (!known && id) {
        r.warnings.push({
          ref: `authors/${id}.yaml`,
          message: `the export names ${item.creator} only by login; set the name, title and bio`,
        });
        o.writer.addAuthor({
          id,
          name: item.creator,
          title: 'Contributor',
          bio: `${item.creator} contributed to the archive of this station.`,
        });
      }
    }
    const byline = authorIds.get(item.creator);
    if (!byline) {
      skip('has no author');
      return;
    }
    let postName = item.postName;
    try {
      postName = decodeURIComponent(postName);
    } catch {
      /* keep it as it is */
    }
    await o.writer.add({
      ref,
      oldUrl: item.link || undefined,
      slug: postName || title,
      title,
      dek: htmlToText(item.excerpt) || firstSentence(body.tree) || title,
      byline: [byline],
      date,
      tags: [...categories, ...tags],
      image,
      aliases,
      draft: o.allDrafts || item.status === 'draft' || item.status === 'pending',
      body,
    });
  };

  try {
    for await (const e of readWxr(o.file)) {
      if (e.type !== 'item') continue;
      const item = e.item;
      const ref = `${o.file}:${item.line}`;
      const title = htmlToText(item.title);
      const skip = (reason: string) => r.skipped.push({ title: title || '(untitled)', ref, oldUrl: item.link || undefined, reason });
      if (item.postType !== 'post') {
        const type = item.postType || 'item without a type';
        r.notStories[type] = (r.notStories[type] ?? 0) + 1;
        continue;
      }
      // Never written: a private or protected post must not become public by being imported.
      if (item.status === 'private') {
        skip('private post: not imported');
        continue;
      }
      if (item.password) {
        skip('password-protected post: not imported');
        continue;
      }
      if (item.status === 'trash' || item.status === 'auto-draft' || item.status === 'inherit') {
        skip(`status "${item.status}": not a story`);
        continue;
      }
      if (!['publish', 'draft', 'pending', 'future'].includes(item.status)) {
        skip(`unknown status "${item.status}": not imported`);
        continue;
      }
      if (item.truncated) {
        skip('a field is larger than a story may be; not imported');
        continue;
      }
      if (!title) {
        skip('has no headline');
        continue;
      }
      const date = dateOf(item, o.station.timezone);
      if (!date) {
        skip('has no date');
        continue;
      }

      const converted = converter.convert(item.content);
      converted.catch(() => {}); // awaited in turn below; a failure must not surface before then
      queue.push(() => finishPost(item, ref, title, date, skip, converted));
      // Bodies convert ahead in the workers; the rest happens in file order.
      while (queue.length > 64) await queue.shift()!();
    }
    while (queue.length) await queue.shift()!();
  } finally {
    await converter.close();
  }
}

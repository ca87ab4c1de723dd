/**
 * A streaming reader for WordPress exports (WXR 1.0, 1.1 and 1.2), on saxes: the file is read
 * in chunks and each `<item>` is handed over as soon as it closes, so memory stays bounded
 * however large the export. An export is untrusted input: saxes never fetches external
 * entities and knows no entities but XML's five, and a DOCTYPE (the only place entities can
 * be declared) is refused outright, so XXE and "billion laughs" exports stop at line 1.
 */
import { createReadStream } from 'node:fs';
import { SaxesParser, type SaxesTagNS } from 'saxes';

export interface WxrAuthor {
  login: string;
  displayName: string;
  firstName?: string;
  lastName?: string;
  /** Not in standard exports; some plugins add it. */
  description?: string;
}

export interface WxrChannel {
  title: string;
  link: string;
  /** `wp:base_blog_url`, the address the old permalinks start with. */
  blogUrl: string;
  version: string;
  authors: WxrAuthor[];
}

export interface WxrTerm {
  /** `category`, `post_tag` (1.1+) or `tag` (1.0), or a custom taxonomy. */
  domain: string;
  nicename: string;
  name: string;
}

export interface WxrItem {
  /** Line of the `<item>` in the export, for messages. */
  line: number;
  title: string;
  link: string;
  pubDate: string;
  creator: string;
  guid: string;
  content: string;
  excerpt: string;
  postId: string;
  postDate: string;
  postDateGmt: string;
  postModifiedGmt: string;
  postName: string;
  status: string;
  postType: string;
  password: string;
  parent: string;
  attachmentUrl: string;
  terms: WxrTerm[];
  /** `wp:postmeta` pairs (`_thumbnail_id`, `_wp_attachment_image_alt`, …); the first value of a key wins. */
  meta: Record<string, string>;
  /** A field was cut at `maxFieldChars`; the item must not be imported as if whole. */
  truncated: boolean;
}

export type WxrEvent = { type: 'channel'; channel: WxrChannel } | { type: 'item'; item: WxrItem };

/** The export could not be read: `line` is where the XML went wrong. */
export class WxrError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'WxrError';
  }
}

export interface ReadWxrOptions {
  /** No field of an item may be longer (a story is at most 1 MB); longer ones are cut and flagged. */
  maxFieldChars?: number;
}

const CONTENT_NS = 'http://purl.org/rss/1.0/modules/content/';
const DC_NS = 'http://purl.org/dc/elements/1.1/';

/** `wp:post_id`, `content:encoded`, … whatever the version in the namespace URI. */
function qualified(tag: SaxesTagNS): string {
  const uri = tag.uri;
  if (uri.startsWith('http://wordpress.org/export/')) return `${uri.endsWith('/excerpt/') ? 'excerpt' : 'wp'}:${tag.local}`;
  if (uri === CONTENT_NS) return `content:${tag.local}`;
  if (uri === DC_NS) return `dc:${tag.local}`;
  return uri ? `{${uri}}${tag.local}` : tag.local;
}

const ITEM_FIELDS: Record<string, keyof WxrItem> = {
  title: 'title',
  link: 'link',
  pubDate: 'pubDate',
  'dc:creator': 'creator',
  guid: 'guid',
  'content:encoded': 'content',
  'excerpt:encoded': 'excerpt',
  'wp:post_id': 'postId',
  'wp:post_date': 'postDate',
  'wp:post_date_gmt': 'postDateGmt',
  'wp:post_modified_gmt': 'postModifiedGmt',
  'wp:post_name': 'postName',
  'wp:status': 'status',
  'wp:post_type': 'postType',
  'wp:post_password': 'password',
  'wp:post_parent': 'parent',
  'wp:attachment_url': 'attachmentUrl',
};

const AUTHOR_FIELDS: Record<string, keyof WxrAuthor> = {
  'wp:author_login': 'login',
  'wp:author_display_name': 'displayName',
  'wp:author_first_name': 'firstName',
  'wp:author_last_name': 'lastName',
  'wp:author_description': 'description',
};

const newItem = (line: number): WxrItem => ({
  line,
  title: '',
  link: '',
  pubDate: '',
  creator: '',
  guid: '',
  content: '',
  excerpt: '',
  postId: '',
  postDate: '',
  postDateGmt: '',
  postModifiedGmt: '',
  postName: '',
  status: '',
  postType: '',
  password: '',
  parent: '',
  attachmentUrl: '',
  terms: [],
  meta: {},
  truncated: false,
});

/**
 * Reads an export, yielding the channel (with its authors) before the first item, then each
 * item in file order. Throws `WxrError` on anything that is not a well-formed WXR file.
 */
export async function* readWxr(file: string, options: ReadWxrOptions = {}): AsyncGenerator<WxrEvent> {
  const maxField = options.maxFieldChars ?? 4 * 1024 * 1024;
  const parser = new SaxesParser({ xmlns: true, position: true });
  const queue: WxrEvent[] = [];
  const stack: string[] = [];
  const channel: WxrChannel = { title: '', link: '', blogUrl: '', version: '', authors: [] };
  let channelSent = false;
  let item: WxrItem | undefined;
  let author: WxrAuthor | undefined;
  let term: WxrTerm | undefined;
  let metaKey: string | undefined;
  let metaValue: string | undefined;
  let text = '';
  let textCut = false;
  let failure: WxrError | undefined;

  const fail = (message: string, hint: string) => {
    failure ??= new WxrError(message, parser.line, hint);
  };
  const sendChannel = () => {
    if (channelSent) return;
    channelSent = true;
    queue.push({ type: 'channel', channel });
  };

  parser.on('doctype', () =>
    fail('the export has a DOCTYPE', 'WordPress exports never have one; entity declarations are refused, so this file is not read'),
  );
  parser.on('error', (e) =>
    fail(`not well-formed XML: ${e.message.replace(/^\d+:\d+: /, '')}`, 'export it again from WordPress (Tools → Export)'),
  );
  parser.on('opentag', (tag) => {
    const name = qualified(tag);
    const depth = stack.length;
    stack.push(name);
    text = '';
    textCut = false;
    if (depth === 0) {
      if (name !== 'rss') fail(`the root element is <${tag.name}>, not <rss>`, 'is this a WordPress export (WXR)?');
      return;
    }
    const parent = stack[depth - 1];
    if (name === 'item' && parent === 'channel') {
      sendChannel();
      item = newItem(parser.line);
    } else if (name === 'wp:author' && parent === 'channel') {
      author = { login: '', displayName: '' };
    } else if (item && name === 'category' && parent === 'item') {
      term = { domain: tag.attributes.domain?.value ?? 'category', nicename: tag.attributes.nicename?.value ?? '', name: '' };
    } else if (item && name === 'wp:postmeta') {
      metaKey = metaValue = undefined;
    }
  });
  const onText = (t: string) => {
    if (textCut) return;
    if (text.length + t.length > maxField) {
      text += t.slice(0, maxField - text.length);
      textCut = true;
      if (item) item.truncated = true;
    } else text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const name = stack.pop()!;
    const parent = stack.at(-1);
    const value = text;
    text = '';
    if (item) {
      if (name === 'item') {
        queue.push({ type: 'item', item });
        item = undefined;
      } else if (parent === 'item' && name === 'category' && term) {
        term.name = value.trim();
        item.terms.push(term);
        term = undefined;
      } else if (parent === 'item' && ITEM_FIELDS[name]) {
        (item[ITEM_FIELDS[name]] as string) = name === 'content:encoded' || name === 'excerpt:encoded' ? value : value.trim();
      } else if (parent === 'wp:postmeta' && name === 'wp:meta_key') metaKey = value.trim();
      else if (parent === 'wp:postmeta' && name === 'wp:meta_value') metaValue = value;
      else if (name === 'wp:postmeta' && metaKey && metaValue !== undefined && !(metaKey in item.meta)) item.meta[metaKey] = metaValue;
      return;
    }
    if (author) {
      if (name === 'wp:author') {
        if (author.login) channel.authors.push({ ...author, displayName: author.displayName || author.login });
        author = undefined;
      } else if (AUTHOR_FIELDS[name]) (author[AUTHOR_FIELDS[name]] as string) = value.trim();
      return;
    }
    if (parent === 'channel') {
      if (name === 'title') channel.title = value.trim();
      else if (name === 'link') channel.link = value.trim();
      else if (name === 'wp:base_blog_url') channel.blogUrl = value.trim();
      else if (name === 'wp:wxr_version') channel.version = value.trim();
    }
  });

  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      parser.write(chunk);
      if (failure) throw failure;
      while (queue.length) yield queue.shift()!;
    }
    parser.close();
  } catch (e) {
    if (e instanceof WxrError) throw e;
    // saxes throws after reporting through `error` when it cannot go on.
    if (failure) throw failure;
    throw new WxrError(
      `not well-formed XML: ${(e as Error).message.replace(/^\d+:\d+: /, '')}`,
      parser.line,
      'export it again from WordPress',
    );
  } finally {
    stream.destroy();
  }
  if (failure) throw failure;
  sendChannel();
  while (queue.length) yield queue.shift()!;
}

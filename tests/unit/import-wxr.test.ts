import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAttachments } from '../../src/import/wordpress';
import { readWxr, WxrError, type WxrChannel, type WxrItem } from '../../src/import/wxr';
import { ROOT } from '../helpers/sites';

const FIXTURES = join(ROOT, 'tests/fixtures/import');

async function readAll(file: string, maxFieldChars?: number) {
  let channel: WxrChannel | undefined;
  const items: WxrItem[] = [];
  for await (const e of readWxr(file, { maxFieldChars })) {
    if (e.type === 'channel') channel = e.channel;
    else items.push(e.item);
  }
  return { channel: channel!, items };
}

async function failure(file: string): Promise<WxrError> {
  try {
    await readAll(file);
  } catch (e) {
    if (e instanceof WxrError) return e;
    throw e;
  }
  throw new Error(`${file} was read without an error`);
}

const tmp = mkdtempSync(join(tmpdir(), 'wxr-test-'));
const write = (name: string, text: string) => {
  const file = join(tmp, name);
  writeFileSync(file, text);
  return file;
};

describe('the WXR reader', () => {
  it('reads a 1.2 export: channel, authors, every item with its fields, terms and post meta', async () => {
    const { channel, items } = await readAll(join(FIXTURES, 'export-1.2.xml'));
    expect(channel).toMatchObject({ version: '1.2', blogUrl: 'https://old.kfix.example.org', title: 'KFIX News' });
    expect(channel.authors.map((a) => [a.login, a.displayName])).toEqual([
      ['ada', 'Ada Reporter'],
      ['jlee', 'Jordan Lee'],
    ]);
    expect(items.map((i) => `${i.postType}/${i.status}`)).toEqual([
      'post/publish',
      'post/publish',
      'post/draft',
      'post/pending',
      'post/future',
      'post/private',
      'post/publish',
      'post/publish',
      'post/publish',
      'post/trash',
      'page/publish',
      'nav_menu_item/publish',
      'attachment/inherit',
      'attachment/inherit',
    ]);
    const first = items[0]!;
    expect(first).toMatchObject({
      title: 'Council approves the levee plan',
      link: 'https://old.kfix.example.org/2020/05/01/levee-plan/',
      creator: 'jlee',
      postId: '10',
      postDateGmt: '2020-05-01 14:30:00',
      postName: 'levee-plan',
      password: '',
      meta: { _thumbnail_id: '100' },
      truncated: false,
    });
    expect(first.terms).toEqual([
      { domain: 'category', nicename: 'environment', name: 'Environment' },
      { domain: 'post_tag', nicename: 'flooding', name: 'Flooding' },
    ]);
    // Comments are not part of the post.
    expect(JSON.stringify(first)).not.toContain('COMMENT-MARKER');
    expect(first.content).toContain('[caption id="attachment_101"');
    expect(first.line).toBe(29);
    // CDATA is kept as written: entities in it are HTML's, decoded later by the HTML parser.
    expect(items[1]!.title).toBe('It&#8217;s “typography” — café, 日本語, עברית &amp; 🎉');
    expect(items[6]!.password).toBe('hunter2');
  });

  it('reads a 1.0 export, whose namespaces and tag domain differ', async () => {
    const { channel, items } = await readAll(join(FIXTURES, 'export-1.0.xml'));
    expect(channel.version).toBe('1.0');
    expect(channel.authors).toEqual([]);
    expect(items).toHaveLength(1);
    expect(items[0]!.terms.map((t) => `${t.domain}:${t.name}`)).toEqual(['category:Arts', 'category:Arts', 'tag:Music', 'tag:Music']);
    expect(items[0]!.creator).toBe('mwong');
  });

  it('collects attachments with alt text, caption and the credit from the photo metadata', async () => {
    const { attachments } = await readAttachments(join(FIXTURES, 'export-1.2.xml'));
    expect(attachments.get('100')).toEqual({
      url: 'https://old.kfix.example.org/wp-content/uploads/2020/05/levee.jpg',
      alt: 'A concrete levee wall along a brown river',
      caption: 'Crews finish the first section of the new levee.',
      credit: 'Jordan Lee/KFIX',
    });
    expect(attachments.get('101')?.credit).toBeUndefined();
  });

  it('refuses external entities (XXE) and entity bombs at the DOCTYPE, reading nothing', async () => {
    const xxe = await failure(join(FIXTURES, 'xxe.xml'));
    expect(xxe.message).toBe('the export has a DOCTYPE');
    expect(xxe.line).toBe(2);
    const bomb = await failure(join(FIXTURES, 'billion-laughs.xml'));
    expect(bomb.message).toBe('the export has a DOCTYPE');
    // Without a DOCTYPE an entity has nowhere to be declared: an undefined entity is an error, not text.
    const undeclared = await failure(write('undeclared.xml', '<rss><channel><item><title>&lol9;</title></item></channel></rss>'));
    expect(undeclared.message).toMatch(/undefined entity/);
  });

  it('names the line where malformed XML goes wrong', async () => {
    const e = await failure(join(FIXTURES, 'malformed.xml'));
    expect(e.message).toMatch(/^not well-formed XML: /);
    expect(e.line).toBe(8);
    expect((await failure(write('feed.xml', '<feed><entry/></feed>'))).message).toBe('the root element is <feed>, not <rss>');
    expect((await failure(write('empty.xml', ''))).message).toBe('not well-formed XML: document must contain a root element.');
    await expect(readAttachments(write('rss.xml', '<rss><channel><title>Plain RSS</title></channel></rss>'))).rejects.toThrow(
      'this is not a WordPress export: it has no <wp:wxr_version>',
    );
  });

  it('streams: items arrive before the file is read to its end, and an oversized field is cut and flagged', async () => {
    const item = (n: number) =>
      `<item><title>Post ${n}</title><wp:post_type>post</wp:post_type><content:encoded><![CDATA[<p>${'x'.repeat(2000)}</p>]]></content:encoded></item>`;
    const head =
      '<rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><wp:wxr_version>1.2</wp:wxr_version>';
    // 2,000 items, then garbage: the first items are handed over before the reader reaches it.
    const file = write('big.xml', `${head}${Array.from({ length: 2000 }, (_, i) => item(i)).join('\n')}<broken</channel></rss>`);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const e of readWxr(file)) if (e.type === 'item') seen.push(e.item.title);
      })(),
    ).rejects.toThrow(WxrError);
    expect(seen.length).toBeGreaterThan(100);
    expect(seen[0]).toBe('Post 0');

    const cut = await readAll(write('one.xml', `${head}${item(1)}</channel></rss>`), 500);
    expect(cut.items[0]!.truncated).toBe(true);
    expect(cut.items[0]!.content.length).toBe(500);
  });
});

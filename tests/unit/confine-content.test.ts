import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AstroIntegration } from 'astro';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confineContent } from '../../src/integrations/confine-content';

/**
 * The build's second line for images: the Vite hook every image a content file imports passes
 * through. The content gate normally stops such a story first, so the hook is called here
 * directly, as Vite calls it, on a real file tree.
 */
type ResolveId = (this: { error(m: string): never }, id: string, importer?: string) => null;

let tmp: string;
let content: string;
let resolveId: ResolveId;
const logged: string[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'masthead-confine-hook-'));
  content = join(tmp, 'content');
  mkdirSync(join(content, 'articles'), { recursive: true });
  mkdirSync(join(tmp, 'outside'));
  // Real, whole JPEGs: the hook also refuses a file that is not a whole image.
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).jpeg().toBuffer();
  writeFileSync(join(tmp, 'outside/secret.jpg'), jpeg);
  writeFileSync(join(content, 'articles/ok.jpg'), jpeg);
  writeFileSync(join(content, 'articles/chart.svg'), '<svg><script>alert(1)</script></svg>');
  symlinkSync(join(tmp, 'outside/secret.jpg'), join(content, 'articles/linked.jpg'));
  let plugins: { resolveId: ResolveId }[] = [];
  const setup = (confineContent({ contentDir: content }) as AstroIntegration).hooks['astro:config:setup'] as unknown as (o: object) => void;
  setup({
    updateConfig: (c: { vite: { plugins: { resolveId: ResolveId }[] } }) => (plugins = c.vite.plugins),
    logger: { error: (m: string) => logged.push(m) },
  });
  resolveId = plugins[0]!.resolveId;
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ctx = {
  error(m: string): never {
    throw new Error(m);
  },
};
const story = () => join(content, 'articles/story.md');

describe('the build confines every image a content file imports', () => {
  it.each([
    ['../../outside/secret.jpg', 'points outside the content folder'],
    ['./linked.jpg', 'is a link that leads outside the content folder'],
    ['./chart.svg', 'SVG images are not allowed in stories'],
    ['%2e%2e/%2e%2e/outside/secret.jpg', 'points outside the content folder'],
  ])('refuses %s, naming the story', (id, message) => {
    expect(() => resolveId.call(ctx, id, story())).toThrow(new RegExp(`content/articles/story\\.md: image: .*${message}`));
    expect(logged.at(-1)).toContain(message);
  });

  it('lets a file inside content/ through to Vite, and ignores imports from the site’s own code', () => {
    expect(resolveId.call(ctx, './ok.jpg', story())).toBeNull();
    expect(resolveId.call(ctx, '../../outside/secret.jpg', join(tmp, 'src/components/Logo.astro'))).toBeNull();
  });
});

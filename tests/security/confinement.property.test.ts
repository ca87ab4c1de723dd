import fc from 'fast-check';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confineFile, confineRef } from '../../src/content/confine';

/**
 * Path confinement, tried with random paths on a real file tree: whatever a story writes
 * (`..`, `.`, `//`, percent-escapes, absolute paths, links on the way), `confineRef` either
 * refuses, says the file is missing, or returns a real path inside content/ — never one outside.
 *
 * The tree: <tmp>/content/articles/2026/story.md beside photo.jpg; links inside content/ to
 * files inside (allowed) and to files and folders outside (refused); <tmp>/outside/ with secrets.
 */
let tmp: string;
let content: string;
let story: string;
let realContent: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'masthead-confine-'));
  content = join(tmp, 'content');
  const outside = join(tmp, 'outside');
  const dir = join(content, 'articles/2026');
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(content, 'authors'), { recursive: true });
  mkdirSync(join(outside, 'deeper'), { recursive: true });
  story = join(dir, 'story.md');
  writeFileSync(story, '---\n---\n');
  writeFileSync(join(dir, 'photo.jpg'), 'x');
  writeFileSync(join(content, 'authors/ada.jpg'), 'x');
  writeFileSync(join(outside, 'secret.jpg'), 'x');
  writeFileSync(join(outside, 'deeper/secret.mp3'), 'x');
  writeFileSync(join(tmp, 'secret.txt'), 'x');
  // Links that stay inside, and links that leave, relative and absolute, to files and folders.
  symlinkSync('photo.jpg', join(dir, 'inside-link.jpg'));
  symlinkSync('../../authors', join(dir, 'authors-dir'));
  symlinkSync(join(outside, 'secret.jpg'), join(dir, 'out-abs.jpg'));
  symlinkSync('../../../outside/secret.jpg', join(dir, 'out-rel.jpg'));
  symlinkSync(outside, join(dir, 'out-dir'));
  symlinkSync('../../secret.txt', join(content, 'authors/up.txt'));
  symlinkSync('/etc/passwd', join(dir, 'passwd'));
  symlinkSync('no-such-file', join(dir, 'dangling.jpg'));
  symlinkSync('loop-b', join(dir, 'loop-a'));
  symlinkSync('loop-a', join(dir, 'loop-b'));
  realContent = realpathSync(content);
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const NAMES = [
  'photo.jpg',
  'inside-link.jpg',
  'authors-dir',
  'ada.jpg',
  'out-abs.jpg',
  'out-rel.jpg',
  'out-dir',
  'secret.jpg',
  'secret.mp3',
  'secret.txt',
  'deeper',
  'up.txt',
  'passwd',
  'dangling.jpg',
  'loop-a',
  'story.md',
  'articles',
  '2026',
  'authors',
  'outside',
  'content',
  'etc',
];
const segment = fc.oneof(
  fc.constantFrom('..', '.', '', '%2e%2e', '%2E.', '..%2f..', '%2e', '...', '..\\..'),
  fc.constantFrom(...NAMES),
  fc.stringMatching(/^[a-z.%2-]{1,6}$/),
);
const ref = fc
  .tuple(fc.constantFrom('', './', '/', '//', '../', tmpdir() + '/'), fc.array(segment, { minLength: 1, maxLength: 8 }))
  .map(([lead, parts]) => lead + parts.join('/'));

const isInside = (root: string, p: string) => {
  const rel = relative(root, p);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

describe('path confinement (property-based)', () => {
  it('returns a real file inside content/ or refuses; never a path outside', () => {
    fc.assert(
      fc.property(ref, fc.boolean(), (written, decode) => {
        let r = written;
        if (decode) {
          try {
            r = decodeURI(written); // as Astro decodes a body image's address
          } catch {
            // kept as written
          }
        }
        const found = confineRef(content, story, r);
        if ('path' in found) {
          expect(isInside(realContent, found.path), `${r} → ${found.path}`).toBe(true);
          expect(realpathSync(found.path)).toBe(found.path);
        } else if ('missing' in found) {
          expect(isInside(resolve(content), found.missing), `${r} → missing ${found.missing}`).toBe(true);
        } else {
          expect(found.refused.message.length).toBeGreaterThan(0);
          expect(found.refused.hint.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['./out-abs.jpg', 'is a link that leads outside'],
    ['./out-rel.jpg', 'is a link that leads outside'],
    ['./out-dir/secret.jpg', 'is a link that leads outside'],
    ['./out-dir/deeper/secret.mp3', 'is a link that leads outside'],
    ['./passwd', 'is a link that leads outside'],
    ['./authors-dir/up.txt', 'is a link that leads outside'],
    ['./dangling.jpg', 'is a broken link'],
    ['./loop-a', 'is a broken link'],
    ['../../../outside/secret.jpg', 'points outside the content folder'],
    ['../../../secret.txt', 'points outside the content folder'],
    ['/etc/passwd', 'must be a path from'],
    ['file:///etc/passwd', 'must be a path from'],
    ['./photo\u202e.jpg', 'control or invisible characters'],
  ])('refuses %s', (r, message) => {
    const found = confineRef(content, story, r);
    expect('refused' in found && found.refused.message).toContain(message);
  });

  it.each([['./photo.jpg'], ['./inside-link.jpg'], ['./authors-dir/ada.jpg'], ['.//photo.jpg'], ['../2026/./photo.jpg']])(
    'follows %s, which stays inside, to its real file',
    (r) => {
      const found = confineRef(content, story, r);
      expect('path' in found && isInside(realContent, found.path)).toBe(true);
    },
  );

  it('refuses a content folder entry that is a link to outside, and accepts one inside', () => {
    expect('refused' in confineFile(content, join(content, 'articles/2026/out-dir'))).toBe(true);
    expect('path' in confineFile(content, join(content, 'articles/2026/inside-link.jpg'))).toBe(true);
    expect('refused' in confineFile(content, join(tmp, 'secret.txt'))).toBe(true);
  });
});

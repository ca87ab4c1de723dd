import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBody, bodiesFromEnv, FRONTMATTER_ONLY } from '../../src/content/story-loader';
import { TMP } from '../helpers/sites';

describe('bodiesFromEnv', () => {
  it('renders every body unless MASTHEAD_BODIES names a list', () => {
    expect(bodiesFromEnv({})).toBeUndefined();
    expect(bodiesFromEnv({ MASTHEAD_BODIES: '' })).toBeUndefined();
  });

  it('reads one story id a line, ignoring blank lines', () => {
    mkdirSync(TMP, { recursive: true });
    const file = join(TMP, 'story-loader-bodies.txt');
    writeFileSync(file, '2016/a\n\n  2019/b  \n');
    expect([...bodiesFromEnv({ MASTHEAD_BODIES: file })!]).toEqual(['2016/a', '2019/b']);
  });

  it('refuses a list that does not exist, saying who writes it', () => {
    expect(() => bodiesFromEnv({ MASTHEAD_BODIES: '/nonexistent/bodies.txt' })).toThrow(
      'MASTHEAD_BODIES: /nonexistent/bodies.txt does not exist (hint: it is written by npm run shards; unset it to render every story)',
    );
  });
});

describe('assertBody', () => {
  it('stops a page that would show a story whose body this build did not render', () => {
    expect(() => assertBody({ id: '2016/a', filePath: 'content/articles/2016/a.md', digest: `abc${FRONTMATTER_ONLY}` })).toThrow(
      /^content\/articles\/2016\/a\.md: body: not rendered in this part of the sharded build \(hint: the build's MASTHEAD_BODIES list must name "2016\/a"/,
    );
  });

  it('lets through a rendered story, and an empty body rendered as such', () => {
    expect(() => assertBody({ id: '2016/a', digest: 'abc', rendered: { html: '<p>x</p>' } })).not.toThrow();
    expect(() => assertBody({ id: '2016/b', digest: 'abc', rendered: { html: '' } })).not.toThrow();
    // A full build stores every story with its own digest.
    expect(() => assertBody({ id: '2016/c', digest: 'abc' })).not.toThrow();
  });
});

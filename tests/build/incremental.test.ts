import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../helpers/build-site';
import { fileForPath, loadPage } from '../helpers/dist';
import { ROOT, SITES } from '../helpers/sites';
import { all, text } from '../helpers/html';

// Incremental builds copy a page from the cache when its cache key is unchanged. These builds
// edit a scratch copy of the fixtures between runs and check that what changed is re-rendered
// and what did not is restored, so a key that misses some data would fail here.
const site = SITES.incremental;
const dist = site.outDir;
const content = site.contentDir;
const WIRE = '/news/2026/11/21/wire-story/';
const MULTI_AUTHOR = '/news/2026/11/19/multi-author/';
const PHOTO = '/news/2026/11/20/local-story-with-photo/';

/** Pages the build says it copied from the incremental cache instead of rendering. */
const restoredPaths = (log: string) =>
  new Set(
    [...stripVTControlCharacters(log).matchAll(/[├└]─ (\S+) \((?:restored|cached)\)/g)].map((m) => m[1]!.replace(/index\.html$/, '')),
  );

const html = (path: string) => readFileSync(fileForPath(dist, path), 'utf8');

describe('incremental builds', () => {
  const logs: string[] = [];
  /** HTML of a few pages after each build. */
  const snapshots: Map<string, string>[] = [];
  const build = async () => {
    logs.push((await buildSite('incremental')).output);
    snapshots.push(new Map([WIRE, MULTI_AUTHOR, PHOTO, '/'].map((p) => [p, html(p)])));
  };

  beforeAll(async () => {
    rmSync(content, { recursive: true, force: true });
    rmSync(site.cacheDir, { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
    cpSync(join(ROOT, 'tests/fixtures/content'), content, { recursive: true });
    await build();

    // 1. A correction to one story's text.
    appendFileSync(join(content, 'articles/2026/wire-story.md'), '\nINCREMENTALMARKER a paragraph added after publication.\n');
    await build();

    // 2. An author changes their name.
    const author = join(content, 'authors/ada-reporter.yaml');
    writeFileSync(author, readFileSync(author, 'utf8').replace('name: Ada Reporter', 'name: Ada Q. Renamed'));
    await build();
  }, 600_000); // three builds, each waiting its turn behind other files' builds (tests/helpers/run.ts)

  it('renders every page on the first build', () => {
    expect(restoredPaths(logs[0]!).size).toBe(0);
  });

  it('re-renders only the edited story after a text edit, and restores the rest unchanged', () => {
    const restored = restoredPaths(logs[1]!);
    expect(restored.has(WIRE)).toBe(false);
    expect(snapshots[1]!.get(WIRE)).toContain('INCREMENTALMARKER');
    for (const path of [MULTI_AUTHOR, PHOTO, '/']) {
      expect(restored.has(path)).toBe(true);
      expect(snapshots[1]!.get(path)).toBe(snapshots[0]!.get(path));
    }
  });

  it('re-renders every page that shows an author after the author is renamed', () => {
    const restored = restoredPaths(logs[2]!);
    for (const path of [MULTI_AUTHOR, PHOTO]) {
      expect(restored.has(path)).toBe(false);
      const $ = loadPage(dist, path);
      expect(text(all($, '.byline'))).toContain('Ada Q. Renamed');
      expect(text(all($, '.author-bio .name'))).toContain('Ada Q. Renamed');
      expect(readFileSync(fileForPath(dist, path), 'utf8')).not.toContain('Ada Reporter<');
    }
    // The earlier text edit survives the re-render.
    expect(text(all(loadPage(dist, WIRE), '[data-article-body]'))).toContain('INCREMENTALMARKER');
  });
});

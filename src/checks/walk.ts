import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { audioTypeForFile } from '../lib/audio';
import { confineFile, IMAGE_EXTENSIONS } from '../content/confine';
import { hasUnsafeChars, MAX_FILE_NAME_BYTES, UNSAFE_CHARS } from '../content/limits';
import type { Report } from './report';

/** Image files a story folder may hold (SVG is listed so a stray one is reported, not ignored). */
export const IMAGE_FILES = new Set([...IMAGE_EXTENSIONS, '.svg']);
/** Text formats that look like stories but are not built. */
const STORY_LIKE = new Set(['.markdown', '.mdown', '.mkd', '.mdx', '.txt', '.text', '.rtf', '.doc', '.docx', '.html', '.htm']);

export interface Listing {
  files: string[];
  dirs: string[];
}

/**
 * The files and folders directly in `dir`. A name with control or bidi characters, or too long
 * for the output paths, and a link whose real target is outside content/, are reported through
 * `refuse` and left out, so nothing reads or publishes them.
 */
export function list(dir: string, contentDir: string, refuse: Report): Listing {
  const out: Listing = { files: [], dirs: [] };
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (hasUnsafeChars(e.name)) {
      refuse(p, {
        field: 'file',
        message: 'the name contains control or invisible characters (line breaks, right-to-left overrides), which disguise what a file is',
        hint: `rename it to ${e.name.replace(UNSAFE_CHARS, '') || 'a plain name'}`,
      });
      continue;
    }
    if (Buffer.byteLength(e.name) > MAX_FILE_NAME_BYTES) {
      refuse(p, {
        field: 'file',
        message: `the name is ${Buffer.byteLength(e.name)} bytes long; names must be at most ${MAX_FILE_NAME_BYTES}`,
        hint: 'shorten the file name',
      });
      continue;
    }
    if (e.isSymbolicLink()) {
      const confined = confineFile(contentDir, p);
      if ('refused' in confined) {
        refuse(p, { field: 'file', ...confined.refused });
        continue;
      }
    }
    const isDir = e.isDirectory() || (e.isSymbolicLink() && statSync(p, { throwIfNoEntry: false })?.isDirectory());
    (isDir ? out.dirs : out.files).push(p);
  }
  out.files.sort();
  out.dirs.sort();
  return out;
}

function containsStories(dir: string, contentDir: string): boolean {
  const { files, dirs } = list(dir, contentDir, () => {});
  return files.some((f) => f.toLowerCase().endsWith('.md')) || dirs.some((d) => containsStories(d, contentDir));
}

/** What content/articles/ holds, sorted as the walk finds it: folders first, then files. */
export interface ArticleFiles {
  stories: string[];
  images: string[];
  audio: string[];
}

/**
 * Every story, image and audio file under `dir`, at any depth. Files the build would skip or
 * not publish (dotted names, `.MD`, `.txt`, a stray PDF) are reported, never dropped silently.
 */
export function walkArticles(articlesDir: string, contentDir: string, report: Report): ArticleFiles {
  const out: ArticleFiles = { stories: [], images: [], audio: [] };
  const walk = (dir: string) => {
    const { files, dirs } = list(dir, contentDir, report);
    for (const d of dirs) {
      const name = d.slice(dir.length + 1);
      if (name.startsWith('.')) {
        if (containsStories(d, contentDir))
          report(d, {
            field: 'file',
            message: 'the build skips folders whose names start with a dot, and the stories in them',
            hint: `rename it to ${name.replace(/^\.+/, '') || 'a plain name'}`,
          });
        continue;
      }
      walk(d);
    }
    for (const file of files) {
      const name = file.slice(dir.length + 1);
      const ext = extname(name).toLowerCase();
      if (name.startsWith('.')) {
        // .DS_Store, .gitkeep: not content. A dotted story would be skipped silently, so say so.
        if (ext === '.md')
          report(file, {
            field: 'file',
            message: 'the build skips files whose names start with a dot',
            hint: `rename it to ${name.replace(/^\.+/, '') || 'story.md'}`,
          });
        continue;
      }
      if (extname(name) === '.md') out.stories.push(file);
      else if (ext === '.md' || STORY_LIKE.has(ext)) {
        report(file, {
          field: 'file',
          message: 'is not built: only files ending in .md (lowercase) are stories',
          hint: `rename it to ${name.slice(0, -extname(name).length)}.md`,
        });
      } else if (IMAGE_FILES.has(ext)) out.images.push(file);
      else if (audioTypeForFile(name)) out.audio.push(file);
      else
        report(file, {
          field: 'file',
          severity: 'warning',
          message: 'is not published: only stories, their images and their audio are',
          hint: 'move it out of content/articles/',
        });
    }
  };
  walk(articlesDir);
  return out;
}

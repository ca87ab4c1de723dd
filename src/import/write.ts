/**
 * Writing imported stories: stable slugs and file names, photos saved beside each story, the
 * frontmatter produced by the `yaml` package (never concatenated), and — before anything
 * reaches `content/` — the same checker as `npm run check:content`, run in-process on a staged
 * copy laid over the real content folder. A story that fails it is not written; the report
 * says why. Every file is written atomically (a temporary file renamed into place), photos
 * before their story, so an interrupted import leaves no half-written file.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  linkSync,
  copyFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import type { Root as MdastRoot } from 'mdast';
import type { EmbedHost } from '../site.config';
import { toZonedIso, zonedParts } from '../lib/dates';
import { writeAtomic } from '../lib/write-atomic';
import { articlePath } from '../lib/permalinks';
import { slugify } from '../lib/slug';
import { checkContent } from '../checks/index';
import { formatProblem, isError, type ContentProblem } from '../content/problems';
import { storyFile } from '../content/frontmatter';
import { toMarkdown, type ImageRef } from './html-to-markdown';
import { fetchPhoto, photoName, type MediaOptions } from './media';
import type { ImportReport } from './report';

/** Longest slug written; a longer one is cut at a word (file names and URLs have limits). */
export const MAX_SLUG = 80;
/** Most tags a story keeps; the rest are listed in the report. */
export const MAX_TAGS = 10;
const MAX_TITLE = 140;
const MAX_DEK = 300;
const MAX_TAG = 40;

export interface StationInfo {
  id: string;
  timezone: string;
}

/** A story as a source reader found it, before names, photos and checks. */
export interface StoryDraft {
  /** Where it came from, for the report: `export.xml:120` or `saved.html`. */
  ref: string;
  /** Its address on the old site, for the report and (if it qualifies) `aliases`. */
  oldUrl?: string;
  /** Wanted slug (the old one when there was one); made unique here. */
  slug: string;
  title: string;
  dek: string;
  byline: string[];
  dateline?: string;
  date: Date;
  updated?: Date;
  tags: string[];
  /** The lead photo: `src` is the original address until it is saved. */
  image?: { src: string; alt: string; credit: string; caption?: string };
  copyright?: string;
  source?: { name: string; url: string };
  aliases: string[];
  draft: boolean;
  body: { tree: MdastRoot; images: ImageRef[] };
  /** Folder whose files (`file:` image addresses) may be copied: a saved page's own folder. */
  photoDir?: string;
}

export interface NewAuthor {
  id: string;
  name: string;
  title: string;
  bio: string;
}

export interface WriterOptions {
  /** The content folder the output is in (with stations/ and authors/). */
  contentDir: string;
  /** Where stories go, inside `contentDir/articles/`. */
  outDir: string;
  station: StationInfo;
  force: boolean;
  now: Date;
  embedHosts: readonly EmbedHost[];
  media: MediaOptions;
  report: ImportReport;
}

interface Staged {
  draft: StoryDraft;
  /** Path relative to the content folder, e.g. `articles/imported/2020/slug.md`. */
  rel: string;
  permalink: string;
  photos: string[];
  /** The Markdown body and lead-photo path as written, to write the file again with fewer aliases. */
  body: string;
  imageSrc?: string;
}

const cut = (s: string, n: number) => {
  if (s.length <= n) return s;
  const at = s.lastIndexOf(' ', n - 1);
  return `${s.slice(0, at > n / 2 ? at : n - 1).trimEnd()}…`;
};

/** Cuts a slug at a hyphen so it stays under `MAX_SLUG`. */
export function capSlug(slug: string): string {
  if (slug.length <= MAX_SLUG) return slug;
  const at = slug.lastIndexOf('-', MAX_SLUG);
  return slug.slice(0, at > 20 ? at : MAX_SLUG).replace(/-+$/, '');
}

/** An old address as an alias, or why it cannot be one (aliases are plain lowercase paths). */
export function aliasFor(oldUrl: string, siteOrigins: readonly string[]): { alias?: string; reason?: string } {
  let url: URL;
  try {
    url = new URL(oldUrl);
  } catch {
    return { reason: 'is not a full address' };
  }
  if (siteOrigins.length && !siteOrigins.includes(url.origin)) return { reason: `is on ${url.host}, not this site` };
  if (url.search) return { reason: 'has a query string (?…), which a static redirect page cannot answer' };
  const path = url.pathname;
  if (path === '/' || !path.startsWith('/')) return { reason: 'is the home page' };
  if (!/^\/(?:[a-z0-9\-._~]|%[0-9A-Fa-f]{2})*(?:\/(?:[a-z0-9\-._~]|%[0-9A-Fa-f]{2})*)*$/.test(path))
    return { reason: 'has characters an alias may not use (only a-z 0-9 - . _ ~ in each part)' };
  // Percent-escapes must decode to the same plain set, part by part, or the alias would name another path.
  const parts: string[] = [];
  for (const part of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      return { reason: 'has a broken %-escape' };
    }
    if (!/^[a-z0-9\-._~]*$/.test(decoded))
      return { reason: 'has escaped characters an alias may not use (non-ASCII, capitals, / or others)' };
    parts.push(decoded);
  }
  const alias = parts.join('/');
  if (alias.includes('//') || parts.includes('..') || parts.includes('.')) return { reason: 'has empty, "." or ".." parts' };
  return { alias };
}

/** The story file's text: frontmatter from the `yaml` package, then the Markdown body. */
export function storyText(d: StoryDraft, station: StationInfo, body: string, imageSrc?: string): string {
  const fm: Record<string, unknown> = {
    title: d.title,
    dek: d.dek,
    byline: d.byline.length === 1 ? d.byline[0] : d.byline,
    ...(d.dateline ? { dateline: d.dateline } : {}),
    station: station.id,
    date: toZonedIso(d.date, station.timezone),
    ...(d.updated && d.updated > d.date ? { updated: toZonedIso(d.updated, station.timezone) } : {}),
    tags: d.tags,
    ...(d.image && imageSrc ? { image: { src: imageSrc, alt: d.image.alt, credit: d.image.credit, caption: d.image.caption } } : {}),
    ...(d.copyright ? { copyright: d.copyright } : {}),
    ...(d.source ? { source: d.source } : {}),
    ...(d.aliases.length ? { aliases: d.aliases } : {}),
    ...(d.draft ? { draft: true } : {}),
  };
  const yaml = stringify(fm, { lineWidth: 0, aliasDuplicateObjects: false });
  return storyFile(yaml, body);
}

/** Moves a finished staged file into place: a rename, which is atomic; a copy through `writeAtomic` across disks. */
function moveInto(from: string, to: string) {
  mkdirSync(dirname(to), { recursive: true });
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    writeAtomic(to, readFileSync(from));
  }
}

/**
 * Fills `staged` with everything in `real` that the staged files do not replace: folders are made,
 * files hard-linked (copied across disks). Not symlinks: the checker refuses links that lead out of
 * the content folder it checks, as it must for a hostile story.
 */
function overlay(real: string, staged: string) {
  if (!existsSync(real)) return;
  mkdirSync(staged, { recursive: true });
  for (const entry of readdirSync(real, { withFileTypes: true })) {
    const from = join(real, entry.name);
    const to = join(staged, entry.name);
    if (entry.isDirectory()) overlay(from, to);
    // A staged file of the same name replaces the real one (a --force rewrite).
    else if (entry.isFile() && !existsSync(to)) {
      try {
        linkSync(from, to);
      } catch {
        copyFileSync(from, to);
      }
    }
  }
}

/**
 * Collects stories, saves their photos, checks them all at once and writes those that pass.
 * `add` is called once per story in source order; `finish` checks and writes.
 */
export class ImportWriter {
  private readonly stageRoot: string;
  private readonly stageContent: string;
  private readonly outRel: string;
  private readonly takenFiles = new Map<string, string>();
  private readonly permalinks = new Map<string, string>();
  private readonly staged: Staged[] = [];
  private readonly authors = new Map<string, NewAuthor>();

  constructor(private readonly o: WriterOptions) {
    this.outRel = relative(o.contentDir, o.outDir).split(sep).join('/');
    // Beside the content folder, on the same disk, so checked files are moved into place, not copied.
    let parent = dirname(o.contentDir);
    try {
      accessSync(parent, constants.W_OK);
    } catch {
      parent = tmpdir();
    }
    this.stageRoot = mkdtempSync(join(parent, '.masthead-import-'));
    this.stageContent = join(this.stageRoot, 'content');
  }

  /** An author file to create if a written story names it and none exists yet. */
  addAuthor(a: NewAuthor) {
    if (!existsSync(join(this.o.contentDir, 'authors', `${a.id}.yaml`))) this.authors.set(a.id, a);
  }

  async add(d: StoryDraft): Promise<void> {
    const r = this.o.report;
    const tz = this.o.station.timezone;
    if (d.title.length > MAX_TITLE) {
      r.warnings.push({ ref: d.ref, message: `the headline was ${d.title.length} characters; cut to ${MAX_TITLE}: "${d.title}"` });
      d.title = cut(d.title, MAX_TITLE);
    }
    d.dek = cut(d.dek, MAX_DEK);
    const tags = [
      ...new Map(
        d.tags
          .map((t) => cut(t.trim(), MAX_TAG))
          .filter((t) => slugify(t))
          .map((t) => [slugify(t), t]),
      ).values(),
    ];
    if (tags.length > MAX_TAGS)
      r.warnings.push({
        ref: d.ref,
        message: `kept the first ${MAX_TAGS} of ${tags.length} tags; left out: ${tags.slice(MAX_TAGS).join(', ')}`,
      });
    d.tags = tags.slice(0, MAX_TAGS);

    // A stable, unique file name: the same export always gives the same names, in file order.
    const base = capSlug(slugify(d.slug) || slugify(d.title) || 'story');
    const year = zonedParts(d.date, tz).year;
    let slug = base;
    const fileFor = (s: string) => `${this.outRel}/${year}/${s}.md`;
    for (let n = 2; this.takenFiles.has(fileFor(slug)) || this.permalinks.has(articlePath(d.date, tz, slug)); n++) slug = `${base}-${n}`;
    if (slug !== base) {
      const other = this.takenFiles.get(fileFor(base)) ?? this.permalinks.get(articlePath(d.date, tz, base));
      r.collisions.push({ title: d.title, ref: d.ref, oldUrl: d.oldUrl, slug, clashedWith: other ?? base });
    }
    const rel = fileFor(slug);
    const permalink = articlePath(d.date, tz, slug);
    this.takenFiles.set(rel, d.title);
    this.permalinks.set(permalink, d.title);
    d.aliases = d.aliases.filter((a) => a !== permalink);

    // Photo names come from their addresses, so the text can be compared before anything is fetched.
    const taken = new Set<string>();
    const names = new Map<string, string>();
    const all = [...(d.image ? [d.image.src] : []), ...d.body.images.map((i) => i.src)];
    for (const src of all) if (!names.has(src)) names.set(src, photoName(slug, src, taken));
    const target = join(this.o.contentDir, rel);
    const text = (have: Map<string, string>) =>
      storyText(
        d,
        this.o.station,
        toMarkdown(d.body.tree, (src) => have.get(src)),
        d.image && have.get(d.image.src) && `./${have.get(d.image.src)}`,
      );

    if (existsSync(target) && !this.o.force) {
      if (readFileSync(target, 'utf8') === text(names)) r.unchanged.push({ title: d.title, file: this.shown(rel) });
      else
        r.kept.push({ title: d.title, file: this.shown(rel), reason: 'the file exists and differs from the import; --force rewrites it' });
      return;
    }

    // Save the photos into the staging copy; one that cannot be had is reported, and the story goes on without it.
    const saved = new Map<string, string>();
    const photos: string[] = [];
    await Promise.all(
      [...names].map(async ([src, name]) => {
        const got = await fetchPhoto(src, { ...this.o.media, localDir: d.photoDir });
        if (!got.ok) {
          r.photos.missing.push({ url: src, reason: got.reason, story: d.title, ref: d.ref });
          return;
        }
        const final = name.replace(/\.[a-z]+$/, got.ext);
        r.photos[got.how]++;
        saved.set(src, final);
        photos.push(final);
        const file = join(this.stageContent, dirname(rel), final);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, got.bytes);
      }),
    );
    if (d.image && !saved.has(d.image.src)) d.image = undefined;
    const file = join(this.stageContent, rel);
    mkdirSync(dirname(file), { recursive: true });
    const body = toMarkdown(d.body.tree, (src) => saved.get(src));
    const imageSrc = d.image && `./${saved.get(d.image.src)!}`;
    writeFileSync(file, storyText(d, this.o.station, body, imageSrc));
    this.staged.push({ draft: d, rel, permalink, photos, body, imageSrc });
  }

  private shown(rel: string) {
    return relative(process.cwd(), join(this.o.contentDir, rel)).split(sep).join('/');
  }

  /** check:content on the staged copy; problems by the new file they belong to. */
  private check(): Map<string, ContentProblem[]> {
    const { problems } = checkContent({
      contentDir: this.stageContent,
      root: this.stageRoot,
      now: this.o.now,
      embedHosts: this.o.embedHosts,
    });
    const byFile = new Map<string, ContentProblem[]>();
    const files = new Set(this.staged.map((s) => `content/${s.rel}`));
    const owned = (f: string) => files.has(f) || f.startsWith('content/authors/');
    for (const p of problems) {
      // A clash with an existing story may be reported on the existing file; it belongs to the new one.
      const owner = owned(p.file) ? p.file : p.message.includes('content/') ? [...files].find((f) => p.message.includes(f)) : undefined;
      if (owner) byFile.set(owner, [...(byFile.get(owner) ?? []), p]);
    }
    return byFile;
  }

  /** Checks every staged story with the real content around it, then writes those that pass. */
  finish(): void {
    const r = this.o.report;
    try {
      if (!this.staged.length) return;
      mkdirSync(join(this.stageContent, 'authors'), { recursive: true });
      for (const a of this.authors.values()) {
        writeFileSync(
          join(this.stageContent, 'authors', `${a.id}.yaml`),
          stringify({ name: a.name, title: a.title, bio: a.bio }, { lineWidth: 0 }),
          { flag: 'wx' },
        );
      }
      for (const dir of ['stations', 'authors', 'articles']) overlay(join(this.o.contentDir, dir), join(this.stageContent, dir));

      let byFile = this.check();
      // An old address the checker refuses as an alias (it would shadow a page of the site or
      // another story) costs the story only that alias: drop it, say why, and check again.
      let retry = false;
      for (const s of this.staged) {
        const errors = (byFile.get(`content/${s.rel}`) ?? []).filter(isError);
        if (!errors.length || !errors.every((p) => /^aliases\[\d+\]$/.test(p.field))) continue;
        const refused = new Set(errors.map((p) => Number(/\d+/.exec(p.field)![0])));
        for (const p of errors) {
          const url = s.draft.aliases[Number(/\d+/.exec(p.field)![0])]!;
          r.aliasesNotKept.push({ url, reason: p.message, story: s.draft.title });
        }
        s.draft.aliases = s.draft.aliases.filter((_, i) => !refused.has(i));
        writeFileSync(join(this.stageContent, s.rel), storyText(s.draft, this.o.station, s.body, s.imageSrc));
        retry = true;
      }
      if (retry) byFile = this.check();
      const authorFiles = new Map([...this.authors.keys()].map((id) => [`content/authors/${id}.yaml`, id]));
      const badAuthors = new Set<string>();
      for (const [file, id] of authorFiles) {
        const errs = (byFile.get(file) ?? []).filter(isError);
        if (errs.length) {
          badAuthors.add(id);
          r.warnings.push({ ref: file, message: `author file not written: ${errs.map(formatProblem).join('; ')}` });
        }
      }

      const written: Staged[] = [];
      for (const s of this.staged) {
        const own = byFile.get(`content/${s.rel}`) ?? [];
        const errors = own.filter(isError);
        const display = (p: ContentProblem) => formatProblem({ ...p, file: this.shown(p.file.replace(/^content\//, '')) });
        if (errors.length) {
          r.skipped.push({
            title: s.draft.title,
            ref: s.draft.ref,
            oldUrl: s.draft.oldUrl,
            reason: `fails check:content: ${errors.map(display).join('; ')}`,
          });
          continue;
        }
        for (const w of own) r.checkWarnings.push(display(w));
        written.push(s);
      }

      // Authors first, so no written story names an author that is not there yet.
      const named = new Set(written.flatMap((s) => s.draft.byline));
      for (const a of this.authors.values()) {
        if (!named.has(a.id) || badAuthors.has(a.id)) continue;
        moveInto(join(this.stageContent, 'authors', `${a.id}.yaml`), join(this.o.contentDir, 'authors', `${a.id}.yaml`));
        r.authors.created.push(a.id);
      }
      for (const s of written) {
        const stagedFile = join(this.stageContent, s.rel);
        for (const p of s.photos) moveInto(join(dirname(stagedFile), p), join(this.o.contentDir, dirname(s.rel), p));
        moveInto(stagedFile, join(this.o.contentDir, s.rel));
        r.imported.push({
          title: s.draft.title,
          file: this.shown(s.rel),
          permalink: s.permalink,
          draft: s.draft.draft,
          oldUrl: s.draft.oldUrl,
          ref: s.draft.ref,
        });
      }
    } finally {
      rmSync(this.stageRoot, { recursive: true, force: true });
    }
  }

  /** Removes the staging folder without writing anything (an import that failed part-way). */
  abort() {
    rmSync(this.stageRoot, { recursive: true, force: true });
  }
}

/** The content folder an output folder belongs to: the parent of the `articles/` it is in. */
export function contentDirOf(outDir: string): string | undefined {
  const parts = resolve(outDir).split(sep);
  const at = parts.lastIndexOf('articles');
  return at > 0 ? parts.slice(0, at).join(sep) || sep : undefined;
}

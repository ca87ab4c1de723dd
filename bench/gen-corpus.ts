/**
 * A deterministic synthetic newsroom: N stories of about 700 words with full frontmatter,
 * across the three stations, two dozen authors and forty topics; nine in ten stories have their own
 * camera-sized photo (3000×2000 JPEG), and about one in seven of those a second one in the body.
 *
 *   npx node bench/gen-corpus.ts OUTDIR N [seed]
 *
 * Story i depends only on (seed, i), so the 1,000-story corpus is a prefix of the 4,000 one
 * and every run of the benchmark builds byte-identical input. Prose is made of synthetic words
 * (plus English function words): no real article text is involved.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { cliArgs } from '../scripts/lib/cli.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The fixed "now" of benchmark builds (SOURCE_DATE_EPOCH); every story is dated before it. */
export const BENCH_NOW = new Date('2026-11-25T12:00:00Z');
const FIRST_DATE = Date.UTC(2014, 0, 1);
const LAST_DATE = Date.UTC(2026, 10, 1);

export const STATIONS = ['kxpr', 'wbnd', 'kvlt'] as const;
/** Share of stories with a lead photo, and of those with a second photo in the body. */
export const PHOTO_SHARE = 0.9;
export const SECOND_PHOTO_SHARE = 0.15;
const SYNTHETIC_AUTHORS = 18;

// ---- deterministic randomness (mulberry32 seeded by a hash of seed and index) ----

type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash2(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
const yamlString = (s: string) => JSON.stringify(s); // a JSON string is a valid double-quoted YAML scalar
const slugOf = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

// ---- vocabulary ----

const ONSETS = [
  'b',
  'br',
  'c',
  'ch',
  'd',
  'dr',
  'f',
  'fl',
  'g',
  'gr',
  'h',
  'j',
  'k',
  'l',
  'm',
  'n',
  'p',
  'pl',
  'pr',
  'r',
  's',
  'sh',
  'st',
  't',
  'tr',
  'v',
  'w',
  '',
];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'ie', 'oa'];
const CODAS = ['', '', '', 'n', 'r', 's', 't', 'l', 'm', 'nd', 'st', 'rk', 'ng'];
const FUNCTION_WORDS = [
  'the',
  'of',
  'and',
  'to',
  'in',
  'a',
  'that',
  'for',
  'on',
  'with',
  'as',
  'by',
  'at',
  'from',
  'was',
  'is',
  'were',
  'said',
  'not',
  'but',
  'has',
  'had',
  'their',
  'this',
  'after',
  'over',
  'more',
];

function makeVocabulary(rng: Rng, count: number, minSyllables: number, maxSyllables: number): string[] {
  const words = new Set<string>();
  while (words.size < count) {
    const syllables = minSyllables + Math.floor(rng() * (maxSyllables - minSyllables + 1));
    let w = '';
    for (let s = 0; s < syllables; s++)
      w += pick(rng, ONSETS) + pick(rng, NUCLEI) + (s === syllables - 1 || rng() < 0.3 ? pick(rng, CODAS) : '');
    if (w.length >= 2 && w.length <= 13) words.add(w);
  }
  return [...words];
}

/** Forty topics, as editors write them; a few are common, most are rare (Zipf-like). */
const TOPICS = [
  'Politics',
  'Economy',
  'Health',
  'Education',
  'Climate',
  'Agriculture',
  'Water',
  'Energy',
  'Housing',
  'Transportation',
  'Courts',
  'Elections',
  'Public Health',
  'Business',
  'Labor',
  'Environment',
  'Wildlife',
  'Weather',
  'Arts',
  'Music',
  'Books',
  'History',
  'Religion',
  'Sports',
  'Science',
  'Technology',
  'Immigration',
  'Tribal Nations',
  'Rural Life',
  'Cities',
  'Public Safety',
  'Budget',
  'Schools',
  'Higher Education',
  'Food',
  'Outdoors',
  'Media',
  'Veterans',
  'Tourism',
  'Mining',
];
const PLACES = [
  'HARLAN SPRINGS, Neb.',
  'NORTH LOUP FORD, Neb.',
  'PORT ALDEN, Iowa',
  'CASS FERRY, Iowa',
  'CINDER RIDGE, Colo.',
  'SALTILLO FLATS, Colo.',
  'KESSLER PASS, Colo.',
  'LINDEN MILLS, Neb.',
  'BRULE CROSSING, Neb.',
  'ORDWAY, Colo.',
];
const PHOTO_SUBJECTS = [
  'a county courthouse at dusk',
  'a grain elevator beside the rail line',
  'a reservoir below snowy peaks',
  'a river bridge in fog',
  'a school bus in the snow',
];

// ---- the corpus ----

interface Vocabulary {
  words: string[];
  names: string[];
  authorIds: string[];
}

function vocabulary(seed: number, authorIds: string[]): Vocabulary {
  const rng = mulberry32(hash2(seed, 0xabcdef));
  return { words: makeVocabulary(rng, 3000, 1, 4), names: makeVocabulary(rng, 400, 2, 3).map(cap), authorIds };
}

function word(rng: Rng, v: Vocabulary): string {
  if (rng() < 0.32) return pick(rng, FUNCTION_WORDS);
  const r = rng();
  return v.words[Math.floor(r * r * v.words.length)]!;
}

function sentence(rng: Rng, v: Vocabulary, min = 8, max = 24): string {
  const n = min + Math.floor(rng() * (max - min + 1));
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    let w = i > 0 && rng() < 0.04 ? pick(rng, v.names) : word(rng, v);
    if (i > 2 && i < n - 2 && rng() < 0.07) w += ',';
    parts.push(w);
  }
  parts[0] = cap(parts[0]!);
  return `${parts.join(' ')}${rng() < 0.9 ? '.' : '?'}`;
}

function headline(rng: Rng, v: Vocabulary, min: number, max: number): string {
  const n = min + Math.floor(rng() * (max - min + 1));
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(i > 0 && rng() < 0.2 ? pick(rng, FUNCTION_WORDS) : cap(pick(rng, v.words)));
  return parts.join(' ');
}

const pad = (n: number) => String(n).padStart(2, '0');

export interface Story {
  /** Path under `articles/`, e.g. `2024/council-vote-4212.md`. */
  file: string;
  text: string;
  /** Photo files (under `articles/photos/`) the story uses: its lead photo, then any body photo. */
  photos: string[];
}

/** Story i of the corpus: depends only on (seed, i). */
export function story(i: number, seed: number, v: Vocabulary): Story {
  const rng = mulberry32(hash2(seed, i + 1));
  const title = headline(rng, v, 5, 11);
  const slug = `${slugOf(title).split('-').slice(0, 6).join('-')}-${i}`;
  const date = new Date(FIRST_DATE + Math.floor((rng() * (LAST_DATE - FIRST_DATE)) / 60000) * 60000);
  const station = pick(rng, STATIONS);
  const isWire = rng() < 0.15;

  const fm: string[] = [`title: ${yamlString(title)}`, `dek: ${yamlString(sentence(rng, v, 12, 30).slice(0, 290))}`];
  if (isWire) fm.push(`byline: ${yamlString(`${pick(rng, v.names)} ${pick(rng, v.names)}`)}`);
  else if (rng() < 0.12) fm.push(`byline: [${pick(rng, v.authorIds.slice(0, 12))}, ${pick(rng, v.authorIds.slice(12))}]`);
  else fm.push(`byline: ${pick(rng, v.authorIds)}`);
  if (rng() < 0.7) fm.push(`dateline: ${yamlString(pick(rng, PLACES))}`);
  fm.push(`station: ${station}`);
  if (isWire) {
    fm.push(`copyright: ${yamlString(`Copyright ${date.getUTCFullYear()} NPR`)}`);
    fm.push(`source: { name: NPR, url: "https://www.npr.org/${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${slug}" }`);
  }
  // Most dates carry an offset (UTC here); some are naive wall-clock times in the station's zone.
  const iso = date.toISOString().slice(0, 16);
  fm.push(rng() < 0.7 ? `date: ${iso}:00Z` : `date: ${yamlString(iso.replace('T', ' '))}`);
  if (rng() < 0.1) fm.push(`updated: ${new Date(date.getTime() + (8 + Math.floor(rng() * 48)) * 3600_000).toISOString().slice(0, 19)}Z`);
  const tagCount = 1 + Math.floor(rng() * 4);
  const tags = new Set<string>();
  while (tags.size < tagCount) tags.add(TOPICS[Math.floor(Math.pow(rng(), 1.6) * TOPICS.length)]!);
  fm.push(`tags: [${[...tags].map(yamlString).join(', ')}]`);
  // Nine stories in ten have their own lead photo; about one in seven of those has a second in the body.
  const photos: string[] = [];
  if (rng() < PHOTO_SHARE) {
    photos.push(`${i}.jpg`);
    const subject = pick(rng, PHOTO_SUBJECTS);
    fm.push(
      'image:',
      `  src: ../photos/${i}.jpg`,
      `  alt: ${yamlString(`Photo of ${subject}`)}`,
      `  credit: ${yamlString(`${pick(rng, v.names)} ${pick(rng, v.names)}/${station.toUpperCase()}`)}`,
    );
    if (rng() < 0.5) fm.push(`  caption: ${yamlString(sentence(rng, v, 6, 14))}`);
    if (rng() < SECOND_PHOTO_SHARE) photos.push(`${i}-body.jpg`);
  }
  if (rng() < 0.03) {
    const when = new Date(date.getTime() + 86_400_000).toISOString().slice(0, 19);
    fm.push(
      'corrections:',
      `  - date: ${when}Z`,
      `    text: ${yamlString(`An earlier version of this story misspelled ${pick(rng, v.names)}'s name.`)}`,
    );
  }
  if (rng() < 0.01) fm.push(`aliases: [/stories/${i}/]`);

  // ~700 words: paragraphs with one or two subheads, a link, a list and a quote.
  const target = 600 + Math.floor(rng() * 201);
  const blocks: string[] = [];
  let words = 0;
  const count = (s: string) => s.split(/\s+/).length;
  const paragraph = () => {
    const sentences: string[] = [];
    for (let k = 2 + Math.floor(rng() * 4); k > 0; k--) sentences.push(sentence(rng, v));
    const p = sentences.join(' ');
    words += count(p);
    return p;
  };
  const specials = ['link', 'list', 'quote', 'h2', ...(rng() < 0.5 ? ['h2'] : [])];
  for (let step = 0; words < target || specials.length; step++) {
    if (step % 3 !== 2 || !specials.length) {
      blocks.push(paragraph());
      continue;
    }
    const kind = specials.splice(Math.floor(rng() * specials.length), 1)[0];
    if (kind === 'h2') blocks.push(`## ${headline(rng, v, 3, 6)}`);
    else if (kind === 'link')
      blocks.push(
        `${sentence(rng, v, 6, 14).slice(0, -1)} [${pick(rng, v.words)} ${pick(rng, v.words)}](https://example.org/${slug}/) ${sentence(rng, v, 6, 12).toLowerCase()}`,
      );
    else if (kind === 'list')
      blocks.push(Array.from({ length: 3 + Math.floor(rng() * 3) }, () => `- ${sentence(rng, v, 4, 12)}`).join('\n'));
    else blocks.push(`> "${sentence(rng, v, 10, 22)}" ${pick(rng, v.names)} said.`);
  }
  if (photos[1]) blocks.splice(Math.min(3, blocks.length), 0, `![Photo of ${pick(rng, PHOTO_SUBJECTS)}](../photos/${photos[1]})`);

  return { file: `${date.getUTCFullYear()}/${slug}.md`, text: `---\n${fm.join('\n')}\n---\n\n${blocks.join('\n\n')}\n`, photos };
}

function syntheticAuthor(i: number, v: Vocabulary): { id: string; text: string } {
  const rng = mulberry32(hash2(0x5eed, i));
  const first = pick(rng, v.names);
  const last = pick(rng, v.names);
  const id = `${slugOf(first)}-${slugOf(last)}-${i}`;
  const station = pick(rng, STATIONS).toUpperCase();
  const beat = pick(rng, TOPICS);
  return {
    id,
    text: [
      `name: ${yamlString(`${first} ${last}`)}`,
      `title: ${yamlString(`${beat} Reporter, ${station}`)}`,
      `bio: ${yamlString(`${first} ${last} covers ${beat.toLowerCase()} for ${station}. ${sentence(rng, v, 12, 24)}`)}`,
      'links:',
      `  - { label: ${yamlString(`Email ${first}`)}, url: "https://www.example.org/contact/${id}" }`,
      '',
    ].join('\n'),
  };
}

/** The camera-sized photo every photo story gets: a typical newsroom export (6 MP). */
export const PHOTO_WIDTH = 3000;
export const PHOTO_HEIGHT = 2000;
const PHOTO_CACHE = join(ROOT, 'bench/.work/photo-cache');

/**
 * One deterministic photo-like JPEG: a gradient sky and ground, overlapping shapes with gradient
 * fills (edges), and three octaves of luminance texture plus grain. Flat colour would encode
 * unrealistically fast and small; this costs the encoders about what a camera photo does
 * (measured: about 1 MB at quality 88, like a modestly detailed 6 MP news photo).
 */
export async function photoJpeg(seed: number, key: number, width = PHOTO_WIDTH, height = PHOTO_HEIGHT): Promise<Buffer> {
  const rng = mulberry32(hash2(seed ^ 0x0f070, key));
  const colour = () => `rgb(${Math.floor(rng() * 256)},${Math.floor(rng() * 256)},${Math.floor(rng() * 256)})`;
  const horizon = Math.round(height * (0.3 + rng() * 0.35));
  let defs = `<linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient>`;
  let shapes = `<rect width="${width}" height="${height}" fill="url(#sky)"/><rect y="${horizon}" width="${width}" height="${height}" fill="${colour()}"/>`;
  for (let k = 0; k < 14; k++) {
    defs += `<linearGradient id="g${k}" x1="0" y1="0" x2="${rng().toFixed(2)}" y2="1"><stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient>`;
    const x = rng() * width;
    const y = horizon + (rng() - 0.3) * height * 0.6;
    const r = (width / 40) * (1 + rng() * 8);
    shapes +=
      rng() < 0.5
        ? `<ellipse cx="${x | 0}" cy="${y | 0}" rx="${r | 0}" ry="${(r * (0.3 + rng())) | 0}" fill="url(#g${k})" opacity="${(0.6 + rng() * 0.4).toFixed(2)}"/>`
        : `<polygon points="${Array.from({ length: 3 + Math.floor(rng() * 4) }, () => `${(x + (rng() - 0.5) * 2 * r) | 0},${(y + (rng() - 0.5) * 2 * r) | 0}`).join(' ')}" fill="url(#g${k})"/>`;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs>${defs}</defs>${shapes}</svg>`;
  const data = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  // Texture: random fields at 1/32, 1/8 and 1/2 scale, smoothly upscaled and summed, then grain.
  const texture = new Int16Array(width * height);
  for (const [scale, amplitude] of [
    [32, 40],
    [8, 26],
    [2, 14],
  ] as const) {
    const w = Math.ceil(width / scale);
    const h = Math.ceil(height / scale);
    const field = Buffer.alloc(w * h);
    for (let p = 0; p < field.length; p++) field[p] = Math.floor(128 + (rng() - 0.5) * amplitude * 2);
    const up = await sharp(field, { raw: { width: w, height: h, channels: 1 } })
      .resize(width, height, { kernel: 'cubic', fit: 'fill' })
      .raw()
      .toBuffer();
    for (let p = 0; p < texture.length; p++) texture[p]! += up[p]! - 128;
  }
  let s = hash2(seed, key) | 1;
  for (let p = 0, o = 0; p < texture.length; p++, o += 3) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const n = texture[p]! + ((s & 31) - 16);
    data[o] = Math.max(0, Math.min(255, data[o]! + n));
    data[o + 1] = Math.max(0, Math.min(255, data[o + 1]! + n));
    data[o + 2] = Math.max(0, Math.min(255, data[o + 2]! + n));
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .blur(0.7)
    .jpeg({ quality: 88 })
    .toBuffer();
}

/** Writes the photos into `dir`, generating each once per (seed, name) into bench/.work/photo-cache. */
async function writePhotos(dir: string, seed: number, names: string[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  mkdirSync(PHOTO_CACHE, { recursive: true });
  for (const name of names) {
    const cached = join(PHOTO_CACHE, `${seed}-${PHOTO_WIDTH}x${PHOTO_HEIGHT}-${name}`);
    if (!existsSync(cached)) {
      const key = Number.parseInt(name, 10) * 2 + (name.includes('-body') ? 1 : 0);
      writeFileSync(`${cached}.tmp`, await photoJpeg(seed, key));
      renameSync(`${cached}.tmp`, cached);
    }
    try {
      linkSync(cached, join(dir, name));
    } catch {
      copyFileSync(cached, join(dir, name));
    }
  }
}

/** The same story without its photos (image block and body photo removed): the control build. */
function withoutPhotos(text: string): string {
  return text.replace(/^image:\n(?: {2}.*\n)*/m, '').replace(/^!\[[^\]]*\]\(\.\.\/photos\/[^)]*\)\n\n/m, '');
}

export interface CorpusInfo {
  dir: string;
  stories: number;
  seed: number;
  /** Author ids, repo authors first. */
  authors: string[];
  /** Article paths under `articles/`, in story order. */
  files: string[];
  /** Unique photo files written (0 when generated without photos). */
  photos: number;
}

/** Writes a complete Masthead content dir (articles, stations, authors, photos) into `dir`,
 * replacing whatever was there. */
export async function generateCorpus({
  dir,
  stories,
  seed = 42,
  photos = true,
}: {
  dir: string;
  stories: number;
  seed?: number;
  /** false: the same stories with no photos, to measure what the photos cost. */
  photos?: boolean;
}): Promise<CorpusInfo> {
  if (!Number.isInteger(stories) || stories < 1) throw new Error(`stories must be a positive whole number, got ${stories}`);
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['articles', 'stations', 'authors']) mkdirSync(join(dir, sub), { recursive: true });

  // Stations and the real authors come from the sample content, so they always match the schemas.
  for (const id of STATIONS) copyFileSync(join(ROOT, 'content/stations', `${id}.yaml`), join(dir, 'stations', `${id}.yaml`));
  const repoAuthors: string[] = [];
  for (const name of readdirSync(join(ROOT, 'content/authors')).sort()) {
    copyFileSync(join(ROOT, 'content/authors', name), join(dir, 'authors', name));
    if (/\.ya?ml$/.test(name)) repoAuthors.push(name.replace(/\.ya?ml$/, ''));
  }
  const v = vocabulary(seed, []);
  for (let i = 0; i < SYNTHETIC_AUTHORS; i++) {
    const a = syntheticAuthor(i, v);
    writeFileSync(join(dir, 'authors', `${a.id}.yaml`), a.text);
    repoAuthors.push(a.id);
  }
  v.authorIds = repoAuthors;

  const files: string[] = [];
  const photoNames: string[] = [];
  const made = new Set<string>();
  for (let i = 0; i < stories; i++) {
    const s = story(i, seed, v);
    const full = join(dir, 'articles', s.file);
    const folder = full.slice(0, full.lastIndexOf('/'));
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    writeFileSync(full, photos ? s.text : withoutPhotos(s.text));
    files.push(s.file);
    if (photos) photoNames.push(...s.photos);
  }
  await writePhotos(join(dir, 'articles/photos'), seed, photoNames);
  return { dir, stories, seed, authors: repoAuthors, files, photos: photoNames.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const usage = 'usage: npx node bench/gen-corpus.ts OUTDIR N [seed]';
  const [outDir, n, seed] = cliArgs('gen-corpus', usage, { allowPositionals: true }).positionals;
  if (!outDir || !n) {
    console.error(usage);
    process.exit(2);
  }
  if (existsSync(outDir) && !existsSync(join(outDir, 'articles')) && readdirSync(outDir).length) {
    console.error(`${outDir} is not empty and does not look like a corpus; refusing to replace it`);
    process.exit(2);
  }
  const info = await generateCorpus({ dir: outDir, stories: Number(n), seed: seed === undefined ? 42 : Number(seed) });
  console.log(`wrote ${info.stories} stories, ${info.authors.length} authors and ${info.photos} photos to ${outDir}`);
}

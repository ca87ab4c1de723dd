/**
 * What photos cost: `npm run bench -- --photos 60`.
 *
 * Builds a corpus where every photo story has its own camera-sized photo, and the same corpus
 * with the photos taken out, back to back and cold; the CPU difference divided by the unique
 * photos is the cost of one photo. Then a warm rebuild (one story edited, cache and dist kept)
 * and a "restored cache" build (fresh dist, cache kept, as on CI) count how many images they
 * encode. Last, it picks the lead photo of one story as a phone and a desktop browser would from
 * its srcset and sizes, and reports the bytes and their SSIM against the original.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import sharp from 'sharp';
import { ssim } from 'ssim.js';
import { parseSrcset } from '../src/lib/srcset.ts';
import { parseAstroLog } from './astro-log.ts';
import { formatBytes } from '../src/lib/bytes.ts';
import { BENCH_NOW, generateCorpus, photoJpeg, type CorpusInfo } from './gen-corpus.ts';
import { measure, median, walkFiles } from './measure.ts';

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

export interface PhotoBuild {
  wallSeconds: number;
  cpuSeconds: number | undefined;
  imagesSeconds: number | undefined;
  /** Image files Astro encoded in this build, and those it copied from its cache. */
  encoded: number;
  reused: number;
  /** Image files in dist/_astro (variants and copied originals) and their bytes. */
  imageFiles: number;
  imageBytes: number;
}

export interface ReaderPick {
  reader: string;
  viewport: number;
  dpr: number;
  url: string;
  width: number;
  height: number;
  type: string;
  bytes: number;
  /** Mean SSIM of the picked file against the original resized to the same size (1 = identical). */
  ssim: number;
  /** Mean SSIM as the reader sees it: the file scaled to the slot's device pixels, as the browser
   * scales it, against the original at that size. Compares files of different widths fairly. */
  ssimShown?: number;
  /** The slot's width in device pixels (CSS slot × DPR). */
  shownWidth?: number;
}

/** A 50-megapixel camera photo through the whole build (bounded memory, within the 100 MP limit). */
export interface LargePhotoResult {
  width: number;
  height: number;
  bytes: number;
  /** The small site built with the photo as one story's lead, and without it. */
  with: { wallSeconds: number; cpuSeconds: number | undefined; peakRssBytes: number | undefined; peakTreeRssBytes: number | undefined };
  without: { wallSeconds: number; cpuSeconds: number | undefined; peakRssBytes: number | undefined; peakTreeRssBytes: number | undefined };
  /** Image files the photo became, and the time Astro logged for them. */
  files: number;
}

export interface PhotoResult {
  /** What was measured, e.g. "before (main)" or "after". */
  label: string;
  stories: number;
  photos: number;
  runs: number;
  measuredAt: string;
  loadAverage: { before: number; after: number };
  withPhotos: PhotoBuild[];
  withoutPhotos: PhotoBuild[];
  /** Median over runs of (CPU with photos − CPU without) ÷ photos. */
  cpuPerPhoto: number | undefined;
  /** Median image phase ÷ photos (wall seconds, all cores). */
  imagesSecondsPerPhoto: number | undefined;
  /** Absent where not measured (the "before" row, whose bench run stopped after its cold builds). */
  warm?: PhotoBuild;
  restoredCache?: PhotoBuild;
  readers: ReaderPick[];
  /** The same photo as main before issue 14 served it (Astro's sharp service, its widths and formats). */
  todaysReaders?: ReaderPick[];
  /** The same photo as the first round of issue 14 served it (`EARLIER_PIPELINES.firstRound`). */
  firstRoundReaders?: ReaderPick[];
  /** Astro's image cache (`assets/`) after the cold build, per unique photo. */
  cacheBytesPerPhoto?: number;
  largePhoto?: LargePhotoResult;
}

/** Who reads: a phone (390 CSS px, DPR 3) and a desktop at 1× and 2×. All take AVIF and WebP. */
export const READERS = [
  { reader: 'phone', viewport: 390, dpr: 3 },
  { reader: 'desktop', viewport: 1280, dpr: 1 },
  { reader: 'desktop HiDPI', viewport: 1280, dpr: 2 },
] as const;
const SUPPORTED_TYPES = new Set(['image/avif', 'image/webp', 'image/jpeg', 'image/png', '']);

const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

function attr(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

/** A CSS length in a `sizes` value, in CSS px at `viewport` (1rem = 16px). */
function cssLength(text: string, viewport: number): number {
  const m = /^([\d.]+)(px|rem|em|vw)$/.exec(text.trim());
  if (!m) throw new Error(`unsupported sizes length "${text}"`);
  const v = Number(m[1]);
  return m[2] === 'vw' ? (v * viewport) / 100 : m[2] === 'px' ? v : v * 16;
}

function mediaMatches(media: string, viewport: number): boolean {
  return media.split(/\s+and\s+/).every((q) => {
    const m = /^\(\s*(min|max)-width:\s*([\d.]+(?:px|rem|em))\s*\)$/.exec(q.trim());
    if (!m) throw new Error(`unsupported media query "${media}"`);
    const w = cssLength(m[2]!, viewport);
    return m[1] === 'min' ? viewport >= w : viewport <= w;
  });
}

/** The slot width `sizes` gives at `viewport`, as a browser evaluates it. */
export function slotWidth(sizes: string | undefined, viewport: number): number {
  if (!sizes) return viewport;
  for (const entry of sizes.split(',')) {
    const m = /^\s*(\(.*\))\s+(\S+)\s*$/.exec(entry);
    if (!m) return cssLength(entry, viewport);
    if (mediaMatches(m[1]!, viewport)) return cssLength(m[2]!, viewport);
  }
  return viewport;
}

/**
 * The file a browser fetches for `img`: the first `<source>` of its `<picture>` whose type it
 * takes and whose media matches, else the `<img>` itself; from its srcset, the smallest
 * candidate whose density reaches the device's, else the largest.
 */
export function pickCandidate(img: Element, picture: Element | undefined, viewport: number, dpr: number): { url: string; type: string } {
  const sources = picture ? picture.childNodes.filter((c): c is Element => 'tagName' in c && c.tagName === 'source') : [];
  const chosen =
    sources.find((s) => SUPPORTED_TYPES.has(attr(s, 'type') ?? '') && (!attr(s, 'media') || mediaMatches(attr(s, 'media')!, viewport))) ??
    img;
  const srcset = attr(chosen, 'srcset');
  const type = attr(chosen, 'type') ?? '';
  if (!srcset) return { url: attr(img, 'src')!, type };
  const slot = slotWidth(attr(chosen, 'sizes') ?? attr(img, 'sizes'), viewport);
  const candidates = parseSrcset(srcset)
    .map((c) => ({ url: c.url, density: c.width !== undefined ? c.width / slot : (c.density ?? 1) }))
    .sort((a, b) => a.density - b.density);
  const pick = candidates.find((c) => c.density >= dpr) ?? candidates.at(-1)!;
  return { url: pick.url, type };
}

/** The lead photo's `<img>` (the one with fetchpriority=high) and its `<picture>`, if any. */
export function leadPhoto(html: string): { img: Element; picture: Element | undefined } | undefined {
  const parentOf = new Map<Element, Element>();
  const doc = parse(html);
  const stack: Element[] = [];
  const walk = (node: ParentNode, parent?: Element) => {
    for (const child of node.childNodes) {
      if ('tagName' in child) {
        if (parent) parentOf.set(child, parent);
        stack.push(child);
        walk(child, child);
      }
    }
  };
  walk(doc);
  const img = stack.find((e) => e.tagName === 'img' && attr(e, 'fetchpriority') === 'high');
  if (!img) return undefined;
  const parent = parentOf.get(img);
  return { img, picture: parent?.tagName === 'picture' ? parent : undefined };
}

async function ssimAgainst(
  file: string,
  original: string,
  shownWidth?: number,
): Promise<{ ssim: number; width: number; height: number; ssimShown?: number; shownWidth?: number }> {
  const meta = await sharp(file).metadata();
  const at = async (w: number) => {
    const variant = await sharp(file).resize({ width: w }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const { width, height } = variant.info;
    const reference = await sharp(original).rotate().resize(width, height, { fit: 'fill' }).ensureAlpha().raw().toBuffer();
    const asImage = (data: Buffer) => ({ data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width, height });
    return ssim(asImage(variant.data), asImage(reference)).mssim;
  };
  const own = await at(meta.width);
  // As shown: a browser scales the file down to the slot (never up past the file's own width).
  const shown = shownWidth === undefined ? undefined : Math.min(meta.width, Math.round(shownWidth));
  return {
    ssim: own,
    width: meta.width,
    height: meta.height,
    ...(shown === undefined ? {} : { ssimShown: shown === meta.width ? own : await at(shown), shownWidth: shown }),
  };
}

/** The bytes and SSIM of the lead photo each reader downloads on the story page at `pagePath`. */
export async function readerPicks(dist: string, pagePath: string, original: string): Promise<ReaderPick[]> {
  const lead = leadPhoto(readFileSync(pagePath, 'utf8'));
  if (!lead) throw new Error(`${pagePath} has no lead photo (an <img fetchpriority="high">)`);
  const out: ReaderPick[] = [];
  for (const r of READERS) {
    const { url, type } = pickCandidate(lead.img, lead.picture, r.viewport, r.dpr);
    const file = join(dist, new URL(url, 'https://x.invalid').pathname);
    const slot = slotWidth(attr(lead.picture?.childNodes.find((c): c is Element => 'tagName' in c && c.tagName === 'source') ?? lead.img, 'sizes') ?? attr(lead.img, 'sizes'), r.viewport);
    const measured = await ssimAgainst(file, original, slot * r.dpr);
    out.push({ ...r, url, type: type || 'image/jpeg', bytes: statSync(file).size, ...measured });
  }
  return out;
}

/**
 * An earlier pipeline's lead photo, reproduced with Astro's own sharp service and the story-page
 * markup of the time (sizes "(min-width: 46rem) 42rem, 100vw"): its widths and AVIF settings.
 */
export const EARLIER_PIPELINES = {
  /** main before issue 14: 400/720/1080/1440 px, sharp's default AVIF (quality 50, effort 4, 4:4:4). */
  main: { widths: [400, 720, 1080, 1440], avif: {} },
  /** The first round of issue 14: 480/720/1200/1440 px, AVIF quality 47 at effort 0, 4:4:4. */
  firstRound: { widths: [480, 720, 1200, 1440], avif: { quality: 47, effort: 0 } },
} as const;

async function earlierReaderPicks(original: string, pipeline: keyof typeof EARLIER_PIPELINES): Promise<ReaderPick[]> {
  const { widths: all, avif } = EARLIER_PIPELINES[pipeline];
  const { default: astroSharp } = await import('astro/assets/services/sharp');
  const input = readFileSync(original);
  const meta = await sharp(input).metadata();
  const widths = all.filter((w) => w <= meta.width);
  const out: ReaderPick[] = [];
  const scratch = join(original, '..', '..', '..', `.${pipeline}`);
  for (const r of READERS) {
    const slot = slotWidth('(min-width: 46rem) 42rem, 100vw', r.viewport);
    const width = widths.find((w) => w / slot >= r.dpr) ?? widths.at(-1)!;
    const height = Math.round((meta.height * width) / meta.width);
    const { data } = await astroSharp.transform(
      input,
      { src: original, width, height, format: 'avif' },
      { service: { entrypoint: '', config: { avif } } } as never,
      {
        warn() {},
      } as never,
    );
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, `${r.dpr}-${width}.avif`);
    writeFileSync(file, data);
    out.push({ ...r, url: file, type: 'image/avif', bytes: data.length, ...(await ssimAgainst(file, original, slot * r.dpr)) });
  }
  return out;
}

/** Images Astro logged as encoded (`before: … after: …`) and as copied from its cache. */
function imageCounts(output: string): { encoded: number; reused: number } {
  const lines = stripVTControlCharacters(output).split('\n');
  return {
    encoded: lines.filter((l) => /▶ \S+ \(before: \d+kB, after: \d+kB\)/.test(l)).length,
    reused: lines.filter((l) => /▶ \S+ \(reused cache entry\)/.test(l)).length,
  };
}

async function photoBuild(
  root: string,
  corpus: CorpusInfo,
  dist: string,
  cache: string,
  logFile: string,
  measured?: (m: Awaited<ReturnType<typeof measure>>) => void,
): Promise<PhotoBuild> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    MASTHEAD_CONTENT_DIR: corpus.dir,
    MASTHEAD_CACHE_DIR: cache,
    MASTHEAD_DEFAULT_STATION: 'kxpr',
    SOURCE_DATE_EPOCH: String(BENCH_NOW.getTime() / 1000),
  };
  const m = await measure(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', dist], {
    cwd: root,
    env,
  });
  writeFileSync(logFile, m.output);
  measured?.(m);
  if (!m.ok) throw new Error(`photo build failed (exit ${m.code}); log: ${logFile}\n${m.output.slice(-3000)}`);
  const images = existsSync(join(dist, '_astro'))
    ? walkFiles(join(dist, '_astro')).filter((f) => /\.(avif|webp|jpe?g|png)$/.test(f.path))
    : [];
  return {
    wallSeconds: m.wallSeconds,
    cpuSeconds: m.cpuSeconds,
    imagesSeconds: parseAstroLog(m.output).imagesSeconds,
    ...imageCounts(m.output),
    imageFiles: images.length,
    imageBytes: images.reduce((n, f) => n + f.bytes, 0),
  };
}

function findStoryPage(dist: string, slug: string): string {
  const stack = [join(dist, 'news')];
  while (stack.length) {
    const d = stack.pop()!;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      if (e.name === slug) return join(d, e.name, 'index.html');
      stack.push(join(d, e.name));
    }
  }
  throw new Error(`no page for story ${slug} in ${dist}`);
}

/** A 50-megapixel camera photo (8660×5773, as a 50 MP body shoots): half the 100 MP limit. */
export const LARGE_PHOTO = { width: 8660, height: 5773 } as const;

/**
 * Builds a small site (10 stories, no photos) with and without a 50 MP photo as one story's lead,
 * cold, and reports the time and peak memory it adds.
 */
export async function benchLargePhoto(root: string, work: string): Promise<LargePhotoResult> {
  const dir = join(work, 'large-photo-corpus');
  const corpus = await generateCorpus({ dir, stories: 10, photos: false });
  const cached = join(work, `photo-cache/large-${LARGE_PHOTO.width}x${LARGE_PHOTO.height}.jpg`);
  if (!existsSync(cached)) {
    mkdirSync(join(work, 'photo-cache'), { recursive: true });
    writeFileSync(cached, await photoJpeg(42, 1_000_001, LARGE_PHOTO.width, LARGE_PHOTO.height));
  }
  const story = join(dir, 'articles', corpus.files[0]!);
  const text = readFileSync(story, 'utf8');
  const dist = join(work, 'large-photo-dist');
  const cache = join(work, 'large-photo-cache-dir');
  const run = async (name: string) => {
    rmSync(dist, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    let m: Awaited<ReturnType<typeof measure>> | undefined;
    const b = await photoBuild(root, corpus, dist, cache, join(work, 'logs', `large-photo-${name}.log`), (x) => (m = x));
    return { build: b, m: m! };
  };
  const without = await run('without');
  mkdirSync(join(dir, 'articles/photos'), { recursive: true });
  writeFileSync(join(dir, 'articles/photos/large.jpg'), readFileSync(cached));
  writeFileSync(
    story,
    text.replace(/^---\n/, `---\nimage:\n  src: ../photos/large.jpg\n  alt: "A 50-megapixel photo"\n  credit: "Bench/KXPR"\n`),
  );
  const withPhoto = await run('with');
  log(
    `large photo: ${withPhoto.build.imageFiles} files, CPU ${withPhoto.m.cpuSeconds?.toFixed(1)} s (without ${without.m.cpuSeconds?.toFixed(1)} s), peak RSS ${formatBytes(withPhoto.m.peakRssBytes ?? 0)} (without ${formatBytes(without.m.peakRssBytes ?? 0)})`,
  );
  const pick = (x: { m: Awaited<ReturnType<typeof measure>> }) => ({
    wallSeconds: x.m.wallSeconds,
    cpuSeconds: x.m.cpuSeconds,
    peakRssBytes: x.m.peakRssBytes,
    peakTreeRssBytes: x.m.peakTreeRssBytes,
  });
  return {
    ...LARGE_PHOTO,
    bytes: statSync(cached).size,
    with: pick(withPhoto),
    without: pick(without),
    files: withPhoto.build.imageFiles,
  };
}

export async function benchPhotos(opts: {
  root: string;
  work: string;
  stories: number;
  runs: number;
  label: string;
  /** Also build a small site with one 50 MP photo (`benchLargePhoto`). */
  largePhoto?: boolean;
}): Promise<PhotoResult> {
  const { root, work, stories, runs } = opts;
  const withDir = join(work, `photo-corpus-${stories}`);
  const withoutDir = join(work, `photo-corpus-${stories}-none`);
  log(`photos: generating ${stories} stories with their own photos (cached in bench/.work/photo-cache)`);
  const corpus = await generateCorpus({ dir: withDir, stories });
  const control = await generateCorpus({ dir: withoutDir, stories, photos: false });
  const loadBefore = loadavg()[0]!;
  const dist = join(work, `photo-dist-${stories}`);
  const cache = join(work, `photo-cache-dir-${stories}`);
  const withPhotos: PhotoBuild[] = [];
  const withoutPhotos: PhotoBuild[] = [];
  let lastWithPhotos = false;
  for (let run = 1; run <= runs; run++) {
    // Alternate which goes first, so drift in machine load does not favour one.
    const pair = [
      ['with', corpus, withPhotos],
      ['without', control, withoutPhotos],
    ] as const;
    for (const [name, c, into] of run % 2 ? [...pair].reverse() : pair) {
      rmSync(dist, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
      const b = await photoBuild(root, c, dist, cache, join(work, 'logs', `photos-${stories}-${name}-${run}.log`));
      into.push(b);
      lastWithPhotos = name === 'with';
      log(
        `photos ${stories} ${name} photos, run ${run}/${runs}: CPU ${b.cpuSeconds?.toFixed(1)} s, images ${b.imagesSeconds ?? 'n/a'} s, ${b.encoded} encoded`,
      );
    }
  }
  // The warm and restored-cache builds start from a cold build with photos.
  if (!lastWithPhotos) {
    rmSync(dist, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    await photoBuild(root, corpus, dist, cache, join(work, 'logs', `photos-${stories}-with-last.log`));
  }
  const cacheBytes = walkFiles(join(cache, 'assets')).reduce((n, f) => n + f.bytes, 0);
  const leadStory = corpus.files.find((f) => readFileSync(join(corpus.dir, 'articles', f), 'utf8').includes('\nimage:'))!;
  const slug = leadStory.replace(/^.*\//, '').replace(/\.md$/, '');
  const original = join(
    corpus.dir,
    'articles',
    /\n {2}src: \.\.\/(photos\/\S+)/.exec(readFileSync(join(corpus.dir, 'articles', leadStory), 'utf8'))![1]!,
  );
  const readers = await readerPicks(dist, findStoryPage(dist, slug), original);
  const before = await earlierReaderPicks(original, 'main');
  const firstRound = await earlierReaderPicks(original, 'firstRound');

  const editFile = join(corpus.dir, 'articles', leadStory);
  const text = readFileSync(editFile, 'utf8');
  writeFileSync(editFile, `${text.trimEnd()}\n\nEdited for the photo benchmark.\n`);
  const warm = await photoBuild(root, corpus, dist, cache, join(work, 'logs', `photos-${stories}-warm.log`));
  writeFileSync(editFile, text);
  rmSync(dist, { recursive: true, force: true });
  const restoredCache = await photoBuild(root, corpus, dist, cache, join(work, 'logs', `photos-${stories}-restored.log`));
  log(`photos ${stories}: warm rebuild encoded ${warm.encoded}, restored-cache build encoded ${restoredCache.encoded}`);

  const perPhoto = withPhotos
    .map((w, i) =>
      w.cpuSeconds !== undefined && withoutPhotos[i]?.cpuSeconds !== undefined
        ? (w.cpuSeconds - withoutPhotos[i].cpuSeconds) / corpus.photos
        : undefined,
    )
    .filter((v): v is number => v !== undefined);
  const images = withPhotos.map((w) => w.imagesSeconds).filter((v): v is number => v !== undefined);
  return {
    label: opts.label,
    stories,
    photos: corpus.photos,
    runs,
    measuredAt: new Date().toISOString(),
    loadAverage: { before: loadBefore, after: loadavg()[0]! },
    withPhotos,
    withoutPhotos,
    cpuPerPhoto: perPhoto.length ? median(perPhoto) : undefined,
    imagesSecondsPerPhoto: images.length ? median(images) / corpus.photos : undefined,
    warm,
    restoredCache,
    readers,
    todaysReaders: before,
    firstRoundReaders: firstRound,
    cacheBytesPerPhoto: cacheBytes / corpus.photos,
    ...(opts.largePhoto === false ? {} : { largePhoto: await benchLargePhoto(root, work) }),
  };
}

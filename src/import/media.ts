/**
 * Photos for imported stories: copied from a local folder (a copy of `wp-content/uploads`, or
 * the files a saved page came with) or downloaded, and always checked to be a real image of an
 * allowed type before they are kept. Downloads have a timeout, a byte cap enforced while
 * streaming, and a content-type allowlist; SVG is never imported (it can carry scripts).
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { slugify } from '../lib/slug';

/** Content types a downloaded photo may have, and the extension it is saved with. */
export const IMAGE_TYPES: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'image/avif': '.avif',
};
const EXTENSIONS = new Map([
  ['.jpg', '.jpg'],
  ['.jpeg', '.jpg'],
  ['.png', '.png'],
  ['.webp', '.webp'],
  ['.gif', '.gif'],
  ['.avif', '.avif'],
]);

export interface MediaOptions {
  /** A copy of `wp-content/uploads`: addresses under `/wp-content/uploads/` are read from here. */
  uploadsDir?: string;
  /** Folder a saved page was in: relative addresses are read from here, never above it. */
  localDir?: string;
  /** Download what is not found locally; off, such photos are reported missing. */
  download: boolean;
  timeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_MEDIA = { timeoutMs: 15_000, maxBytes: 20 * 1024 * 1024 } as const;

export type MediaResult = { ok: true; bytes: Buffer; ext: string; how: 'copied' | 'downloaded' } | { ok: false; reason: string };

/** The format the first bytes say, as an extension; undefined for anything not on the allowlist. */
export function sniffImage(b: Uint8Array): string | undefined {
  const ascii = (from: number, to: number) => Buffer.from(b.subarray(from, to)).toString('latin1');
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return '.jpg';
  if (ascii(1, 4) === 'PNG') return '.png';
  if (ascii(0, 4) === 'GIF8') return '.gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return '.webp';
  if (ascii(4, 8) === 'ftyp' && /^avi[fs]$/.test(ascii(8, 12))) return '.avif';
  return undefined;
}

/**
 * A stable file name for a photo beside its story: `<story-slug>-<photo-name><ext>`. The same
 * address always gives the same name, so a re-run writes the same files.
 */
export function photoName(storySlug: string, src: string, taken: Set<string>): string {
  let path = src;
  try {
    path = decodeURIComponent(new URL(src, 'file:///').pathname);
  } catch {
    /* keep the raw address */
  }
  const file = path.split('/').pop() ?? '';
  const ext = EXTENSIONS.get(extname(file).toLowerCase()) ?? '.jpg';
  // WordPress's size suffix (-300x200) names a smaller copy of the same photo.
  const base = slugify(file.slice(0, file.length - extname(file).length).replace(/-\d+x\d+$/, '')).slice(0, 40) || 'photo';
  let name = `${storySlug}-${base}${ext}`;
  for (let n = 2; taken.has(name); n++) name = `${storySlug}-${base}-${n}${ext}`;
  taken.add(name);
  return name;
}

/** Reads `path` only if it resolves (symlinks too) inside `dir`. */
function readConfined(dir: string, path: string): Buffer | undefined {
  const root = realpathSync(dir);
  const abs = resolve(root, path);
  if (!existsSync(abs)) return undefined;
  const real = realpathSync(abs);
  const rel = relative(root, real);
  if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return undefined;
  if (!statSync(real).isFile()) return undefined;
  return readFileSync(real);
}

function fromDisk(src: string, options: MediaOptions): Buffer | undefined {
  let url: URL | undefined;
  try {
    url = new URL(src);
  } catch {
    url = undefined;
  }
  if (options.uploadsDir && url) {
    const at = url.pathname.indexOf('/wp-content/uploads/');
    if (at !== -1) {
      const rel = decodeURIComponent(url.pathname.slice(at + '/wp-content/uploads/'.length));
      return readConfined(options.uploadsDir, rel);
    }
  }
  if (options.localDir && url?.protocol === 'file:') {
    const rel = relative(resolve(options.localDir), fileURLToPath(url));
    return readConfined(options.localDir, join('.', rel));
  }
  return undefined;
}

/** Downloads with a timeout, the byte cap enforced while the body streams, and the type allowlist. */
export async function download(src: string, timeoutMs: number, maxBytes: number): Promise<MediaResult> {
  let response: Response;
  try {
    response = await fetch(src, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (e) {
    const err = e as Error;
    return {
      ok: false,
      reason: err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : `could not connect (${err.message})`,
    };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, reason: `the server answered ${response.status}` };
  }
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!IMAGE_TYPES[type]) {
    await response.body?.cancel();
    return { ok: false, reason: `its content type is ${type || 'not given'}, not one of ${Object.keys(IMAGE_TYPES).join(', ')}` };
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    return { ok: false, reason: `it is ${declared} bytes, over the ${maxBytes}-byte limit` };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        await response.body?.cancel().catch(() => {});
        return { ok: false, reason: `it is over the ${maxBytes}-byte limit` };
      }
      chunks.push(chunk);
    }
  } catch (e) {
    const err = e as Error;
    return {
      ok: false,
      reason: err.name === 'TimeoutError' ? `it did not arrive within ${timeoutMs / 1000} s` : `the download failed (${err.message})`,
    };
  }
  const bytes = Buffer.concat(chunks);
  const ext = sniffImage(bytes);
  if (!ext) return { ok: false, reason: 'it is not a JPEG, PNG, WebP, GIF or AVIF image' };
  if (ext !== IMAGE_TYPES[type]) return { ok: false, reason: `it was sent as ${type} but is a ${ext.slice(1).toUpperCase()} file` };
  return { ok: true, bytes, ext, how: 'downloaded' };
}

/** A photo from disk when there is a copy, else from the web (if downloads are on). */
export async function fetchPhoto(src: string, options: MediaOptions): Promise<MediaResult> {
  if (/\.svgz?(?:[?#]|$)/i.test(src)) return { ok: false, reason: 'SVG images are not imported (they can carry scripts)' };
  const local = fromDisk(src, options);
  if (local) {
    const ext = sniffImage(local);
    return ext
      ? { ok: true, bytes: local, ext, how: 'copied' }
      : { ok: false, reason: 'the file is not a JPEG, PNG, WebP, GIF or AVIF image' };
  }
  if (src.startsWith('file:')) return { ok: false, reason: 'not found beside the saved page' };
  if (!/^https?:\/\//i.test(src)) return { ok: false, reason: 'not a web address' };
  if (!options.download) return { ok: false, reason: options.uploadsDir ? 'not in --uploads, and downloads are off' : 'downloads are off' };
  return download(src, options.timeoutMs, options.maxBytes);
}

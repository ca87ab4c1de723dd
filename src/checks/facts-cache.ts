import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ZonedParts } from '../lib/dates';
import { keepZonedReadings, type ZonedReadings } from './zoned-readings';
import { listFiles } from '../lib/list-files';
import type { EmbedHost } from '../site.config';
import type { TextFacts } from './story';

/**
 * `check:content`'s cache: what each story's text alone decides (`TextFacts`), kept by the hash of
 * the story's path and bytes, so an unchanged story is not parsed, validated or rendered again.
 * Checks on disk (photos, audio) and the rules across files run on every run, from these facts.
 *
 * The cache file is an input like any other and is not trusted:
 * - it is used only under the same `salt`: this checker's code (every file under src/), the
 *   dependencies (package-lock.json), Node's version and the settings that change results;
 * - a digest of its body must match, so a cut-short or altered file is ignored whole;
 * - an entry is used only for a story whose path and bytes hash to its key, and only if its
 *   shape is exactly what `storyTextFacts` makes (any other value is ignored and checked afresh).
 * Anyone who can write it could also write the checker's code in node_modules/, where it lives.
 */

/** Bumped when the file's layout or `TextFacts` changes shape. */
const FORMAT = 'masthead-check-facts/3';

/** Where the CLI keeps it (CI keeps node_modules/.cache between runs, like verify's record). */
export const FACTS_CACHE_FILE = process.env.MASTHEAD_CHECK_CACHE ?? 'node_modules/.cache/masthead-check/facts.json';

const sha = (...parts: (string | Uint8Array)[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('base64url');
};

const SRC = fileURLToPath(new URL('../', import.meta.url));

/** A digest of the checker's code and dependencies, plus `settings` (anything else that changes results). */
export function checkerSalt(settings: unknown, root = join(SRC, '..')): string {
  // Node's version pins its ICU and time-zone data, which the kept readings of `zonedParts` come from.
  const { icu, tz, unicode } = process.versions as Record<string, string | undefined>;
  const h = createHash('sha256').update([FORMAT, process.version, icu, tz, unicode].join('\0')).update('\0');
  h.update(JSON.stringify(settings) ?? '').update('\0');
  for (const f of listFiles(SRC))
    h.update(f)
      .update('\0')
      .update(readFileSync(join(SRC, f)))
      .update('\0');
  for (const f of ['package-lock.json', 'scripts/check-content.ts']) {
    const p = join(root, f);
    h.update(f)
      .update('\0')
      .update(existsSync(p) ? readFileSync(p) : '')
      .update('\0');
  }
  return h.digest('base64url');
}

export interface FactsCache {
  /** The key of a story: its path in the content folder (POSIX) and its bytes. */
  key(path: string, bytes: Uint8Array): string;
  get(key: string): TextFacts | undefined;
  set(key: string, facts: TextFacts): void;
  /** Writes the entries used in this run (others are dropped), atomically. */
  save(): void;
  readonly stats: { hits: number; misses: number; loaded: number; ignored?: string };
}

/** The cache check:content keeps for the project at `root` (the shard plan reads it too). */
export const openCheckerCache = (root: string, embedHosts: readonly EmbedHost[]) =>
  openFactsCache(resolve(root, FACTS_CACHE_FILE), checkerSalt({ embedHosts }));

/** Opens the cache at `file` for `salt`; a missing, foreign or damaged file starts empty. */
export function openFactsCache(file: string, salt: string): FactsCache {
  const stored = new Map<string, unknown>();
  const used = new Map<string, unknown>();
  const zoned: ZonedReadings = { before: new Map(), now: new Map() };
  const stats: { hits: number; misses: number; loaded: number; ignored?: string } = { hits: 0, misses: 0, loaded: 0 };
  try {
    if (existsSync(file)) {
      const body = readCacheFile(readFileSync(file), salt);
      if (typeof body === 'string') stats.ignored = body;
      else {
        for (const [k, v] of Object.entries(body.entries)) stored.set(k, v);
        const before = zoned.before as Map<string, ZonedParts>;
        for (const [k, v] of Object.entries(body.zoned)) {
          const parts = zonedReading(k, v);
          if (parts) before.set(k, parts);
        }
      }
    }
  } catch (e) {
    stats.ignored = `unreadable (${(e as Error).message})`;
  }
  stats.loaded = stored.size;
  // The dates of 100,000 stories cost Intl more than the rest of a warm run: read each instant once.
  keepZonedReadings(zoned);
  return {
    stats,
    key: (path, bytes) => sha(salt, path, bytes),
    get(key) {
      const raw = stored.get(key);
      if (raw === undefined) {
        stats.misses++;
        return undefined;
      }
      let facts: TextFacts | undefined;
      try {
        facts = decode(raw) as TextFacts;
        if (!isTextFacts(facts)) facts = undefined;
      } catch {
        facts = undefined;
      }
      if (facts) {
        used.set(key, raw);
        stats.hits++;
      } else stats.misses++;
      return facts;
    },
    set(key, facts) {
      try {
        used.set(key, encode(facts));
      } catch {
        // Something that is not plain data is checked afresh every time instead.
      }
    },
    save() {
      // Nothing new and nothing gone: the file on disk already says all of it (a warm run with no edit writes nothing).
      const readingsKept = zoned.now.size === zoned.before.size && [...zoned.now.keys()].every((k) => zoned.before.has(k));
      if (stats.ignored === undefined && existsSync(file) && stats.misses === 0 && used.size === stored.size && readingsKept) return;
      const readings = Object.fromEntries([...zoned.now].map(([k, p]) => [k, [p.year, p.month, p.day, p.hour, p.minute, p.second]]));
      const body = JSON.stringify({ entries: Object.fromEntries(used), zoned: readings });
      const header = JSON.stringify({ format: FORMAT, salt, digest: sha(body) });
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${header}\n${body}`);
      renameSync(tmp, file);
    },
  };
}

/** The entries and readings of a cache file, or why it is ignored. */
function readCacheFile(buf: Buffer, salt: string): { entries: Record<string, unknown>; zoned: Record<string, unknown> } | string {
  const nl = buf.indexOf(0x0a);
  if (nl < 0) return 'no header';
  const header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as unknown;
  if (!isRecord(header) || header.format !== FORMAT) return 'another format';
  if (header.salt !== salt) return "another checker's code, dependencies or settings";
  const body = buf.subarray(nl + 1);
  if (header.digest !== sha(body)) return 'damaged: its digest does not match';
  const parsed = JSON.parse(body.toString('utf8')) as unknown;
  if (!isRecord(parsed) || !isRecord(parsed.entries) || !isRecord(parsed.zoned)) return 'no entries';
  return { entries: parsed.entries, zoned: parsed.zoned };
}

const PARTS_RANGES = [
  [-271821, 275760],
  [1, 12],
  [1, 31],
  [0, 23],
  [0, 59],
  [0, 59],
] as const;

/** A kept reading of `zonedParts`: `zone\0epoch-ms` → [year, month, day, hour, minute, second], each in range. */
function zonedReading(key: string, v: unknown): ZonedParts | undefined {
  if (!/^[A-Za-z0-9_+/-]+\0-?\d+$/.test(key) || !Array.isArray(v) || v.length !== 6) return undefined;
  if (!v.every((n, i) => Number.isSafeInteger(n) && n >= PARTS_RANGES[i]![0] && n <= PARTS_RANGES[i]![1])) return undefined;
  const [year, month, day, hour, minute, second] = v as number[];
  return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! };
}

// ---- plain data, with what JSON cannot hold (undefined, Date, NaN, -0) tagged ----

const TAG = '\u0000';
class NotPlain extends Error {}

/** JSON for plain data; anything else (a Map, a class instance, a sparse list) throws. */
export function encode(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'undefined':
      return { [TAG]: 'u' };
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0) ? v : { [TAG]: 'n', v: Object.is(v, -0) ? '-0' : String(v) };
    case 'object': {
      if (v === null) return null;
      if (v instanceof Date) return { [TAG]: 'd', v: encode(v.getTime()) };
      if (Array.isArray(v)) {
        if (Object.keys(v).length !== v.length) throw new NotPlain('a sparse list');
        return v.map(encode);
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) throw new NotPlain('not a plain object');
      const keys = Object.keys(v);
      if (Object.getOwnPropertyNames(v).length !== keys.length || Object.getOwnPropertySymbols(v).length) throw new NotPlain('hidden keys');
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        if (k.startsWith(TAG)) throw new NotPlain('a key that looks like a tag');
        Object.defineProperty(out, k, {
          value: encode((v as Record<string, unknown>)[k]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    default:
      throw new NotPlain(typeof v);
  }
}

const SPECIAL: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/** The inverse of `encode`; throws on anything `encode` does not make. */
export function decode(v: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new NotPlain('a number JSON cannot hold');
    return v;
  }
  if (Array.isArray(v)) return v.map(decode);
  if (!isRecord(v)) throw new NotPlain(typeof v);
  if (TAG in v) {
    const keys = Object.keys(v);
    if (v[TAG] === 'u' && keys.length === 1) return undefined;
    if (v[TAG] === 'n' && keys.length === 2 && typeof v.v === 'string' && v.v in SPECIAL) return SPECIAL[v.v];
    if (v[TAG] === 'd' && keys.length === 2) {
      const ms = decode(v.v);
      if (typeof ms === 'number') return new Date(ms);
    }
    throw new NotPlain('an unknown tag');
  }
  // A warm run decodes every story's facts, so no arrays of entries per object (they were a third of
  // decode's time at 30,000 stories). `__proto__` is defined, not assigned, so it stays an own property.
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = decode(v[k]);
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}

// ---- the shape of `TextFacts` (src/checks/story.ts), checked before a cached entry is used ----

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOnly = (v: Record<string, unknown>, required: string[], optional: string[] = []) =>
  required.every((k) => k in v) && Object.keys(v).every((k) => required.includes(k) || optional.includes(k));
const isString = (v: unknown): v is string => typeof v === 'string';
const isStrings = (v: unknown) => Array.isArray(v) && v.every(isString);
const isLine = (v: unknown) => v === undefined || (Number.isSafeInteger(v) && (v as number) >= 1);
const isOptString = (v: unknown) => v === undefined || isString(v);

function isProblem(v: unknown): boolean {
  return (
    isRecord(v) &&
    hasOnly(v, ['field', 'message'], ['hint', 'line', 'severity']) &&
    isString(v.field) &&
    isString(v.message) &&
    isOptString(v.hint) &&
    isLine(v.line) &&
    (v.severity === undefined || v.severity === 'error' || v.severity === 'warning')
  );
}

function isStep(v: unknown): boolean {
  if (!isRecord(v) || Object.keys(v).length !== 1) return false;
  if ('problem' in v) return isProblem(v.problem);
  if ('fieldImage' in v) {
    const f = v.fieldImage;
    return isRecord(f) && hasOnly(f, ['field', 'src'], ['line']) && isString(f.field) && isString(f.src) && isLine(f.line);
  }
  if ('bodyImage' in v) {
    const b = v.bodyImage;
    return (
      isRecord(b) &&
      hasOnly(b, ['line', 'image']) &&
      isLine(b.line) &&
      b.line !== undefined &&
      isRecord(b.image) &&
      hasOnly(b.image, ['url', 'path']) &&
      isString(b.image.url) &&
      isString(b.image.path)
    );
  }
  if ('audio' in v) {
    const a = v.audio;
    return isRecord(a) && hasOnly(a, ['src'], ['line']) && isString(a.src) && isLine(a.line);
  }
  return false;
}

function isRawDates(v: unknown): boolean {
  return (
    isRecord(v) &&
    hasOnly(v, ['corrections'], ['date', 'updated']) &&
    isOptString(v.date) &&
    isOptString(v.updated) &&
    isStrings(v.corrections)
  );
}

/** The shape `storyTextFacts` returns. The frontmatter's parsed fields are plain data by construction (`encode`). */
export function isTextFacts(v: unknown): v is TextFacts {
  if (!isRecord(v) || !hasOnly(v, ['steps', 'bodyImages'], ['entry'])) return false;
  if (!Array.isArray(v.steps) || !v.steps.every(isStep) || !isStrings(v.bodyImages)) return false;
  if (v.entry === undefined) return !('entry' in v);
  const e = v.entry;
  return (
    isRecord(e) &&
    hasOnly(e, ['data', 'valid', 'failed', 'rawDates', 'warnings']) &&
    isRecord(e.data) &&
    typeof e.valid === 'boolean' &&
    isStrings(e.failed) &&
    isRawDates(e.rawDates) &&
    Array.isArray(e.warnings) &&
    e.warnings.every((w) => isRecord(w) && hasOnly(w, ['reads', 'problem']) && isStrings(w.reads) && isProblem(w.problem))
  );
}

import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, type BigIntStats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isZoneReadings, keepZonedReadings, ZonedReadings, type ZoneReadings } from './zoned-readings';
import { listFiles } from '../lib/list-files';
import type { EmbedHost } from '../site.config';
import type { TextFacts } from './story';

/**
 * `check:content`'s cache: what each story's text alone decides (`TextFacts`), kept by the hash of
 * the story's path and bytes, so an unchanged story is not parsed, validated or rendered again.
 * Checks on disk (photos, audio) and the rules across files run on every run, from these facts.
 *
 * As git's index does, each story's stat (size, mtime and ctime in ns, inode, device) is kept
 * beside its hash: a story whose stat is unchanged is trusted unread. A utimes() that restores
 * the mtime still moves the ctime, which no program can set. A story whose mtime or ctime is not
 * older than the start of the run that kept it (less a margin for coarse file-system clocks) is
 * "racily clean" (an edit in the same tick as the read leaves the stat unchanged): it is read and
 * hashed. Everything else is read and hashed as before.
 *
 * The cache file is an input like any other and is not trusted:
 * - it is used only under the same `salt`: this checker's code (every file under src/), the
 *   dependencies (package-lock.json), Node's version and the settings that change results;
 * - a digest of its body must match, so a cut-short or altered file is ignored whole;
 * - an entry is used only for a story whose path and bytes hash to its key (or whose path and
 *   stat are the ones kept with that key), and only if its shape is exactly what `storyTextFacts`
 *   makes (any other value is ignored and checked afresh).
 * Anyone who can write it could also write the checker's code in node_modules/, where it lives.
 *
 * Layout: a JSON header line; then a JSON line of the run's start and the time-zone readings; then
 * one line per story, `path\tstat\tkey\tfacts`, its facts parsed only when the story is met, and
 * its line written back as it was when nothing about it changed.
 */

/** Bumped when the file's layout or `TextFacts` changes shape. */
const FORMAT = 'masthead-check-facts/4';

/**
 * How much older than the run's start a file's times must be to trust its stat. File-system
 * clocks are coarse (a tick of a few ms; 1-2 s on FAT, HFS+ and ext3), so a file written just
 * after the start can carry a time just before it.
 */
export const RACY_MARGIN_NS = 2_000_000_000n;

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

/** What identifies one version of a file on disk, as git's index keeps it. */
export const statSignature = (st: BigIntStats) => `${st.size}/${st.mtimeNs}/${st.ctimeNs}/${st.ino}/${st.dev}`;

export interface FactsCacheStats {
  /** Stories taken from the cache (by their stat or by their hash). */
  hits: number;
  misses: number;
  /** Entries in the file when it was opened. */
  loaded: number;
  /** Of the hits, those trusted by their stat alone, unread. */
  byStat: number;
  /** Stories whose stat matched but were too recent to trust it (read and hashed). */
  racy: number;
  /** Why the file was not used. */
  ignored?: string;
}

export interface FactsCache {
  /** The key of a story: its path in the content folder (POSIX) and its bytes. */
  key(path: string, bytes: Uint8Array): string;
  get(key: string): TextFacts | undefined;
  set(key: string, facts: TextFacts): void;
  /**
   * The facts of the story at `path` (POSIX, in the content folder) when `stat` (followed through
   * links) is the one kept with them and not racily clean; `undefined` means read and hash it.
   */
  byStat(path: string, stat: BigIntStats): TextFacts | undefined;
  /** Keeps `stat` (taken before the bytes were read) with the entry of `key`, after `get` or `set`. */
  noteStat(path: string, stat: BigIntStats, key: string): void;
  /** Writes the entries used in this run (others are dropped), atomically. */
  save(): void;
  readonly stats: FactsCacheStats;
}

/** The cache check:content keeps for the project at `root` (the shard plan reads it too). */
export const openCheckerCache = (root: string, embedHosts: readonly EmbedHost[]) =>
  openFactsCache(resolve(root, FACTS_CACHE_FILE), checkerSalt({ embedHosts }));

/**
 * A story's entry. One read from the file is offsets into its bytes (`buf`): its stat, key and facts
 * become strings only when the story is met, and its line is written back as it is when unchanged.
 */
interface Kept {
  path: string;
  sig?: string;
  key?: string;
  facts?: string;
  buf?: Buffer;
  /** The line's start, its tabs, and its end. */
  start?: number;
  tab1?: number;
  tab2?: number;
  tab3?: number;
  end?: number;
}

const sigOf = (k: Kept) => k.sig ?? k.buf!.toString('latin1', k.tab1! + 1, k.tab2);
const keyOf = (k: Kept) => k.key ?? k.buf!.toString('latin1', k.tab2! + 1, k.tab3);
const factsText = (k: Kept) => k.facts ?? k.buf!.toString('utf8', k.tab3! + 1, k.end);

export interface FactsCacheTimes {
  /**
   * When this run started, in ns since the epoch: by default the process's start, so a story saved
   * while Node was loading counts as changed during the run.
   */
  startedNs?: bigint;
  /** How much older than the start of the run that kept it a story's times must be to trust its stat. */
  racyMarginNs?: bigint;
}

/** Opens the cache at `file` for `salt`; a missing, foreign or damaged file starts empty. */
export function openFactsCache(
  file: string,
  salt: string,
  { startedNs = BigInt(Math.floor(performance.timeOrigin)) * 1_000_000n, racyMarginNs = RACY_MARGIN_NS }: FactsCacheTimes = {},
): FactsCache {
  let cutoffNs = -1n;
  let loaded: Kept[] = [];
  const byPath = new Map<string, Kept>();
  // Found by their bytes only after an edit: a run with none makes no key strings.
  let byKeyMap: Map<string, Kept> | undefined;
  const byKey = () => (byKeyMap ??= new Map(loaded.map((k) => [keyOf(k), k])));
  /** Entries met this run, in the walk's order. */
  const used = new Map<string, Kept>();
  let zoned = new ZonedReadings();
  const stats: FactsCacheStats = { hits: 0, misses: 0, loaded: 0, byStat: 0, racy: 0 };
  try {
    if (existsSync(file)) {
      const body = readCacheFile(readFileSync(file), salt);
      if (typeof body === 'string') stats.ignored = body;
      else {
        cutoffNs = body.startedNs - racyMarginNs;
        loaded = body.kept;
        for (const k of loaded) if (k.path) byPath.set(k.path, k);
        zoned = new ZonedReadings(body.zoned);
      }
    }
  } catch (e) {
    stats.ignored = `unreadable (${(e as Error).message})`;
    loaded = [];
    byPath.clear();
  }
  stats.loaded = loaded.length;
  // The dates of 100,000 stories cost Intl more than the rest of a warm run: read each instant once.
  keepZonedReadings(zoned);

  /** The facts of a kept entry, or `undefined` when they are not exactly what the checker makes. */
  const factsOf = (k: Kept): TextFacts | undefined => {
    try {
      const facts = decode(JSON.parse(factsText(k)));
      return isTextFacts(facts) ? facts : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    stats,
    key: (path, bytes) => sha(salt, path, bytes),
    get(key) {
      const kept = byKey().get(key);
      const facts = kept && factsOf(kept);
      if (!kept || !facts) {
        stats.misses++;
        return undefined;
      }
      // Found by its bytes: whatever stat was kept says nothing until `noteStat`.
      used.set(key, { path: '', sig: '', key, facts: factsText(kept) });
      stats.hits++;
      return facts;
    },
    set(key, facts) {
      try {
        used.set(key, { path: '', sig: '', key, facts: JSON.stringify(encode(facts)) });
      } catch {
        // Something that is not plain data is checked afresh every time instead.
      }
    },
    byStat(path, stat) {
      const kept = byPath.get(path);
      // A stat that is not one never equals a real one.
      if (!kept || sigOf(kept) !== statSignature(stat)) return undefined;
      if (stat.mtimeNs >= cutoffNs || stat.ctimeNs >= cutoffNs) {
        stats.racy++;
        return undefined;
      }
      const facts = factsOf(kept);
      if (!facts) return undefined;
      used.set(keyOf(kept), kept);
      stats.hits++;
      stats.byStat++;
      return facts;
    },
    noteStat(path, stat, key) {
      const entry = used.get(key);
      if (!entry) return;
      const sig = statSignature(stat);
      const kept = byKey().get(key);
      // Read and hashed but kept as it was (racily clean, or touched back): its line is written back as it is.
      if (kept?.path === path && sigOf(kept) === sig && factsText(kept) === entry.facts) used.set(key, kept);
      else {
        entry.path = path;
        entry.sig = sig;
      }
    },
    save() {
      // Nothing new, nothing gone and nothing too recent to trust: the file on disk already says all of it
      // (a warm run with no edit writes nothing).
      const same = used.size === loaded.length && [...used.values()].every((e) => e.buf !== undefined);
      if (stats.ignored === undefined && existsSync(file) && same && zoned.unchanged && !stats.racy) return;
      const parts: Buffer[] = [Buffer.from(JSON.stringify({ startedNs: String(startedNs), zoned: zoned.save() }))];
      for (const e of used.values()) {
        if (e.buf) parts.push(e.buf.subarray(e.start, e.end));
        // A path with a tab or line break is refused by the walk; one found by its bytes alone keeps no stat.
        else if (!/[\t\n\r]/.test(e.path)) parts.push(Buffer.from(`${e.path}\t${e.sig}\t${e.key}\t${e.facts}`));
      }
      const h = createHash('sha256');
      for (let i = 0; i < parts.length; i++) h.update(i ? NL : EMPTY).update(parts[i]!);
      const header = JSON.stringify({ format: FORMAT, salt, digest: h.digest('base64url') });
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, `${header}\n`);
        for (let i = 0; i < parts.length; i++) {
          if (i) writeSync(fd, NL);
          writeSync(fd, parts[i]!);
        }
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, file);
    },
  };
}

const NL = Buffer.from('\n');
const EMPTY = Buffer.alloc(0);
/** The entries and readings of a cache file, or why it is ignored. */
function readCacheFile(buf: Buffer, salt: string): { startedNs: bigint; kept: Kept[]; zoned: Map<string, ZoneReadings> } | string {
  const nl = buf.indexOf(0x0a);
  if (nl < 0) return 'no header';
  const header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as unknown;
  if (!isRecord(header) || header.format !== FORMAT) return 'another format';
  if (header.salt !== salt) return "another checker's code, dependencies or settings";
  if (
    header.digest !==
    createHash('sha256')
      .update(buf.subarray(nl + 1))
      .digest('base64url')
  )
    return 'damaged: its digest does not match';
  let end = buf.indexOf(0x0a, nl + 1);
  if (end < 0) end = buf.length;
  const meta = JSON.parse(buf.toString('utf8', nl + 1, end)) as unknown;
  if (!isRecord(meta) || typeof meta.startedNs !== 'string' || !/^\d+$/.test(meta.startedNs) || !isRecord(meta.zoned)) return 'no entries';
  const zoned = new Map<string, ZoneReadings>();
  for (const [zone, r] of Object.entries(meta.zoned)) if (isZoneReadings(r)) zoned.set(zone, r);
  const kept: Kept[] = [];
  // Scanned as bytes: a stat that is not one never matches, a key that is not one is never asked for,
  // and facts that are not what the checker makes are checked when the story is met.
  for (let start = end + 1, n = 3; start < buf.length; start = end + 1, n++) {
    end = buf.indexOf(0x0a, start);
    if (end < 0) end = buf.length;
    const a = buf.indexOf(0x09, start);
    const b = a < 0 || a > end ? -1 : buf.indexOf(0x09, a + 1);
    const c = b < 0 || b > end ? -1 : buf.indexOf(0x09, b + 1);
    if (c < 0 || c > end) return `damaged: line ${n} is not path, stat, key and facts`;
    // A stat is only kept with a path: one found by its bytes alone is kept without either.
    kept.push({ path: buf.toString('utf8', start, a), buf, start, tab1: a, tab2: b, tab3: c, end });
  }
  return { startedNs: BigInt(meta.startedNs), kept, zoned };
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

/**
 * The inverse of `encode`, on a value fresh from `JSON.parse`, which it changes in place (a warm run
 * decodes every story's facts: a copy of each was a third of its garbage); throws on anything
 * `encode` does not make. `__proto__` stays an own property, as `JSON.parse` defines it.
 */
export function decode(v: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new NotPlain('a number JSON cannot hold');
    return v;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i] as unknown;
      if (typeof x === 'object' && x !== null) v[i] = decode(x);
    }
    return v;
  }
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
  if (Object.getPrototypeOf(v) !== Object.prototype) throw new NotPlain('not a plain object');
  for (const k in v) {
    const x = v[k];
    if (typeof x === 'object' && x !== null) {
      const d = decode(x);
      if (d !== x) Object.defineProperty(v, k, { value: d, enumerable: true, writable: true, configurable: true });
    } else if (typeof x === 'number' && !Number.isFinite(x)) throw new NotPlain('a number JSON cannot hold');
  }
  return v;
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
    hasOnly(e, ['data', 'valid', 'failed', 'rawDates', 'warnings'], ['dateLine']) &&
    isLine(e.dateLine) &&
    isRecord(e.data) &&
    typeof e.valid === 'boolean' &&
    isStrings(e.failed) &&
    isRawDates(e.rawDates) &&
    Array.isArray(e.warnings) &&
    e.warnings.every((w) => isRecord(w) && hasOnly(w, ['reads', 'problem']) && isStrings(w.reads) && isProblem(w.problem))
  );
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, type BigIntStats } from 'node:fs';
import { isAbsolute } from 'node:path';
import { RACY_MARGIN_NS, statSignature } from '../checks/facts-cache.ts';
import { writeAtomic } from '../lib/write-atomic.ts';

/**
 * The shard plan's own cache of what it reads from files (src/data/shard-facts.ts): each file's
 * digest and, for a story, the local paths its text names (before any check on disk, which runs
 * every time since a photo may appear or vanish). As check:content's cache does
 * (src/checks/facts-cache.ts), a file is trusted by its stat (size, ns times, inode, device), and
 * only when its times are older than the start of the run that kept it less `RACY_MARGIN_NS`:
 * an unchanged story or photo is not read. At 100,000 stories with a camera photo each, that is
 * the difference between a few stats and hundreds of GB read and hashed.
 *
 * The file is not trusted: another format or salt, a digest that does not match its body, or a
 * line that is not what `save` writes, and it is ignored whole.
 *
 * Layout: a JSON header line (format, salt, the run's start, a digest of the rest); then one line
 * per file, `path\tstat\tkind\tdigest[\tnamed…]`, kind `s` for a story (its named paths follow)
 * or `f` for any other file.
 */

/** Bumped when the layout or the digest of a file changes. */
const FORMAT = 'masthead-plan-files/1';

export interface KeptFile {
  /** The file's digest (src/data/shard-facts.ts `digest`). */
  digest: string;
  /** A story's named paths, resolved to absolute paths, before the checks on disk. */
  named?: string[];
}

export interface PlanCacheStats {
  /** Files trusted by their stat, unread. */
  byStat: number;
  /** Files read and hashed (new, changed, or too recent to trust). */
  read: number;
  /** Of those, the ones whose stat matched but was too recent to trust. */
  racy: number;
  /** Entries in the file when it was opened. */
  loaded: number;
  /** Why the file was not used. */
  ignored?: string;
}

export interface PlanCache {
  /** What was kept for `file` (absolute) when `stat` (taken before any read) is the one kept and not racily clean. */
  get(file: string, stat: BigIntStats, story: boolean): KeptFile | undefined;
  /** Keeps `kept` for `file` read with `stat` taken before the read. */
  set(file: string, stat: BigIntStats, kept: KeptFile): void;
  /** Writes the entries used in this run (others are dropped), atomically; nothing when nothing changed. */
  save(): void;
  readonly stats: PlanCacheStats;
}

export interface PlanCacheTimes {
  /** When this run started, in ns since the epoch (default: the process's start). */
  startedNs?: bigint;
  racyMarginNs?: bigint;
}

const DIGEST = /^[A-Za-z0-9_-]{32}$/;

/** Opens the cache at `file` for `salt` (anything else that changes what is kept); a missing, foreign or damaged file starts empty. */
export function openPlanCache(
  file: string,
  salt: string,
  { startedNs = BigInt(Math.floor(performance.timeOrigin)) * 1_000_000n, racyMarginNs = RACY_MARGIN_NS }: PlanCacheTimes = {},
): PlanCache {
  const stats: PlanCacheStats = { byStat: 0, read: 0, racy: 0, loaded: 0 };
  let cutoffNs = -1n;
  let loaded = new Map<string, string[]>();
  try {
    if (existsSync(file)) {
      const body = readPlanCache(readFileSync(file, 'utf8'), salt);
      if (typeof body === 'string') stats.ignored = body;
      else ({ cutoffNs, loaded } = { cutoffNs: body.startedNs - racyMarginNs, loaded: body.kept });
    }
  } catch (e) {
    stats.ignored = `unreadable (${(e as Error).message})`;
    loaded = new Map();
  }
  stats.loaded = loaded.size;
  /** Lines to write back, by path: kept ones as they were, new ones made by `set`. */
  const used = new Map<string, string[]>();
  let changed = false;
  return {
    stats,
    get(path, stat, story) {
      const kept = loaded.get(path);
      if (!kept || kept[1] !== statSignature(stat) || (story && kept[2] !== 's')) return undefined;
      if (stat.mtimeNs >= cutoffNs || stat.ctimeNs >= cutoffNs) {
        stats.racy++;
        return undefined;
      }
      used.set(path, kept);
      stats.byStat++;
      return kept[2] === 's' ? { digest: kept[3]!, named: kept.slice(4) } : { digest: kept[3]! };
    },
    set(path, stat, kept) {
      stats.read++;
      changed = true;
      const fields = [path, statSignature(stat), kept.named ? 's' : 'f', kept.digest, ...(kept.named ?? [])];
      // A tab or line break would break the layout: such a file is read every time.
      if (fields.some((f) => /[\t\n\r]/.test(f))) return;
      used.set(path, fields);
    },
    save() {
      if (!changed && !stats.racy && stats.ignored === undefined && used.size === loaded.size && existsSync(file)) return;
      const body = [...used.values()].map((f) => f.join('\t')).join('\n');
      const header = JSON.stringify({ format: FORMAT, salt, startedNs: String(startedNs), digest: sha(body) });
      writeAtomic(file, `${header}\n${body}`);
    },
  };
}

const sha = (text: string) => createHash('sha256').update(text).digest('base64url');

/** The kept lines of a cache file by path, or why it is ignored. */
function readPlanCache(text: string, salt: string): { startedNs: bigint; kept: Map<string, string[]> } | string {
  const nl = text.indexOf('\n');
  if (nl < 0) return 'no header';
  const header = JSON.parse(text.slice(0, nl)) as unknown;
  if (typeof header !== 'object' || header === null) return 'no header';
  const h = header as Record<string, unknown>;
  if (h.format !== FORMAT) return 'another format';
  if (h.salt !== salt) return 'another salt';
  if (typeof h.startedNs !== 'string' || !/^\d+$/.test(h.startedNs)) return 'no start time';
  const body = text.slice(nl + 1);
  if (h.digest !== sha(body)) return 'damaged: its digest does not match';
  const kept = new Map<string, string[]>();
  if (body === '') return { startedNs: BigInt(h.startedNs), kept };
  let n = 2;
  for (const line of body.split('\n')) {
    const f = line.split('\t');
    const ok =
      f.length >= 4 &&
      isAbsolute(f[0]!) &&
      (f[2] === 's' || (f[2] === 'f' && f.length === 4)) &&
      DIGEST.test(f[3]!) &&
      f.slice(4).every((p) => isAbsolute(p));
    if (!ok) return `damaged: line ${n} is not path, stat, kind, digest and named paths`;
    kept.set(f[0]!, f);
    n++;
  }
  return { startedNs: BigInt(h.startedNs), kept };
}

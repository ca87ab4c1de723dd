import { stripVTControlCharacters } from 'node:util';

/** Astro's own build timings, read from its log (`astro build` prints each phase's duration). */

export interface AstroPhases {
  /** Config, integrations, content sync and type generation: until "Collecting build info ✓". */
  setupSeconds?: number;
  /** Bundling the static entrypoints (Vite/rolldown): the entrypoints phase minus pages and images. */
  bundleSeconds?: number;
  /** "generating static routes". */
  pagesSeconds?: number;
  /** "generating optimized images". */
  imagesSeconds?: number;
  /** After the pages and images: the integrations' `astro:build:done` work (sitemaps, search index, host files). */
  afterSeconds?: number;
  /** "N page(s) built in X": Astro's total, from its own start. */
  totalSeconds?: number;
  /** Pages Astro says it built. */
  pages?: number;
}

/** "925ms", "1.64s" or "1m 2s" → seconds. */
export function parseDuration(text: string): number | undefined {
  const ms = /^(\d+)ms$/.exec(text);
  if (ms) return Number(ms[1]) / 1000;
  const s = /^([\d.]+)s$/.exec(text);
  if (s) return Number(s[1]);
  const m = /^(\d+)m (\d+)s$/.exec(text);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  return undefined;
}

const COMPLETED = /✓ Completed in (\d+ms|[\d.]+s|\d+m \d+s)\./;

export function parseAstroLog(raw: string): AstroPhases {
  const lines = stripVTControlCharacters(raw).split('\n');
  const out: AstroPhases = {};
  const completedAfter = (marker: RegExp): number | undefined => {
    const at = lines.findIndex((l) => marker.test(l));
    if (at < 0) return undefined;
    for (let i = at + 1; i < lines.length; i++) {
      const m = COMPLETED.exec(lines[i]!);
      if (m) return parseDuration(m[1]!);
    }
    return undefined;
  };
  out.setupSeconds = completedAfter(/Collecting build info/);
  out.pagesSeconds = completedAfter(/generating static routes/);
  out.imagesSeconds = completedAfter(/generating optimized images/);
  // The entrypoints timer runs until the pages and images are written; what is left is bundling.
  const entry = lines.findIndex((l) => /Building static entrypoints/.test(l));
  let entryTotal: number | undefined;
  if (entry >= 0) {
    for (let i = lines.length - 1; i > entry; i--) {
      const m = /\[build\] ✓ Completed in (\S+(?: \d+s)?)\./.exec(lines[i]!);
      if (m) {
        entryTotal = parseDuration(m[1]!);
        break;
      }
    }
  }
  if (entryTotal !== undefined) out.bundleSeconds = Math.max(0, entryTotal - (out.pagesSeconds ?? 0) - (out.imagesSeconds ?? 0));
  const total = lines.map((l) => /(\d+) page\(s\) built in (\S+(?: \d+s)?)$/.exec(l.trim())).find(Boolean);
  if (total) {
    out.pages = Number(total[1]);
    out.totalSeconds = parseDuration(total[2]!);
    if (out.totalSeconds !== undefined && out.setupSeconds !== undefined && entryTotal !== undefined)
      out.afterSeconds = Math.max(0, out.totalSeconds - out.setupSeconds - entryTotal);
  }
  return out;
}

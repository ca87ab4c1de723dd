import { readFileSync } from 'node:fs';
import { frontmatterText } from './frontmatter';

/** Date fields exactly as the editor typed them. */
export interface RawDates {
  date?: string;
  updated?: string;
  corrections: string[];
}

const unquote = (v: string) => v.trim().replace(/\s+#.*$/, '').replace(/^(['"])(.*)\1$/, '$2');

/**
 * Reads the date lines from a story's frontmatter text. YAML has already turned unquoted
 * dates into `Date`s, rolling impossible ones over (`2025-02-30` → March 2), so the text is
 * the only place the mistake is still visible.
 */
export function rawDatesFromSource(source: string): RawDates {
  return rawDatesFromFrontmatter(frontmatterText(source) ?? '');
}

/** `rawDatesFromSource` for a caller that has already cut the file (`frontmatterText`). */
export function rawDatesFromFrontmatter(fm: string): RawDates {
  const out: RawDates = { corrections: [] };
  let inCorrections = false;
  for (const line of fm.split(/\r?\n/)) {
    const top = /^([A-Za-z_][\w-]*):(.*)$/.exec(line);
    if (top) {
      const [, key, value] = top;
      inCorrections = key === 'corrections';
      if (key === 'date') out.date = unquote(value!);
      else if (key === 'updated') out.updated = unquote(value!);
      continue;
    }
    const nested = inCorrections && /^\s+(?:-\s+)?date:(.*)$/.exec(line);
    if (nested) out.corrections.push(unquote(nested[1]!));
  }
  return out;
}

export function rawDatesFromFile(filePath: string): RawDates {
  return rawDatesFromSource(readFileSync(filePath, 'utf8'));
}

import { escapeUnsafe } from './limits.ts';

/** A problem in a content file, as editors read it: `file:line: field: message (hint)`. */
export interface ContentProblem {
  /** The file, as a path from the project root (`content/articles/2026/x.md`). */
  file: string;
  /** Dotted path of the frontmatter field (`image.alt`, `corrections[0].date`), or `body` / `file`. */
  field: string;
  message: string;
  /** How to fix it. */
  hint?: string;
  /** 1-based line in the file, where known. */
  line?: number;
  /** Warnings are reported but never fail a check or a build. */
  severity?: 'error' | 'warning';
}

export const isError = (p: ContentProblem) => p.severity !== 'warning';

/** One line, always: control and bidi characters in a file name or a quoted value are printed
 * escaped (`\u{202E}`), so a hostile name can neither break the report nor disguise itself. */
export function formatProblem(p: ContentProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  return escapeUnsafe(`${where}: ${p.field}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`);
}

/** File order, then line order, so a report reads top to bottom. */
export function sortProblems(problems: ContentProblem[]): ContentProblem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.field.localeCompare(b.field));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Errors first, then warnings, each listed in full. */
export function formatReport(problems: ContentProblem[]): string {
  const errors = sortProblems(problems.filter(isError));
  const warnings = sortProblems(problems.filter((p) => !isError(p)));
  const out: string[] = [];
  if (errors.length) out.push(`${plural(errors.length, 'error')}:`, ...errors.map((p) => `  ${formatProblem(p)}`));
  if (warnings.length) {
    if (out.length) out.push('');
    out.push(`${plural(warnings.length, 'warning')}:`, ...warnings.map((p) => `  ${formatProblem(p)}`));
  }
  return out.join('\n');
}

/** Every error found across all files, so editors fix them in one pass. */
export class ContentError extends Error {
  readonly problems: ContentProblem[];
  constructor(problems: ContentProblem[]) {
    const errors = problems.filter(isError);
    super(
      `${plural(errors.length, 'content problem')}:\n${sortProblems(errors)
        .map((p) => `  ${formatProblem(p)}`)
        .join('\n')}`,
    );
    this.name = 'ContentError';
    this.problems = errors;
  }
}

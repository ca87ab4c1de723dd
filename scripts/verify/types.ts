import type { Document } from '../../src/lib/html.ts';

export interface Problem {
  file: string;
  message: string;
}

export interface CheckResult {
  problems: Problem[];
  /** Worth reading, not worth failing a publish over. */
  notes: Problem[];
  summary?: string;
}

export const result = (): CheckResult => ({ problems: [], notes: [] });

export interface Page {
  /** Path relative to dist/, POSIX separators. */
  file: string;
  html: string;
  document: Document;
}

export interface RedirectRule {
  from: string;
  to: string;
  status?: number;
}

/** A built site, read once: every check takes what it needs from here. */
export interface Site {
  dist: string;
  /** Every file in dist/, host files included. */
  allFiles: string[];
  /** Every file the host serves (host files aside). */
  files: string[];
  fileSet: ReadonlySet<string>;
  /** Every HTML page, relative to dist/. */
  htmlFiles: string[];
  /** Site origin, from the home page's canonical link. */
  origin?: string;
  /** `_redirects` as the host reads it (Netlify's parser); undefined when the file is missing. */
  redirects?: { rules: RedirectRule[]; errors: Error[] };
}

/**
 * One check of verify. Pages are parsed once and shown to every check in turn, then dropped:
 * holding 10,000 parsed pages would take gigabytes, so a check keeps only what `finish` needs.
 */
export interface Check {
  name: string;
  page?(page: Page): void;
  finish(): CheckResult | Promise<CheckResult>;
}

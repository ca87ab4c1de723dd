import { readFileSync, statSync } from 'node:fs';
import { formatBytesAgainst } from '../lib/bytes';
import type { Problem } from './report';

/** Reads a file as UTF-8 text, refusing binary and oversized files. */
export function readText(file: string, maxBytes: number, what: string): { text: string } | { problem: Problem } {
  const size = statSync(file).size;
  if (size > maxBytes) {
    const [shown, limit] = formatBytesAgainst(size, maxBytes);
    return {
      problem: {
        field: 'file',
        message: `is ${shown}; ${what} must be under ${limit}`,
        hint: 'is this the right file? split it or shorten it',
      },
    };
  }
  return decodeText(readFileSync(file));
}

/** A file's bytes as UTF-8 text, refusing binary data and invalid UTF-8. */
export function decodeText(bytes: Uint8Array): { text: string } | { problem: Problem } {
  if (bytes.includes(0)) {
    return {
      problem: {
        field: 'file',
        message: 'is not a text file (it contains binary data)',
        hint: 'save it as plain text (UTF-8) with a .md or .yaml name',
      },
    };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { problem: { field: 'file', message: 'is not valid UTF-8 text', hint: 'save it again as UTF-8 in your editor' } };
  }
}

/** One image candidate of a `srcset`: its URL and its descriptor (`800w`, `2x`, or none). */
export interface SrcsetCandidate {
  url: string;
  /** Width descriptor in pixels, when the candidate has one. */
  width?: number;
  /** Density descriptor, when the candidate has one. */
  density?: number;
}

/**
 * Parses a `srcset` as the HTML standard does ("parse a srcset attribute"): a URL is a run of
 * non-space characters and may itself contain commas (CDN resize URLs such as
 * `/cdn-cgi/image/width=800,quality=80/…` do), so splitting on commas would be wrong.
 */
export function parseSrcset(value: string): SrcsetCandidate[] {
  const out: SrcsetCandidate[] = [];
  let i = 0;
  const n = value.length;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
  while (i < n) {
    while (i < n && (isSpace(value[i]) || value[i] === ',')) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(value[i])) i++;
    let url = value.slice(start, i);
    let descriptors = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      // Descriptors run to the next comma outside parentheses.
      const dStart = i;
      let depth = 0;
      while (i < n && !(value[i] === ',' && depth === 0)) {
        if (value[i] === '(') depth++;
        else if (value[i] === ')') depth = Math.max(0, depth - 1);
        i++;
      }
      descriptors = value.slice(dStart, i).trim();
      i++;
    }
    const candidate: SrcsetCandidate = { url };
    for (const d of descriptors.split(/\s+/).filter(Boolean)) {
      const w = /^(\d+)w$/.exec(d);
      const x = /^(\d+(?:\.\d+)?)x$/.exec(d);
      if (w) candidate.width = Number(w[1]);
      else if (x) candidate.density = Number(x[1]);
    }
    out.push(candidate);
  }
  return out;
}

/** Writes candidates back as a `srcset` value. */
export function formatSrcset(candidates: readonly SrcsetCandidate[]): string {
  return candidates
    .map((c) => [c.url, c.width !== undefined ? `${c.width}w` : c.density !== undefined ? `${c.density}x` : ''].filter(Boolean).join(' '))
    .join(', ');
}

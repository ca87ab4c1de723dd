/** Audio stories: formats, durations and where published files live. Pure. */

/** Audio formats an article may carry, by file extension. */
export const AUDIO_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  weba: 'audio/webm',
  webm: 'audio/webm',
};

export const extensionOf = (path: string) => /\.([a-z0-9]+)$/i.exec(path.split(/[?#]/)[0]!)?.[1]?.toLowerCase() ?? '';

/** The MIME type of a local audio file, from its extension (undefined if not audio we know). */
export const audioTypeForFile = (path: string): string | undefined => AUDIO_TYPES[extensionOf(path)];

/** "4:32" or "1:02:03" (also "75:30") to seconds; a number is already seconds. */
export function durationSeconds(value: number | string): number {
  if (typeof value === 'number') return value;
  return value.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

/** 272 → "4:32"; 3723 → "1:02:03". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** 272 → "PT4M32S", for `<time datetime>`. */
export function isoDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s % 60 || (!h && !m) ? `${s % 60}S` : ''}`;
}

/**
 * Where the build publishes a local audio file: `/audio/<content hash>/<file name>`. The
 * hash changes when the audio does, so the file can be cached forever; the readable name
 * is what a listener's download is called. Shared by the data layer and the route that
 * writes the file, so the URL in the page and the file in `dist/` cannot disagree.
 */
export function publishedAudioPath(contentHash: string, fileName: string): string {
  const base = fileName.split(/[\\/]/).pop()!;
  const ext = extensionOf(base);
  const stem =
    (ext ? base.slice(0, -(ext.length + 1)) : base)
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '') || 'audio';
  return `/audio/${contentHash}/${stem}${ext ? `.${ext}` : ''}`;
}

export interface TranscriptParagraph {
  /** "ADA REPORTER, BYLINE" when the paragraph opens with a speaker label, as transcripts do. */
  speaker?: string;
  text: string;
}

const SPEAKER = /^([A-Z][A-Z0-9.'’ -]*(?:, [A-Z][A-Z0-9.'’ -]*)?):\s+/;

/** A transcript as written in frontmatter: paragraphs split on blank lines, speaker labels apart. */
export function transcriptParagraphs(text: string): TranscriptParagraph[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .map((p) => {
      const m = SPEAKER.exec(p);
      return m ? { speaker: m[1]!, text: p.slice(m[0].length) } : { text: p };
    });
}

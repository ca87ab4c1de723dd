/** What an import did, as a summary for the terminal and as JSON for scripts. */

export interface ImportReport {
  kind: 'wordpress' | 'page';
  sources: string[];
  station: string;
  out: string;
  imported: { title: string; file: string; permalink: string; draft: boolean; oldUrl?: string; ref: string }[];
  /** Already imported, identical: nothing written. */
  unchanged: { title: string; file: string }[];
  /** A file is there and differs; kept as it is (without --force). */
  kept: { title: string; file: string; reason: string }[];
  /** Not imported, with the reason: private, password-protected, trashed, failing check:content… */
  skipped: { title: string; ref: string; oldUrl?: string; reason: string }[];
  /** Items that are not stories (pages, menus, attachments…), counted by type. */
  notStories: Record<string, number>;
  /** Posts that would have shared a file name or permalink, and the slug each got instead. */
  collisions: { title: string; ref: string; oldUrl?: string; slug: string; clashedWith: string }[];
  photos: { copied: number; downloaded: number; missing: { url: string; reason: string; story: string; ref: string }[] };
  /** Elements removed from bodies, by kind, over all stories. */
  dropped: Record<string, number>;
  shortcodes: { converted: Record<string, number>; unknown: Record<string, number> };
  /** Old addresses that could not become aliases, and why. */
  aliasesNotKept: { url: string; reason: string; story: string }[];
  authors: { created: string[]; matched: string[] };
  warnings: { ref: string; message: string }[];
  /** Warnings from check:content on the written stories. */
  checkWarnings: string[];
}

export function newReport(kind: ImportReport['kind'], sources: string[], station: string, out: string): ImportReport {
  return {
    kind,
    sources,
    station,
    out,
    imported: [],
    unchanged: [],
    kept: [],
    skipped: [],
    notStories: {},
    collisions: [],
    photos: { copied: 0, downloaded: 0, missing: [] },
    dropped: {},
    shortcodes: { converted: {}, unknown: {} },
    aliasesNotKept: [],
    authors: { created: [], matched: [] },
    warnings: [],
    checkWarnings: [],
  };
}

export const tally = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
};

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;
const counts = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

/** The terminal summary: counts first, then every story that was not imported and why. */
export function formatSummary(r: ImportReport, reportFile: string): string {
  const drafts = r.imported.filter((i) => i.draft).length;
  const lines = [
    `import ${r.kind}: ${plural(r.imported.length, 'story', 'stories')} written to ${r.out} (${drafts} as drafts), ` +
      `${r.unchanged.length} unchanged, ${r.kept.length} kept, ${r.skipped.length} skipped`,
  ];
  if (Object.keys(r.notStories).length) lines.push(`  not stories: ${counts(r.notStories)}`);
  lines.push(`  photos: ${r.photos.copied} copied, ${r.photos.downloaded} downloaded, ${r.photos.missing.length} missing`);
  if (Object.keys(r.dropped).length) lines.push(`  dropped from bodies: ${counts(r.dropped)}`);
  if (Object.keys(r.shortcodes.converted).length) lines.push(`  shortcodes converted: ${counts(r.shortcodes.converted)}`);
  if (Object.keys(r.shortcodes.unknown).length) lines.push(`  unknown shortcodes left as text: ${counts(r.shortcodes.unknown)}`);
  if (r.authors.created.length) lines.push(`  authors created: ${r.authors.created.join(', ')}`);
  const section = (title: string, items: string[], limit = 20) => {
    if (!items.length) return;
    lines.push(`${title} (${items.length}):`, ...items.slice(0, limit).map((s) => `  ${s}`));
    if (items.length > limit) lines.push(`  … and ${items.length - limit} more in ${reportFile}`);
  };
  section(
    'skipped',
    r.skipped.map((s) => `${s.ref}: "${s.title}"${s.oldUrl ? ` (${s.oldUrl})` : ''}: ${s.reason}`),
  );
  section(
    'kept',
    r.kept.map((k) => `${k.file}: ${k.reason}`),
  );
  section(
    'renamed to keep permalinks apart',
    r.collisions.map((c) => `${c.ref}: "${c.title}" → ${c.slug} (clashed with "${c.clashedWith}")`),
  );
  section(
    'photos missing',
    r.photos.missing.map((m) => `${m.ref}: ${m.url}: ${m.reason}`),
  );
  section(
    'old addresses not kept as aliases',
    r.aliasesNotKept.map((a) => `${a.url}: ${a.reason}`),
  );
  section(
    'warnings',
    r.warnings.map((w) => `${w.ref}: ${w.message}`),
  );
  section('check:content warnings', r.checkWarnings);
  lines.push(`report: ${reportFile}`);
  return lines.join('\n');
}

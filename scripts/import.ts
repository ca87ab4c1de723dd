/**
 * `npm run import`: brings an archive in as Markdown stories (see docs/importing.md).
 *
 *   npm run import -- wordpress <export.xml> --station <id> [--out <dir>] [--uploads <dir>] [--draft] [--force]
 *   npm run import -- page <saved.html>... --station <id> [--out <dir>] [--url <address>] [--date <ISO>] [--draft] [--force]
 *
 * Every story passes the same checker as `npm run check:content` before it is written. Exit 0
 * when everything importable was imported; 1 when the input could not be read or a story
 * failed the check; 2 on a usage mistake. The report is printed and written to
 * reports/import-report.json (outside content/: it names private posts by title).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { contentDir as defaultContentDir } from '../src/content/paths';
import { resolveBuildTime } from '../src/data/build-time';
import { DEFAULT_MEDIA } from '../src/import/media';
import { formatSummary, newReport } from '../src/import/report';
import { importWordPress } from '../src/import/wordpress';
import { WxrError } from '../src/import/wxr';
import { contentDirOf, ImportWriter } from '../src/import/write';
import { writeAtomic } from '../src/lib/write-atomic';
import { stationSchema } from '../src/schemas/station';
import { siteConfig } from '../src/site.config';
import { parseEditorDate } from '../src/lib/dates';
import { parseYaml } from '../src/content/frontmatter';
import { formatBytes } from '../src/lib/bytes';
import { cliArgs } from './lib/cli';

const USAGE = `usage:
  npm run import -- wordpress <export.xml> --station <id> [--out <dir>] [--uploads <dir>] [--draft] [--force]
  npm run import -- page <saved.html>... --station <id> [--out <dir>] [--url <original address>] [--date <ISO date-time>] [--draft] [--force]`;

const fail = (message: string, code = 1): never => {
  console.error(`import: ${message}`);
  process.exit(code);
};

const { values: args, positionals } = cliArgs('import', USAGE, {
  allowPositionals: true,
  options: {
    station: { type: 'string' },
    out: { type: 'string' },
    uploads: { type: 'string' },
    url: { type: 'string' },
    date: { type: 'string' },
    draft: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
  },
});
const [kind, ...inputs] = positionals;
if (kind !== 'wordpress' && kind !== 'page') fail(`say what to import: wordpress or page\n${USAGE}`, 2);
if (!inputs.length) fail(`name the ${kind === 'wordpress' ? 'export file' : 'saved page(s)'}\n${USAGE}`, 2);
if (kind === 'wordpress' && inputs.length > 1) fail('import one WordPress export at a time', 2);
if (kind === 'wordpress' && (args.url || args.date)) fail('--url and --date are for saved pages', 2);
if (kind === 'page' && args.uploads) fail('--uploads is for WordPress exports', 2);
if (kind === 'page' && args.url && inputs.length > 1) fail('--url names one page; import pages one at a time with it', 2);
if (!args.station) fail(`--station is required\n${USAGE}`, 2);

const outDir = resolve(args.out ?? join(defaultContentDir, 'articles', 'imported'));
const contentDir = contentDirOf(outDir);
if (!contentDir || !existsSync(join(contentDir, 'stations')))
  fail(`--out ${relative(process.cwd(), outDir)} is not inside a content folder's articles/ (e.g. content/articles/imported/)`, 2);

// The station's time zone dates the stories and their permalinks.
const stationFile = join(contentDir!, 'stations', `${args.station}.yaml`);
if (!existsSync(stationFile)) {
  const ids = readdirSync(join(contentDir!, 'stations'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5));
  fail(`no station "${args.station}" in ${relative(process.cwd(), join(contentDir!, 'stations'))}/ (one of: ${ids.join(', ')})`, 2);
}
const station = stationSchema.safeParse(parseYaml(readFileSync(stationFile, 'utf8')).data);
if (!station.success) fail(`${relative(process.cwd(), stationFile)} is not valid; run npm run check:content`);
const stationInfo = { id: args.station!, timezone: station.data!.timezone };

let fallbackDate: Date | undefined;
if (args.date) {
  const d = parseEditorDate(args.date, stationInfo.timezone);
  if (!d.ok) fail(`--date: ${d.error}`, 2);
  fallbackDate = d.ok ? d.date : undefined;
}
if (args.uploads && !existsSync(args.uploads)) fail(`--uploads ${args.uploads} does not exist`, 2);

// Existing authors by display name, so a byline that names one uses its file.
const knownAuthors = new Map<string, string>();
const authorsDir = join(contentDir!, 'authors');
for (const f of existsSync(authorsDir) ? readdirSync(authorsDir) : []) {
  if (!f.endsWith('.yaml') || f.startsWith('.')) continue;
  const id = f.slice(0, -5);
  const data = parseYaml(readFileSync(join(authorsDir, f), 'utf8')).data as { name?: unknown } | undefined;
  knownAuthors.set(id, id);
  if (typeof data?.name === 'string') knownAuthors.set(data.name.toLowerCase(), id);
}

if (kind === 'wordpress' && (!existsSync(inputs[0]!) || !statSync(inputs[0]!).isFile()))
  fail(`${inputs[0]}: file: not found (check the path)`);

const shownOut = relative(process.cwd(), outDir) || '.';
const report = newReport(kind as 'wordpress' | 'page', inputs, stationInfo.id, shownOut);
const writer = new ImportWriter({
  contentDir: contentDir!,
  outDir,
  station: stationInfo,
  force: args.force!,
  now: resolveBuildTime(process.env),
  embedHosts: siteConfig.embedHosts,
  media: { ...DEFAULT_MEDIA, uploadsDir: args.uploads, download: true, localDir: undefined },
  report,
});

// Interrupted: nothing is half-written, and the staging folder goes too.
process.once('SIGINT', () => {
  writer.abort();
  process.exit(130);
});

const MAX_PAGE_BYTES = 10 * 1024 * 1024;
let unreadable = false;
try {
  if (kind === 'wordpress') {
    const file = inputs[0]!;
    await importWordPress({
      file,
      station: stationInfo,
      embedHosts: siteConfig.embedHosts,
      allDrafts: args.draft!,
      knownAuthors,
      writer,
      report,
    });
  } else {
    // Loaded here: the page reader's DOM (linkedom, Readability) is over a second of CPU that an
    // export's import never uses.
    const { importPage, PageError } = await import('../src/import/page');
    for (const file of inputs) {
      const problem = (message: string, hint: string) => {
        console.error(`${file}: file: ${message} (${hint})`);
        unreadable = true;
      };
      if (!existsSync(file) || !statSync(file).isFile()) {
        problem('not found', 'check the path');
        continue;
      }
      if (statSync(file).size > MAX_PAGE_BYTES) {
        problem(`is over ${formatBytes(MAX_PAGE_BYTES)}`, 'is this a saved article page?');
        continue;
      }
      let html: string;
      try {
        html = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
      } catch {
        problem('is not UTF-8 text', 'save the page again as UTF-8');
        continue;
      }
      try {
        await importPage({
          file,
          html,
          url: args.url,
          fallbackDate,
          station: stationInfo,
          embedHosts: siteConfig.embedHosts,
          allDrafts: args.draft!,
          knownAuthors,
          siteOrigin: new URL(siteConfig.url).origin,
          writer,
          report,
        });
      } catch (e) {
        if (!(e instanceof PageError)) throw e;
        problem(e.message, 'is this a saved article page?');
      }
    }
  }
  writer.finish();
} catch (e) {
  writer.abort();
  if (e instanceof WxrError) {
    console.error(`${inputs[0]}:${e.line}: xml: ${e.message} (${e.hint})`);
    console.error('import: nothing was written');
    process.exit(1);
  }
  throw e;
}

const reportFile = join('reports', 'import-report.json');
writeAtomic(reportFile, `${JSON.stringify(report, null, 2)}\n`);
console.log(formatSummary(report, reportFile));
// A page that could not be read as a story is a bad input; a private WordPress post is not.
const failedCheck = report.skipped.some((s) => s.reason.startsWith('fails check:content') || kind === 'page');
process.exitCode = unreadable || failedCheck ? 1 : 0;

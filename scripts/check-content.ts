/**
 * `npm run check:content`: checks every file under content/ and lists every problem as
 * `path:line: field: message (hint)`, errors first, then warnings. Exits 1 on any error.
 *
 *   npm run check:content                      # the content folder (MASTHEAD_CONTENT_DIR or ./content)
 *   npm run check:content -- --content DIR     # another folder
 *   npm run check:content -- --now 2026-11-25T12:00:00Z   # judge scheduled stories against this time
 *   npm run check:content -- --format github   # GitHub Actions annotations on the file and line
 *   npm run check:content -- --changed files.txt --summary "$GITHUB_STEP_SUMMARY" [--preview-url URL]
 *                                              # Markdown about the stories among the changed files
 *   npm run check:content -- --no-cache        # parse every story afresh (the cache never changes the report)
 *
 * What each unchanged story's text decided is kept in node_modules/.cache/masthead-check/
 * (MASTHEAD_CHECK_CACHE), keyed by the story's bytes and this checker's code; a story whose size,
 * times and inode are the ones kept is trusted unread, as git's index does: see src/checks/facts-cache.ts.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { contentDir } from '../src/content/paths';
import { resolveBuildTime } from '../src/data/build-time';
import { siteConfig } from '../src/site.config';
import { checkContent } from '../src/checks/index';
import { FACTS_CACHE_FILE, openCheckerCache } from '../src/checks/facts-cache';
import { formatAnnotations, formatSummary } from '../src/checks/github';
import { formatReport, isError } from '../src/content/problems';
import { cliArgs } from './lib/cli';

const args = cliArgs(
  'check:content',
  'usage: npm run check:content -- [--content DIR] [--now ISO-DATE] [--quiet] [--format text|github]\n' +
    '         [--changed FILE-LISTING-PATHS --summary MARKDOWN-FILE [--preview-url URL]] [--no-cache] [--cache-stats]',
  {
    options: {
      content: { type: 'string' },
      now: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      format: { type: 'string', default: 'text' },
      changed: { type: 'string' },
      summary: { type: 'string' },
      'preview-url': { type: 'string' },
      'no-cache': { type: 'boolean' },
      'cache-stats': { type: 'boolean' },
    },
  },
).values;
if (args.format !== 'text' && args.format !== 'github') {
  console.error(`check:content: --format "${args.format}" is not known (use text or github)`);
  process.exit(2);
}
if (Boolean(args.summary) !== Boolean(args.changed)) {
  console.error('check:content: --summary and --changed go together (--changed names a file listing changed paths, one a line)');
  process.exit(2);
}

const now = args.now ? new Date(args.now) : resolveBuildTime(process.env);
if (Number.isNaN(now.getTime())) {
  console.error(`check:content: --now "${args.now}" is not a date`);
  process.exit(2);
}

const root = process.cwd();
const folder = resolve(root, args.content ?? contentDir);
const cache = args['no-cache'] ? undefined : openCheckerCache(root, siteConfig.embedHosts);
const { problems, counts, stories } = checkContent({
  contentDir: folder,
  root,
  now,
  embedHosts: siteConfig.embedHosts,
  defaultStation: args.content ? undefined : siteConfig.defaultStation,
  cache,
});
cache?.save();
// A damaged file or one from another version of the checker is never used: say so, as it costs a full check.
if (cache?.stats.ignored && !args['cache-stats'])
  console.error(`check:content: note: the cache ${FACTS_CACHE_FILE} was ignored (${cache.stats.ignored}); every story was checked afresh`);
if (cache && args['cache-stats']) {
  const { hits, misses, loaded, byStat, racy, ignored } = cache.stats;
  console.error(
    `check:content: cache ${FACTS_CACHE_FILE}: ${hits} stories unchanged, ${misses} checked afresh (${loaded} kept; ` +
      `${byStat} trusted by their size, times and inode unread, ${hits - byStat} read and hashed, ${racy} of them too recent to trust` +
      `${ignored ? `; the file was ignored: ${ignored}` : ''})`,
  );
}

const errors = problems.filter(isError).length;
const warnings = problems.length - errors;
process.exitCode = errors ? 1 : 0;
// `npm run check:content | head` closes the pipe early; that is not a failure of the check.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit();
  throw e;
});

const shown = args.quiet ? problems.filter(isError) : problems;
if (shown.length) console.log(args.format === 'github' ? formatAnnotations(shown) : formatReport(shown));

if (args.summary && args.changed) {
  const articles = `${relative(root, folder).split(sep).join('/')}/articles/`;
  appendFileSync(
    args.summary,
    formatSummary({
      changed: readFileSync(args.changed, 'utf8').split('\n'),
      stories,
      problems,
      now,
      siteUrl: siteConfig.url,
      lang: siteConfig.lang,
      previewUrl: args['preview-url'],
      isStoryFile: (p) => p.startsWith(articles) && p.endsWith('.md'),
      exists: (p) => existsSync(resolve(root, p)),
    }),
  );
}
// Since the process started, so module loading is counted too.
const seconds = process.uptime().toFixed(2);
console.log(
  `${shown.length ? '\n' : ''}check:content: ${counts.articles} stories, ${counts.stations} stations, ${counts.authors} authors in ${seconds} s: ` +
    `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
);

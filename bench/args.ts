import { cliArgs, usageError } from '../scripts/lib/cli.ts';

/** `npm run bench` options. */
export type SiteName = 'masthead' | 'baseline';

export interface Options {
  stories: number[];
  runs: number;
  sites: SiteName[];
  /** Re-render results.md and the chart from results.json without building. */
  reportOnly: boolean;
  /** Benchmark `npm run import` on a generated WordPress export of this many posts instead of building. */
  importPosts?: number;
  /** Stories of the photo benchmark (bench/photos.ts) instead of the build-time sizes. */
  photos?: number;
  /** What the photo figures are labelled in the results, e.g. "before (main)". */
  label: string;
  /** Stories of the sharded-build benchmark (bench/sharded.ts) instead of the build-time sizes. */
  sharded?: number;
  /** Sharded benchmark: skip the full build it is compared with, or check:content. */
  skipFull: boolean;
  skipCheck: boolean;
}

const USAGE =
  'usage: npm run bench -- [--stories 1000,4000] [--runs 3] [--sites masthead,baseline] [--report-only]\n' +
  '       npm run bench -- --import [--posts 10000]   (time npm run import on a generated WordPress export)\n' +
  '       npm run bench -- --photos 60 [--runs 3] [--label current]   (what one unique photo costs)\n' +
  '       npm run bench -- --sharded 30000 [--skip-full]   (the sharded build: cold, one old and one current edit; --skip-check skips check:content)';

/** `npm run bench`'s options from its command line (`args`: after the script's path; by default, this process's). */
export function benchOptions(args?: string[]): Options {
  const { values: v } = cliArgs('bench', USAGE, {
    args,
    options: {
      stories: { type: 'string', default: '1000,4000' },
      runs: { type: 'string', default: '3' },
      sites: { type: 'string', default: 'masthead,baseline' },
      import: { type: 'boolean', default: false },
      posts: { type: 'string' },
      photos: { type: 'string' },
      sharded: { type: 'string' },
      'skip-full': { type: 'boolean', default: false },
      'skip-check': { type: 'boolean', default: false },
      label: { type: 'string', default: 'current' },
      'report-only': { type: 'boolean', default: false },
    },
  });
  const fail = (message: string): never => usageError('bench', USAGE, message);
  const stories = v.stories.split(',').map((s) => Number(s.replace(/[_k]/g, (c) => (c === 'k' ? '000' : ''))));
  if (stories.some((n) => !Number.isInteger(n) || n < 10)) fail('--stories takes whole numbers of at least 10, e.g. --stories 1000,4000');
  const runs = Number(v.runs);
  if (!Number.isInteger(runs) || runs < 1) fail('--runs takes a whole number of at least 1');
  const sites = v.sites.split(',');
  for (const s of sites) if (s !== 'masthead' && s !== 'baseline') fail(`--sites: unknown site "${s}"; use masthead, baseline`);
  const opts: Options = {
    stories,
    runs,
    sites: sites as SiteName[],
    reportOnly: v['report-only'],
    label: v.label,
    skipFull: v['skip-full'],
    skipCheck: v['skip-check'],
  };
  if (v.posts !== undefined) {
    opts.importPosts = Number(v.posts);
    if (!Number.isInteger(opts.importPosts) || opts.importPosts < 1) fail('--posts takes a whole number, e.g. --posts 10000');
  } else if (v.import) opts.importPosts = 10_000;
  if (v.photos !== undefined) {
    opts.photos = Number(v.photos);
    if (!Number.isInteger(opts.photos) || opts.photos < 10) fail('--photos takes a whole number of stories, at least 10');
  }
  if (v.sharded !== undefined) {
    opts.sharded = Number(v.sharded.replace(/k$/, '000'));
    if (!Number.isInteger(opts.sharded) || opts.sharded < 10) fail('--sharded takes a whole number of stories, at least 10');
  }
  return opts;
}

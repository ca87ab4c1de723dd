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

export function parseArgs(argv: string[]): Options {
  const opts: Options = {
    stories: [1000, 4000],
    runs: 3,
    sites: ['masthead', 'baseline'],
    reportOnly: false,
    label: 'current',
    skipFull: false,
    skipCheck: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--stories') {
      opts.stories = value()
        .split(',')
        .map((s) => Number(s.replace(/[_k]/g, (c) => (c === 'k' ? '000' : ''))));
      if (opts.stories.some((n) => !Number.isInteger(n) || n < 10))
        throw new Error('--stories takes whole numbers of at least 10, e.g. --stories 1000,4000');
    } else if (flag === '--runs') {
      opts.runs = Number(value());
      if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs takes a whole number of at least 1');
    } else if (flag === '--sites') {
      const sites = value().split(',');
      for (const s of sites)
        if (s !== 'masthead' && s !== 'baseline') throw new Error(`--sites: unknown site "${s}"; use masthead, baseline`);
      opts.sites = sites as SiteName[];
    } else if (flag === '--import') {
      opts.importPosts ??= 10_000;
    } else if (flag === '--posts') {
      opts.importPosts = Number(value());
      if (!Number.isInteger(opts.importPosts) || opts.importPosts < 1) throw new Error('--posts takes a whole number, e.g. --posts 10000');
    } else if (flag === '--photos') {
      opts.photos = Number(value());
      if (!Number.isInteger(opts.photos) || opts.photos < 10) throw new Error('--photos takes a whole number of stories, at least 10');
    } else if (flag === '--sharded') {
      opts.sharded = Number(value().replace(/k$/, '000'));
      if (!Number.isInteger(opts.sharded) || opts.sharded < 10) throw new Error('--sharded takes a whole number of stories, at least 10');
    } else if (flag === '--skip-full') {
      opts.skipFull = true;
    } else if (flag === '--skip-check') {
      opts.skipCheck = true;
    } else if (flag === '--label') {
      opts.label = value();
    } else if (flag === '--report-only') {
      opts.reportOnly = true;
    } else if (flag === '--help' || flag === '-h') {
      console.log(
        'usage: npm run bench -- [--stories 1000,4000] [--runs 3] [--sites masthead,baseline] [--report-only]\n' +
          '       npm run bench -- --import [--posts 10000]   (time npm run import on a generated WordPress export)\n' +
          '       npm run bench -- --photos 60 [--runs 3] [--label current]   (what one unique photo costs)\n' +
          '       npm run bench -- --sharded 30000 [--skip-full]   (the sharded build: cold, one old and one current edit; --skip-check skips check:content)',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${flag}; try --help`);
  }
  return opts;
}

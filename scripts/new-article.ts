/**
 * `npm run new`: scaffolds a story as content/articles/YYYY/<slug>.md, dated now in the
 * station's time zone, with `draft: true`. Asks for what is missing, or takes flags:
 *
 *   npm run new -- --title "Council approves the bridge" --station kxpr --byline maria-okafor
 *   npm run new -- --title "…" --station kxpr --byline maria-okafor --byline "Bill Chappell" --dek "…" --slug bridge-vote
 *
 * It never overwrites a file. `SOURCE_DATE_EPOCH` fixes "now" (for tests).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { contentDir as defaultContentDir } from '../src/content/paths';
import { resolveBuildTime } from '../src/data/build-time';
import { stationSchema } from '../src/schemas/station';
import { toZonedIso, zonedParts } from '../src/lib/dates';
import { articlePath } from '../src/lib/permalinks';
import { slugify } from '../src/lib/slug';
import { parseYaml } from '../src/content/frontmatter';
import { newStoryFile } from '../src/content/new-story';
import { didYouMean } from '../src/checks/schema-problems';
import { cliArgs } from './lib/cli';

const fail = (message: string, code = 1): never => {
  console.error(`new: ${message}`);
  process.exit(code);
};

const opts = cliArgs(
  'new',
  'usage: npm run new -- --title TEXT --station ID --byline AUTHOR-ID-OR-NAME [--byline …] [--dek TEXT] [--slug SLUG]',
  {
    options: {
      title: { type: 'string' },
      station: { type: 'string' },
      byline: { type: 'string', multiple: true },
      dek: { type: 'string' },
      slug: { type: 'string' },
      content: { type: 'string' },
    },
  },
).values;
const contentDir = resolve(opts.content ?? defaultContentDir);

const ids = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.yaml') && !f.startsWith('.'))
        .map((f) => f.slice(0, -5))
        .sort()
    : [];
const stations = ids(join(contentDir, 'stations'));
const authors = ids(join(contentDir, 'authors'));
if (!stations.length) fail(`no stations in ${join(contentDir, 'stations')}`);

// Ask only for what the flags left out, and only when someone is there to answer.
const missing = (['title', 'station', 'byline'] as const).filter((k) => opts[k] === undefined);
if (missing.length && !process.stdin.isTTY) {
  fail(`missing ${missing.map((k) => `--${k}`).join(', ')} (no terminal to ask on)`, 2);
}
const rl = process.stdin.isTTY ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;
const ask = async (question: string) => (await rl!.question(question)).trim();

const title = opts.title ?? (await ask('Headline: '));
const station = opts.station ?? (await ask(`Station (${stations.join(', ')}): `));
const byline =
  opts.byline ??
  (await ask(`Byline: author ids (${authors.join(', ')}) or full names, separated by commas: `))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const dek = opts.dek ?? (rl ? await ask('Dek, a one- or two-sentence summary (Enter to fill in later): ') : undefined);
rl?.close();

if (!title.trim()) fail('the headline is empty');
if (!stations.includes(station)) {
  const guess = didYouMean(station, stations);
  fail(`no station "${station}"${guess ? `; did you mean "${guess}"?` : ''} (one of: ${stations.join(', ')})`);
}
if (!byline.length) fail('the byline is empty');
for (const name of byline) {
  if (/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name) && !authors.includes(name)) {
    const guess = didYouMean(name, authors);
    fail(`no author "${name}"${guess ? `; did you mean "${guess}"?` : ''}: use an id from content/authors/ or a guest's full name`);
  }
}
const slug = opts.slug ?? slugify(title);
if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) fail(`"${slug}" is not a usable slug: lowercase words joined by hyphens`);

const stationYaml = parseYaml(readFileSync(join(contentDir, 'stations', `${station}.yaml`), 'utf8'));
const parsedStation = stationSchema.safeParse(stationYaml.data);
if (!parsedStation.success) fail(`content/stations/${station}.yaml is not valid; run npm run check:content`);
const timeZone = parsedStation.data!.timezone;

const now = resolveBuildTime(process.env);
const year = zonedParts(now, timeZone).year;
const file = join(contentDir, 'articles', String(year), `${slug}.md`);
const shown = relative(process.cwd(), file);
if (existsSync(file)) fail(`${shown} already exists; pick another --slug (nothing was written)`);

mkdirSync(join(contentDir, 'articles', String(year)), { recursive: true });
writeFileSync(file, newStoryFile({ title, dek, byline, station, date: toZonedIso(now, timeZone), slug: opts.slug }), { flag: 'wx' });

console.log(`Created ${shown}`);
console.log(`Preview: http://127.0.0.1:4321${articlePath(now, timeZone, slug)} (run npm run dev; drafts show there, never in a build)`);
console.log('Publish: write the story, set draft: false, then run npm run check:content.');

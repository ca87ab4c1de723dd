/**
 * The import benchmark: `npm run bench -- --import [--posts 10000]`.
 *
 * Generates a deterministic WordPress export (WXR 1.2) of N posts, about 600 words each with
 * paragraphs, headings, a [caption]ed photo in one post in five, block comments, categories,
 * tags, four authors and a featured image for one post in five (copied from a generated
 * uploads folder: no downloads), then runs the real `npm run import` CLI on it into a fresh
 * content folder and prints its wall time, CPU time and peak memory. Target: 10,000 posts in
 * 60 s or less. Results go to bench/import-results.json.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { measure } from './measure.ts';
import { mulberry32 } from './gen-corpus.ts';
import { formatBytes } from '../src/lib/bytes.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WORK = join(ROOT, 'bench/.work/import');
const TARGET_SECONDS = 60;

const rng = mulberry32;

const WORDS =
  'the a of and to in for on with council river school bridge water budget vote county station plan said city residents state board new year people would more than about after two three'.split(
    ' ',
  );
const AUTHORS = [
  ['ada', 'Ada Example'],
  ['ben', 'Ben Example'],
  ['cara', 'Cara Example'],
  ['dev', 'Dev Example'],
] as const;
const CATEGORIES = ['News', 'Politics', 'Environment', 'Education', 'Arts', 'Business'];

const cdata = (s: string) => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** Writes the export as a stream, so a large N never sits in memory here either. */
async function generate(file: string, posts: number): Promise<number> {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench Public Radio</title><link>https://old.bench.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.bench.example.org</wp:base_site_url><wp:base_blog_url>https://old.bench.example.org</wp:base_blog_url>
${AUTHORS.map(([login, name]) => `<wp:author><wp:author_login>${cdata(login)}</wp:author_login><wp:author_display_name>${cdata(name)}</wp:author_display_name><wp:author_description>${cdata(`${name} reports for Bench Public Radio.`)}</wp:author_description></wp:author>`).join('\n')}
`);
  const start = Date.UTC(2012, 0, 1);
  for (let i = 0; i < posts; i++) {
    const r = rng(i + 1);
    const word = () => WORDS[Math.floor(r() * WORDS.length)]!;
    const sentence = () => {
      const s = Array.from({ length: 8 + Math.floor(r() * 14) }, word).join(' ');
      return `${s[0]!.toUpperCase()}${s.slice(1)}${r() < 0.2 ? ' — it’s “quoted”' : ''}.`;
    };
    const para = () => Array.from({ length: 3 + Math.floor(r() * 3) }, sentence).join(' ');
    const title = `${sentence()
      .slice(0, 70)
      .replace(/[ .]+$/, '')} ${i}`;
    const date = new Date(start + i * 11 * 3600_000);
    const gmt = date.toISOString().replace('T', ' ').slice(0, 19);
    const blocks: string[] = [];
    for (let p = 0; p < 7; p++) {
      if (p === 3) blocks.push(`<!-- wp:heading --><h2>${sentence()}</h2><!-- /wp:heading -->`);
      blocks.push(`<!-- wp:paragraph --><p>${para()}</p><!-- /wp:paragraph -->`);
    }
    if (i % 5 === 2)
      blocks.splice(
        2,
        0,
        `[caption id="attachment_${1_000_000 + i}" width="800"]<img src="https://old.bench.example.org/wp-content/uploads/photo.jpg" alt="A photo of the ${word()}"> ${sentence()}[/caption]`,
      );
    const slug = `post-${i}`;
    const [login] = AUTHORS[i % AUTHORS.length]!;
    const featured = i % 5 === 0;
    await write(`<item>
<title>${cdata(title)}</title><link>https://old.bench.example.org/${date.getUTCFullYear()}/${slug}/</link>
<dc:creator>${cdata(login)}</dc:creator>
<content:encoded>${cdata(blocks.join('\n'))}</content:encoded>
<excerpt:encoded>${cdata(i % 2 ? sentence() : '')}</excerpt:encoded>
<wp:post_id>${i + 1}</wp:post_id><wp:post_date>${cdata(gmt)}</wp:post_date><wp:post_date_gmt>${cdata(gmt)}</wp:post_date_gmt>
<wp:post_name>${cdata(slug)}</wp:post_name><wp:status>${cdata(i % 50 === 7 ? 'draft' : 'publish')}</wp:status><wp:post_type>${cdata('post')}</wp:post_type><wp:post_password>${cdata('')}</wp:post_password>
<category domain="category" nicename="c">${cdata(CATEGORIES[i % CATEGORIES.length]!)}</category><category domain="post_tag" nicename="t">${cdata(`Tag ${i % 40}`)}</category>
${featured ? `<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>${9_000_000}</wp:meta_value></wp:postmeta>` : ''}
</item>
`);
  }
  await write(`<item><title>photo</title><wp:post_id>9000000</wp:post_id><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>https://old.bench.example.org/wp-content/uploads/photo.jpg</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>${cdata('A river under a gray sky')}</wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_media_credit</wp:meta_key><wp:meta_value>${cdata('Bench Photographer')}</wp:meta_value></wp:postmeta>
</item>
</channel></rss>
`);
  await new Promise<void>((r) => out.end(() => r()));
  return statSync(file).size;
}

export async function benchImport(posts: number): Promise<void> {
  rmSync(WORK, { recursive: true, force: true });
  const content = join(WORK, 'content');
  mkdirSync(join(content, 'articles'), { recursive: true });
  for (const dir of ['stations', 'authors']) {
    mkdirSync(join(content, dir), { recursive: true });
    for (const f of readdirSync(join(ROOT, 'content', dir)))
      if (f.endsWith('.yaml')) copyFileSync(join(ROOT, 'content', dir, f), join(content, dir, f));
  }
  const uploads = join(WORK, 'uploads');
  mkdirSync(uploads, { recursive: true });
  await sharp({ create: { width: 64, height: 40, channels: 3, background: { r: 60, g: 90, b: 120 } } })
    .jpeg()
    .toFile(join(uploads, 'photo.jpg'));
  const exportFile = join(WORK, 'export.xml');
  const bytes = await generate(exportFile, posts);
  console.log(`import bench: ${posts} posts, export ${formatBytes(bytes)}`);

  // The machine may be shared: the load when the run starts says how far to trust its wall time.
  const load = loadavg()[0]!;
  const m = await measure(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/import.ts',
      'wordpress',
      exportFile,
      '--station',
      'kxpr',
      '--out',
      join(content, 'articles/imported'),
      '--uploads',
      uploads,
    ],
    { cwd: ROOT, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } },
  );
  if (!m.ok) {
    console.error(m.output);
    throw new Error(`the import failed (exit ${m.code})`);
  }
  const written = m.output.match(/(\d+) stor(?:y|ies) written/)?.[1];
  const result = {
    posts,
    exportMB: Number((bytes / 1024 / 1024).toFixed(1)),
    written: Number(written),
    wallSeconds: Number(m.wallSeconds.toFixed(1)),
    cpuSeconds: m.cpuSeconds === undefined ? undefined : Number(m.cpuSeconds.toFixed(1)),
    peakRssMB: m.peakRssBytes === undefined ? undefined : Math.round(m.peakRssBytes / 1024 / 1024),
    targetSeconds: TARGET_SECONDS,
    cores: cpus().length,
    loadAverageAtStart: Number(load.toFixed(1)),
    met: m.wallSeconds <= TARGET_SECONDS,
    measuredAt: new Date().toISOString(),
  };
  console.log(m.output.split('\n').slice(0, 4).join('\n'));
  console.log(
    `import bench: ${result.written} stories from ${posts} posts in ${result.wallSeconds} s wall` +
      `${result.cpuSeconds === undefined ? '' : `, ${result.cpuSeconds} s CPU`}, peak RSS ${result.peakRssMB ?? '?'} MB ` +
      `(target ≤ ${TARGET_SECONDS} s: ${result.met ? 'met' : 'MISSED'}; load average ${result.loadAverageAtStart} on ${result.cores} cores)`,
  );
  writeFileSync(join(ROOT, 'bench/import-results.json'), `${JSON.stringify(result, null, 2)}\n`);
  if (!existsSync(join(content, 'articles/imported'))) throw new Error('nothing was written');
}

#!/usr/bin/env node
// Minimal reproduction: Astro's content cache makes warm static builds of large Markdown
// collections slow, because the build inlines the whole content store into the prerender
// bundle as ONE string literal, and V8 compiles a huge string literal in quadratic time.
//
//   node repro.mjs v8 [MB...]        part 1: V8 alone, no Astro (default sizes 16 32 64 128)
//   node repro.mjs astro [N]         part 2: a bare Astro site with N Markdown files (default 10000),
//                                   cold build, then a warm build after editing one file
//
// Needs Node >= 22.12 and, for part 2, `astro` resolvable from this folder (run it inside a
// project that has astro installed). Writes only under ./.work/ next to this file.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const work = join(here, '.work');
const [mode = 'v8', ...args] = process.argv.slice(2);
mkdirSync(work, { recursive: true });

/** Import time of a module that is one big string literal, in a fresh process. */
function importSeconds(file) {
  const code = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(((performance.now() - t) / 1000).toFixed(2));`;
  const timed = existsSync('/usr/bin/time');
  const cmd = timed ? '/usr/bin/time' : process.execPath;
  const argv = timed ? ['-f', '%R', process.execPath, '--input-type=module', '-e', code] : ['--input-type=module', '-e', code];
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  return { seconds: r.stdout.trim(), minorFaults: timed ? r.stderr.trim().split('\n').pop() : 'n/a' };
}

if (mode === 'v8') {
  const sizes = args.length ? args.map(Number) : [16, 32, 64, 128];
  // JSON-ish text like a content store: escaped quotes, so the literal is not a plain copy.
  const unit = '{\\"title\\":\\"A story\\",\\"html\\":\\"<p>Words words words.</p>\\"},';
  console.log('size  import time  minor page faults   (export default "<one string literal>")');
  for (const mb of sizes) {
    const file = join(work, `literal-${mb}mb.mjs`);
    writeFileSync(file, `export default "${unit.repeat(Math.ceil((mb * 1e6) / unit.length))}";\n`);
    const r = importSeconds(file);
    console.log(`${String(mb).padStart(4)} MB  ${r.seconds.padStart(8)} s  ${r.minorFaults.padStart(12)}`);
    rmSync(file);
  }
  console.log('\nDoubling the size should double the time; it roughly quadruples. V8 scans a string literal into a');
  console.log('LiteralBuffer that grows by at most 1 MB per expansion (scanner LiteralBuffer::NewCapacity, kMaxGrowth),');
  console.log('copying what it has each time: O(n^2 / 1 MB) bytes copied and page-faulted.');
} else if (mode === 'astro') {
  const n = Number(args[0] ?? 10000);
  const require = createRequire(join(process.cwd(), 'package.json'));
  const astroBin = join(dirname(require.resolve('astro/package.json')), 'bin/astro.mjs');
  const site = join(work, 'site');
  rmSync(site, { recursive: true, force: true });
  mkdirSync(join(site, 'src/pages/posts'), { recursive: true });
  mkdirSync(join(site, 'posts'), { recursive: true });
  symlinkSync(join(dirname(require.resolve('astro/package.json')), '..'), join(site, 'node_modules'));
  writeFileSync(
    join(site, 'astro.config.mjs'),
    `import { defineConfig } from 'astro/config';\nexport default defineConfig({ cacheDir: './cache' });\n`,
  );
  writeFileSync(
    join(site, 'src/content.config.ts'),
    `import { defineCollection } from 'astro:content';\nimport { glob } from 'astro/loaders';\nexport const collections = { posts: defineCollection({ loader: glob({ pattern: '*.md', base: './posts' }) }) };\n`,
  );
  writeFileSync(
    join(site, 'src/pages/posts/[id].astro'),
    `---\nimport { getCollection, render } from 'astro:content';\nexport async function getStaticPaths() { return (await getCollection('posts')).map((post) => ({ params: { id: post.id }, props: { post } })); }\nconst { Content } = await render(Astro.props.post);\n---\n<html><body><h1>{Astro.props.post.data.title}</h1><Content /></body></html>\n`,
  );
  const para = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. '.repeat(8);
  for (let i = 0; i < n; i++)
    writeFileSync(join(site, 'posts', `post-${i}.md`), `---\ntitle: "Post ${i}"\n---\n\n${`${para}\n\n`.repeat(8)}`);
  const build = (label) => {
    const t = performance.now();
    const out = execFileSync(process.execPath, [astroBin, 'build'], {
      cwd: site,
      encoding: 'utf8',
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    const lines = out
      .split('\n')
      .filter((l) => /Completed in|built in|Synced|Syncing/.test(l))
      .map((l) => `    ${l.trim()}`);
    console.log(`${label}: ${((performance.now() - t) / 1000).toFixed(1)} s wall\n${lines.join('\n')}`);
  };
  console.log(`${n} Markdown files, astro ${require('astro/package.json').version}, node ${process.versions.node}`);
  build('cold (no cache)');
  appendFileSync(join(site, 'posts/post-0.md'), '\nOne edited sentence.\n');
  build('warm (cache kept, one file edited)');
  console.log('\nThe store is cache/data-store.json; "generating static routes" includes compiling the');
  console.log('bundle chunk that inlines it (see `node repro.mjs v8`).');
} else {
  console.error('usage: node repro.mjs v8 [MB...] | node repro.mjs astro [N]');
  process.exit(2);
}

import type { AstroIntegration } from 'astro';
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { attr, elements, parseHtml } from '../lib/html.ts';
import { ADMIN_DIR } from '../lib/dist-path.ts';
import { listFiles } from '../lib/list-files.ts';
import { serializeJsonLd } from '../outputs/json-ld.ts';
import type { PreviewData } from '../client/admin/preview.ts';

/** Where the editor is served; its page and config are in public/admin/. */
export { ADMIN_DIR };

const require = createRequire(import.meta.url);
const decapDist = () => dirname(require.resolve('decap-cms/dist/decap-cms.js'));
const srcDir = fileURLToPath(new URL('../', import.meta.url));

/** Decap's bundle and the chunks it loads on demand (source maps stay out). */
function decapFiles(): Map<string, Buffer> {
  const dir = decapDist();
  const out = new Map<string, Buffer>();
  for (const name of readdirSync(dir)) if (/^(?:\d+\.)?decap-cms\.js$/.test(name)) out.set(name, readFileSync(join(dir, name)));
  return out;
}

/** src/client/admin/ as one browser script. */
async function adminScript(): Promise<string> {
  const result = await build({
    entryPoints: [join(srcDir, 'client/admin/index.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
  });
  return result.outputFiles[0]!.text;
}

/**
 * The build puts the dateline inside the body's first paragraph (src/markdown/dateline.ts); the
 * preview can only set it before Decap's rendered body, so this lays that paragraph inline after it.
 */
const PREVIEW_DATELINE_CSS = `
.body > .dateline + div { display: contents; }
.body > .dateline + div > p:first-child { display: inline; }
`;

/** The site's own CSS, for the preview when no built page says which files it links. */
function siteCss(): string {
  const styles = join(srcDir, 'styles');
  return ['tokens.css', 'global.css', 'embeds.css']
    .map((f) => readFileSync(join(styles, f), 'utf8').replace(/^@import [^;]+;$/gm, ''))
    .join('\n');
}

/** A built article page's stylesheets and each class's `data-astro-cid-*` attributes. */
export function readArticlePage(html: string): Pick<PreviewData, 'styles' | 'cids'> {
  const styles: string[] = [];
  const cids: Record<string, Set<string>> = {};
  for (const el of elements(parseHtml(html))) {
    const href = attr(el, 'href');
    if (el.tagName === 'link' && attr(el, 'rel') === 'stylesheet' && href?.startsWith('/')) styles.push(href);
    const names = el.attrs.filter((a) => a.name.startsWith('data-astro-cid-')).map((a) => a.name);
    for (const cls of (attr(el, 'class') ?? '').split(/\s+/).filter(Boolean)) for (const n of names) (cids[cls] ??= new Set()).add(n);
  }
  return { styles, cids: Object.fromEntries(Object.entries(cids).map(([k, v]) => [k, [...v].sort()])) };
}

/** Station and author names for the preview, read from content/ (the schemas check them elsewhere). */
function contentNames(contentDir: string): Pick<PreviewData, 'stations' | 'authors'> {
  const read = (sub: string) =>
    existsSync(join(contentDir, sub))
      ? readdirSync(join(contentDir, sub))
          .filter((f) => f.endsWith('.yaml'))
          .map((f) => [f.replace(/\.yaml$/, ''), parseYaml(readFileSync(join(contentDir, sub, f), 'utf8')) as Record<string, unknown>] as const)
      : [];
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    stations: Object.fromEntries(
      read('stations').map(([id, d]) => [id, { name: str(d.name), tagline: str(d.tagline), ...(typeof d.accent === 'string' && { accent: d.accent }) }]),
    ),
    authors: Object.fromEntries(read('authors').map(([id, d]) => [id, str(d.name) || id])),
  };
}

/**
 * Every file the editor needs besides public/admin/ (its page and config): Decap's bundle, our
 * script, the preview's CSS and data. `dist` is a built site to read an article page from.
 */
export async function editorFiles({ contentDir, dist }: { contentDir: string; dist?: string }): Promise<Map<string, Buffer | string>> {
  const files = new Map<string, Buffer | string>(decapFiles());
  files.set('admin.js', await adminScript());
  files.set('preview.css', siteCss() + PREVIEW_DATELINE_CSS);
  // A few story pages, so the parts only some stories have (a photo, a wire line) are seen too.
  const pages = dist ? listFiles(dist).filter((f) => f.startsWith('news/') && f.endsWith('/index.html')).slice(0, PAGES_READ) : [];
  const fromPage = { styles: [] as string[], cids: {} as Record<string, string[]> };
  for (const page of pages) {
    const read = readArticlePage(readFileSync(join(dist!, page), 'utf8'));
    fromPage.styles = [...new Set([...fromPage.styles, ...read.styles])];
    for (const [cls, ids] of Object.entries(read.cids)) fromPage.cids[cls] = [...new Set([...(fromPage.cids[cls] ?? []), ...ids])].sort();
  }
  const data: PreviewData = { styles: [`/${ADMIN_DIR}preview.css`, ...fromPage.styles], cids: fromPage.cids, ...contentNames(contentDir) };
  // `<` and `&` as \u escapes, as in every JSON the site publishes: names come from content files.
  files.set('preview.json', serializeJsonLd(data));
  return files;
}

const PAGES_READ = 50;

/** The site's topics for the Tags field, built from the site index (./web-editor-topics.ts). */
export const TOPICS_FILE = 'topics.json';

const TYPES: Record<string, string> = { js: 'text/javascript', json: 'application/json', css: 'text/css' };

/**
 * The web editor at /admin/ (docs/editing.md). Its files go only into dist/admin/, so no reader
 * page loads a byte of it. Runs before the search index and host files, which skip /admin/.
 */
export function webEditor({ contentDir }: { contentDir: string }): AstroIntegration {
  let publicDir = 'public';
  return {
    name: 'masthead:web-editor',
    hooks: {
      'astro:config:setup': ({ injectRoute }) => {
        injectRoute({ pattern: `/${ADMIN_DIR}${TOPICS_FILE}`, entrypoint: new URL('./web-editor-topics.ts', import.meta.url), prerender: true });
      },
      'astro:config:done': ({ config }) => void (publicDir = fileURLToPath(config.publicDir)),
      'astro:server:setup': ({ server }) => {
        let files: Promise<Map<string, Buffer | string>> | undefined;
        server.middlewares.use((req, res, next) => {
          const m = /^\/admin\/([\w.-]*)$/.exec(req.url?.split('?')[0] ?? '');
          if (!m) return next();
          // The dev server serves public/admin/index.html only by its full name.
          if (m[1] === '') {
            res.setHeader('Content-Type', 'text/html; charset=utf-8');
            res.end(readFileSync(join(publicDir, ADMIN_DIR, 'index.html')));
            return;
          }
          // Built on first request and again after an edit of the editor's code or content names.
          files ??= editorFiles({ contentDir });
          files.then((f) => {
            const body = f.get(m[1]!);
            if (body === undefined) return next();
            res.setHeader('Content-Type', `${TYPES[m[1]!.split('.').pop()!] ?? 'application/octet-stream'}; charset=utf-8`);
            res.end(body);
          }, next);
        });
        server.watcher.on('change', (file) => {
          if (file.includes('/src/client/admin/') || file.includes('/content/')) files = undefined;
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const dist = fileURLToPath(dir);
        const out = join(dist, ADMIN_DIR);
        mkdirSync(out, { recursive: true });
        const files = await editorFiles({ contentDir, dist });
        for (const [name, body] of files) writeFileSync(join(out, name), body);
        logger.info(`/admin/: ${files.size} files`);
      },
    },
  };
}

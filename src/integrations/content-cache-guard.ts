import type { AstroIntegration } from 'astro';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from '../lib/list-files';

/** Source files whose change must re-parse every entry: Astro's content store only notices
 * edits to content.config.ts itself, not the schemas and Markdown plugins it imports. */
const PIPELINE = ['src/content.config.ts', 'src/content/paths.ts', 'src/schemas', 'src/markdown', 'package-lock.json'];

/** `path` itself if it is a file, else every file under it. */
const filesAt = (path: string) => (existsSync(path) && statSync(path).isFile() ? [path] : listFiles(path).map((f) => join(path, f)));

/** A digest of the content pipeline's source, stable across machines and checkouts. */
export function pipelineDigest(root: string): string {
  const hash = createHash('sha256');
  for (const file of PIPELINE.flatMap((p) => filesAt(join(root, p)))) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Clears Astro's cached content store when the schemas or Markdown plugins change, so a
 * warm build can never serve entries parsed by old code. Optimised images are kept. */
export function contentCacheGuard(): AstroIntegration {
  return {
    name: 'masthead:content-cache-guard',
    hooks: {
      'astro:config:setup': ({ config, logger }) => {
        const root = fileURLToPath(config.root);
        const digest = pipelineDigest(root);
        for (const dir of [fileURLToPath(config.cacheDir), join(root, '.astro')]) {
          const stamp = join(dir, 'masthead-pipeline.digest');
          const store = join(dir, 'data-store.json');
          const previous = existsSync(stamp) ? readFileSync(stamp, 'utf8') : undefined;
          if (previous !== digest && existsSync(store)) {
            logger.info(`content pipeline changed; clearing the cached content store in ${relative(root, dir) || '.'}`);
            rmSync(store);
          }
          mkdirSync(dir, { recursive: true });
          writeFileSync(stamp, digest);
        }
      },
    },
  };
}

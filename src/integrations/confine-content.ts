import { relative, resolve, sep } from 'node:path';
import type { AstroIntegration } from 'astro';
import { confineImage } from '../content/confine';
import { formatProblem } from '../content/problems';

/**
 * Defence in depth for images: the content gate has already refused any story whose image
 * leaves content/, but this hook sits where Vite resolves every image a content file imports
 * (lead photos, author photos, body images), so even with the gate skipped no file outside
 * content/, no SVG and nothing over the size and pixel limits is read or copied into the site.
 */
export function confineContent({ contentDir }: { contentDir: string }): AstroIntegration {
  const root = resolve(contentDir);
  return {
    name: 'masthead:confine-content',
    hooks: {
      'astro:config:setup': ({ updateConfig, logger }) => {
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'masthead:confine-content-images',
                enforce: 'pre',
                resolveId(id, importer) {
                  if (!importer || !/\.(md|ya?ml)$/i.test(importer)) return null;
                  const from = resolve(importer.split('?')[0]!);
                  if (!from.startsWith(root + sep)) return null;
                  let ref = id.split('?')[0]!;
                  try {
                    ref = decodeURI(ref);
                  } catch {
                    // kept as written
                  }
                  const found = confineImage(root, from, ref);
                  if ('refused' in found) {
                    const file = relative(process.cwd(), from).split(sep).join('/');
                    const problem = formatProblem({ file, field: 'image', ...found.refused });
                    // Vite wraps errors from inside `this.resolve` in one that drops the message; say it first.
                    logger.error(problem);
                    this.error(problem);
                  }
                  return null;
                },
              },
            ],
          },
        });
      },
    },
  };
}

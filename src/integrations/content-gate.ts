import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import type { MdastPluginEntry } from 'satteri';
import { isPreviewBuild, resolveBuildTime } from '../data/build-time';
import { htmlPolicyPlugin } from '../markdown/html-policy';
import type { EmbedHost } from '../site.config';
import { checkContent } from '../checks/index';
import { openCheckerCache } from '../checks/facts-cache';
import { formatReport, isError, type ContentProblem } from '../content/problems';

export interface ContentGateOptions {
  contentDir: string;
  embedHosts: readonly EmbedHost[];
  defaultStation: string;
}

/** Thrown to stop the build; its message is the whole report. */
export class ContentCheckFailed extends Error {
  constructor(readonly problems: ContentProblem[]) {
    const errors = problems.filter(isError);
    super(
      `content check failed: ${errors.length} error${errors.length === 1 ? '' : 's'} ` +
        `(run \`npm run check:content\` to see them without building)\n\n${formatReport(errors)}\n`,
    );
    this.name = 'ContentCheckFailed';
    // Where in our code it was thrown says nothing useful; the report is the message.
    this.stack = this.message;
  }
}

/**
 * The build's content gate. Before Astro reads a single entry, it runs `check:content`'s
 * checker over the whole content folder and stops the build with the full list of problems,
 * so a bad file never yields a half-built site and editors see every problem at once (Astro
 * itself stops at the first bad entry, often with a misleading message). It also provides the
 * raw-HTML policy plugin for the Markdown processor, and fails the build if that plugin found
 * anything while Astro rendered (Astro only logs render errors and renders an empty body).
 */
export function contentGate(options: ContentGateOptions): AstroIntegration & { htmlPolicy: MdastPluginEntry } {
  const rendered: ContentProblem[] = [];
  let root = process.cwd();
  // In dev, stories edited after startup are only seen here: say so at once, as the build would.
  let devLogger: AstroIntegrationLogger | undefined;
  const htmlPolicy = htmlPolicyPlugin({
    embedHosts: options.embedHosts,
    contentDir: options.contentDir,
    onProblems: (file, problems) => {
      const shown = relative(root, file).split(sep).join('/');
      const found = problems.map((p) => ({ file: shown, field: 'body', ...p }));
      rendered.push(...found);
      devLogger?.error(`\n${formatReport(found)}`);
    },
  });
  const failOnRendered = () => {
    if (rendered.some(isError)) throw new ContentCheckFailed(rendered);
  };

  return {
    name: 'masthead:content-gate',
    htmlPolicy,
    hooks: {
      'astro:config:setup': ({ command, config, logger, updateConfig }) => {
        root = fileURLToPath(config.root);
        // Vite's DEV follows NODE_ENV, which a test runner or a shell may set during a build;
        // previewing drafts must follow Astro's command, or an explicit preview build, alone.
        const preview = command === 'dev' || isPreviewBuild(process.env);
        updateConfig({ vite: { define: { 'import.meta.env.MASTHEAD_SHOWS_UNPUBLISHED': JSON.stringify(preview) } } });
        if (command === 'dev') devLogger = logger;
        if (command !== 'build' && command !== 'dev') return;
        // A shard of the sharded build (one past year's story pages) skips the pre-flight check of all
        // content: at 30,000 stories it costs as much as the shard itself, and nothing a shard builds is
        // published unless the core build, whose gate checks everything, passes (scripts/shards.ts).
        if (command === 'build' && /^\d{4}$/.test(process.env.MASTHEAD_SHARD ?? '')) {
          logger.info('shard build: the core build checks all content');
          return;
        }
        const started = performance.now();
        // check:content's own cache (src/checks/facts-cache.ts): what an unchanged story's bytes decide, under
        // a salt of the checker's code, dependencies and settings; checks on disk and the rules across files
        // run every time, so the report is the one a fresh check makes. At 10,000 stories a fresh check cost
        // the sharded core build 37-48 s on every publish.
        const cache = openCheckerCache(root, options.embedHosts);
        const { problems, counts } = checkContent({
          contentDir: options.contentDir,
          root,
          now: resolveBuildTime(process.env),
          embedHosts: options.embedHosts,
          defaultStation: options.defaultStation,
          cache,
        });
        try {
          cache.save();
        } catch (e) {
          // A cache that cannot be written costs the next build time, never its result.
          logger.warn(`could not keep check:content's cache: ${(e as Error).message}`);
        }
        const ms = Math.round(performance.now() - started);
        const reuse = `${cache.stats.hits} unchanged, ${cache.stats.misses} read afresh${cache.stats.ignored ? `; cache ignored: ${cache.stats.ignored}` : ''}`;
        const warnings = problems.filter((p) => !isError(p));
        if (warnings.length) logger.warn(`\n${formatReport(warnings)}`);
        if (problems.some(isError)) {
          const failure = new ContentCheckFailed(problems);
          // In dev the server keeps running so editors can fix files and reload.
          if (command === 'dev') logger.error(failure.message);
          else throw failure;
        } else {
          logger.info(
            `${counts.articles} stories (${reuse}), ${counts.stations} stations, ${counts.authors} authors checked in ${ms} ms`,
          );
        }
      },
      'astro:build:start': failOnRendered,
      'astro:build:done': failOnRendered,
    },
  };
}

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { markdownToHtml } from 'satteri';
import { describe, expect, it } from 'vitest';
import { bodyStart } from '../../src/content/frontmatter';
import { siteConfig } from '../../src/site.config';
import { ContentCheckFailed, contentGate } from '../../src/integrations/content-gate';
import { fm, site } from '../helpers/content-site';
import { ROOT } from '../helpers/sites';

describe("the build's content gate", () => {
  const hooks = (gate: ReturnType<typeof contentGate>) => gate.hooks as Record<string, (params: unknown) => void>;
  const logger = () => {
    const lines: string[] = [];
    return {
      lines,
      info: (m: string) => lines.push(`info ${m}`),
      warn: (m: string) => lines.push(`warn ${m}`),
      error: (m: string) => lines.push(`error ${m}`),
    };
  };

  it('stops a build before Astro reads anything, with the whole report; in dev it logs and carries on', () => {
    const dir = site('gate', { 'articles/2026/a.md': fm().replace('station: kfix', 'station: nope') });
    const gate = contentGate({ contentDir: dir, embedHosts: siteConfig.embedHosts, defaultStation: 'kfix' });
    const params = (command: string, log = logger()) => ({
      command,
      config: { root: pathToFileURL(ROOT + '/') },
      logger: log,
      updateConfig: () => {},
    });
    expect(() => hooks(gate)['astro:config:setup']!(params('build'))).toThrow(ContentCheckFailed);
    try {
      hooks(gate)['astro:config:setup']!(params('build'));
    } catch (e) {
      expect((e as Error).message).toContain('a.md:5: station: unknown station "nope" (use one of: kfix)');
    }
    const log = logger();
    hooks(gate)['astro:config:setup']!(params('dev', log));
    expect(log.lines.join('\n')).toContain('error content check failed: 1 error');
  });

  it('fails the build if the Markdown plugin found a problem while Astro rendered (Astro only logs render errors)', () => {
    const gate = contentGate({ contentDir: 'content', embedHosts: siteConfig.embedHosts, defaultStation: 'kxpr' });
    expect(() => hooks(gate)['astro:build:start']!({})).not.toThrow();
    // Astro renders the trimmed body and gives no line offset: the plugin counts it from the file.
    const file = 'tests/fixtures/content/articles/2026/wire-story.md';
    const bodyLine = bodyStart(readFileSync(join(ROOT, file), 'utf8')).line;
    markdownToHtml('Hi\n\n<script>x()</script>', { mdastPlugins: [gate.htmlPolicy], fileURL: pathToFileURL(join(ROOT, file)) });
    expect(() => hooks(gate)['astro:build:start']!({})).toThrow(`${file}:${bodyLine + 2}: body: <script> is not allowed`);
    expect(() => hooks(gate)['astro:build:done']!({})).toThrow(ContentCheckFailed);
  });
  it("reuses check:content's cache for unchanged stories and still reports every problem, warm or cold", () => {
    // Its own project root, so its cache (node_modules/.cache under the root) is not shared with other tests.
    const dir = site('gate-cache', {
      'articles/2026/a.md': fm(),
      'articles/2026/b.md': fm('', 'Hi\n\n<script>x()</script>\n'),
    });
    const gate = contentGate({ contentDir: dir, embedHosts: siteConfig.embedHosts, defaultStation: 'kfix' });
    const run = () => {
      const log = logger();
      let failure = '';
      try {
        hooks(gate)['astro:config:setup']!({ command: 'build', config: { root: pathToFileURL(dir + '/') }, logger: log, updateConfig: () => {} });
      } catch (e) {
        failure = (e as Error).message;
      }
      return { failure, log: log.lines.join('\n') };
    };
    const cold = run();
    expect(cold.failure).toContain('articles/2026/b.md:11: body: <script> is not allowed');
    expect(existsSync(join(dir, 'node_modules/.cache/masthead-check/facts.json'))).toBe(true);
    // Warm: the same report, word for word.
    expect(run().failure).toBe(cold.failure);
    writeFileSync(join(dir, 'articles/2026/b.md'), fm());
    expect(run()).toMatchObject({ failure: '', log: expect.stringContaining('3 stories (2 unchanged, 1 read afresh)') });
    expect(run().log).toContain('3 stories (3 unchanged, 0 read afresh)');
    // A changed story is read afresh: its new problem is reported, not what the cache kept of its old bytes.
    writeFileSync(join(dir, 'articles/2026/b.md'), fm().replace('title: A fine story\n', ''));
    expect(run().failure).toContain('articles/2026/b.md: title: is required');
  });
});

import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/sites';

// GitHub's workflow parser imports its JSON schema without `with { type: 'json' }`, which only
// bundlers accept; this hook adds the attribute for Node's loader.
registerHooks({
  load: (url, context, nextLoad) =>
    nextLoad(url, url.endsWith('.json') ? { ...context, importAttributes: { ...context.importAttributes, type: 'json' } } : context),
});
const { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } = await import('@actions/workflow-parser');

const FILE = '.github/workflows/publish.yml';
const text = readFileSync(`${ROOT}${FILE}`, 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string[];
  if?: string;
  steps: Step[];
  permissions?: Record<string, string>;
}
const workflow = parse(text) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const jobs = workflow.jobs;

/** Scripts other branches add; remove a name once its branch is merged. */
describe('the publish workflow', () => {
  it('is a valid GitHub Actions workflow (GitHub’s own parser and schema)', async () => {
    const parsed = parseWorkflow({ name: FILE, content: text }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    expect(template.errors ?? []).toEqual([]);
    expect(template.jobs.map((j) => j.id.value).sort()).toEqual(['deploy', 'verify']);
  });

  it.each([
    ['a job it needs is misspelled', (t: string) => t.replace('needs: [verify]', 'needs: [verfy]'), /unknown job 'verfy'/],
    ['the schedule is not cron', (t: string) => t.replace("cron: '*/15 * * * *'", "cron: 'every 15 minutes'"), /Invalid cron/],
    ['a key is misspelled', (t: string) => t.replace('timeout-minutes: 30', 'timeout-minutes: soon'), /Unexpected value 'soon'/],
  ])('and that parser rejects the file when %s', async (_case, breakIt, error) => {
    const broken = breakIt(text);
    expect(broken).not.toBe(text);
    const parsed = parseWorkflow({ name: FILE, content: broken }, new NoOperationTraceWriter());
    await convertWorkflowTemplate(parsed.context, parsed.value!);
    expect(
      parsed.context.errors
        .getErrors()
        .map((e) => e.message)
        .join('\n'),
    ).toMatch(error);
  });

  it('runs on push to main, every 15 minutes, and by hand', () => {
    expect(workflow.on.push).toEqual({ branches: ['main'] });
    expect(workflow.on.schedule).toEqual([{ cron: '*/15 * * * *' }]);
    expect(workflow.on).toHaveProperty('workflow_dispatch');
  });

  it('checks, tests, builds and verifies in that order', () => {
    const runs = jobs.verify!.steps.flatMap((s) => (s.run ? s.run.trim().split('\n') : [])).filter((l) => l.startsWith('npm '));
    expect(runs).toEqual(['npm ci', 'npm run check:content', 'npm test', 'npm run build', 'npm run verify']);
  });

  it('only calls npm scripts that exist', () => {
    const scripts = Object.keys((JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts);
    const called = [...text.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
    expect(called.length).toBeGreaterThan(0);
    for (const name of called) {
      expect(scripts).toContain(name);
    }
  });

  it('deploys only after everything before it passed, the verified files, on main', () => {
    const deploy = jobs.deploy!;
    expect(deploy.needs).toEqual(['verify']);
    expect(deploy.if).toBe("github.ref == 'refs/heads/main'");
    const upload = jobs.verify!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    const download = deploy.steps.find((s) => s.uses?.startsWith('actions/download-artifact'));
    expect(upload?.with).toMatchObject({ name: 'site', path: 'dist' });
    expect(download?.with).toMatchObject({ name: 'site', path: 'dist' });
    // The verified dist is deployed; nothing rebuilds it.
    expect(deploy.steps.some((s) => /npm run build|astro build/.test(s.run ?? ''))).toBe(false);
  });

  it('caches npm and the whole build cache, saved every run and started afresh when the build code changes', () => {
    const setupNode = jobs.verify!.steps.find((s) => s.uses?.startsWith('actions/setup-node'));
    expect(setupNode?.with?.cache).toBe('npm');
    const steps = jobs.verify!.steps;
    const cacheIndex = steps.findIndex((s) => s.uses?.startsWith('actions/cache') && s.with?.path === 'node_modules/.astro');
    const cache = steps[cacheIndex]!;
    for (const code of ['package-lock.json', 'astro.config.mjs', 'src/schemas/**', 'src/markdown/**', 'src/social-cards/**'])
      expect(cache.with?.key).toContain(`'${code}'`);
    // One key per run, so each run saves what it added; earlier runs' caches are restored by prefix.
    expect(cache.with?.key).toMatch(/-\$\{\{ github\.run_id \}\}$/);
    expect(String(cache.with?.['restore-keys']).trim()).toBe(String(cache.with?.key).replace('${{ github.run_id }}', ''));
    // npm ci empties node_modules, so the cache is restored after it and before the build.
    expect(cacheIndex).toBeGreaterThan(steps.findIndex((s) => s.run === 'npm ci'));
    expect(cacheIndex).toBeLessThan(steps.findIndex((s) => s.run === 'npm run build'));
  });

  it('picks the deploy target from a repository variable, and fails on an unknown one', () => {
    const deploy = jobs.deploy!;
    expect(deploy.steps[0]!.run).toMatch(/case "\$DEPLOY_TARGET" in\s+cloudflare-pages\|netlify\|s3\)/);
    expect(deploy.steps[0]!.run).toContain('exit 1');
    for (const target of ['cloudflare-pages', 'netlify', 's3']) {
      expect(deploy.steps.some((s) => s.if === `vars.DEPLOY_TARGET == '${target}'`)).toBe(true);
    }
  });

  it('documents every secret and variable it reads in docs/publishing.md', () => {
    const docs = readFileSync(`${ROOT}docs/publishing.md`, 'utf8');
    const names = [...text.matchAll(/\$\{\{\s*(secrets|vars)\.(\w+)\s*\}\}/g)].map((m) => m[2]!);
    expect(names.length).toBeGreaterThan(5);
    for (const name of new Set(names)) expect(docs, `${name} is not documented`).toContain(`\`${name}\``);
  });
});

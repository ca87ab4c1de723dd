import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { join } from 'node:path';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, TMP } from '../helpers/sites';

// GitHub's workflow parser imports its JSON schema without `with { type: 'json' }`, which only
// bundlers accept; this hook adds the attribute for Node's loader.
registerHooks({
  load: (url, context, nextLoad) =>
    nextLoad(url, url.endsWith('.json') ? { ...context, importAttributes: { ...context.importAttributes, type: 'json' } } : context),
});
const { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } = await import('@actions/workflow-parser');

const FILE = '.github/workflows/publish.yml';
const text = readFileSync(`${ROOT}${FILE}`, 'utf8');
const WORKFLOWS = readdirSync(`${ROOT}.github/workflows`)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => `.github/workflows/${f}`);
const read = (file: string) => readFileSync(`${ROOT}${file}`, 'utf8');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Job {
  uses?: string;
  strategy?: { matrix: Record<string, string> };
  outputs?: Record<string, string>;
  needs?: string[];
  if?: string;
  steps: Step[];
  permissions?: Record<string, string>;
}
type Workflow = {
  on: Record<string, { paths?: string[]; 'paths-ignore'?: string[]; branches?: string[] } | null>;
  jobs: Record<string, Job>;
};
const workflow = parse(text) as Workflow;
const jobs = workflow.jobs;
const load = (file: string) => parse(read(file)) as Workflow;

/**
 * Each action at the major whose action.yml declares `runs.using: node24` (GitHub removed Node 20
 * from its runners on 16 September 2026). From each action's release notes; see docs/publishing.md.
 */
const NODE24_MAJORS: Record<string, string> = {
  'actions/checkout': 'v6',
  'actions/setup-node': 'v6',
  'actions/cache': 'v5',
  'actions/cache/restore': 'v5',
  'actions/cache/save': 'v5',
  'actions/upload-artifact': 'v7',
  'actions/download-artifact': 'v7',
  'actions/github-script': 'v8',
  'aws-actions/configure-aws-credentials': 'v6',
};

describe.each(WORKFLOWS)('%s', (file) => {
  it('is a valid GitHub Actions workflow (GitHub’s own parser and schema)', async () => {
    const parsed = parseWorkflow({ name: file, content: read(file) }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    expect(template.errors ?? []).toEqual([]);
    expect(template.jobs.length).toBeGreaterThan(0);
  });

  it('uses each action at its Node 24 major', () => {
    // A job that calls a reusable workflow has no steps of its own.
    const uses = Object.values(load(file).jobs).flatMap((j) => (j.steps ?? []).flatMap((s) => (s.uses ? [s.uses] : [])));
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) {
      const [name, ref] = use.split('@');
      expect(NODE24_MAJORS, `${use} is not a known Node 24 major`).toHaveProperty([name!]);
      expect(ref, use).toBe(NODE24_MAJORS[name!]);
    }
  });

  it('only calls npm scripts that exist', () => {
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
    for (const [, name] of read(file).matchAll(/npm run ([\w:-]+)/g)) expect(scripts).toContain(name);
  });

  it('gives its jobs only read access unless a job asks for more', () => {
    expect(parse(read(file)).permissions).toEqual({ contents: 'read' });
  });
});

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

  it('checks, tests, builds, verifies and compares with the live site, in that order', () => {
    const runs = jobs.verify!.steps.flatMap((s) => (s.run ? s.run.trim().split('\n') : [])).filter((l) => l.startsWith('npm '));
    expect(runs).toEqual([
      'npm ci',
      'npm run check:content',
      'npm test',
      'npm run build',
      'npm run verify',
      'npm run manifest -- --dist dist --live "$SITE_URL"',
    ]);
  });

  it('runs the test suite only for code no earlier run has tested, and records a pass', () => {
    const steps = jobs.verify!.steps;
    const at = (pred: (s: Step) => boolean) => steps.findIndex(pred);
    const lookup = steps[at((s) => s.id === 'tested')]!;
    expect(lookup.uses).toBe('actions/cache/restore@v5');
    expect(lookup.with).toEqual({ path: '.tests-passed', key: 'tests-passed-${{ steps.code.outputs.key }}', 'lookup-only': true });
    const test = at((s) => s.run === 'npm test');
    const save = at((s) => s.uses === 'actions/cache/save@v5');
    expect(steps[test]!.if).toBe("steps.tested.outputs.cache-hit != 'true'");
    // Saved only after the tests passed (a failed step stops the job), under the same key.
    expect(save).toBeGreaterThan(test);
    expect(steps[save]!.with).toEqual({ path: '.tests-passed', key: lookup.with!.key });
    expect(steps[save]!.if).toBe(steps[test]!.if);
  });

  it('keys the test record by every tracked file but content/, so a content-only commit reuses it', () => {
    const step = jobs.verify!.steps.find((s) => s.id === 'code')!;
    const repo = join(TMP, 'code-key-repo');
    rmSync(repo, { recursive: true, force: true });
    mkdirSync(join(repo, 'content/articles'), { recursive: true });
    mkdirSync(join(repo, 'src'), { recursive: true });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd: repo, encoding: 'utf8' });
    const commit = (files: Record<string, string>) => {
      for (const [f, t] of Object.entries(files)) writeFileSync(join(repo, f), t);
      git('add', '-A');
      git('commit', '-qm', 'x');
      const out = join(repo, '..', 'code-key-output');
      writeFileSync(out, '');
      execFileSync('bash', ['-e', '-c', step.run!], { cwd: repo, env: { ...process.env, GITHUB_OUTPUT: out } });
      const key = /^key=([0-9a-f]{64})$/m.exec(readFileSync(out, 'utf8'))?.[1];
      expect(key).toBeDefined();
      return key!;
    };
    git('init', '-q');
    const first = commit({ 'content/articles/a.md': 'story', 'src/page.ts': 'code', 'package-lock.json': '{}' });
    expect(commit({ 'content/articles/a.md': 'story, edited', 'content/articles/b.md': 'new story' })).toBe(first);
    const code = commit({ 'src/page.ts': 'code, changed' });
    expect(code).not.toBe(first);
    expect(commit({ 'package-lock.json': '{"lockfileVersion":3}' })).not.toBe(code);
    // The same line as tests.yml's paths-ignore: content/ is the one folder that is not code.
    expect(load('.github/workflows/tests.yml').on.pull_request?.['paths-ignore']).toEqual(['content/**']);
    expect(step.run).toContain(String.raw`grep -v -P '\tcontent/'`);
  });

  it('deploys only when the built site differs from the live one', () => {
    expect(jobs.verify!.outputs).toEqual({ deploy: '${{ steps.live.outputs.deploy }}' });
    expect(jobs.verify!.steps.find((s) => s.id === 'live')!.run).toMatch(/^npm run manifest -- --dist dist --live/);
    expect(jobs.deploy!.if).toBe("github.ref == 'refs/heads/main' && needs.verify.outputs.deploy == 'true'");
  });

  it('deploys only after everything before it passed, the verified files, on main', () => {
    const deploy = jobs.deploy!;
    expect(deploy.needs).toEqual(['verify']);
    expect(deploy.if).toMatch(/^github\.ref == 'refs\/heads\/main' && /);
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
    for (const code of [
      'package-lock.json',
      'astro.config.mjs',
      'src/schemas/**',
      'src/markdown/**',
      'src/outputs/share-cards/**',
      'src/images/**',
    ])
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

  it('documents every secret and variable the workflows read in docs/publishing.md', () => {
    const docs = readFileSync(`${ROOT}docs/publishing.md`, 'utf8');
    const names = WORKFLOWS.flatMap((f) => [...read(f).matchAll(/\$\{\{\s*(secrets|vars)\.(\w+)\s*\}\}/g)].map((m) => m[2]!));
    expect(names.length).toBeGreaterThan(5);
    for (const name of new Set(names)) expect(docs, `${name} is not documented`).toContain(`\`${name}\``);
  });
});

/**
 * GitHub's documented path-filter semantics: patterns are globs where `*` stops at `/` and `**`
 * crosses it, dot files match, later `!` patterns re-include; with `paths-ignore` the workflow is
 * skipped only when every changed file is ignored, with `paths` it runs when any file matches.
 */
function runsFor(filter: { paths?: string[]; 'paths-ignore'?: string[] }, changed: string[]): boolean {
  const matches = (patterns: string[], file: string) =>
    patterns.reduce(
      (hit, p) => (p.startsWith('!') ? hit && !minimatch(file, p.slice(1), { dot: true }) : hit || minimatch(file, p, { dot: true })),
      false,
    );
  if (filter['paths-ignore']) return changed.some((f) => !matches(filter['paths-ignore']!, f));
  if (filter.paths) return changed.some((f) => matches(filter.paths!, f));
  return true;
}

describe('the tests workflow', () => {
  const tests = load('.github/workflows/tests.yml');
  const filter = tests.on.pull_request!;

  it.each([
    ['a new story', ['content/articles/2026/council-vote.md'], false],
    [
      'a story with its photo, in a nested folder with spaces',
      ['content/articles/2026/11/Big Story/photo.jpg', 'content/articles/2026/11/Big Story/story.md'],
      false,
    ],
    ['a station and an author', ['content/stations/kxpr.yaml', 'content/authors/ada.yaml'], false],
    ['a story and a page template', ['content/articles/2026/a.md', 'src/pages/[...page].astro'], true],
    ['only the lock file', ['package-lock.json'], true],
    ['only the docs (tests check them)', ['docs/publishing.md'], true],
    ['a workflow', ['.github/workflows/publish.yml'], true],
    ['a test fixture story (tests/fixtures/content/, not content/)', ['tests/fixtures/content/articles/2026/x.md'], true],
    ['a file named like the folder at the top', ['content.md'], true],
  ])('%s: runs %s', (_case, changed, expected) => {
    expect(runsFor(filter, changed)).toBe(expected);
  });

  it('runs the whole suite: lint, type check, unit, build and browser tests', () => {
    const runs = tests.jobs.test!.steps.flatMap((s) => (s.run ? [s.run.trim()] : []));
    expect(runs).toEqual(['npm ci', 'npm run lint', 'npm run check', 'npm test']);
  });
});

describe('the pull-request workflow', () => {
  const pr = load('.github/workflows/pull-request.yml');
  const check = pr.jobs.check!;

  it('runs on every pull request to main, with no path filter: content is what it checks', () => {
    expect(pr.on.pull_request).toEqual({ branches: ['main'] });
  });

  it('checks the stories as annotations with a summary, then builds and verifies', () => {
    const runs = check.steps.flatMap((s) => (s.run ? s.run.trim().split('\n') : [])).filter((l) => l.startsWith('npm '));
    expect(runs).toEqual([
      'npm ci',
      'npm run check:content -- --format github --changed "$RUNNER_TEMP/changed.txt" --summary "$GITHUB_STEP_SUMMARY"',
      'npm run build',
      'npm run verify',
    ]);
    const diff = check.steps.findIndex((s) =>
      s.run?.includes('git diff --name-only "origin/$BASE_REF...HEAD" > "$RUNNER_TEMP/changed.txt"'),
    );
    expect(diff).toBeGreaterThan(-1);
    expect(check.steps[0]!.with).toMatchObject({ 'fetch-depth': 0 });
  });

  it('deploys a preview only after the checks passed, built with drafts and noindex, and links it on the pull request', () => {
    const preview = pr.jobs.preview!;
    expect(preview.needs).toEqual(['check']);
    expect(preview.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(preview.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'id-token': 'write' });
    const build = preview.steps.find((s) => s.run === 'npm run build');
    expect(build?.env).toEqual({ MASTHEAD_PREVIEW: '1', MASTHEAD_HOST: '${{ vars.DEPLOY_TARGET }}' });
    for (const target of ['cloudflare-pages', 'netlify', 's3']) {
      const deploy = preview.steps.find((s) => s.if === `vars.DEPLOY_TARGET == '${target}'` && s.run);
      expect(deploy?.run, target).toMatch(/pr-\$PR_NUMBER/);
      // Never the production deploy.
      expect(deploy?.run).not.toMatch(/--prod\b|--branch main/);
    }
    const comment = preview.steps.find((s) => s.run?.includes('--preview-url'));
    expect(comment?.run).toContain('--summary "$RUNNER_TEMP/comment.md"');
    expect(preview.steps.at(-1)!.uses).toBe('actions/github-script@v8');
  });
});

describe('the sharded publish workflow', () => {
  const sharded = load('.github/workflows/publish-sharded.yml');
  const j = sharded.jobs;
  const runs = (job: Job) => job.steps.flatMap((s) => (s.run ? s.run.trim().split('\n') : [])).filter((l) => l.startsWith('npm '));

  it('plans, builds the shards as a matrix, assembles, verifies and compares, then deploys through deploy.yml', () => {
    expect(Object.keys(j)).toEqual(['plan', 'shard', 'assemble', 'deploy']);
    expect(runs(j.plan!)).toEqual(['npm ci', 'npm run check:content', 'npm run shards -- plan --github-output "$GITHUB_OUTPUT"']);
    expect(j.shard!.needs).toEqual(['plan']);
    expect(j.shard!.strategy!.matrix).toEqual({ include: '${{ fromJSON(needs.plan.outputs.shards) }}' });
    expect(runs(j.shard!)).toEqual(['npm ci', 'npm run build:shard -- "$SHARD"']);
    expect(j.assemble!.needs).toEqual(['plan', 'shard']);
    expect(runs(j.assemble!)).toEqual([
      'npm ci',
      'npm run assemble',
      'npm run verify',
      'npm run manifest -- --dist dist --live "$SITE_URL"',
    ]);
    expect(j.deploy!.needs).toEqual(['assemble']);
    expect(j.deploy!.uses).toBe('./.github/workflows/deploy.yml');
    expect(j.deploy!.if).toContain("needs.assemble.outputs.deploy == 'true'");
  });

  it('keeps each shard in the cache under its planned key, and builds it only on a miss', () => {
    const steps = j.shard!.steps;
    const restore = steps.find((s) => s.id === 'kept')!;
    const save = steps.find((s) => s.uses === 'actions/cache/save@v5')!;
    expect(restore.with!.key).toBe('shard-${{ matrix.shard }}-${{ matrix.key }}');
    expect(save.with!.key).toBe(restore.with!.key);
    expect(save.with!.path).toBe('.shards/${{ matrix.shard }}');
    for (const s of steps.filter((s) => s.run || s.uses?.startsWith('actions/cache/save')))
      expect(s.if, s.name ?? s.run).toBe("steps.kept.outputs.cache-hit != 'true'");
    // Every shard, built or restored, reaches the assemble job.
    expect(steps.at(-1)!.uses).toBe('actions/upload-artifact@v7');
    expect(steps.at(-1)!.if).toBeUndefined();
  });

  it("gives every job the plan job's clock, so they agree on which years are closed", () => {
    expect(j.plan!.steps.find((s) => s.id === 'plan')!.env).toEqual({ SOURCE_DATE_EPOCH: '${{ steps.clock.outputs.epoch }}' });
    for (const name of ['shard', 'assemble'])
      expect((j[name] as Job & { env: Record<string, string> }).env.SOURCE_DATE_EPOCH).toBe('${{ needs.plan.outputs.epoch }}');
  });

  it('deploys with the same steps as publish.yml', () => {
    const deploy = load('.github/workflows/deploy.yml');
    expect(deploy.on).toEqual({ workflow_call: null });
    expect(deploy.jobs.deploy!.steps).toEqual(jobs.deploy!.steps);
  });
});

describe('the host a build writes _headers for', () => {
  it('is the deploy target: every step that builds the site or verifies it gets MASTHEAD_HOST from DEPLOY_TARGET', () => {
    let steps = 0;
    for (const file of WORKFLOWS) {
      for (const job of Object.values(load(file).jobs)) {
        for (const step of job.steps ?? []) {
          if (!/^npm run (build|assemble|verify)$/.test(step.run ?? '')) continue;
          steps++;
          expect(step.env?.MASTHEAD_HOST, `${file}: ${step.run}`).toBe('${{ vars.DEPLOY_TARGET }}');
        }
      }
    }
    expect(steps).toBeGreaterThanOrEqual(7);
  });
});

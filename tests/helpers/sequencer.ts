import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Typical seconds per file, for files over about 5 s (a full `npm test` on this 2-core machine,
 * 2026-12-03 22:27 UTC, as its reporter printed them). Only the order they give matters, not the figures.
 */
export const TYPICAL_SECONDS: Readonly<Record<string, number>> = {
  'tests/content/sharded-build.test.ts': 201,
  'tests/build/incremental.test.ts': 71,
  'tests/e2e/keyboard.test.ts': 55,
  'tests/e2e/a11y.test.ts': 50,
  'tests/content/import.test.ts': 47,
  'tests/build/news-sitemap.test.ts': 43,
  'tests/e2e/page-load.test.ts': 43,
  'tests/security/hostile.test.ts': 42,
  'tests/e2e/web-editor.test.ts': 40,
  'tests/build/photo-cdn.test.ts': 39,
  'tests/content/malformed.test.ts': 37,
  'tests/content/preview-build.test.ts': 37,
  'tests/build/verify.test.ts': 33,
  'tests/e2e/player.test.ts': 31,
  'tests/e2e/search.test.ts': 31,
  'tests/content/new-article.test.ts': 25,
  'tests/content/escaping.test.ts': 23,
  'tests/content/check-content-cache.test.ts': 22,
  'tests/build/reproducible.test.ts': 21,
  'tests/e2e/search-window.test.ts': 20,
  'tests/security/verify-hostile.test.ts': 18,
  'tests/build/publish-s3.test.ts': 17,
  'tests/unit/web-editor-hosts.test.ts': 17,
  'tests/e2e/csp.test.ts': 16,
  'tests/unit/cli-args.test.ts': 15,
  'tests/e2e/article.test.ts': 10,
  'tests/unit/github-format.test.ts': 9,
  'tests/build/search-and-images.test.ts': 8,
};

/**
 * Longest files first within each group (`sequence.groupOrder`), whichever project they belong
 * to. Two workers share the build and browser files; a 150 s file that starts last leaves one
 * core idle for most of its run. Vitest's own sequencer orders by its record of the last run
 * when it has one, else by file size, and runs one project's files before the next project's:
 * on a clean clone (CI) the sharded build, a small file, started after all the larger ones.
 * Here a file's time is vitest's record when it has one, else the table above; file size last.
 */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const expected = new Map(
      files.map((spec) => {
        const recorded = this.ctx.cache.getTestSpecificationResult(spec)?.duration;
        const typical = TYPICAL_SECONDS[relative(root, spec.moduleId)];
        return [spec, recorded ?? (typical === undefined ? 0 : typical * 1000)] as const;
      }),
    );
    const size = (spec: TestSpecification) => statSync(spec.moduleId, { throwIfNoEntry: false })?.size ?? 0;
    return [...files].sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
        expected.get(b)! - expected.get(a)! ||
        size(b) - size(a),
    );
  }
}

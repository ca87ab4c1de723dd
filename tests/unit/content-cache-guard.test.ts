import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineDigest } from '../../src/integrations/content-cache-guard';

describe('pipelineDigest', () => {
  it('changes when a schema or Markdown plugin changes, not when content does', () => {
    const root = mkdtempSync(join(tmpdir(), 'mh-digest-'));
    mkdirSync(join(root, 'src/schemas'), { recursive: true });
    mkdirSync(join(root, 'src/markdown'), { recursive: true });
    mkdirSync(join(root, 'content'), { recursive: true });
    writeFileSync(join(root, 'src/content.config.ts'), 'config');
    writeFileSync(join(root, 'src/schemas/article.ts'), 'v1');
    writeFileSync(join(root, 'src/markdown/dateline.ts'), 'p1');
    const first = pipelineDigest(root);

    writeFileSync(join(root, 'content/story.md'), 'an edit to content');
    expect(pipelineDigest(root)).toBe(first);

    writeFileSync(join(root, 'src/schemas/article.ts'), 'v2');
    const second = pipelineDigest(root);
    expect(second).not.toBe(first);

    writeFileSync(join(root, 'src/markdown/dateline.ts'), 'p2');
    expect(pipelineDigest(root)).not.toBe(second);
  });
});

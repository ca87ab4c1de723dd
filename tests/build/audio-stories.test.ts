import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles, loadPage } from '../helpers/dist';
import { ROOT, SITES } from '../helpers/sites';
import { all, attr, one, text, the } from '../helpers/html';

const dist = SITES.fixtures.outDir;
const STORY = '/news/2026/11/17/audio-story-with-transcript/';
const SOURCE = `${ROOT}tests/fixtures/content/articles/2026/Council Budget Segment.wav`;

describe('an audio story', () => {
  it('publishes the file beside the story under its content hash, byte for byte', () => {
    const bytes = readFileSync(SOURCE);
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
    const published = join(dist, 'audio', hash, 'council-budget-segment.wav');
    expect(readFileSync(published).equals(bytes)).toBe(true);
  });

  it('plays on the page with its title, running time and a download link', () => {
    const $ = loadPage(dist, STORY);
    const block = the($, 'article [data-audio-story]');
    expect(text(all(block, 'h2'))).toBe('Council passes the budget, 5–2');
    expect(attr(one(block, 'time'), 'datetime')).toBe('PT3S');
    expect(text(all(block, 'time'))).toBe('0:03');
    const audio = the(block, 'audio[data-story-audio]');
    expect(attr(audio, 'controls')).toBeDefined();
    expect(attr(audio, 'preload')).toBe('none');
    expect(attr(audio, 'aria-labelledby')).toBe(attr(one(block, 'h2'), 'id'));
    const src = attr(audio, 'src')!;
    expect(src).toMatch(/^\/audio\/[0-9a-f]{12}\/council-budget-segment\.wav$/);
    expect(listFiles(dist)).toContain(src.slice(1));
    expect(attr(one(block, 'a[download]'), 'href')).toBe(src);
    expect(text(all(block, 'a[download]'))).toBe('Download (WAV, 46.9 KB)');
    expect(text(all(block, 'a[href="#transcript"]'))).toBe('Read the transcript');
  });

  it('has the transcript as text on the page (WCAG 1.2.1), speaker by speaker', () => {
    const $ = loadPage(dist, STORY);
    const transcript = the($, 'article section#transcript');
    expect(text(all(transcript, 'h2'))).toBe('Transcript');
    expect(all(transcript, 'p').map((p) => text(p))).toEqual([
      'ADA REPORTER, BYLINE: The vote came just after midnight.',
      'COUNCIL MEMBER: The motion carries, five to two.',
      "ADA REPORTER: The budget trims the library's hours but keeps every branch open.",
    ]);
    expect(text(one(transcript, '.speaker'))).toBe('ADA REPORTER, BYLINE:');
  });

  it('stories without audio have neither block', () => {
    const $ = loadPage(dist, '/news/2026/11/20/local-story-with-photo/');
    expect(all($, '[data-audio-story]').length).toBe(0);
    expect(all($, '#transcript').length).toBe(0);
  });

  it("never publishes a draft's audio", () => {
    const secret = createHash('sha256')
      .update(readFileSync(`${ROOT}tests/fixtures/content/articles/2026/draft-audio-secret.wav`))
      .digest('hex')
      .slice(0, 12);
    const audioFiles = listFiles(dist).filter((f) => f.startsWith('audio/'));
    expect(audioFiles).toHaveLength(1);
    expect(audioFiles.join()).not.toContain(secret);
    expect(audioFiles.join()).not.toContain('draft-audio-secret');
  });
});

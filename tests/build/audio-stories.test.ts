import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles, loadPage } from '../helpers/dist';
import { ROOT, SITES } from '../helpers/sites';

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
    const block = $('article [data-audio-story]');
    expect(block.find('h2').text()).toBe('Council passes the budget, 5–2');
    expect(block.find('time').attr('datetime')).toBe('PT3S');
    expect(block.find('time').text()).toBe('0:03');
    const audio = block.find('audio[data-story-audio]');
    expect(audio.attr('controls')).toBeDefined();
    expect(audio.attr('preload')).toBe('none');
    expect(audio.attr('aria-labelledby')).toBe(block.find('h2').attr('id'));
    const src = audio.attr('src')!;
    expect(src).toMatch(/^\/audio\/[0-9a-f]{12}\/council-budget-segment\.wav$/);
    expect(listFiles(dist)).toContain(src.slice(1));
    expect(block.find('a[download]').attr('href')).toBe(src);
    expect(block.find('a[download]').text()).toBe('Download (WAV, 46.9 KB)');
    expect(block.find('a[href="#transcript"]').text()).toBe('Read the transcript');
  });

  it('has the transcript as text on the page (WCAG 1.2.1), speaker by speaker', () => {
    const $ = loadPage(dist, STORY);
    const transcript = $('article section#transcript');
    expect(transcript.find('h2').text()).toBe('Transcript');
    expect(
      transcript
        .find('p')
        .map((_, p) => $(p).text())
        .get(),
    ).toEqual([
      'ADA REPORTER, BYLINE: The vote came just after midnight.',
      'COUNCIL MEMBER: The motion carries, five to two.',
      "ADA REPORTER: The budget trims the library's hours but keeps every branch open.",
    ]);
    expect(transcript.find('.speaker').first().text()).toBe('ADA REPORTER, BYLINE:');
  });

  it('stories without audio have neither block', () => {
    const $ = loadPage(dist, '/news/2026/11/20/local-story-with-photo/');
    expect($('[data-audio-story]').length).toBe(0);
    expect($('#transcript').length).toBe(0);
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

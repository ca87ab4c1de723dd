import { z } from 'astro/zod';
import type { SchemaContext } from 'astro:content';
import { describe, expect, it } from 'vitest';
import type { RawDates } from '../../src/content/raw-dates';
import { buildSiteIndex, ContentError, type ArticleEntry, type StationEntry } from '../../src/data/site-index';
import { articleSchema } from '../../src/schemas/article';
import {
  audioTypeForFile,
  durationSeconds,
  formatDuration,
  isoDuration,
  publishedAudioPath,
  transcriptParagraphs,
} from '../../src/lib/audio';

describe('audio helpers', () => {
  it('reads running times', () => {
    expect(durationSeconds('4:32')).toBe(272);
    expect(durationSeconds('1:02:03')).toBe(3723);
    expect(durationSeconds('75:30')).toBe(4530);
    expect(durationSeconds(12.5)).toBe(12.5);
  });

  it('writes running times for people and for <time datetime>', () => {
    expect(formatDuration(272)).toBe('4:32');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(3)).toBe('0:03');
    expect(isoDuration(272)).toBe('PT4M32S');
    expect(isoDuration(3600)).toBe('PT1H');
    expect(isoDuration(3)).toBe('PT3S');
    expect(isoDuration(0)).toBe('PT0S');
  });

  it('knows audio types by extension', () => {
    expect(audioTypeForFile('./segment.MP3')).toBe('audio/mpeg');
    expect(audioTypeForFile('a/b.m4a')).toBe('audio/mp4');
    expect(audioTypeForFile('./notes.txt')).toBeUndefined();
    expect(audioTypeForFile('./no-extension')).toBeUndefined();
  });

  it('publishes files under their content hash with a web-safe name', () => {
    expect(publishedAudioPath('fc902914816b', './Council Budget Segment.wav')).toBe('/audio/fc902914816b/council-budget-segment.wav');
    expect(publishedAudioPath('abc', '../audio/Ñandú Café (raw).mp3')).toBe('/audio/abc/nandu-cafe-raw.mp3');
    expect(publishedAudioPath('abc', './¿¿.MP3')).toBe('/audio/abc/audio.mp3');
    expect(publishedAudioPath('abc', 'C:\\audio\\take.2.final.m4a')).toBe('/audio/abc/take.2.final.m4a');
  });

  it('splits a transcript into paragraphs and speaker turns', () => {
    const text = 'STEVE INSKEEP, HOST: Good morning.\n\nThe vote came\nlate.\n\n\nMARY LOUISE KELLY: Thanks, Steve.';
    expect(transcriptParagraphs(text)).toEqual([
      { speaker: 'STEVE INSKEEP, HOST', text: 'Good morning.' },
      { text: 'The vote came late.' },
      { speaker: 'MARY LOUISE KELLY', text: 'Thanks, Steve.' },
    ]);
  });
});

// Outside Astro, `image()` has no file to resolve; a string stands in for it.
const article = articleSchema({ image: () => z.string() } as unknown as SchemaContext);
const story = { title: 'Council vote', dek: 'The vote.', byline: 'ada-reporter', station: 'kxpr', date: '2026-11-20T09:30:00-06:00' };
const audioIssues = (audio: unknown) => {
  const r = article.safeParse({ ...story, audio });
  return (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the audio field', () => {
  it('accepts a file beside the story with a running time', () => {
    const r = article.parse({ ...story, audio: { src: './segment.mp3', duration: '4:32', title: 'The vote', transcript: 'HOST: Hi.' } });
    expect(r.audio).toEqual({ src: './segment.mp3', duration: 272, title: 'The vote', transcript: 'HOST: Hi.' });
  });

  it('accepts a remote https file with its size and type', () => {
    expect(audioIssues({ src: 'https://media.example.org/a.mp3', duration: 90, length: 1_440_000, type: 'audio/mpeg' })).toEqual([]);
  });

  it.each([
    [
      { src: 'https://media.example.org/a.mp3', duration: 90 },
      ['length: is required for a remote file', 'type: is required for a remote file'],
    ],
    [
      { src: 'http://media.example.org/a.mp3', duration: 90, length: 1, type: 'audio/mpeg' },
      ['src: "http://media.example.org/a.mp3" uses http:, which is not allowed here; write an https:// URL'],
    ],
    [{ src: './a.mp3', duration: 90, length: 100 }, ['length: is measured from the local file; remove it']],
    [{ src: './a.mp3', duration: 90, type: 'audio/mpeg' }, ['type: comes from the local file name; remove it']],
    [{ src: './notes.txt', duration: 90 }, ['src: "./notes.txt" is not an audio file Masthead knows; use one of .mp3']],
    [{ src: '/media/a.mp3', duration: 90 }, ['src: must be relative to the story file']],
    [{ src: './a.mp3', duration: '4m32s' }, ['duration: must be the running time as "4:32"']],
    [{ src: './a.mp3' }, ['duration: must be the running time']],
    [{ src: './a.mp3', duration: 90, transcipt: 'typo' }, ['Unrecognized key: "transcipt"']],
  ])('rejects %j with a message that says how to fix it', (audio, expected) => {
    const got = audioIssues(audio);
    expect(got).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(got[i]).toContain(e));
  });
});

describe('audio in the site index', () => {
  const NOW = new Date('2026-11-25T12:00:00Z');
  const station = { id: 'kxpr', collection: 'stations', data: { name: 'KXPR', timezone: 'America/Chicago' } } as unknown as StationEntry;
  const entry = (id: string, audio: object, extra: object = {}) =>
    ({
      id,
      collection: 'articles',
      filePath: `content/articles/${id}.md`,
      data: { ...article.parse({ ...story, audio, ...extra }), byline: ['Guest Name'] },
    }) as unknown as ArticleEntry;
  const rawDates = (e: ArticleEntry): RawDates => ({ date: String(e.data.date), corrections: [] });
  const files: Record<string, { bytes: number; contentHash: string }> = {};
  const facts = (path: string) => {
    const f = files[path.slice(path.indexOf('content/'))];
    return f && { ...f, source: path };
  };
  const build = (articles: ArticleEntry[]) =>
    buildSiteIndex({
      articles,
      stations: [station],
      authors: [],
      now: NOW,
      rawDates,
      relatedCount: 2,
      audioFile: facts,
    });

  it('measures a local file and gives it a content-hashed URL', () => {
    files['content/articles/2026/Vote Night.mp3'] = { bytes: 4_350_000, contentHash: '0123456789ab' };
    const [a] = build([entry('2026/vote', { src: './Vote Night.mp3', duration: '4:32', title: 'Vote night' })]).articles;
    expect(a!.audio).toEqual({
      url: '/audio/0123456789ab/vote-night.mp3',
      length: 4_350_000,
      type: 'audio/mpeg',
      durationSeconds: 272,
      title: 'Vote night',
    });
  });

  it('passes a remote file through with the size and type the editor gave', () => {
    const [a] = build([
      entry('2026/remote', { src: 'https://media.example.org/a.mp3', duration: 90, length: 1000, type: 'audio/mpeg' }),
    ]).articles;
    expect(a!.audio).toEqual({ url: 'https://media.example.org/a.mp3', length: 1000, type: 'audio/mpeg', durationSeconds: 90 });
  });

  it("lists each published local file once, and never a draft's", () => {
    files['content/articles/2026/shared.mp3'] = { bytes: 10, contentHash: 'aaaaaaaaaaaa' };
    files['content/articles/2026/secret.mp3'] = { bytes: 10, contentHash: 'bbbbbbbbbbbb' };
    const index = build([
      entry('2026/one', { src: './shared.mp3', duration: 1 }),
      entry('2026/two', { src: './shared.mp3', duration: 1 }),
      entry('2026/draft', { src: './secret.mp3', duration: 1 }, { draft: true }),
    ]);
    expect(index.audioFiles.map((f) => f.path)).toEqual(['/audio/aaaaaaaaaaaa/shared.mp3']);
    expect(index.audioFiles[0]!.source).toMatch(/content\/articles\/2026\/shared\.mp3$/);
  });

  it('names the story and the field when the file is missing', () => {
    try {
      build([entry('2026/missing', { src: './nowhere.mp3', duration: 1 })]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ContentError);
      expect((e as ContentError).message).toMatch(
        /content\/articles\/2026\/missing\.md: audio\.src: \.\/nowhere\.mp3 was not found beside the story \(looked for .*content\/articles\/2026\/nowhere\.mp3\)/,
      );
    }
  });

  it('names the story and the field when the data layer refuses a file (outside content/, too big)', () => {
    const refusing = () =>
      buildSiteIndex({
        articles: [entry('2026/linked', { src: './linked.mp3', duration: 1 })],
        stations: [station],
        authors: [],
        now: NOW,
        rawDates,
        relatedCount: 2,
        audioFile: () => ({ refused: { message: 'is a link that leads outside the content folder', hint: 'copy the file' } }),
      });
    expect(refusing).toThrow(
      /content\/articles\/2026\/linked\.md: audio\.src: \.\/linked\.mp3 is a link that leads outside the content folder \(copy the file\)/,
    );
  });
});

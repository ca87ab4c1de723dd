import { z } from 'astro/zod';
import type { SchemaContext } from 'astro:content';
import { AUDIO_TYPES, audioTypeForFile, durationSeconds } from '../lib/audio.ts';
import { ALIAS_HINT, aliasGrammarProblem } from '../lib/alias-path.ts';
import { webUrlProblem } from '../lib/web-url.ts';
import { MAX_SLUG_CHARS, MAX_TAGS } from '../content/limits.ts';
import { editorDate, fileId, httpUrl } from './common.ts';

const RUNNING_TIME = 'must be the running time as "4:32" or "1:02:03", or a number of seconds';

/** An audio segment of the story: a file beside the article (published with the site) or a
 * remote https file, whose size and type must then be given because the build cannot see it. */
const audioSchema = z
  .strictObject({
    src: z.string().trim().min(1, { error: 'is required: a file beside the story (./segment.mp3) or an https:// URL' }),
    duration: z
      .union([z.number().positive(), z.string().regex(/^\d+:[0-5]\d(?::[0-5]\d)?$/, { error: RUNNING_TIME })], { error: RUNNING_TIME })
      .transform(durationSeconds)
      .meta({ cms: { widget: 'string' } }),
    title: z.string().trim().min(1).max(140).optional(),
    /** The words of the segment (WCAG 1.2.1). Blank lines separate paragraphs; "NAME:" opens a speaker's turn. */
    transcript: z.string().trim().min(1).meta({ cms: { widget: 'text' } }).optional(),
    /** Size in bytes; only for a remote `src` (a local file is measured). */
    length: z.number().int().positive().optional(),
    /** MIME type such as audio/mpeg; only for a remote `src`. */
    type: z
      .string()
      .regex(/^audio\/[\w.+-]+$/, { error: 'must be an audio MIME type such as audio/mpeg' })
      .optional(),
  })
  .superRefine((a, ctx) => {
    const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    if (/^[a-z][a-z0-9+.-]*:/i.test(a.src)) {
      // Parsed as browsers parse it: https only (browsers block http audio on https pages), and a plain host.
      const problem = webUrlProblem(a.src, { schemes: ['https:'] });
      if (problem) issue('src', `${problem}, or a file beside the story`);
      if (a.length === undefined) issue('length', 'is required for a remote file: its size in bytes (podcast apps need it)');
      if (a.type === undefined) issue('type', 'is required for a remote file: its MIME type, e.g. audio/mpeg');
      return;
    }
    if (a.src.startsWith('/')) issue('src', 'must be relative to the story file, e.g. ./segment.mp3, or an https:// URL');
    else if (!audioTypeForFile(a.src)) {
      issue('src', `"${a.src}" is not an audio file Masthead knows; use one of .${Object.keys(AUDIO_TYPES).join(', .')}`);
    }
    if (a.length !== undefined) issue('length', 'is measured from the local file; remove it');
    if (a.type !== undefined) issue('type', 'comes from the local file name; remove it');
  });

/** A byline entry: an author id (`ada-lovelace`) or a guest's plain name (`Bill Chappell`). */
const bylineName = z.string().trim().min(1).max(80);

// Astro calls the schema function once per entry (it needs `image()` from that entry's context),
// so every field that does not need the context is built once, here: building them all per entry
// cost 0.26 ms an entry (2.6 s of CPU at 10,000 stories).
const fields = {
  title: z
    .string()
    .trim()
    .min(1, { error: 'is required' })
    .max(140, { error: 'must be 140 characters or fewer' })
    .meta({ title: 'Headline' }),
  dek: z
    .string()
    .trim()
    .min(1, { error: 'is required' })
    .max(300, { error: 'must be 300 characters or fewer' })
    .meta({ title: 'Dek (summary)', cms: { widget: 'text' } }),
  byline: z
    .union([bylineName, z.array(bylineName).min(1)])
    .transform((b) => (Array.isArray(b) ? b : [b]))
    // The web editor picks known authors; a guest's plain name is still written in the file.
    .meta({ cms: { relation: 'authors' } }),
  dateline: z.string().trim().min(1).max(80).optional(),
  station: fileId.meta({ cms: { relation: 'stations' } }),
  copyright: z.string().trim().min(1).max(120).optional(),
  source: z.strictObject({ name: z.string().min(1), url: httpUrl }).optional(),
  date: editorDate,
  updated: editorDate.optional(),
  tags: z
    // A tag is free text (a new one makes a new topic page); the editor offers the existing topics.
    .array(z.string().trim().min(1).max(40).meta({ cms: { widget: 'topic' } }))
    .max(MAX_TAGS, { error: `must list at most ${MAX_TAGS} tags; each tag builds a topic page` })
    .default([]),
  audio: audioSchema.optional(),
  corrections: z
    .array(z.strictObject({ date: editorDate, text: z.string().trim().min(1).meta({ cms: { widget: 'text' } }) }))
    .default([]),
  draft: z.boolean().default(false),
  /** Old URL paths of this story (after a slug or date change); each redirects to the permalink.
   * The grammar is `aliasGrammarProblem`'s; what an alias may not take over is checked across files. */
  aliases: z
    .array(
      z.string().superRefine((path, ctx) => {
        const problem = aliasGrammarProblem(path);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { hint: ALIAS_HINT } });
      }),
    )
    .default([])
    .meta({ title: 'Old addresses (advanced)', cms: { advanced: true } }),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'must be lowercase words joined by hyphens, e.g. city-council-vote' })
    .max(MAX_SLUG_CHARS, { error: `must be ${MAX_SLUG_CHARS} characters or fewer` })
    .optional(),
};
const photoAlt = z.string().trim().min(1, { error: 'is required: describe the photo for readers who cannot see it' });
const photoCredit = z.string().trim().min(1, { error: 'is required: name the photographer and outlet' });
const photoCaption = z.string().trim().min(1).optional();

export const articleSchema = ({ image }: SchemaContext) =>
  z.strictObject({
    ...fields,
    image: z.strictObject({ src: image(), alt: photoAlt, credit: photoCredit, caption: photoCaption }).optional(),
  });

import { z } from 'astro/zod';
import type { SchemaContext } from 'astro:content';
import { editorDate, fileId, httpUrl } from './common';

/** A byline entry: an author id (`ada-lovelace`) or a guest's plain name (`Bill Chappell`). */
const bylineName = z.string().trim().min(1).max(80);

export const articleSchema = ({ image }: SchemaContext) =>
  z.strictObject({
    title: z.string().trim().min(1, { error: 'is required' }).max(140, { error: 'must be 140 characters or fewer' }),
    dek: z.string().trim().min(1, { error: 'is required' }).max(300, { error: 'must be 300 characters or fewer' }),
    byline: z.union([bylineName, z.array(bylineName).min(1)]).transform((b) => (Array.isArray(b) ? b : [b])),
    dateline: z.string().trim().min(1).max(80).optional(),
    station: fileId,
    copyright: z.string().trim().min(1).max(120).optional(),
    source: z.strictObject({ name: z.string().min(1), url: httpUrl }).optional(),
    date: editorDate,
    updated: editorDate.optional(),
    tags: z.array(z.string().trim().min(1).max(40)).default([]),
    image: z
      .strictObject({
        src: image(),
        alt: z.string().trim().min(1, { error: 'is required: describe the photo for readers who cannot see it' }),
        credit: z.string().trim().min(1, { error: 'is required: name the photographer and outlet' }),
        caption: z.string().trim().min(1).optional(),
      })
      .optional(),
    corrections: z.array(z.strictObject({ date: editorDate, text: z.string().trim().min(1) })).default([]),
    draft: z.boolean().default(false),
    /** Old URL paths of this story (after a slug or date change); each redirects to the permalink. */
    aliases: z
      .array(
        z
          .string()
          .regex(/^\/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*$/, { error: 'must be a site path starting with /, e.g. /news/2026/11/20/old-slug/' })
          .refine((p) => !p.split('/').includes('..'), { error: 'must not contain ".." segments' }),
      )
      .default([]),
    slug: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'must be lowercase words joined by hyphens, e.g. city-council-vote' })
      .optional(),
  });

import { z } from 'astro/zod';
import type { SchemaContext } from 'astro:content';
import { httpUrl } from './common';

export const authorSchema = ({ image }: SchemaContext) =>
  z.strictObject({
    name: z.string().min(1).max(80),
    title: z.string().min(1).max(120),
    bio: z.string().min(1).max(600).meta({ cms: { widget: 'text' } }),
    /** Relative to the author file, like article images. */
    photo: image().optional(),
    links: z.array(z.strictObject({ label: z.string().min(1), url: httpUrl })).default([]),
  });

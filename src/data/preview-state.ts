import { formatDateTime } from '../lib/dates';

/**
 * What a preview says about a story readers cannot see yet: "Draft: not published" or
 * "Scheduled for <date and time in its station's zone>". Undefined for a published story, and
 * always undefined outside a preview (`shows` is false), so production never carries a mark.
 */
export function previewState(
  story: { isDraft: boolean; publishedAt: Date; timeZone: string },
  { now, lang, shows }: { now: Date; lang: string; shows: boolean },
): string | undefined {
  if (!shows) return undefined;
  if (story.isDraft) return 'Draft: not published';
  if (story.publishedAt.getTime() > now.getTime()) return `Scheduled for ${formatDateTime(story.publishedAt, story.timeZone, lang)}`;
  return undefined;
}

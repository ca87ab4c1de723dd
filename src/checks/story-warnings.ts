import type { FieldPath } from '../content/frontmatter';
import { PLACEHOLDER_BODY, PLACEHOLDER_DEK } from '../content/new-story';
import { formatDateTime } from '../lib/dates';
import { slugFromPath } from '../lib/slug';
import type { ContentProblem } from '../content/problems';
import type { Passed } from './passed-fields';
import type { Problem } from './report';
import type { ArticleData, StoryEntry } from './story';

/** Warn past these: search engines cut longer headlines, and long deks crowd cards. */
export const HEADLINE_WARN_CHARS = 110;
export const DEK_WARN_CHARS = 200;

export interface StoryFacts {
  /** The file's path under articles/, without `.md`. */
  id: string;
  data: Passed<ArticleData>;
  failed: ReadonlySet<string>;
  body: string;
  /** The line the body starts on. */
  bodyLine: number;
  lineOf(path: FieldPath): number | undefined;
}

interface Warning {
  /** The fields it reads: when one failed its schema, the warning would be a guess, so it is skipped. */
  reads: readonly (keyof ArticleData)[];
  check(s: StoryFacts): Omit<Problem, 'severity'> | undefined;
}

/** The slug the build gives a file name (`Café & Bar` → `cafe-and-bar`), when it differs from the name. */
function slugMismatch(id: string): string | undefined {
  const base = id.slice(id.lastIndexOf('/') + 1);
  const slug = slugFromPath(id);
  return slug && slug !== base ? slug : undefined;
}

/** What an editor should look at before publishing; none of it stops a build. */
const WARNINGS: Warning[] = [
  {
    reads: [],
    check: ({ body, bodyLine }) =>
      body.trim()
        ? undefined
        : { field: 'body', line: bodyLine, message: 'the story has no text', hint: 'write the story below the closing ---' },
  },
  {
    reads: ['title'],
    check: ({ data: { title }, lineOf }) =>
      title !== undefined && title.length > HEADLINE_WARN_CHARS
        ? {
            field: 'title',
            line: lineOf(['title']),
            message: `is ${title.length} characters; search engines cut headlines after about ${HEADLINE_WARN_CHARS}`,
            hint: 'shorten it',
          }
        : undefined,
  },
  {
    reads: ['dek'],
    check: ({ data: { dek }, lineOf }) =>
      dek !== undefined && dek.length > DEK_WARN_CHARS
        ? {
            field: 'dek',
            line: lineOf(['dek']),
            message: `is ${dek.length} characters; keep it under ${DEK_WARN_CHARS}`,
            hint: 'one or two sentences',
          }
        : undefined,
  },
  {
    reads: ['draft', 'dek'],
    check: ({ data, lineOf }) =>
      data.draft === false && data.dek === PLACEHOLDER_DEK
        ? {
            field: 'dek',
            line: lineOf(['dek']),
            message: 'still has the placeholder from npm run new',
            hint: 'sum up the story in one or two sentences',
          }
        : undefined,
  },
  {
    reads: ['draft'],
    check: ({ data, body, bodyLine }) =>
      data.draft === false && body.includes(PLACEHOLDER_BODY)
        ? {
            field: 'body',
            line: bodyLine + body.slice(0, body.indexOf(PLACEHOLDER_BODY)).split('\n').length - 1,
            message: 'still has the placeholder from npm run new',
            hint: 'write the story',
          }
        : undefined,
  },
  {
    reads: ['slug'],
    check: ({ data, id }) => {
      const slug = data.slug ? undefined : slugMismatch(id);
      return slug
        ? { field: 'file', message: 'the file name has capitals, spaces or accents', hint: `rename it to ${slug}.md, or set slug:` }
        : undefined;
    },
  },
];

/** The warnings for one story, skipping those that read a field that failed. */
export function storyWarnings(facts: StoryFacts): Problem[] {
  return keptWarnings(warningCandidates(facts), facts.failed);
}

const NONE: ReadonlySet<string> = new Set();

/** A warning a story would get, with the fields it reads. */
export interface WarningCandidate {
  reads: readonly string[];
  problem: Problem;
}

/**
 * Every warning of `storyWarnings` before the failed fields are known: the checker keeps these
 * by the file's content hash, and fields can still fail on disk (a missing photo) on a later run.
 */
export function warningCandidates(facts: Omit<StoryFacts, 'failed'>): WarningCandidate[] {
  const out: WarningCandidate[] = [];
  for (const w of WARNINGS) {
    const p = w.check({ ...facts, failed: NONE });
    if (p) out.push({ reads: w.reads, problem: { ...p, severity: 'warning' as const } });
  }
  return out;
}

export const keptWarnings = (candidates: readonly WarningCandidate[], failed: ReadonlySet<string>): Problem[] =>
  candidates.filter((c) => !c.reads.some((f) => failed.has(f))).map((c) => c.problem);

/** A story dated after `now` (and not a draft) publishes with the first build after that time. */
export function scheduledWarnings(
  articles: readonly { entry: StoryEntry; isDraft: boolean; publishedAt: Date; station: { data: { timezone: string } } }[],
  now: Date,
): ContentProblem[] {
  return articles
    .filter((a) => !a.isDraft && !a.entry.failed.has('draft') && a.publishedAt > now)
    .map((a) => ({
      file: a.entry.filePath,
      field: 'date',
      line: a.entry.lineOf(['date']),
      severity: 'warning',
      message: `is in the future: the story will publish at ${formatDateTime(a.publishedAt, a.station.data.timezone, 'en-US')}`,
      hint: 'it appears with the first build after that time',
    }));
}

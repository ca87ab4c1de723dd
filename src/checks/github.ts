/**
 * check:content's output for GitHub Actions: workflow-command annotations, which GitHub pins
 * to the file and line in a pull request's diff, and the Markdown summary of the stories a
 * pull request adds or changes (for `$GITHUB_STEP_SUMMARY` and the preview comment).
 */
import { previewState } from '../data/preview-state';
import { formatDateTime } from '../lib/dates';
import { escapeXml } from '../lib/escape';
import type { CheckedStory } from './index';
import { isError, sortProblems, type ContentProblem } from '../content/problems';

/**
 * GitHub's workflow-command escaping (the runner's `ActionCommand` and the toolkit's
 * `escapeData`): `%`, CR and LF in the message. `%` goes first so escapes are not escaped again.
 */
export const escapeCommandData = (s: string) => s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');

/** Properties (`file=…,line=…`) also escape `:` and `,`, which would end the value early. */
export const escapeCommandProperty = (s: string) => escapeCommandData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');

/** `::error file=…,line=…,title=…::message (hint)`; warnings as `::warning`. */
export function formatAnnotation(p: ContentProblem): string {
  const props: [string, string][] = [['file', p.file]];
  if (p.line && p.line > 0) props.push(['line', String(p.line)]);
  props.push(['title', p.field]);
  const list = props.map(([k, v]) => `${k}=${escapeCommandProperty(v)}`).join(',');
  const message = `${p.message}${p.hint ? ` (${p.hint})` : ''}`;
  return `::${isError(p) ? 'error' : 'warning'} ${list}::${escapeCommandData(message)}`;
}

/** Errors first, then warnings, each in file and line order, one command a line. */
export function formatAnnotations(problems: ContentProblem[]): string {
  return [...sortProblems(problems.filter(isError)), ...sortProblems(problems.filter((p) => !isError(p)))].map(formatAnnotation).join('\n');
}

/**
 * Text from a story shown inside a Markdown line: a title is an editor's words, not markup.
 * HTML's specials become entities; the characters that start inline markup (emphasis, code,
 * links, strikethrough, table cells) are backslash-escaped, as CommonMark allows for any ASCII
 * punctuation; line breaks become spaces, so nothing can start a block.
 */
export function escapeMarkdown(s: string): string {
  return escapeXml(s.replace(/[\r\n]+/g, ' ')).replace(/[\\`*_[\]|~]/g, '\\$&');
}

export interface SummaryInput {
  /** Changed paths from the project root, as `git diff --name-only` prints them. */
  changed: string[];
  /** Every story checkContent resolved. */
  stories: CheckedStory[];
  problems: ContentProblem[];
  /** The check's "now": stories after it are scheduled. */
  now: Date;
  /** The site's origin, for permalinks. */
  siteUrl: string;
  lang: string;
  /** Where this pull request's preview is, if it was deployed. */
  previewUrl?: string;
  /** Whether a changed path is a story file (`content/articles/…/*.md`). */
  isStoryFile: (path: string) => boolean;
  /** Whether the file is still there (a deleted story is listed as removed). */
  exists: (path: string) => boolean;
}

const absolute = (origin: string, path: string) => new URL(path, origin.endsWith('/') ? origin : `${origin}/`).href;

/** One line saying when a story appears, in its station's time zone: the preview's own words. */
export function publishState(story: Pick<CheckedStory, 'publishedAt' | 'isDraft' | 'station'>, now: Date, lang: string): string {
  const mark = previewState(
    { isDraft: story.isDraft, publishedAt: story.publishedAt, timeZone: story.station.timezone },
    { now, lang, shows: true },
  );
  return mark ?? `Publishes at once (dated ${formatDateTime(story.publishedAt, story.station.timezone, lang)})`;
}

/**
 * Markdown listing each story the pull request adds or changes: headline, future permalink,
 * station, when it appears, and its problems. Stories whose file is gone are listed as removed;
 * story files with errors that keep them from resolving are listed with those errors.
 */
export function formatSummary(input: SummaryInput): string {
  const changed = [...new Set(input.changed.map((p) => p.trim()).filter(Boolean))].filter(input.isStoryFile).sort();
  const byFile = new Map(input.stories.map((s) => [s.file, s]));
  const problemsOf = (file: string) => sortProblems(input.problems.filter((p) => p.file === file));
  const out: string[] = [`## Stories in this pull request (${changed.length})`, ''];
  if (!changed.length) {
    out.push('This pull request changes no story.');
    if (input.previewUrl) out.push('', `Preview: ${input.previewUrl}`);
    return `${out.join('\n')}\n`;
  }
  if (input.previewUrl) out.push(`Preview of the whole site: ${input.previewUrl}`, '');
  for (const file of changed) {
    const story = byFile.get(file);
    const problems = problemsOf(file);
    const errors = problems.filter(isError);
    if (story) {
      out.push(`- **${escapeMarkdown(story.title ?? story.path)}** (${escapeMarkdown(file)})`);
      const permalink = absolute(input.siteUrl, story.path);
      const preview = input.previewUrl ? ` · [preview](${absolute(input.previewUrl, story.path)})` : '';
      out.push(`  - Permalink: ${permalink}${preview}`);
      out.push(`  - Station: ${escapeMarkdown(story.station.name)} (${story.station.id})`);
      out.push(`  - ${publishState(story, input.now, input.lang)}`);
    } else {
      out.push(`- ${escapeMarkdown(file)}${input.exists(file) ? '' : ': removed'}`);
    }
    if (errors.length) out.push(`  - ❌ ${errors.length} error${errors.length === 1 ? '' : 's'}: this story cannot be published yet`);
    for (const p of problems) {
      const where = p.line ? `line ${p.line}, ` : '';
      out.push(
        `  - ${isError(p) ? 'Error' : 'Warning'} (${where}${escapeMarkdown(p.field)}): ${escapeMarkdown(p.message)}${p.hint ? ` (${escapeMarkdown(p.hint)})` : ''}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

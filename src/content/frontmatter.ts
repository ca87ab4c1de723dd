import matter from 'gray-matter';
import { isMap, isSeq, LineCounter, parseDocument, YAMLError, type Document, type Node } from 'yaml';

/** Aliases (`*name`) a file may use before it counts as a "billion laughs" attack. */
export const MAX_ALIASES = 50;

export type FieldPath = readonly (string | number)[];

/** A problem found while reading YAML, before any schema runs. */
export interface YamlProblem {
  line?: number;
  field: string;
  message: string;
  hint?: string;
}

/** An unclosed quote is reported where the parser gave up, often lines later; the editor
 * needs the line where the quote opened: the last one before that with an odd count of it. */
function openingQuoteLine(text: string, offset: number, counter: LineCounter): number {
  const giveUpLine = counter.linePos(offset).line;
  const lines = text.split('\n').slice(0, giveUpLine);
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if ((l.split('"').length - 1) % 2 === 1 || (l.split("'").length - 1) % 2 === 1) return i + 1;
  }
  return giveUpLine;
}

export interface ParsedYaml {
  data: unknown;
  problems: YamlProblem[];
  /** Line in the file of a field (`['image', 'alt']`), or of its nearest parent that exists. */
  lineOf(path: FieldPath): number | undefined;
}

const YAML_HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'indent with spaces, never tabs',
  DUPLICATE_KEY: 'each field may appear once; delete one of them',
  MISSING_CHAR: 'close the quote or bracket',
  BAD_INDENT: 'line fields up with the same number of spaces',
  MULTILINE_IMPLICIT_KEY: 'put quotes around a value that contains ": "',
  BLOCK_AS_IMPLICIT_KEY: 'put quotes around a value that contains ": "',
};

/**
 * Strict YAML (the `yaml` package): tabs used as indentation, repeated keys and syntax
 * errors are errors with a line; alias expansion is capped. Unquoted timestamps become
 * dates, as in Astro's js-yaml, so both read a file alike. `firstLine` is the file line
 * the text starts on.
 */
export function parseYaml(text: string, firstLine = 1): ParsedYaml {
  const counter = new LineCounter();
  const doc: Document = parseDocument(text, {
    lineCounter: counter,
    prettyErrors: false,
    strict: true,
    uniqueKeys: true,
    merge: true,
    customTags: ['timestamp'],
  });
  const toLine = (offset: number) => counter.linePos(offset).line + firstLine - 1;
  const problems: YamlProblem[] = [...doc.errors, ...doc.warnings].map((e: YAMLError) => ({
    line: e.code === 'MISSING_CHAR' ? openingQuoteLine(text, e.pos[0], counter) + firstLine - 1 : toLine(e.pos[0]),
    field: '(frontmatter)',
    message: `YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
    hint: YAML_HINTS[e.code],
  }));

  // A field that is missing has no line; a missing nested field points at its parent.
  const lineOf = (path: FieldPath): number | undefined => {
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
        if (!pair) return line;
        const k = pair.key as Node;
        if (k.range) line = toLine(k.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key] as Node | undefined;
        if (!item) return line;
        if (item.range) line = toLine(item.range[0]);
        node = item;
      } else return line;
    }
    return line;
  };

  let data: unknown;
  if (!problems.length) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      problems.push({
        field: '(frontmatter)',
        message: `YAML aliases expand too far (${(e as Error).message})`,
        hint: 'write values out in full; stories need no &anchors or *aliases',
      });
    }
  }
  return { data, problems, lineOf };
}

export type ParsedStory = ParsedYaml;

/** gray-matter evaluates `---js` frontmatter with eval; only YAML is ever parsed. */
const refuse = (language: string) => () => {
  throw new FrontmatterLanguageError(language);
};
class FrontmatterLanguageError extends Error {
  constructor(readonly language: string) {
    super(`frontmatter in ${language} is not allowed`);
  }
}

/**
 * Reads a story's frontmatter with gray-matter configured safely: the strict YAML parser
 * above as its only engine, JavaScript and JSON refused. Leading blank lines and a BOM are
 * allowed, as Astro allows them.
 */
export function parseStory(text: string): ParsedStory {
  const lead = /^\uFEFF?(?:[ \t]*\r?\n)*/.exec(text)![0];
  const source = text.slice(lead.length);
  const leadLines = lead.split('\n').length - 1;
  const fail = (message: string, hint: string, line = leadLines + 1): ParsedStory => ({
    data: undefined,
    problems: [{ field: '(frontmatter)', message, hint, line }],
    lineOf: () => undefined,
  });

  if (source.startsWith('+++')) return fail('TOML frontmatter (+++) is not supported', 'write the fields as YAML between --- lines');
  if (!/^---[^\S\r\n]*[A-Za-z]*[^\S\r\n]*\r?\n/.test(source)) {
    return fail('the file has no frontmatter', 'start the file with a line ---, then fields such as title: …, then another line ---');
  }
  if (!/\r?\n---/.test(source.slice(3))) {
    return fail('the frontmatter is never closed', 'add a line --- after the last field, before the story text');
  }

  // gray-matter looks every input up in a cache keyed by the whole text; hand it the
  // frontmatter alone, which is also all it needs (the body is cut where Astro cuts it).
  const close = /\r?\n---/.exec(source.slice(3))!;
  const head = source.slice(0, 3 + close.index + close[0].length);
  let yaml: ParsedYaml | undefined;
  try {
    matter(head, {
      language: 'yaml',
      engines: {
        yaml: {
          parse: (s: string) => {
            // gray-matter hands over the text after `---`, starting with that line's newline.
            yaml = parseYaml(s, leadLines + 1);
            return {};
          },
        },
        javascript: refuse('JavaScript'),
        js: refuse('JavaScript'),
        json: refuse('JSON'),
      },
    });
  } catch (e) {
    if (e instanceof FrontmatterLanguageError) return fail(e.message, 'use plain YAML fields between --- lines');
    const language = /engine "(.*)" is not registered/.exec((e as Error).message)?.[1];
    if (language) return fail(`frontmatter language "${language}" is not supported`, 'use plain YAML fields between --- lines');
    throw e;
  }
  // An empty frontmatter block never reaches the engine.
  yaml ??= parseYaml('', leadLines + 1);
  if (yaml.data === null || yaml.data === undefined) yaml.data = yaml.problems.length ? undefined : {};
  else if (typeof yaml.data !== 'object' || Array.isArray(yaml.data)) {
    yaml.problems.push({
      field: '(frontmatter)',
      line: leadLines + 2,
      message: 'the frontmatter must be fields, one per line',
      hint: 'write it as `title: …` lines',
    });
    yaml.data = undefined;
  }
  return yaml;
}

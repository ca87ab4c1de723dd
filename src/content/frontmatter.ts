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

export interface ParsedStory extends ParsedYaml {
  /** Where the Markdown body starts (after the closing `---` and the blank lines that follow). */
  body: BodyStart;
}

export interface BodyStart {
  /** Offset in the file's text. */
  offset: number;
  /** Line of the file (1-based): the body's line 1 is this line of the file. */
  line: number;
}

/** gray-matter evaluates `---js` frontmatter with eval; only YAML is ever parsed. */
const refuse = (language: string) => () => {
  throw new FrontmatterLanguageError(language);
};
class FrontmatterLanguageError extends Error {
  constructor(readonly language: string) {
    super(`frontmatter in ${language} is not allowed`);
  }
}

/** Where a story file's frontmatter and body are, found without parsing the YAML (`cutStory`). */
export type StoryCut =
  | { kind: 'none' | 'toml'; line: number }
  | { kind: 'unclosed'; line: number; matter: string }
  | { kind: 'refused'; line: number; message: string }
  | {
      kind: 'fields';
      /** False when the block holds only comments and blank lines, which gray-matter never hands to an engine. */
      hasFields: boolean;
      matter: string;
      firstLine: number;
      bodyOffset: number;
    };

/**
 * Cuts a story file with gray-matter, which finds the fence (`---`, an optional language, `---`)
 * and strips a BOM. Its YAML engine only notes that it was called: `parseStory` parses the block
 * with the strict parser above, once, so a caller can measure the block first and keep its text
 * (the raw dates) without gray-matter cutting the file again. `---js` (which gray-matter would
 * eval), `---json` and any other language are refused. No excerpt: stories carry a `dek`, and a
 * `---` in a body is a thematic break. Blank lines before the fence are skipped here, as Astro
 * allows them.
 */
export function cutStory(text: string): StoryCut {
  const [, bom, blank] = /^(\uFEFF?)((?:[ \t]*\r?\n)*)/.exec(text)!;
  const leadLines = blank!.split('\n').length - 1;
  const line = leadLines + 1;
  const source = bom + text.slice(bom!.length + blank!.length);
  const body = source.slice(bom!.length);
  if (body.startsWith('+++')) return { kind: 'toml', line };

  let parsed = false;
  // `isEmpty` (a fence around nothing) is in gray-matter's README but not its types.
  let file: ReturnType<typeof matter> & { isEmpty?: boolean };
  try {
    file = matter(source, {
      excerpt: false,
      engines: {
        // gray-matter hands over the text after the opening `---` (its `matter`), starting with that line's newline.
        yaml: {
          parse: () => {
            parsed = true;
            return {};
          },
        },
        javascript: refuse('JavaScript'),
        js: refuse('JavaScript'),
        json: refuse('JSON'),
      },
    });
  } catch (e) {
    if (e instanceof FrontmatterLanguageError) return { kind: 'refused', line, message: e.message };
    const language = /engine "(.*)" is not registered/.exec((e as Error).message)?.[1];
    if (language) return { kind: 'refused', line, message: `frontmatter language "${language}" is not supported` };
    throw e;
  }
  // gray-matter found no fence when it neither parsed a block nor saw an empty one.
  if (!parsed && !file.isEmpty) return { kind: 'none', line };
  // Unclosed, the frontmatter runs to the end: the opening line and it are the whole text.
  const opening = 3 + matter.language(body).raw.length;
  if (opening + file.matter.length >= body.length) return { kind: 'unclosed', line, matter: file.matter };
  return { kind: 'fields', hasFields: parsed, matter: file.matter, firstLine: line, bodyOffset: text.length - file.content.length };
}

/** The body's start, with the whitespace Astro trims before rendering it skipped. */
function bodyAt(text: string, offset: number): BodyStart {
  while (offset < text.length && /\s/.test(text[offset]!)) offset++;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { offset, line };
}

/**
 * Where a story's Markdown body starts, as Astro sees it: after the frontmatter, with
 * surrounding whitespace trimmed. Astro renders only that trimmed body, so line numbers
 * from the Markdown pipeline are shifted by `line - 1` to point into the file.
 */
export function bodyStart(text: string): BodyStart {
  const c = cutStory(text);
  return bodyAt(text, c.kind === 'fields' ? c.bodyOffset : 0);
}

/** The frontmatter's text, without parsing it: between the fences, or to the end of a file that
 * never closes them; undefined when the file has none. */
export function frontmatterText(text: string, c: StoryCut = cutStory(text)): string | undefined {
  return c.kind === 'fields' || c.kind === 'unclosed' ? c.matter : undefined;
}

const HINTS = {
  none: ['the file has no frontmatter', 'start the file with a line ---, then fields such as title: …, then another line ---'],
  toml: ['TOML frontmatter (+++) is not supported', 'write the fields as YAML between --- lines'],
  unclosed: ['the frontmatter is never closed', 'add a line --- after the last field, before the story text'],
} as const;

/**
 * Reads a story's frontmatter with gray-matter configured safely (see `cutStory`): the fields, their
 * lines, and where the body starts. Leading blank lines and a BOM are allowed, as Astro allows them.
 */
export function parseStory(text: string, c: StoryCut = cutStory(text)): ParsedStory {
  if (c.kind !== 'fields') {
    const [message, hint] = c.kind === 'refused' ? [c.message, 'use plain YAML fields between --- lines'] : HINTS[c.kind];
    return { data: undefined, problems: [{ field: '(frontmatter)', message, hint, line: c.line }], lineOf: () => undefined, body: bodyAt(text, 0) };
  }
  // An empty frontmatter block (or one of comments only) never reaches gray-matter's engine.
  const yaml = parseYaml(c.hasFields ? c.matter : '', c.firstLine);
  if (yaml.data === null || yaml.data === undefined) yaml.data = yaml.problems.length ? undefined : {};
  else if (typeof yaml.data !== 'object' || Array.isArray(yaml.data)) {
    yaml.problems.push({
      field: '(frontmatter)',
      line: c.firstLine + 1,
      message: 'the frontmatter must be fields, one per line',
      hint: 'write it as `title: …` lines',
    });
    yaml.data = undefined;
  }
  return { ...yaml, body: bodyAt(text, c.bodyOffset) };
}

/** A story file's text from its frontmatter (YAML, ending in a newline) and its Markdown body. */
export function storyFile(yaml: string, body: string): string {
  return `---\n${yaml.endsWith('\n') ? yaml : `${yaml}\n`}---\n\n${body}`;
}

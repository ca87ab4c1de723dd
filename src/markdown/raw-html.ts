import {
  defaultTreeAdapter,
  ErrorCodes,
  html,
  Parser,
  Token,
  TokenizerMode,
  type DefaultTreeAdapterMap,
  type DefaultTreeAdapterTypes,
  type ParserError,
} from 'parse5';

/**
 * The browser's reading of a story's raw HTML. The Markdown processor copies each raw-HTML
 * node into the page as is, and the browser parses the page as one stream: a quote, comment or
 * tag left open in one node runs on into the Markdown and the raw HTML after it. So the story is
 * checked as that stream, in document order: raw HTML verbatim, the Markdown between as the tags
 * the renderer writes around a neutral placeholder for its (escaped) text. parse5 parses it as a
 * fragment inside the article body's `<div>`, as WHATWG HTML says, and the checks here make
 * sure that fragment stays inside that `<div>`, whatever the template around it.
 */

/** A piece of the stream: raw HTML from the story, or markup standing for rendered Markdown. */
export interface HtmlChunk {
  text: string;
  raw: boolean;
  /** The line (in the body) where the chunk starts. */
  line: number;
}

export interface RawHtmlProblem {
  line: number;
  message: string;
  hint: string;
}

/** An element that must start and end in one raw chunk (iframes, which the policy rewrites). */
export interface WholeElement {
  chunk: number;
  /** Offsets within the chunk's text: the start tag's `<` to the end tag's `>` + 1. */
  from: number;
  to: number;
  token: Token.TagToken;
}

export interface RawHtmlResult {
  problems: RawHtmlProblem[];
  /** The fragment's root: its children are what the browser builds inside the article body. */
  root: DefaultTreeAdapterTypes.Element;
  whole: WholeElement[];
}

export interface RawHtmlOptions {
  /** Called for every start tag written in the story's raw HTML (not for the Markdown's own). */
  onStartTag?: (token: Token.TagToken, line: number) => void;
  /** Tags that must be written whole, start and end tag in one raw-HTML block. */
  whole?: ReadonlySet<string>;
  /** Message and hint when such a tag is split. */
  splitProblem?: (tag: string) => Omit<RawHtmlProblem, 'line'>;
}

const WRITE = 'write the tag as name="value" pairs, each attribute once, separated by spaces, and close it with >';

/**
 * Tokenizer errors that mean another HTML reader (an older browser, a sanitiser, the editor's
 * preview, the policy's previous parser) may see different markup than today's browsers: markup
 * hidden in or revealed by odd comments and CDATA, tags and attribute lists that are cut short
 * or malformed, and invisible characters. Each is refused rather than guessed at. Errors about
 * character references are not here: the policy acts on the values as the browser decodes them.
 */
const REFUSED_ERRORS: Partial<Record<ErrorCodes, Omit<RawHtmlProblem, 'line'>>> = {
  [ErrorCodes.incorrectlyClosedComment]: {
    message: 'a comment ends with "--!>", which browsers take as its end and other HTML tools do not',
    hint: 'end the comment with -->, or remove it',
  },
  [ErrorCodes.abruptClosingOfEmptyComment]: {
    message: 'a comment written "<!-->" or "<!--->" ends at once in a browser, showing what was meant to be hidden',
    hint: 'write comments as <!-- text -->, or remove it',
  },
  [ErrorCodes.nestedComment]: {
    message: 'a comment holds "<!--": browsers end it at the first -->, other tools may not',
    hint: 'remove the inner <!--',
  },
  [ErrorCodes.incorrectlyOpenedComment]: {
    message: 'markup starting "<!" that is not a comment: a browser hides everything up to the next ">"',
    hint: 'write comments as <!-- text -->; to show "<!", write &lt;!',
  },
  [ErrorCodes.cdataInHtmlContent]: {
    message: '<![CDATA[ is not HTML: a browser reads it as a comment that ends at the first ">"',
    hint: 'remove the CDATA markers and write the text as plain text',
  },
  [ErrorCodes.unexpectedQuestionMarkInsteadOfTagName]: {
    message: '"<?" is not HTML: a browser hides everything up to the next ">"',
    hint: 'remove it; to show "<?", write &lt;?',
  },
  [ErrorCodes.eofInComment]: {
    message: 'a comment <!-- is never closed, so it would hide the rest of the page',
    hint: 'close it with -->, or remove it',
  },
  [ErrorCodes.eofInCdata]: {
    message: 'a <![CDATA[ section is never closed',
    hint: 'remove the CDATA markers',
  },
  [ErrorCodes.eofInTag]: {
    message: 'a tag is never closed (its ">" or a closing quote is missing), so it would swallow the page after it',
    hint: 'close the tag with > and every attribute value with its quote',
  },
  [ErrorCodes.eofInDoctype]: { message: '<!DOCTYPE> is not allowed in a story', hint: 'the page template sets this; remove it' },
  [ErrorCodes.misplacedDoctype]: { message: '<!DOCTYPE> is not allowed in a story', hint: 'the page template sets this; remove it' },
  [ErrorCodes.eofInScriptHtmlCommentLikeText]: {
    message: 'a <script> is never closed',
    hint: 'remove the script; see "Embeds" in docs/editing.md',
  },
  [ErrorCodes.eofInElementThatCanContainOnlyText]: {
    message: 'an element whose content is plain text is never closed, so it would swallow the page after it',
    hint: 'close it, or remove it',
  },
  [ErrorCodes.unexpectedCharacterInAttributeName]: {
    message: 'an attribute name holds a quote or "<": browsers and other tools split such a tag differently',
    hint: WRITE,
  },
  [ErrorCodes.unexpectedCharacterInUnquotedAttributeValue]: {
    message: 'an unquoted attribute value holds a quote, "<", "=" or "`"',
    hint: 'put the value in double quotes: name="value"',
  },
  [ErrorCodes.unexpectedEqualsSignBeforeAttributeName]: { message: 'an attribute name starts with "="', hint: WRITE },
  [ErrorCodes.missingWhitespaceBetweenAttributes]: { message: 'two attributes are not separated by a space', hint: WRITE },
  [ErrorCodes.missingAttributeValue]: { message: 'an attribute has "=" but no value', hint: WRITE },
  [ErrorCodes.duplicateAttribute]: {
    message: 'an attribute is given twice in one tag: browsers keep the first, other tools the last',
    hint: 'keep one of them',
  },
  [ErrorCodes.unexpectedSolidusInTag]: { message: 'a "/" stands between attributes', hint: WRITE },
  [ErrorCodes.endTagWithAttributes]: { message: 'a closing tag has attributes', hint: 'write closing tags as </name>' },
  [ErrorCodes.endTagWithTrailingSolidus]: { message: 'a closing tag ends with "/>"', hint: 'write closing tags as </name>' },
  [ErrorCodes.missingEndTagName]: {
    message: '"</>" is dropped by browsers',
    hint: 'remove it; to show it, write &lt;/&gt;',
  },
  [ErrorCodes.nonVoidHtmlElementStartTagWithTrailingSolidus]: {
    message: 'a tag like <div/> does not close itself in HTML: the browser puts everything after it inside',
    hint: 'write the start and end tag, e.g. <div></div>',
  },
  [ErrorCodes.unexpectedNullCharacter]: {
    message: 'the HTML holds a null character (U+0000), which browsers and other tools handle differently',
    hint: 'retype the text around it',
  },
  [ErrorCodes.controlCharacterInInputStream]: {
    message: 'the HTML holds an invisible control character',
    hint: 'retype the text around it',
  },
  [ErrorCodes.endTagWithoutMatchingOpenElement]: {
    message: 'a closing tag closes nothing the story opened',
    hint: 'remove it, or add its opening tag',
  },
};

/**
 * At most this many elements open at once. The HTML algorithm looks through the open elements
 * for most tags, so deeper nesting makes parsing quadratic (parse5 and browsers alike), and
 * browsers stop nesting at 512 (Chromium) where parse5 does not: past this depth they differ.
 */
export const MAX_OPEN_ELEMENTS = 256;

class TooDeep extends Error {}

/** Elements whose end tag HTML lets the container's end tag imply (`</div>` closes an open `<p>`). */
const IMPLIED_END = new Set(['p', 'li', 'dt', 'dd', 'rb', 'rp', 'rt', 'rtc', 'optgroup', 'option']);

/** The first index in sorted `xs` whose value is greater than `x`. */
function upperBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** parse5 keeps the token being built here; read only to name the line of a tag left open. */
interface TokenizerInternals {
  currentToken: { type: Token.TokenType; location: Token.Location | null } | null;
}

/**
 * Parses the chunks as one fragment in the article body's `<div>`, and reports everything that
 * would not stay inside it, or that other HTML readers would read differently.
 */
export function parseStoryHtml(chunks: readonly HtmlChunk[], options: RawHtmlOptions = {}): RawHtmlResult {
  const starts: number[] = [];
  let total = 0;
  for (const c of chunks) {
    starts.push(total);
    total += c.text.length;
  }
  const newlines = new Map<number, number[]>();
  const chunkAt = (offset: number) => Math.max(0, upperBound(starts, offset) - 1);
  /** The body line of an offset in the stream. */
  const lineAt = (offset: number) => {
    const i = chunkAt(offset);
    const chunk = chunks[i];
    if (!chunk) return 1;
    let nl = newlines.get(i);
    if (!nl) {
      nl = [];
      for (let j = chunk.text.indexOf('\n'); j !== -1; j = chunk.text.indexOf('\n', j + 1)) nl.push(j);
      newlines.set(i, nl);
    }
    return chunk.line + upperBound(nl, offset - starts[i]! - 1);
  };
  const isRaw = (offset: number) => chunks[chunkAt(offset)]?.raw === true;

  const problems: RawHtmlProblem[] = [];
  const seen = new Set<string>();
  const report = (offset: number, p: Omit<RawHtmlProblem, 'line'>) => {
    const line = lineAt(offset);
    const key = `${line}\n${p.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ line, ...p });
  };

  /** A tag or comment already reported as left open at the end of its block. */
  let reportedPending: unknown;
  const context = defaultTreeAdapter.createElement('div', html.NS.HTML, []);
  const parser = Parser.getFragmentParser<DefaultTreeAdapterMap>(context, {
    sourceCodeLocationInfo: true,
    onParseError(error: ParserError) {
      const again = error.code === ErrorCodes.eofInTag || error.code === ErrorCodes.eofInComment;
      if (again && reportedPending && (parser.tokenizer as unknown as TokenizerInternals).currentToken === reportedPending) return;
      const refused = REFUSED_ERRORS[error.code];
      if (!refused || !isRaw(error.startOffset)) return;
      // An error at the end of the input is named where the unclosed tag, comment or element starts.
      const pending = (parser.tokenizer as unknown as TokenizerInternals).currentToken;
      const open =
        error.code === ErrorCodes.eofInElementThatCanContainOnlyText
          ? (parser.openElements.current as DefaultTreeAdapterTypes.Element | undefined)?.sourceCodeLocation?.startOffset
          : error.code.startsWith('eof-in-')
            ? pending?.location?.startOffset
            : undefined;
      report(open ?? error.startOffset, refused);
    },
  });
  const stack = parser.openElements;
  const root = stack.items[0] as DefaultTreeAdapterTypes.Element;
  const formatting = parser.activeFormattingElements;
  const push = stack.push.bind(stack);
  stack.push = (element, tagID) => {
    push(element, tagID);
    if (stack.stackTop > MAX_OPEN_ELEMENTS) throw new TooDeep();
  };

  const whole: WholeElement[] = [];
  let openWhole: { token: Token.TagToken; chunk: number } | undefined;
  const split = (tag: string) => options.splitProblem?.(tag) ?? { message: `<${tag}> must be written whole`, hint: 'keep it in one block' };

  const onStartTag = parser.onStartTag.bind(parser);
  parser.onStartTag = (token) => {
    const at = token.location!.startOffset;
    if (isRaw(at)) {
      options.onStartTag?.(token, lineAt(at));
      if (options.whole?.has(token.tagName)) openWhole = { token, chunk: chunkAt(at) };
    }
    onStartTag(token);
  };

  const onEndTag = parser.onEndTag.bind(parser);
  parser.onEndTag = (token) => {
    const at = token.location!.startOffset;
    if (!isRaw(at)) return onEndTag(token);
    if (openWhole && token.tagName === openWhole.token.tagName) {
      const chunk = chunkAt(at);
      if (chunk === openWhole.chunk) {
        whole.push({
          chunk,
          from: openWhole.token.location!.startOffset - starts[chunk]!,
          to: token.location!.endOffset - starts[chunk]!,
          token: openWhole.token,
        });
      } else report(openWhole.token.location!.startOffset, split(token.tagName));
      openWhole = undefined;
    }
    // `</p>` and `</br>` with nothing to close make an element instead of being dropped.
    const stray = (token.tagID === html.TAG_ID.P && !stack.hasInButtonScope(html.TAG_ID.P)) || token.tagID === html.TAG_ID.BR;
    const before = { top: stack.stackTop, current: stack.current, entries: formatting.entries.length };
    onEndTag(token);
    // An end tag the fragment drops would, in the page, close the template's own element of
    // that name (`</div>` the article body, `</article>`, `</body>`): refuse it either way.
    const dropped = stack.stackTop === before.top && stack.current === before.current && formatting.entries.length === before.entries;
    if (stray || dropped) {
      report(at, {
        message: `</${token.tagName}> closes nothing the story opened, so in the page it would close the page's own markup`,
        hint: `remove it, or add the <${token.tagName}> it should close`,
      });
    }
  };

  // Write chunk by chunk: after each raw-HTML block the tokenizer must be between tokens, or
  // the Markdown after it would be read as part of a tag, quote or comment.
  const tokenizer = parser.tokenizer;
  const write = (chunk: HtmlChunk, i: number) => {
    tokenizer.write(chunk.text, false);
    if (!chunk.raw || tokenizer.state === (TokenizerMode.DATA as number)) return;
    const end = starts[i]! + chunk.text.length;
    if (openWhole?.chunk === i && tokenizer.state === (TokenizerMode.RAWTEXT as number)) {
      report(openWhole.token.location!.startOffset, split(openWhole.token.tagName));
      openWhole = undefined;
      return;
    }
    const pending = (tokenizer as unknown as TokenizerInternals).currentToken;
    const start = pending?.location?.startOffset ?? starts[i]!;
    reportedPending = pending;
    if (pending?.type === Token.TokenType.COMMENT) {
      report(start, {
        message: 'a comment <!-- is not closed in its block, so it would hide everything after it',
        hint: 'close it with --> before the blank line, or remove it',
      });
    } else if (pending?.type === Token.TokenType.START_TAG || pending?.type === Token.TokenType.END_TAG) {
      report(start, {
        message: 'a tag is not closed in its block (its ">" or a closing quote is missing), so it would swallow everything after it',
        hint: 'close the tag with > and every attribute value with its quote, before the blank line',
      });
    } else {
      report(Math.min(start, end - 1), {
        message: 'raw HTML is left open at the end of its block, so the Markdown after it would be read as part of it',
        hint: 'close every tag, comment and quote in the block where it starts',
      });
    }
  };
  try {
    chunks.forEach(write);
    tokenizer.write('', true);
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error;
    const el = stack.current as DefaultTreeAdapterTypes.Element;
    report(el.sourceCodeLocation?.startOffset ?? total - 1, {
      message: `HTML is nested more than ${MAX_OPEN_ELEMENTS} elements deep here`,
      hint: 'close elements where they end; no story needs this depth',
    });
    return { problems, root, whole };
  }

  // Nothing may stay open: the template's `</div>` would close the story's element instead of
  // the article body, and the template's markup after it would land inside the story.
  for (let i = 1; i <= stack.stackTop; i++) {
    const el = stack.items[i] as DefaultTreeAdapterTypes.Element;
    if (IMPLIED_END.has(el.tagName) && el.namespaceURI === html.NS.HTML) continue;
    const at = el.sourceCodeLocation?.startOffset ?? total - 1;
    report(at, {
      message: `<${el.tagName}> is not closed, so the page's own markup after the story would end up inside it`,
      hint: `add </${el.tagName}> where it should end`,
    });
  }
  // A formatting element closed only implicitly (`<p><a href=…>x</p>`) stays on the browser's
  // list and is reopened around whatever comes next, the page's own markup included.
  for (const entry of formatting.entries) {
    if (!('element' in entry) || stack.contains(entry.element)) continue;
    const el = entry.element;
    report(el.sourceCodeLocation?.startOffset ?? total - 1, {
      message: `<${el.tagName}> is not closed where it should be, so the browser would reopen it around the page after the story`,
      hint: `close it with </${el.tagName}> inside the same paragraph or element`,
    });
  }

  // (Not parser.getFragment(): it moves the children one by one, in quadratic time.)
  return { problems: problems.sort((a, b) => a.line - b.line), root, whole };
}

// How deep untrusted markup may nest. Parsers and the code that walks their trees recurse (or keep
// stacks they search) once per level, so a file nested 100,000 deep overflows the stack or costs
// time quadratic in its length. No story needs more than a few dozen levels; 200 leaves room for
// machine-made HTML (Word, e-book converters) and is far below where anything breaks.
import { Tokenizer } from 'htmlparser2';

/** The deepest nesting accepted in HTML (elements) or Markdown (quotes, lists, inline formatting). */
export const MAX_NESTING = 200;

/** Markup nested deeper than MAX_NESTING; `message` tells the author what to change. */
export class NestingTooDeepError extends Error {
  override name = 'NestingTooDeepError';
  /** Wherever it reaches a request unhandled (a summary, a comment), a 422 with this message. */
  readonly statusCode = 422;
  constructor(
    message: string,
    /** The depth found, or null when only known to exceed the limit. */
    readonly depth: number | null,
    readonly limit = MAX_NESTING,
  ) {
    super(message);
  }
}

/** "10,000 levels deep" or, when the parse stopped at the limit, "more than 200 levels deep". */
export function describeDepth(depth: number | null): string {
  return depth === null ? `more than ${MAX_NESTING.toLocaleString('en')} levels deep` : `${depth.toLocaleString('en')} levels deep`;
}

// htmlparser2's tree-building rules (its Parser, which sanitize-html and the import reader use),
// mirrored here so that the depth counted is the depth that parser would build.
const P = new Set(['p']);
const FORM = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const OPEN_IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ['select', FORM],
  ['input', FORM],
  ['output', FORM],
  ['button', FORM],
  ['datalist', FORM],
  ['textarea', FORM],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ['rt', new Set(['rt', 'rp'])],
  ['rp', new Set(['rt', 'rp'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
  ...[
    'p',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'address',
    'article',
    'aside',
    'blockquote',
    'details',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'form',
    'header',
    'hr',
    'main',
    'nav',
    'ol',
    'pre',
    'section',
    'table',
    'ul',
  ].map((name) => [name, P] as const),
]);
/** Elements htmlparser2 never nests into (void elements). */
export const VOID_ELEMENTS: ReadonlySet<string> = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
const FOREIGN = new Set(['math', 'svg']);
const INTEGRATION = new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc', 'title']);

export interface HtmlNestingOptions {
  /** XML rules (EPUB package documents): no implied or void elements, names case-sensitive. */
  xml?: boolean;
  /** Whether `<div/>` closes the element, as the import reader's parser is told (XHTML). */
  recognizeSelfClosing?: boolean;
}

/**
 * The deepest element nesting htmlparser2 would build from the text, in one linear pass over its
 * tokenizer (no tree). Also counts the foreign-content contexts (<svg>, <math>) the parser keeps,
 * whose stack it grows element by element and would otherwise let grow without bound.
 */
export function measureHtmlNesting(html: string, options: HtmlNestingOptions = {}): number {
  const xml = options.xml ?? false;
  const selfClosing = options.recognizeSelfClosing ?? xml;
  const stack: string[] = [];
  // How many of each name are open, so a closing tag finds its element without searching the stack.
  const openCount = new Map<string, number>();
  const foreign: boolean[] = [xml];
  let tagName = '';
  let deepest = 0;

  const push = (name: string): void => {
    stack.push(name);
    openCount.set(name, (openCount.get(name) ?? 0) + 1);
    if (stack.length > deepest) deepest = stack.length;
  };
  const pop = (): string => {
    const name = stack.pop()!;
    openCount.set(name, openCount.get(name)! - 1);
    return name;
  };
  const isVoid = (name: string): boolean => !xml && VOID_ELEMENTS.has(name);
  const openTag = (name: string): void => {
    tagName = name;
    const closes = xml ? undefined : OPEN_IMPLIES_CLOSE.get(name);
    if (closes) while (stack.length > 0 && closes.has(stack[stack.length - 1]!)) pop();
    if (isVoid(name)) return;
    push(name);
    if (!xml && (FOREIGN.has(name) || INTEGRATION.has(name))) {
      foreign.push(FOREIGN.has(name));
      if (foreign.length - 1 > deepest) deepest = foreign.length - 1;
    }
  };
  const closeCurrent = (): void => {
    if (stack.length > 0 && stack[stack.length - 1] === tagName) pop();
    tagName = '';
  };
  const nameAt = (start: number, end: number): string => (xml ? html.slice(start, end) : html.slice(start, end).toLowerCase());

  const tokenizer = new Tokenizer(
    { xmlMode: xml, decodeEntities: true },
    {
      onopentagname: (start, end) => openTag(nameAt(start, end)),
      onopentagend: () => {
        tagName = '';
      },
      onselfclosingtag: () => {
        if (selfClosing || foreign[foreign.length - 1]) closeCurrent();
        else tagName = '';
      },
      onclosetag: (start, end) => {
        const name = nameAt(start, end);
        if (!xml && (FOREIGN.has(name) || INTEGRATION.has(name))) foreign.pop();
        if (isVoid(name)) return;
        if ((openCount.get(name) ?? 0) > 0) {
          while (pop() !== name);
        } else if (!xml && name === 'p') {
          openTag('p');
          closeCurrent();
        }
      },
      onattribdata() {},
      onattribentity() {},
      onattribend() {},
      onattribname() {},
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onend() {},
      onprocessinginstruction() {},
      ontext() {},
      ontextentity() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return deepest;
}

/** Throws NestingTooDeepError when the HTML nests deeper than MAX_NESTING (see measureHtmlNesting). */
export function assertHtmlNesting(html: string, options: HtmlNestingOptions = {}): void {
  const depth = measureHtmlNesting(html, options);
  if (depth > MAX_NESTING) {
    throw new NestingTooDeepError(
      `This text nests formatting ${describeDepth(depth)}; the archive accepts at most ${MAX_NESTING}. Remove the extra nesting and try again.`,
      depth,
    );
  }
}

/** Levels of HTML a Markdown list opens (<ul> and <li>); a block quote opens one. */
export const MARKDOWN_LIST_LEVELS = 2;

// A line's container markers: block quote `>` and list items (`-`, `+`, `*`, `1.`, `1)` followed
// by a space), all at the line's start (`> > - > x`).
const CONTAINER_MARKER = /[ \t]*(?:(>)|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))/y;
// `* * *` and `- - -` are a scene break (a rule), not lists, however long.
const THEMATIC_BREAK = /^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/**
 * The deepest block-quote/list nesting any one line opens with its own markers, in HTML levels
 * (MARKDOWN_LIST_LEVELS a list), and on which line (1-based). Linear; marked re-reads a container's
 * text once per level, so a line of 10,000 `>` is refused here before marked spends that time
 * (nesting built across lines is counted by the depth guard inside the Markdown conversion).
 */
export function measureMarkdownLineNesting(markdown: string): { depth: number; line: number } {
  let deepest = 0;
  let deepestLine = 0;
  let line = 0;
  for (let start = 0; start <= markdown.length; ) {
    line++;
    let end = markdown.indexOf('\n', start);
    if (end === -1) end = markdown.length;
    let depth = 0;
    CONTAINER_MARKER.lastIndex = start;
    for (let m = CONTAINER_MARKER.exec(markdown); m !== null && m.index < end; m = CONTAINER_MARKER.exec(markdown)) {
      depth += m[1] === undefined ? MARKDOWN_LIST_LEVELS : 1;
      if (CONTAINER_MARKER.lastIndex >= end) break;
    }
    if (depth > MAX_NESTING && THEMATIC_BREAK.test(markdown.slice(start, end))) depth = 0;
    if (depth > deepest) {
      deepest = depth;
      deepestLine = line;
    }
    start = end + 1;
  }
  return { depth: deepest, line: deepestLine };
}

const DELIMITERS = new Set(['*', '_', '~']);

/**
 * The longest run of one emphasis delimiter (`*`, `_`, `~`) within a line of other text, and its
 * line. marked reads `**` after `**` as strong inside strong, each level re-reading the rest of the
 * paragraph, so a long run costs time times its length. A line of nothing but the run (a scene
 * break, a code fence) is not emphasis and is skipped.
 */
export function longestDelimiterRun(markdown: string): { length: number; char: string; line: number } {
  let best = { length: 0, char: '', line: 0 };
  let line = 0;
  for (let start = 0; start <= markdown.length; ) {
    line++;
    let end = markdown.indexOf('\n', start);
    if (end === -1) end = markdown.length;
    let run = 0;
    let runChar = '';
    let lineBest = 0;
    let lineChar = '';
    let other = false;
    for (let i = start; i < end; i++) {
      const ch = markdown[i]!;
      if (DELIMITERS.has(ch)) {
        run = ch === runChar ? run + 1 : 1;
        if (lineChar !== '' && ch !== lineChar) other = true;
        runChar = ch;
        if (run > lineBest) {
          lineBest = run;
          lineChar = ch;
        }
      } else {
        run = 0;
        runChar = '';
        if (ch !== ' ' && ch !== '\t') other = true;
      }
    }
    if (other && lineBest > best.length) best = { length: lineBest, char: lineChar, line };
    start = end + 1;
  }
  return best;
}

/**
 * Throws NestingTooDeepError when a Markdown line opens more than MAX_NESTING levels of quotes or
 * lists, or holds a run of more than MAX_NESTING emphasis delimiters. Linear in the text.
 */
export function assertMarkdownLineNesting(markdown: string): void {
  const { depth, line } = measureMarkdownLineNesting(markdown);
  if (depth > MAX_NESTING) {
    throw new NestingTooDeepError(
      `This Markdown nests block quotes or lists ${describeDepth(depth)} (line ${line.toLocaleString('en')}); ` +
        `the archive accepts at most ${MAX_NESTING}. Remove the extra ">" or list markers and try again.`,
      depth,
    );
  }
  const run = longestDelimiterRun(markdown);
  if (run.length > MAX_NESTING) {
    throw new NestingTooDeepError(
      `This Markdown has a run of ${run.length.toLocaleString('en')} "${run.char}" characters (line ${run.line.toLocaleString('en')}), ` +
        `which would nest formatting more than ${MAX_NESTING} levels deep; the archive accepts at most ${MAX_NESTING}. ` +
        `Shorten the run, or put a \\ before each "${run.char}" to show it as written, and try again.`,
      null,
    );
  }
}

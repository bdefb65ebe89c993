import { Lexer, Marked, Tokenizer } from 'marked';
import { trustHtml, type SafeHtml } from '../../lib/safe-html.ts';
import { assertMarkdownLineNesting, describeDepth, MARKDOWN_LIST_LEVELS, MAX_NESTING, NestingTooDeepError } from './limits.ts';
import { escapeText, normalizeText } from './normalize.ts';
import { sanitizeFieldHtml, sanitizeWorkHtml, type SanitizeOptions } from './sanitize.ts';

export type TextFormat = 'plain' | 'markdown' | 'html';

// GFM with `breaks`: story text written in Markdown editors rarely hard-wraps, and a file whose
// paragraphs are single lines would otherwise run together into one paragraph. Its own instance,
// so no other code's marked options leak in.
const markdown = new Marked({ gfm: true, breaks: true, async: false });

// marked lexes a quote's, a list item's, a link's and an emphasis's contents by calling itself, so
// its recursion is as deep as the Markdown nests. Counting the levels of the tokenizers that are
// running stops it at MAX_NESTING, whatever construct (or mix of them, over any number of lines)
// builds the nesting. Every running tokenizer below the one being entered has matched and is
// lexing its contents (that is the only way back into a tokenizer), so the count is the depth of
// the text being read. Synchronous, so one counter per thread is exact.
let markdownDepth = 0;
function depthGuarded<A extends unknown[], R>(tokenize: (this: Tokenizer, ...args: A) => R, levels = 1) {
  return function guarded(this: Tokenizer, ...args: A): R {
    if (markdownDepth >= MAX_NESTING) throw new NestingTooDeepError(markdownTooDeep(null), null);
    markdownDepth += levels;
    try {
      return tokenize.apply(this, args);
    } finally {
      markdownDepth -= levels;
    }
  };
}
const base = Tokenizer.prototype;

// Three of marked's inline rules take time quadratic in a run of characters, each fixed here by an
// equivalent rule that reads the run once (measured: a 40 KB run went from seconds to milliseconds):
// - the text rule looks ahead for `spaces then a line break` at every position inside a run of
//   spaces; it now does so only where the run starts (the lookahead gives the same answer there);
// - it looks ahead for an e-mail address (`name@`) from every character of a long name, one
//   character per token; the name is now read at most 64 characters ahead (the most an address
//   may have before its @);
// - the bare-link rule trims trailing punctuation one character per pass over the whole link; a
//   trailing run (and an entity before it, as the old passes did) now goes in one pass.
// And two searches that run from every candidate to the end of the paragraph when nothing ends
// them, one paragraph-length search per character:
// - the search for the closing `*`, `_` or `~~` of a span (`_'\*` repeated: 28 s for 80 KB) now
//   shares a budget per paragraph: four steps of the closer rule per delimiter character in it,
//   plus CLOSER_ALLOWANCE. Ordinary emphasis needs less (dense italics, bold and nesting were
//   measured: two steps fell short on some, four on none); a paragraph of openers that never close
//   spends the budget, and the rest of its delimiters are plain text;
// - inline HTML that opens `<?` or `<!` (not a comment) is looked for in the next RAW_TAG_WINDOW
//   characters only (`<?xml` repeated with no `?>`: 28 s for 800 KB).
const inline = Lexer.rules.inline.breaks;
const CLOSER_STEPS_PER_DELIMITER = 4;
const CLOSER_ALLOWANCE = 512;
const RAW_TAG_WINDOW = 1024;

let closerBudget = 0;
/** A closing-delimiter rule whose `exec` stops finding matches once the paragraph's budget is spent. */
class BudgetedSearch extends RegExp {
  override exec(text: string): RegExpExecArray | null {
    if (closerBudget <= 0) return null;
    closerBudget--;
    return super.exec(text);
  }
}
/** Starts a paragraph's budget; marked calls this once per inline text, nested spans included. */
function startCloserBudget(maskedSrc: string): string {
  if (markdownDepth === 0) {
    let delimiters = 0;
    for (let i = 0; i < maskedSrc.length; i++) {
      const c = maskedSrc.charCodeAt(i);
      if (c === 0x2a || c === 0x5f || c === 0x7e) delimiters++;
    }
    closerBudget = CLOSER_STEPS_PER_DELIMITER * delimiters + CLOSER_ALLOWANCE;
  }
  return maskedSrc;
}
const cappedCloserRules = {
  emStrongRDelimAst: new BudgetedSearch(inline.emStrongRDelimAst.source, inline.emStrongRDelimAst.flags),
  emStrongRDelimUnd: new BudgetedSearch(inline.emStrongRDelimUnd.source, inline.emStrongRDelimUnd.flags),
  delRDelim: new BudgetedSearch(inline.delRDelim.source, inline.delRDelim.flags),
};
const EMAIL_NAME = "[a-zA-Z0-9.!#$%&'*+\\/=?_`{\\|}~-]";
const PUNCTUATION = `[?!.,:;*_'"~)]`;
function patchRule(rule: RegExp, replacements: [string, string][]): RegExp {
  let source = rule.source;
  for (const [from, to] of replacements) {
    // A marked upgrade that changes these rules must be looked at again, not silently run unpatched.
    if (!source.includes(from)) throw new Error(`marked's rule ${rule.source} no longer contains ${from}`);
    source = source.replaceAll(from, to);
  }
  return new RegExp(source, rule.flags);
}
const linearInline = {
  ...inline,
  text: patchRule(inline.text, [
    ['| *\\n|', '|(?<! ) *\\n|'],
    [`${EMAIL_NAME}+@`, `${EMAIL_NAME}{1,64}@`],
  ]),
  _backpedal: patchRule(inline._backpedal, [
    [`${PUNCTUATION}+(?!$)`, `${PUNCTUATION}+(?=[^?!.,:;*_'"~)])`],
    ['&(?![a-zA-Z0-9]+;$)', `&(?![a-zA-Z0-9]+;${PUNCTUATION}*$)`],
  ]),
  ...cappedCloserRules,
};
function withLinearRules<A extends unknown[], R>(tokenize: (this: Tokenizer, ...args: A) => R) {
  return function linear(this: Tokenizer, ...args: A): R {
    const rules = this.rules;
    this.rules = { ...rules, inline: linearInline };
    try {
      return tokenize.apply(this, args);
    } finally {
      this.rules = rules;
    }
  };
}

function rawTagWindow(src: string): string {
  return src.charCodeAt(0) === 0x3c && (src[1] === '?' || (src[1] === '!' && !src.startsWith('<!--'))) ? src.slice(0, RAW_TAG_WINDOW) : src;
}

markdown.use({
  hooks: { emStrongMask: startCloserBudget },
  tokenizer: {
    tag(src) {
      return base.tag.call(this, rawTagWindow(src));
    },
    inlineText: withLinearRules(base.inlineText),
    url: withLinearRules(base.url),
    blockquote: depthGuarded(base.blockquote),
    list: depthGuarded(base.list, MARKDOWN_LIST_LEVELS),
    link: depthGuarded(base.link),
    reflink: depthGuarded(base.reflink),
    emStrong: depthGuarded(withLinearRules(base.emStrong)),
    del: depthGuarded(withLinearRules(base.del)),
  },
});

function markdownTooDeep(depth: number | null): string {
  return (
    `This Markdown nests quotes, lists or formatting ${describeDepth(depth)}; the archive accepts at most ${MAX_NESTING}. ` +
    'Remove the extra nesting and try again.'
  );
}

/** Markdown to HTML (unsanitized); throws NestingTooDeepError for nesting past MAX_NESTING. */
function markdownToHtml(text: string): string {
  assertMarkdownLineNesting(text);
  try {
    return markdown.parse(text, { async: false });
  } catch (error) {
    // marked appends a "please report this" line to errors it passes on; the author gets ours.
    if (error instanceof NestingTooDeepError) throw new NestingTooDeepError(markdownTooDeep(error.depth), error.depth);
    // Defence in depth: a recursion this guard does not know of still ends as the author's error.
    if (error instanceof RangeError) throw new NestingTooDeepError(markdownTooDeep(null), null);
    throw error;
  }
}

/**
 * Converts pasted/uploaded text in the given format to sanitized chapter HTML. Throws
 * NestingTooDeepError when the markup nests deeper than MAX_NESTING.
 */
export function toChapterHtml(input: string, format: TextFormat, options: SanitizeOptions = {}): SafeHtml {
  switch (format) {
    case 'plain':
      return plainToHtml(input);
    case 'markdown':
      // marked passes raw HTML through; sanitizing its output is what makes it safe.
      return sanitizeWorkHtml(markdownToHtml(normalizeText(input)), options);
    case 'html':
      return sanitizeWorkHtml(input, options);
  }
}

/**
 * Plain text: every non-blank line is a paragraph, its characters exactly as typed (escaped only).
 * Blank lines, however many, only separate. Built by escaping, so no sanitizer pass is needed.
 */
function plainToHtml(input: string): SafeHtml {
  const paragraphs: string[] = [];
  for (const line of normalizeText(input).split('\n')) {
    if (/[^ \t]/.test(line)) paragraphs.push(`<p>${escapeText(line)}</p>`);
  }
  return trustHtml(paragraphs.join('\n'));
}

// A tag (`<em>`, `</p>`, `<br/>`) or a comment: `<3` and `a < b` are not markup.
const LOOKS_LIKE_HTML = /<\/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?\/?>|<!--/;

/**
 * Comments, summaries and notes: plain text with line breaks OR limited HTML, like AO3's fields ->
 * SafeHtml (the fields' allowlist: no players, no classes). In both, a blank line starts a
 * paragraph and a single newline is a line break, as AO3 does for these short fields.
 */
export function toFieldHtml(input: string): SafeHtml {
  const text = normalizeText(input);
  if (LOOKS_LIKE_HTML.test(text)) return sanitizeFieldHtml(text);
  // Text without tags is still HTML to AO3: `&amp;` shows as `&`. Only `<` and `>` are escaped, so
  // that `<3` and `a < b` stay text; an `&` that starts no entity is escaped by the sanitizer.
  return sanitizeFieldHtml(text.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;')));
}

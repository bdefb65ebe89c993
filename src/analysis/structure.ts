// Paragraphs, sentences and word tokens, as character offsets into the input text.

/** A half-open range [start, end) of UTF-16 string indices into the analysed text. */
export interface Span {
  start: number;
  end: number;
}

/** Paragraphs, sentences and word tokens of a text. */
export interface Structure {
  /** The text the offsets index into, with HTML markup blanked out (same length as the input). */
  plain: string;
  paragraphs: Span[];
  sentences: Span[];
  /** Sentence index of the first sentence of each paragraph, plus a final sentinel. */
  paragraphFirstSentence: number[];
  /** Word token starts and ends, parallel arrays (typed to avoid one object per token). */
  tokenStarts: Uint32Array;
  tokenEnds: Uint32Array;
  wordCount: number;
}

// A tag holds no '<' (sanitized attribute values escape it): stopping there keeps each failed
// search for a '>' short, where "[^>]*" would run from every unclosed '<' to the end of the text.
const HTML_HINT = /<(?:p|br|div|em|i|b|strong|span|hr|blockquote|h[1-6])\b[^<>]*>/i;
const HTML_TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);/g;
const BLOCK_TAGS = new Set(['p', 'br', 'div', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'center', 'table', 'tr']);
const ENTITIES: Record<string, string> = {
  quot: '"',
  amp: '&',
  apos: "'",
  lt: '<',
  gt: '>',
  nbsp: ' ',
  ldquo: '\u201c',
  rdquo: '\u201d',
  lsquo: '\u2018',
  rsquo: '\u2019',
  mdash: '\u2014',
  ndash: '\u2013',
  hellip: '\u2026',
};

/** Blanks out HTML tags and entities without changing the text's length, so offsets stay valid. */
export function maskHtml(text: string): string {
  if (!HTML_HINT.test(text)) return text;
  return text.replace(HTML_TAG, (match: string, tag: string | undefined, entity: string | undefined) => {
    const n = match.length;
    if (tag !== undefined) {
      const name = tag.toLowerCase();
      if (name === 'hr') return n >= 3 ? '\n*' + '\n'.repeat(n - 2) : '\n'.repeat(n);
      return BLOCK_TAGS.has(name) ? '\n'.repeat(n) : ' '.repeat(n);
    }
    let ch = ' ';
    if (entity !== undefined) {
      if (entity.startsWith('#x')) ch = String.fromCharCode(parseInt(entity.slice(2), 16));
      else if (entity.startsWith('#')) ch = String.fromCharCode(parseInt(entity.slice(1), 10));
      else ch = ENTITIES[entity.toLowerCase()] ?? ' ';
      if (ch.length !== 1) ch = ' ';
    }
    return ch + ' '.repeat(n - 1);
  });
}

/** A line break of any convention: CRLF, LF, CR, or Unicode's line and paragraph separators (CRLF never as two). */
const LINE_BREAK = String.raw`(?:\r\n|\r(?!\n)|[\n\u2028\u2029])`;
/** Whitespace within a line: every \s but the line breaks. */
const LINE_SPACE = String.raw`[^\S\n\r\u2028\u2029]`;
/** An empty line between two line breaks, or U+2029, which separates paragraphs by itself. */
const BLANK_LINE = new RegExp(`${LINE_BREAK}${LINE_SPACE}*${LINE_BREAK}|\\u2029`);

/** Splits text into paragraphs at blank lines, or at single line breaks when it has no blank lines. */
export function findParagraphs(text: string): Span[] {
  const separator = BLANK_LINE.test(text) ? new RegExp(`(?:${BLANK_LINE.source})\\s*`, 'g') : new RegExp(`${LINE_BREAK}\\s*`, 'g');
  const out: Span[] = [];
  let from = 0;
  const push = (a: number, b: number): void => {
    while (a < b && isSpace(text.charCodeAt(a))) a++;
    while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
    if (b > a) out.push({ start: a, end: b });
  };
  for (let m = separator.exec(text); m !== null; m = separator.exec(text)) {
    push(from, m.index);
    from = m.index + m[0].length;
  }
  push(from, text.length);
  return out;
}

/** "CHAPTER 61. Stubb Kills a Whale.", "Book II", "Part Three": a numbered heading's opening words. */
const NUMBERED_HEADING = /^(?:CHAPTER|Chapter|BOOK|Book|PART|Part)\s+(?:\d+|[IVXLC]+\b|[A-Z][a-z]+\b)/;
/** Short words a title leaves in lower case ("Stubb Kills a Whale", "The Prisoner of Zenda"). */
const TITLE_SMALL_WORDS = new Set([
  'a',
  'an',
  'the',
  'of',
  'and',
  'in',
  'on',
  'at',
  'to',
  'for',
  'with',
  'by',
  'from',
  'or',
  'as',
  'into',
  'upon',
]);
/** The longest paragraph read as a heading. */
const HEADING_MAX = 100;

/**
 * True when a paragraph is a heading: a numbered chapter, book or part, or a short line in title
 * case with no quotation. Its capitalised words are a title's ("Stubb Kills a Whale"), not names
 * in a sentence.
 */
export function isHeading(text: string, p: Span): boolean {
  if (p.end - p.start > HEADING_MAX) return false;
  const line = text.slice(p.start, p.end);
  if (NUMBERED_HEADING.test(line)) return true;
  if (/["\u201c\u201d\u2018\u00ab\u00bb\u201e:]/.test(line)) return false;
  const words = line.match(/[\p{L}][\p{L}\p{M}'\u2019-]*/gu) ?? [];
  if (words.length < 2) return false;
  return words.every((w) => isUpper(w.charCodeAt(0)) || TITLE_SMALL_WORDS.has(w));
}

/**
 * True for exactly the code units a regular expression's \s matches (Unicode White_Space, with
 * U+FEFF): the hand-written scans and the patterns must agree on what a space is, or a scan that
 * skips "spaces" can stop where a pattern expected it to go on.
 */
export function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** True for a code unit that ends a line: LF, CR (alone or in CRLF), U+2028, U+2029. */
export function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * The offset after one gap between two words at `i`: a single whitespace character, or CRLF; -1
 * when there is none. Name words are joined across exactly such a gap, whatever its whitespace.
 */
export function wordGapEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 13 && text.charCodeAt(i + 1) === 10) return i + 2;
  return isSpace(c) ? i + 1 : -1;
}

/**
 * The text lower-cased without changing its length (U+0130 would become two code units and shift
 * every offset after it), every whitespace character a plain space, so that cue phrases written
 * with spaces match across a no-break space, a tab or a line break alike.
 */
export function lowerForMatching(text: string): string {
  return text
    .replace(/\u0130/g, 'I')
    .toLowerCase()
    .replace(/[^\S ]/g, ' ');
}

// The lookbehind starts a match only at the first mark of a run ("?!?!"): otherwise a long run of
// marks not followed by a space is retried from each of its marks to its end, a quadratic scan.
const SENTENCE_END = /(?<![.!?\u2026])[.!?\u2026]+(?:["'\u201d\u2019)\]]+)?(?=\s)|\r\n?|[\n\u2028\u2029]/g;
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'jr',
  'sr',
  'prof',
  'capt',
  'col',
  'gen',
  'lt',
  'sgt',
  'rev',
  'vs',
  'etc',
  'mt',
  'no',
  'mme',
  'mlle',
]);

/** Splits each paragraph into sentences at end punctuation followed by space and a non-lowercase letter. */
export function findSentences(text: string, paragraphs: Span[]): { sentences: Span[]; paragraphFirstSentence: number[] } {
  const sentences: Span[] = [];
  const first: number[] = [];
  for (const p of paragraphs) {
    first.push(sentences.length);
    let from = p.start;
    const para = text.slice(p.start, p.end); // bounded search: a paragraph without an end mark must not scan the rest
    SENTENCE_END.lastIndex = 0;
    for (let m = SENTENCE_END.exec(para); m !== null; m = SENTENCE_END.exec(para)) {
      const index = p.start + m.index;
      const end = index + m[0].length;
      if (!isLineBreak(m[0].charCodeAt(0))) {
        if (m[0][0] === '.' && m[0].length === 1 && isAbbreviation(text, index)) continue;
        let k = end;
        while (k < p.end && isSpace(text.charCodeAt(k))) k++;
        const c = text.charCodeAt(k);
        if (c >= 97 && c <= 122) continue; // "..." followed by lowercase continues the sentence
      }
      pushTrimmed(text, sentences, from, Math.min(end, p.end));
      from = end;
    }
    pushTrimmed(text, sentences, from, p.end);
  }
  first.push(sentences.length);
  return { sentences, paragraphFirstSentence: first };
}

function isAbbreviation(text: string, dot: number): boolean {
  let a = dot;
  while (a > 0 && isLetter(text.charCodeAt(a - 1))) a--;
  if (dot - a === 1 && isUpper(text.charCodeAt(a))) return true; // initials: "J. Smith"
  return ABBREVIATIONS.has(text.slice(a, dot).toLowerCase());
}

function pushTrimmed(text: string, out: Span[], a: number, b: number): void {
  while (a < b && isSpace(text.charCodeAt(a))) a++;
  while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
  if (b > a) out.push({ start: a, end: b });
}

/** True for an ASCII or Latin-1/Latin Extended letter code unit. */
export function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7);
}

/** True for an upper-case letter code unit (ASCII and Latin-1). */
export function isUpper(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7);
}

/** True for a lower-case letter code unit (ASCII and Latin-1). */
export function isLower(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 0xdf && c <= 0xff && c !== 0xf7);
}

/** True for a code unit that can be part of a word: letters, digits, and letters beyond Latin-1. */
function isWordChar(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  if (c < 0xc0) return false;
  if (c === 0xd7 || c === 0xf7) return false;
  if (c >= 0x2000 && c <= 0x2bff) return false; // punctuation, symbols, arrows
  if (c >= 0x3000 && c <= 0x303f) return false;
  if (c >= 0xd800 && c <= 0xdfff) return true; // astral letters (and emoji), kept whole
  return c !== 0xfeff;
}

/** Finds word tokens (letters and digits, with inner apostrophes) as parallel start/end arrays. */
export function tokenize(text: string): { starts: Uint32Array; ends: Uint32Array; count: number } {
  let starts = new Uint32Array(Math.max(16, text.length >> 2));
  let ends = new Uint32Array(starts.length);
  let n = 0;
  const len = text.length;
  let i = 0;
  while (i < len) {
    if (!isWordChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    for (;;) {
      while (i < len && isWordChar(text.charCodeAt(i))) i++;
      const c = text.charCodeAt(i);
      if ((c === 39 || c === 0x2019) && i + 1 < len && isWordChar(text.charCodeAt(i + 1))) {
        i++; // an inner apostrophe: "don't", "Caroline's"
        continue;
      }
      break;
    }
    if (n === starts.length) {
      const s2 = new Uint32Array(n * 2);
      const e2 = new Uint32Array(n * 2);
      s2.set(starts);
      e2.set(ends);
      starts = s2;
      ends = e2;
    }
    starts[n] = start;
    ends[n] = i;
    n++;
  }
  return { starts: starts.subarray(0, n), ends: ends.subarray(0, n), count: n };
}

/** Computes paragraphs, sentences and tokens of a plain-text or sanitized-HTML story. */
export function analyzeStructure(input: string): Structure {
  const plain = maskHtml(input);
  const paragraphs = findParagraphs(plain);
  const { sentences, paragraphFirstSentence } = findSentences(plain, paragraphs);
  const tokens = tokenize(plain);
  return {
    plain,
    paragraphs,
    sentences,
    paragraphFirstSentence,
    tokenStarts: tokens.starts,
    tokenEnds: tokens.ends,
    wordCount: tokens.count,
  };
}

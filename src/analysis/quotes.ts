// Finds quotations (dialogue) with their spans, including the quotation marks.
import { isLetter, isLineBreak, isSpace, type Span } from './structure.ts';
import { SPEECH_VERBS } from './lexicons/words.ts';

/** One stretch of dialogue. `start`/`end` include the marks; `contentStart`/`contentEnd` exclude them. */
export interface QuoteSpan {
  start: number;
  end: number;
  contentStart: number;
  contentEnd: number;
  /** Index of the paragraph where the quotation opens. */
  paragraph: number;
  /** Index of the paragraph where it ends (differs for multi-paragraph quotations). */
  endParagraph: number;
}

type Style = 'double' | 'single';

const DOUBLE_MARKS = /["\u201c\u201d\u201e\u00ab\u00bb]/g;
const SINGLE_MARKS = /['\u2018\u2019]/g;
const DASH_OPENING = /^(?:\u2014|\u2015|\u2013|--(?!-))\s*(?=\S)/;

/** Picks double or single quotation marks as the text's dialogue style by counting likely openers. */
export function detectQuoteStyle(text: string): Style {
  let doubles = 0;
  let singles = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 0x201c || c === 0x201d || c === 0xab || c === 0xbb || c === 0x201e) doubles++;
    else if (c === 0x2018 || c === 39) {
      // count a single mark only where it can open a quotation: after space, before a letter
      const before = i === 0 ? 32 : text.charCodeAt(i - 1);
      const after = text.charCodeAt(i + 1);
      if ((isSpace(before) || before === 0x2014) && isLetter(after)) singles++;
    }
  }
  return singles > doubles * 2 && singles >= 4 ? 'single' : 'double';
}

/** Finds every quotation in the text, given its paragraphs (see structure.findParagraphs). */
export function findQuotations(text: string, paragraphs: Span[]): QuoteSpan[] {
  const style = detectQuoteStyle(text);
  const marks = style === 'double' ? DOUBLE_MARKS : SINGLE_MARKS;
  const out: QuoteSpan[] = [];
  let open = -1; // offset of the opening mark, or -1
  let openPara = -1; // paragraph where the open quotation started
  let curPara = -1; // paragraph the open quotation has reached
  let p = 0; // paragraph of the current mark
  const close = (end: number, endPara: number, hasMark: boolean): void => {
    let e = end;
    if (!hasMark) while (e > open + 1 && isSpace(text.charCodeAt(e - 1))) e--;
    out.push({ start: open, end: e, contentStart: open + 1, contentEnd: hasMark ? e - 1 : e, paragraph: openPara, endParagraph: endPara });
    open = -1;
  };
  marks.lastIndex = 0;
  for (let m = marks.exec(text); m !== null; m = marks.exec(text)) {
    const i = m.index;
    while (p < paragraphs.length - 1 && paragraphs[p]!.end <= i) p++;
    const role = markRole(text, i, text.charCodeAt(i), style, open >= 0);
    if (role === 'none') continue;
    if (open >= 0 && p !== curPara) {
      // The quotation is still open at a paragraph break.
      const atParaStart = i === paragraphs[p]!.start;
      if (p === curPara + 1 && atParaStart && role !== 'close') {
        curPara = p; // continuation mark of a multi-paragraph quotation
        continue;
      }
      const closesHere = role === 'close' || (role === 'either' && !atParaStart && closingLike(text, i));
      if (closesHere && p - curPara <= 2) {
        close(i + 1, p, true); // a line-broken quotation closing in a later paragraph
        continue;
      }
      close(paragraphs[curPara]!.end, curPara, false); // unterminated at its paragraph's end
    }
    if (role === 'either' && p === curPara) {
      // a straight mark whose spacing says which way it faces resynchronises a long paragraph
      // after an unbalanced mark ('SOUTH CAROLINA.' "One of…')
      const facing = straightFacing(text, i);
      if (open < 0 && facing === 'close') continue;
      if (open >= 0 && facing === 'open' && /\S/.test(text.slice(open + 1, i))) {
        close(i, p, false);
        open = i;
        openPara = curPara = p;
        continue;
      }
    }
    if (open < 0) {
      if (role === 'close') continue; // stray closing mark
      open = i;
      openPara = curPara = p;
    } else if (role === 'open') {
      close(i, p, false); // an opener inside an open quotation: the previous one lacked its closer
      open = i;
      openPara = curPara = p;
    } else {
      close(i + 1, p, true);
    }
  }
  if (open >= 0) close(paragraphs[curPara]!.end, curPara, false);
  const filtered = out.filter((q) => q.contentEnd > q.contentStart && /\S/.test(text.slice(q.contentStart, q.contentEnd)));
  const dashed = findDashDialogue(text, paragraphs, filtered);
  if (filtered.length === 0 && dashed.length === 0) return findInlineDashDialogue(text, paragraphs);
  return mergeSorted(filtered, dashed);
}

/**
 * Which way a straight mark faces by its spacing alone: 'open' after a space and before a word,
 * 'close' after a word and before a space or punctuation, else 'either'.
 */
function straightFacing(text: string, i: number): 'open' | 'close' | 'either' {
  const before = i === 0 ? 32 : text.charCodeAt(i - 1);
  const after = i + 1 < text.length ? text.charCodeAt(i + 1) : 32;
  const wordAfter = isLetter(after) || (after >= 48 && after <= 57) || after === 39 || after === 0x2018;
  const wordBefore =
    isLetter(before) ||
    before === 46 ||
    before === 44 ||
    before === 33 ||
    before === 63 ||
    before === 39 ||
    before === 0x2019 ||
    before === 45 ||
    before === 0x2014;
  if ((isSpace(before) || before === 40) && wordAfter) return 'open';
  if (wordBefore && (isSpace(after) || after === 46 || after === 44 || after === 59 || after === 58 || after === 41)) return 'close';
  return 'either';
}

/** A straight mark that reads as a closer: glued to the word before, or followed by space or punctuation. */
function closingLike(text: string, i: number): boolean {
  const before = i === 0 ? 32 : text.charCodeAt(i - 1);
  const after = i + 1 < text.length ? text.charCodeAt(i + 1) : 32;
  return !isSpace(before) || !isLetter(after);
}

/** Classifies a quotation mark as an opener, a closer, either (straight marks) or not a mark (apostrophes). */
function markRole(text: string, i: number, c: number, style: Style, inside: boolean): 'open' | 'close' | 'either' | 'none' {
  const before = i === 0 ? 32 : text.charCodeAt(i - 1);
  const after = i + 1 < text.length ? text.charCodeAt(i + 1) : 32;
  if (style === 'double') {
    if (c === 0x201c || c === 0x201e || c === 0xab) return 'open';
    if (c === 0x201d || c === 0xbb) return 'close';
    return 'either';
  }
  if (c === 0x2018) return isLetter(before) ? 'none' : 'open';
  // straight ' and curly ’: apostrophes inside words or elisions are not marks
  if (isLetter(before) && isLetter(after)) return 'none';
  if (!inside) {
    // a space within the line may follow an opener; a line break never does
    if (c === 39 && !isLetter(before) && (isLetter(after) || (isSpace(after) && !isLineBreak(after)))) return 'open';
    return 'none';
  }
  if (!isLetter(after) && !isSpace(before)) {
    // "the boys' books" inside a quotation: a closer must be followed by space/punctuation and
    // we accept the ambiguity; plural possessives are rarer than closers.
    return 'close';
  }
  if (c === 39 && isSpace(before) && isLetter(after)) return 'none';
  return 'none';
}

/** Finds em-dash dialogue: paragraphs that open with a dash, up to a dash that introduces attribution. */
function findDashDialogue(text: string, paragraphs: Span[], quotes: QuoteSpan[]): QuoteSpan[] {
  const out: QuoteSpan[] = [];
  let qi = 0;
  for (let p = 0; p < paragraphs.length; p++) {
    const para = paragraphs[p]!;
    while (qi < quotes.length && quotes[qi]!.end <= para.start) qi++;
    if (qi < quotes.length && quotes[qi]!.start < para.end) continue; // paragraph already has marked dialogue
    if (para.end - para.start > 3000) continue; // a text without line breaks: see findInlineDashDialogue
    const head = text.slice(para.start, Math.min(para.end, para.start + 4));
    const m = DASH_OPENING.exec(head);
    if (m === null) continue;
    const contentStart = para.start + m[0].length;
    // the spoken part ends at " — said X" style attribution (a dash followed by a lower-case word)
    const rest = text.slice(contentStart, para.end);
    const attr = /\s(?:\u2014|\u2013|--)\s*(?=[a-z])/.exec(rest);
    const contentEnd = attr === null ? para.end : contentStart + attr.index;
    out.push({ start: para.start, end: contentEnd, contentStart, contentEnd, paragraph: p, endParagraph: p });
  }
  return out;
}

const INLINE_DASH = /(?:^|[.!?:]\s+)((?:\u2014|\u2015|--)\s*)(?=[A-Z\u2018\u201c'"])/g;
const NARRATION_START =
  /^(?:(?:He|She|They|His|Her|Their|The|It|Then|And|But|When|As)\b|[A-Z][a-z]+\s+(?:had|was|said|asked|answered|replied|cried|went|came|looked|turned|[a-z]+ed)\b)/;

/**
 * Finds dash-introduced dialogue inside running paragraphs (Joyce's style: "He said: — Come up!"),
 * used only when a text has no quotation marks. A speech ends at the next dash, before an
 * attribution ("! he said") or before a sentence that reads as narration.
 */
function findInlineDashDialogue(text: string, paragraphs: Span[]): QuoteSpan[] {
  const opens: number[] = [];
  INLINE_DASH.lastIndex = 0;
  for (let m = INLINE_DASH.exec(text); m !== null; m = INLINE_DASH.exec(text)) {
    opens.push(m.index + m[0].length - m[1]!.length);
    INLINE_DASH.lastIndex = m.index + m[0].length;
  }
  if (opens.length < 3) return [];
  const out: QuoteSpan[] = [];
  let p = 0;
  for (let k = 0; k < opens.length; k++) {
    let start = opens[k]!;
    let marked = true; // the first stretch opens with the dash; continuations have no mark
    while (p < paragraphs.length - 1 && paragraphs[p]!.end <= start) p++;
    const limit = Math.min(paragraphs[p]!.end, opens[k + 1] ?? Infinity);
    for (let guard = 0; guard < 20 && start < limit; guard++) {
      let end = limit;
      let attributed = false;
      const span = text.slice(start, Math.min(text.length, limit + 40)); // bounded searches
      // from the first mark of a run only: a long run of marks would else be retried from each mark
      const sentenceEnd = /(?<![.!?])[.!?]+(?=\s+(\S+(?:\s+\S+)?))/g;
      for (let m = sentenceEnd.exec(span); m !== null && start + m.index < limit; m = sentenceEnd.exec(span)) {
        const nextWord = m[1]!;
        if (/^[a-z]/.test(nextWord) || NARRATION_START.test(nextWord)) {
          end = start + m.index + m[0].length;
          attributed = /^[a-z]/.test(nextWord);
          break;
        }
      }
      const inner = /,\s+(?:he|she|I|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+([a-z]+)/g;
      for (let m = inner.exec(span); m !== null && start + m.index < end; m = inner.exec(span)) {
        if (SPEECH_VERBS.has(m[1]!)) {
          end = start + m.index + 1; // "— Thanks, old chap, he cried"
          attributed = true;
          break;
        }
      }
      while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
      const contentStart = marked ? start + (/^--/.test(text.slice(start, start + 2)) ? 2 : 1) : start;
      if (end > contentStart) out.push({ start, end, contentStart, contentEnd: end, paragraph: p, endParagraph: p });
      if (!attributed) break;
      // "— Thanks, he cried briskly. That will do nicely.": the speech resumes after the
      // attribution unless the next sentence reads as narration
      const after = /(?<![.!?])[.!?]+\s+/g;
      const m = after.exec(text.slice(end, limit));
      if (m === null) break;
      const resume = end + m.index + m[0].length;
      const rest = text.slice(resume, Math.min(limit, resume + 60));
      if (resume >= limit || !/^[A-Z\u2018\u201c'"]/.test(rest) || NARRATION_START.test(rest)) break;
      start = resume;
      marked = false;
    }
  }
  return out;
}

function mergeSorted(a: QuoteSpan[], b: QuoteSpan[]): QuoteSpan[] {
  if (b.length === 0) return a;
  return [...a, ...b].sort((x, y) => x.start - y.start);
}

// Finds quotations (dialogue) with their spans, including the quotation marks.
import { isLetter, isLineBreak, isSpace, type Span } from './structure.ts';
import { SPEECH_VERBS } from './lexicons/words.ts';
import { type LanguageLexicon, lexiconFor } from './language.ts';
import { findChatLines } from './chat.ts';
import { splitAttributions } from './dash-dialogue.ts';

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
  /** How it is marked: quotation marks (the default), a dialogue dash, or a chat, IRC or script line. */
  kind?: 'marks' | 'dash' | 'chat';
  /** A chat or script line's speaker: the span of the name or handle before the line. */
  speakerSpan?: Span;
}

type Style = 'double' | 'single';
type MarkRole = 'open' | 'close' | 'either' | 'none';

/** The text's quotation marks and which way each faces, decided once per text. */
interface MarkScheme {
  style: Style;
  pattern: RegExp;
  /** Roles fixed by the text's convention (German „…“ and »…«, French «…», Swedish ”…”, 「…」). */
  roles: Map<number, MarkRole>;
}

const GUILLEMETS = new Set([0xab, 0xbb, 0x2039, 0x203a]);
const DOUBLE_CODES = [34, 0x201c, 0x201d, 0x201e, 0xab, 0xbb, 0x300c, 0x300d, 0x300e, 0x300f];

/** Picks double or single quotation marks as the text's dialogue style by counting likely openers. */
export function detectQuoteStyle(text: string): Style {
  return detectMarkScheme(text, [{ start: 0, end: text.length }]).style;
}

/**
 * Reads the text's convention of quotation marks in one pass: double or single marks (by likely
 * openers), German low-high marks („…“, ‚…‘) when the low mark is common, the direction of
 * guillemets from the one that comes first in most paragraphs (French «…», German »…«), Swedish and
 * Finnish ”…” (one mark both ways) when no other curly double mark occurs, and corner brackets,
 * 『』 only when 「」 (which they nest in) are absent.
 */
function detectMarkScheme(text: string, paragraphs: Span[]): MarkScheme {
  const count = new Map<number, number>();
  let singles = 0;
  let doubles = 0;
  let frenchFirst = 0; // paragraphs whose first guillemet is « (or ‹)
  let germanFirst = 0; // paragraphs whose first guillemet is » (or ›)
  let p = 0;
  let seen = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 34 && c !== 39 && c !== 0xab && c !== 0xbb && (c < 0x2018 || c > 0x203a) && (c < 0x300c || c > 0x300f)) continue;
    count.set(c, (count.get(c) ?? 0) + 1);
    if (DOUBLE_CODES.includes(c)) doubles++;
    else if (c === 0x2018 || c === 39) {
      // count a single mark only where it can open a quotation: after space, before a letter
      const before = i === 0 ? 32 : text.charCodeAt(i - 1);
      const after = text.charCodeAt(i + 1);
      if ((isSpace(before) || before === 0x2014) && isLetter(after)) singles++;
    } else if (c === 0x201a || c === 0x2039) singles++;
    if (GUILLEMETS.has(c)) {
      while (p < paragraphs.length - 1 && paragraphs[p]!.end <= i) {
        p++;
        seen = false;
      }
      if (!seen) {
        seen = true;
        if (c === 0xab || c === 0x2039) frenchFirst++;
        else germanFirst++;
      }
    }
  }
  const n = (c: number): number => count.get(c) ?? 0;
  const roles = new Map<number, MarkRole>();
  const german = germanFirst > frenchFirst;
  const style: Style = singles > doubles * 2 && singles >= 4 ? 'single' : 'double';
  if (style === 'double') {
    const chars = ['"', '\u201c', '\u201d', '\u201e', '\u00ab', '\u00bb'];
    if (n(0x201e) > 0 && n(0x201e) >= 0.3 * (n(0x201c) + n(0x201d))) {
      roles.set(0x201e, 'open').set(0x201c, 'close').set(0x201d, 'close'); // German „…“ (and „…”)
    } else if (n(0x201c) === 0 && n(0x201e) === 0 && n(0x201d) >= 2) {
      roles.set(0x201d, 'either'); // Swedish and Finnish ”…”
    } else roles.set(0x201c, 'open').set(0x201e, 'open').set(0x201d, 'close');
    roles.set(0xab, german ? 'close' : 'open').set(0xbb, german ? 'open' : 'close');
    chars.push('\u300c', '\u300d');
    roles.set(0x300c, 'open').set(0x300d, 'close');
    if (n(0x300c) === 0) {
      chars.push('\u300e', '\u300f');
      roles.set(0x300e, 'open').set(0x300f, 'close');
    }
    return { style, pattern: new RegExp(`[${chars.join('')}]`, 'g'), roles };
  }
  const chars = ["'", '\u2018', '\u2019'];
  if (n(0x201a) > 0 && n(0x201a) >= 0.3 * n(0x2018)) {
    roles.set(0x201a, 'open').set(0x2018, 'close'); // German ‚…‘
    chars.push('\u201a');
  }
  if (n(0x2039) + n(0x203a) > 0) {
    roles.set(0x2039, german ? 'close' : 'open').set(0x203a, german ? 'open' : 'close');
    chars.push('\u2039', '\u203a');
  }
  return { style, pattern: new RegExp(`[${chars.join('')}]`, 'g'), roles };
}

/**
 * Finds every quotation in the text, given its paragraphs (see structure.findParagraphs): chat,
 * IRC and script lines first, then quotation marks in the text's convention, then dash dialogue;
 * attributions inside a quotation (French incises, `– Hello, said Anna.`) are split out of it.
 */
export function findQuotations(text: string, paragraphs: Span[], lexicon: LanguageLexicon = lexiconFor('en')): QuoteSpan[] {
  const chat = findChatLines(text, paragraphs, lexicon);
  const scheme = detectMarkScheme(text, paragraphs);
  const marks = scheme.pattern;
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
    const role = markRole(text, i, text.charCodeAt(i), scheme, open >= 0);
    if (role === 'none') continue;
    if (open >= 0 && p !== curPara) {
      // The quotation is still open at a paragraph break.
      const atParaStart = i === paragraphs[p]!.start;
      if (p === curPara + 1 && atParaStart && role !== 'close') {
        curPara = p; // continuation mark of a multi-paragraph quotation
        continue;
      }
      const closesHere = role === 'close' || (role === 'either' && !atParaStart && closingLike(text, i));
      // French keeps a whole exchange in one pair of guillemets, each turn a paragraph opening with a dash
      const exchange = closesHere && lexicon.language === 'fr' && dashParagraphs(text, paragraphs, curPara + 1, p);
      if (closesHere && (p - curPara <= 2 || exchange)) {
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
  let filtered = out.filter((q) => q.contentEnd > q.contentStart && /\S/.test(text.slice(q.contentStart, q.contentEnd)));
  if (chat.length > 0) filtered = filtered.filter((q) => !overlapsAny(chat, q));
  for (const q of filtered) trimGuillemetSpaces(text, q);
  // French sets its incises inside the marks: « Je ne sais pas, dit-elle, mais je vais voir. »
  if (lexicon.language === 'fr') filtered = filtered.flatMap((q) => splitMarked(text, q, paragraphs, lexicon));
  const dashed = findDashDialogue(text, paragraphs, mergeSorted(filtered, chat), lexicon);
  if (filtered.length === 0 && dashed.length === 0 && chat.length === 0) return findInlineDashDialogue(text, paragraphs);
  return mergeSorted(mergeSorted(filtered, dashed), chat);
}

/** True when paragraphs [from, to] all open with a dialogue dash. */
function dashParagraphs(text: string, paragraphs: Span[], from: number, to: number): boolean {
  for (let k = from; k <= to; k++) {
    const c = text.charCodeAt(paragraphs[k]!.start);
    if (c !== 0x2014 && c !== 0x2013 && c !== 0x2015) return false;
  }
  return true;
}

/** True when a quotation overlaps one of a sorted list of spans (binary search). */
function overlapsAny(sorted: QuoteSpan[], q: Span): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.end <= q.start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]!.start < q.end;
}

/** « Bonjour » : the spaces French and Swiss typography set inside guillemets are not part of the words. */
function trimGuillemetSpaces(text: string, q: QuoteSpan): void {
  if (!GUILLEMETS.has(text.charCodeAt(q.start))) return;
  while (q.contentStart < q.contentEnd && isSpace(text.charCodeAt(q.contentStart))) q.contentStart++;
  while (q.contentEnd > q.contentStart && isSpace(text.charCodeAt(q.contentEnd - 1))) q.contentEnd--;
}

/**
 * Cuts a marked quotation around the attributions inside it; the first part keeps the opening mark,
 * the last the closing one. A whole exchange in one pair of guillemets, each new turn opening a line
 * with a dash (`« Bonjour, dit-il.` / `— Salut, répondit-elle. »`), is cut into its turns first.
 */
function splitMarked(text: string, q: QuoteSpan, paragraphs: Span[], lexicon: LanguageLexicon): QuoteSpan[] {
  const turns: [from: number, to: number, dashLine: boolean][] = [];
  let from = q.contentStart;
  let dashLine = false;
  for (let i = q.contentStart; i < q.contentEnd; i++) {
    if (!isLineBreak(text.charCodeAt(i))) continue;
    let j = i + 1;
    while (j < q.contentEnd && isSpace(text.charCodeAt(j))) j++;
    const c = text.charCodeAt(j);
    if (j < q.contentEnd && (c === 0x2014 || c === 0x2013 || c === 0x2015)) {
      turns.push([from, i, dashLine]);
      from = j + 1;
      dashLine = true;
      i = j;
    }
  }
  turns.push([from, q.contentEnd, dashLine]);
  const parts = turns.flatMap(([a, b, d]) => splitAttributions(text, a, b, lexicon, d));
  if (parts.length === 0 || (parts.length === 1 && parts[0]![0] === q.contentStart && parts[0]![1] === q.contentEnd)) return [q];
  return parts.map(([a, b], k) => {
    const p = paragraphIndex(paragraphs, a);
    return {
      ...q,
      start: k === 0 ? q.start : a,
      contentStart: a,
      contentEnd: b,
      end: k === parts.length - 1 ? q.end : b,
      paragraph: k === 0 ? q.paragraph : p,
      endParagraph: k === parts.length - 1 ? q.endParagraph : p,
    };
  });
}

/** Index of the paragraph that holds or follows offset `at` (binary search). */
function paragraphIndex(paragraphs: Span[], at: number): number {
  let lo = 0;
  let hi = paragraphs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (paragraphs[mid]!.end <= at) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, paragraphs.length - 1);
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
function markRole(text: string, i: number, c: number, scheme: MarkScheme, inside: boolean): MarkRole {
  const fixed = scheme.roles.get(c);
  if (fixed !== undefined) return fixed;
  if (scheme.style === 'double') return 'either';
  const before = i === 0 ? 32 : text.charCodeAt(i - 1);
  const after = i + 1 < text.length ? text.charCodeAt(i + 1) : 32;
  if (c === 0x2018) return isLetter(before) ? 'none' : 'open';
  // straight ' and curly ’: apostrophes inside words or elisions are not marks
  if (isLetter(before) && isLetter(after)) return 'none';
  if (!inside) {
    // a space within the line may follow an opener; a line break never does
    if (c === 39 && !isLetter(before) && (isLetter(after) || (isSpace(after) && !isLineBreak(after)))) return 'open';
    return 'none';
  }
  if (!isLetter(after) && !isSpace(before)) {
    // "'The Smiths' dog likes us.'": after a plural's s and before a word in lower case, a mark
    // is a possessive when the paragraph closes the quotation later; else it closes it
    if (before === 115 && isPluralPossessive(text, i)) return 'none';
    return 'close';
  }
  return 'none';
}

/** How far ahead a later closer is looked for after a possible plural possessive. */
const POSSESSIVE_LOOKAHEAD = 1000;

/** A mark after a plural's s, followed by a word in lower case, with a closer later in its paragraph. */
function isPluralPossessive(text: string, i: number): boolean {
  if (text.charCodeAt(i + 1) !== 32 || !/[a-z]/.test(text.charAt(i + 2))) return false;
  const limit = Math.min(text.length, i + POSSESSIVE_LOOKAHEAD);
  for (let j = i + 2; j < limit; j++) {
    const c = text.charCodeAt(j);
    if (isLineBreak(c)) return false;
    if ((c === 39 || c === 0x2019) && !isSpace(text.charCodeAt(j - 1)) && !isLetter(text.charCodeAt(j + 1))) return true;
  }
  return false;
}

const DASH_OPENING = /^(?:\u2014|\u2015|\u2013|--(?!-))\s*(?=\S)/;
const LINE = /[^\n\r\u2028\u2029]+/g;
const COLON_DASH = /:\s*((?:\u2014|\u2015|\u2013)\s*)(?=\S)/;

/**
 * Finds dash dialogue: lines (of paragraphs without marked dialogue) that open with an em dash, an
 * en dash or a horizontal bar. The attribution is split out of the spoken words: `– Hello, said
 * Anna. You're late again.` gives `Hello,` and `You're late again.`; `—No —respondió Carlos—.
 * Nunca.` gives `No` and `Nunca.`
 */
function findDashDialogue(text: string, paragraphs: Span[], quotes: QuoteSpan[], lexicon: LanguageLexicon): QuoteSpan[] {
  const out: QuoteSpan[] = [];
  let qi = 0;
  for (let p = 0; p < paragraphs.length; p++) {
    const para = paragraphs[p]!;
    while (qi < quotes.length && quotes[qi]!.end <= para.start) qi++;
    if (qi < quotes.length && quotes[qi]!.start < para.end) continue; // paragraph already has marked dialogue
    if (para.end - para.start > 3000 && !hasLineBreak(text, para)) continue; // a text without line breaks: see findInlineDashDialogue
    const body = text.slice(para.start, para.end);
    LINE.lastIndex = 0;
    for (let m = LINE.exec(body); m !== null; m = LINE.exec(body)) {
      const lineStart = para.start + m.index;
      const lineEnd = lineStart + m[0].length;
      const head = DASH_OPENING.exec(m[0].slice(0, 8));
      // "Carlos dijo: —No quiero hablar.": a dash after a colon opens the speech mid-line (in
      // English such dashes run through whole paragraphs, Joyce's way: see findInlineDashDialogue)
      const afterColon = head === null && !lexicon.english ? COLON_DASH.exec(m[0].slice(0, 400)) : null;
      if (head === null && afterColon === null) continue;
      const contentStart = head !== null ? lineStart + head[0].length : lineStart + afterColon!.index + afterColon![0].length;
      const quoteStart = head !== null ? lineStart : contentStart - afterColon![1]!.length;
      if (!/\p{L}/u.test(text.slice(contentStart, Math.min(lineEnd, contentStart + 200)))) continue; // a rule of dashes, not speech
      const parts = splitAttributions(text, contentStart, lineEnd, lexicon, true);
      for (const [k, [a, b]] of parts.entries())
        out.push({ start: k === 0 ? quoteStart : a, end: b, contentStart: a, contentEnd: b, paragraph: p, endParagraph: p, kind: 'dash' });
    }
  }
  return out;
}

function hasLineBreak(text: string, para: Span): boolean {
  for (let i = para.start; i < para.end; i++) if (isLineBreak(text.charCodeAt(i))) return true;
  return false;
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

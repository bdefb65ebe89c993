// Token and sentence helpers the speaker passes share: a sticky tokenizer over a window of the
// text, sentence ends that know abbreviations and initials, and binary searches over offsets.
import { wordSet } from './lexicons/words.ts';
import type { NameMention } from './characters.ts';
import type { QuoteSpan } from './quotes.ts';
import { isSpace, isUpper } from './structure.ts';

/** A word or punctuation token, lower-cased, with its offsets. */
export interface Tok {
  lower: string;
  start: number;
  end: number;
}

/** One token starting exactly at lastIndex (sticky): any non-space code unit starts one. */
const TOKEN = /[A-Za-z\u00c0-\u024f]+(?:['\u2019][A-Za-z]+)*|[^\sA-Za-z\u00c0-\u024f]/y;

/** Splits text[from, to) into word and punctuation tokens (at most `max`). */
export function tokens(text: string, from: number, to: number, max: number): Tok[] {
  const out: Tok[] = [];
  // spaces are skipped here, up to `to`: a global search would look past `to` for the next
  // token, across any run of whitespace after it, on every call
  const end = Math.min(to, text.length);
  let i = from;
  while (out.length < max) {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i >= end) break;
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(text)!;
    out.push({ lower: m[0].toLowerCase(), start: i, end: i + m[0].length });
    i += m[0].length;
  }
  return out;
}

/** Index of the first element of a sorted array greater than x. */
export function upperBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The name mentions starting in [a, b), from a list sorted by start. */
export function mentionsIn(mentions: NameMention[], a: number, b: number): NameMention[] {
  let lo = 0;
  let hi = mentions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (mentions[mid]!.start < a) lo = mid + 1;
    else hi = mid;
  }
  const out: NameMention[] = [];
  for (let i = lo; i < mentions.length && mentions[i]!.start < b; i++) out.push(mentions[i]!);
  return out;
}

/**
 * True when `q` continues `prev` after a short attribution: the first ends in a comma or dash
 * inside its marks, the narration between is one clause ending in a comma, dash or colon, and the
 * second opens in lower case or after a dash ('"…," said X, "though…"').
 */
export function interruptedBy(text: string, prev: QuoteSpan, q: QuoteSpan): boolean {
  let e = prev.contentEnd - 1;
  while (e > prev.contentStart && isSpace(text.charCodeAt(e))) e--;
  const last = text.charCodeAt(e);
  if (last !== 44 && last !== 45 && last !== 0x2014 && last !== 0x2013) return false;
  const between = text.slice(prev.end, q.start).replace(/\([^()]*\)/g, ''); // "(bless her!)"
  if (between.length > 200 || /[.!?;"\u201c\u201d]/.test(between)) return false;
  if (!/[,:\-\u2014\u2013]\s*$/.test(between)) return false;
  let b = q.contentStart;
  while (b < q.contentEnd && isSpace(text.charCodeAt(b))) b++;
  const first = text.charCodeAt(b);
  return (first >= 97 && first <= 122) || first === 45 || first === 0x2014;
}

/** True when a quotation ends in a comma inside its marks. */
export function endsInComma(text: string, q: QuoteSpan): boolean {
  let e = q.contentEnd - 1;
  while (e > q.contentStart && isSpace(text.charCodeAt(e))) e--;
  return text.charCodeAt(e) === 44;
}

/** True when a quotation ends in a comma, '!', '?' or a dash inside its marks: its sentence goes on after it. */
export function endsOpen(text: string, q: QuoteSpan): boolean {
  let e = q.contentEnd - 1;
  while (e > q.contentStart && isSpace(text.charCodeAt(e))) e--;
  const c = text.charCodeAt(e);
  return c === 44 || c === 33 || c === 63 || c === 45 || c === 0x2014;
}

/** The first non-space offset at or after i. */
export function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Counts sentence-ending marks followed by a capital in text[from, to). */
export function sentenceEnds(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 46 && c !== 33 && c !== 63) continue;
    let k = i + 1;
    while (k < to && isSpace(text.charCodeAt(k))) k++;
    if (k === to || isUpper(text.charCodeAt(k))) n++;
  }
  return n;
}

/** Start of the clause that ends at `to`: after the last sentence end in [from, to). */
export function clauseTail(text: string, from: number, to: number): number | null {
  let k = to - 1;
  while (k >= from && isSpace(text.charCodeAt(k))) k--;
  if (k < from) return null;
  for (let i = k - 1; i >= from; i--) if (endsSentence(text, i)) return i + 1;
  return from;
}

/** Start of the last sentence in [from, to). */
export function lastSentenceStart(text: string, from: number, to: number): number {
  let k = to - 1;
  while (k >= from && isSpace(text.charCodeAt(k))) k--;
  for (let i = k - 1; i >= from; i--) if (endsSentence(text, i)) return i + 1;
  return from;
}

/** End of the first sentence after `from`, or `to`. */
export function findSentenceEnd(text: string, from: number, to: number): number {
  for (let i = from + 1; i < to; i++) if (endsSentence(text, i)) return i + 1;
  return to;
}

const ABBREVIATIONS = wordSet(`mr mrs ms dr st mme mlle prof capt col lt sgt rev gen gov hon jr sr vs`);

/**
 * True when the mark at i ends a sentence: '!', '?' or a full stop that is not an abbreviation
 * ("Mr.", an initial "M. A.") and is not followed by a comma, a bracket or a lower-case word.
 */
export function endsSentence(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c !== 46 && c !== 33 && c !== 63) return false;
  let n = i + 1;
  while (n < text.length && (text.charCodeAt(n) === 41 || text.charCodeAt(n) === 93)) n++; // ")"
  const after = text.charCodeAt(n);
  if (after === 44 || after === 59 || (after >= 97 && after <= 122)) return false;
  if (n < text.length && !isSpace(after) && after !== 34 && after !== 0x201d && after !== 0x2019 && after !== 39) return false;
  if (c !== 46) return true;
  let s = i;
  while (s > 0 && /[A-Za-z]/.test(text.charAt(s - 1))) s--;
  if (i - s === 1 && isUpper(text.charCodeAt(s))) return false; // an initial
  return !ABBREVIATIONS.has(text.slice(s, i).toLowerCase());
}

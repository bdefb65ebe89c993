// The turn pass: cuts the dialogue into turns (one speaker a turn, usually a paragraph) and
// conversations (runs of turns no stretch of narration or chapter heading breaks).
import { wordSet } from './lexicons/words.ts';
import type { QuoteSpan } from './quotes.ts';
import { isSpace, type Span } from './structure.ts';
import { lastSentenceStart, sentenceEnds, skipSpace, tokens, upperBound } from './speaker-text.ts';
import type { SpeakerChoice, SpeakerMethod } from './speakers.ts';

/** What the turn pass reads of a text. */
export interface TurnContext {
  text: string;
  paragraphs: Span[];
  quotes: QuoteSpan[];
}

const SE = 2;
const ANSWER_OPENERS = /^\s*(?:no|yes|oh|well|why|ah|nay|nonsense)\s*[,.!;\u2014-]/i;
const PREPOSITIONS = wordSet(`to at with towards toward for from of by on in into upon about after before behind beside near`);
const CHAPTER_HEADING = /\b(?:CHAPTER|Chapter)\s+(?:[IVXLC]+\b|\d+|[A-Z][a-z]+\b)/;

const headingCache = new WeakMap<TurnContext, Int32Array>();

/** Offsets of chapter headings ("CHAPTER II.", "Chapter One"), found once per text. */
function chapterHeadings(ctx: TurnContext): Int32Array {
  let found = headingCache.get(ctx);
  if (found === undefined) {
    const at: number[] = [];
    const re = new RegExp(CHAPTER_HEADING.source, 'g');
    for (let m = re.exec(ctx.text); m !== null; m = re.exec(ctx.text)) at.push(m.index);
    found = Int32Array.from(at);
    headingCache.set(ctx, found);
  }
  return found;
}

/** Gives `target` the speaker `from` names (its key, character and mention), found by `method`. */
export function speakAs(target: SpeakerChoice, from: SpeakerChoice, method: SpeakerMethod, confidence: number): void {
  Object.assign(target, { key: from.key, speaker: from.speaker, mention: from.mention, method, confidence });
}

/** How far apart (in characters) two quotations may be and still be one exchange. */
export const EXCHANGE_GAP = 600;

/** Characters of narration between quotations i and j, in either order. */
export function quotationGap(quotes: readonly QuoteSpan[], i: number, j: number): number {
  return i < j ? quotes[j]!.start - quotes[i]!.end : quotes[i]!.start - quotes[j]!.end;
}

/** True when enough narration separates two quotations to end a conversation. */
export function conversationBroken(ctx: TurnContext, fromEnd: number, toStart: number): boolean {
  if (toStart - fromEnd > EXCHANGE_GAP) return true;
  const headings = chapterHeadings(ctx);
  const h = upperBound(headings, fromEnd);
  if (h < headings.length && headings[h]! < toStart) return true;
  return paragraphsBetween(ctx.paragraphs, fromEnd, toStart) >= 3;
}

/** Number of whole paragraphs inside (a, b]. */
function paragraphsBetween(paragraphs: Span[], a: number, b: number): number {
  let lo = 0;
  let hi = paragraphs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (paragraphs[mid]!.start <= a) lo = mid + 1;
    else hi = mid;
  }
  let n = 0;
  for (let i = lo; i < paragraphs.length && paragraphs[i]!.end <= b; i++) n++;
  return n;
}

/**
 * Offsets where dialogue units (turns) start: paragraphs. A very long paragraph holding several
 * quotations has usually lost its line breaks, so it is cut again after each quotation that ends
 * a sentence.
 */
export function findUnitBoundaries(ctx: TurnContext, speechVerbs: ReadonlySet<string>): number[] {
  const { text, quotes, paragraphs } = ctx;
  const starts: number[] = [];
  let qi = 0;
  for (const para of paragraphs) {
    starts.push(para.start);
    const first = qi;
    while (qi < quotes.length && quotes[qi]!.start < para.end) qi++;
    if (para.end - para.start < 1500 || qi - first < 3) continue;
    for (let k = first; k < qi; k++) {
      const q = quotes[k]!;
      let e = q.contentEnd - 1;
      while (e > q.contentStart && isSpace(text.charCodeAt(e))) e--;
      const last = text.charCodeAt(e);
      let n = q.end;
      while (n < para.end && isSpace(text.charCodeAt(n))) n++;
      const after = text.charCodeAt(n);
      const finalInside = last === 46 || last === 33 || last === 63 || last === 0x2026 || last === 45 || last === 0x2014;
      const finalOutside = after === 46 || after === 33 || after === 63;
      if (finalOutside) {
        n++;
        while (n < para.end && isSpace(text.charCodeAt(n))) n++;
      }
      const next = text.charCodeAt(n);
      // '"…?" I inquired.': a short attribution after the quotation belongs to its turn
      const attributionEnd =
        (finalInside || finalOutside) && n < para.end && !(next >= 97 && next <= 122) && finalInside && !finalOutside
          ? attributionSentenceEnd(text, n, para.end, speechVerbs)
          : -1;
      // '"…!" cried Pink. "…"': after an exclamation and its attribution the speaker usually goes on
      // (after a question, or the narrator's own '"…!" I said.', usually someone answers)
      if (
        (finalInside || finalOutside) &&
        n < para.end &&
        !(next >= 97 && next <= 122) &&
        !(last === 33 && attributionEnd >= 0 && !/\bI\b/.test(text.slice(n, attributionEnd)))
      ) {
        if (attributionEnd < 0) starts.push(n);
        else if (attributionEnd < para.end) starts.push(attributionEnd);
      } else {
        // a quotation opening a sentence after a stretch of narration starts a new turn
        const nq = quotes[k + 1];
        // '"…," said the girl, who was … permitted it. "…"': one long attribution sentence keeps the turn
        const oneAttribution =
          nq !== undefined &&
          last === 44 &&
          nq.start - q.end < 300 &&
          sentenceEnds(text, q.end, nq.start) <= 1 &&
          tokens(text, q.end, nq.start, 4).some((x) => speechVerbs.has(x.lower));
        // '"…," said Ann, laying down her fork. "No, no. …"': a quotation that opens with an answer replies
        const answers =
          nq !== undefined &&
          last === 44 &&
          sentenceEnds(text, q.end, nq.start) >= 1 &&
          ANSWER_OPENERS.test(text.slice(nq.contentStart, nq.contentStart + 12));
        if (
          nq !== undefined &&
          nq.start < para.end &&
          ((nq.start - q.end > 120 && !oneAttribution) || last === 63 || answers || sentenceEnds(text, q.end, nq.start) >= SE)
        ) {
          let b = nq.start - 1;
          while (b > q.end && isSpace(text.charCodeAt(b))) b--;
          const c = text.charCodeAt(b);
          if (c === 46 || c === 33 || c === 63) {
            // the narration sentence right before the next quotation opens its turn (its action beat)
            const last = lastSentenceStart(text, q.end, nq.start);
            starts.push(last > q.end ? skipSpace(text, last) : nq.start);
          }
        }
      }
    }
  }
  return starts;
}

/**
 * When text[at, …) opens with a short attribution sentence ("I inquired.", "said Tom
 * quietly."), the offset where the next sentence starts after it; else -1.
 */
function attributionSentenceEnd(text: string, at: number, limit: number, speechVerbs: ReadonlySet<string>): number {
  const toks = tokens(text, at, Math.min(limit, at + 80), 9);
  for (let k = 0; k < toks.length; k++) {
    const w = toks[k]!.lower;
    if (w === '.' || w === '!' || w === '?') {
      let n = toks[k]!.end;
      while (n < limit && isSpace(text.charCodeAt(n))) n++;
      for (let v = 1; v < Math.min(k, 4); v++) {
        // "said Tom." / "I inquired." but not "He laughed for the first time."
        if (
          speechVerbs.has(toks[v]!.lower) &&
          (v + 3 >= k || toks[v + 1]!.lower === ',' || toks[v + 2]?.lower === ',') &&
          !PREPOSITIONS.has(toks[v + 1]!.lower)
        )
          return n;
      }
      if (speechVerbs.has(toks[0]!.lower) && k <= 4) return n;
      return -1;
    }
    if (w === ';' || w === ':' || w === '"' || w === '\u201c' || w === '\u2018') return -1;
  }
  return -1;
}

/** Which turn each quotation belongs to, given the sorted turn starts. */
export function assignUnits(boundaries: Int32Array, quotes: QuoteSpan[]): number[] {
  return quotes.map((q) => upperBound(boundaries, q.start) - 1);
}

// The vocative pass: who is addressed inside a quotation. The addressee is never the speaker,
// and the person called by name in one turn usually speaks the next.
import { FAMILY_ROLES } from './lexicons/family.ts';
import { NAME_QUESTION, SELF_INTRODUCTION, SELF_INTRODUCTION_REACH, wordSet } from './lexicons/words.ts';
import type { NameMention } from './characters.ts';
import type { RelativeFinder } from './family.ts';
import type { QuoteSpan } from './quotes.ts';
import { isSpace, type Span } from './structure.ts';
import { mentionsIn } from './speaker-text.ts';

/** Someone addressed inside a quotation: a named character, or a family word / title ("Uncle,"). */
export interface Vocative {
  character: number;
  key: string;
  span: Span;
}

const IMPERATIVES = wordSet(`listen look wait please stop come hold calm`);
const VOCATIVE_AFTER = wordSet(
  `you too down up now please thanks oh hey hi hello dear bye goodbye sorry morning night evening on back here there again sir`,
);
/** Words of VOCATIVE_AFTER that are also prepositions: a call only after a verb they complete ("come on", "calm down"). */
const PARTICLES = wordSet(`on up down back`);
const PARTICLE_VERBS = wordSet(`come hold hang calm sit get hurry cheer shut settle go move lie stand`);
const NOMINAL_VOCATIVE =
  /(?:^|[,.!?]\s+|^\s*(?:oh|o|my|dear|my\s+dear)\s+)(uncle|aunt|auntie|mother|father|mamma|mama|mummy|mommy|mom|mum|papa|pa|dad|daddy|grandma|grandpa|granny|brother|sister|doctor|captain|colonel|major|general|professor|nurse|parson|master|mistress|madam|madame|miss|boy|girl|child|lad|darling)(?=\s*[,.!?\u2026;]|\s*$)/gi;

/** A question about a person ("Who said that?", "Whose is it?"). */
const WHO = /\bwho(?:m|se)?\b/i;

/** Finds who is addressed inside a quotation ("Caroline, listen" / "Yes, uncle."), or null. */
export function findVocative(
  text: string,
  q: QuoteSpan,
  mentions: NameMention[],
  mentionAt: Map<number, NameMention>,
  prev?: QuoteSpan,
): Vocative | null {
  const named = (m: NameMention): Vocative => ({ character: m.character, key: 'c:' + m.character, span: { start: m.start, end: m.end } });
  let i = q.contentStart;
  while (i < q.contentEnd && (isSpace(text.charCodeAt(i)) || text.charCodeAt(i) === 45 || text.charCodeAt(i) === 0x2014)) i++;
  // optional interjection: "Oh, Caroline" / "Hey Stefan"
  const lead =
    /^(?:oh|hey|hi|hello|well|yes|no|dear|please|ah|look|listen|thanks|thank\s+you|sorry|goodbye|bye|good\s+morning|good\s+night|night|morning)[,!.]?\s+/i.exec(
      text.slice(i, Math.min(q.contentEnd, i + 24)),
    );
  const at = mentionAt.get(lead !== null ? i + lead[0].length : i) ?? mentionAt.get(i);
  if (at !== undefined && !at.possessive && opensWithName(text, at)) {
    const rest = text.slice(at.end, Math.min(q.contentEnd, at.end + 12));
    // trim, then test: two \s* around an optional run would split a long run of spaces every way
    const wholeQuote = /^[.!?\u2026]*$/.test(text.slice(at.end, q.contentEnd).trim());
    // "Mr. Pike. He told me…" after "Who said it?": a name as the first sentence answers who
    const answersWho = /^\s*\./.test(rest) && prev !== undefined && WHO.test(text.slice(prev.contentStart, prev.contentEnd));
    // "Bingley." right after a question is an answer, not a call, and so is "Greyson, -- office on
    // second floor." after "What name?"
    if (
      !((wholeQuote || answersWho) && followsQuestion(text, q.start, prev)) &&
      !NAME_QUESTION.test(text.slice(Math.max(0, q.start - 40), q.start)) &&
      (/^\s*(?:[,.!?\-\u2013\u2014\u2026]|$)/.test(rest) || IMPERATIVES.has(/^\s+([a-z]+)/.exec(rest)?.[1] ?? ''))
    )
      return named(at);
  }
  // a name closing a sentence inside the quotation, not the object of a verb or preposition
  for (const m of mentionsIn(mentions, q.contentStart, q.contentEnd)) if (callsByName(text, q, m)) return named(m);
  // a family word or title used to address someone
  const content = text.slice(q.contentStart, q.contentEnd);
  NOMINAL_VOCATIVE.lastIndex = 0;
  const m = NOMINAL_VOCATIVE.exec(content);
  if (m !== null) {
    const word = m[1]!;
    const start = q.contentStart + m.index + m[0].length - word.length;
    return { character: -1, key: 'n:' + word.toLowerCase(), span: { start, end: start + word.length } };
  }
  return null;
}

/** The last character a quotation calls by a name closing a sentence ("…, Bildad. … down ye go here, Ishmael."), or -1. */
export function lastCall(text: string, q: QuoteSpan, mentions: NameMention[]): number {
  const inside = mentionsIn(mentions, q.contentStart, q.contentEnd);
  for (let k = inside.length - 1; k >= 0; k--) if (callsByName(text, q, inside[k]!)) return inside[k]!.character;
  return -1;
}

/** True when mention `m` calls someone inside quotation `q`: set off by a comma, cut off after a sentence, or after "you too" / "calm down". */
function callsByName(text: string, q: QuoteSpan, m: NameMention): boolean {
  // "I, Jack Bunger, never drink": the speaker's own name is no call
  if (m.possessive || SELF_INTRODUCTION.test(text.slice(Math.max(q.contentStart, m.start - SELF_INTRODUCTION_REACH), m.start)))
    return false;
  const after = text.slice(m.end, Math.min(q.contentEnd, m.end + 3));
  if (!/^\s*(?:[,.!?\-\u2013\u2014\u2026]|$)/.test(after)) return false;
  let b = m.start - 1;
  while (b > q.contentStart && isSpace(text.charCodeAt(b))) b--;
  const c = text.charCodeAt(b);
  if (c === 44) return true; // ", Caroline."
  // "…rather be. Caroline-": a name alone after a sentence, cut off at the end
  if (c === 46 || c === 33 || c === 63) return /^\s*[-\u2013\u2014\u2026]/.test(after) && m.end + 3 >= q.contentEnd;
  const prevStart = wordStart(text, b + 1, q.contentStart);
  const prevWord = text.slice(prevStart, b + 1).toLowerCase();
  if (!VOCATIVE_AFTER.has(prevWord)) return false;
  // "I love you too Stefan.", "calm down Stefan."; but "come on, Stefan" calls him where "clapped
  // eye on Captain Ahab" names the one looked at
  return !PARTICLES.has(prevWord) || PARTICLE_VERBS.has(wordBefore(text, prevStart, q.contentStart));
}

/** Where the word ending at `end` starts (no earlier than `from`). */
function wordStart(text: string, end: number, from: number): number {
  let s = end;
  while (s > from && /[A-Za-z'\u2019]/.test(text.charAt(s - 1))) s--;
  return s;
}

/** The lower-cased word ending before `end`, spaces skipped (back to `from`), or ''. */
function wordBefore(text: string, end: number, from: number): string {
  let b = end - 1;
  while (b > from && isSpace(text.charCodeAt(b))) b--;
  return text.slice(wordStart(text, b + 1, from), b + 1).toLowerCase();
}

/** False when a word the name finder dropped opens the mention ("Also Georgiana."): no call. */
function opensWithName(text: string, m: NameMention): boolean {
  const first = /^\S+/.exec(m.form)?.[0] ?? '';
  return text.slice(m.start, m.start + first.length).toLowerCase() === first.toLowerCase();
}

/** How far back the narration is read for the family a family word belongs to. */
const FAMILY_WINDOW = 2000;

/**
 * "No, papa": a relative called by a family word is the titled relative ("Mr. Woodhouse" beside
 * Emma Woodhouse, "Aunt Polly") of the people the narration names just before, when they all have
 * the same one. Turn-taking then knows that the turn calling "papa" is not his.
 */
export function nameFamilyVocatives(
  vocatives: (Vocative | null)[],
  quotes: readonly QuoteSpan[],
  narration: readonly NameMention[],
  relativeOf: RelativeFinder,
): void {
  let from = 0;
  for (let i = 0; i < vocatives.length; i++) {
    const v = vocatives[i];
    if (v === null || v === undefined || v.character >= 0) continue;
    const role = FAMILY_ROLES.get(v.key.slice(2))?.role;
    if (role === undefined) continue;
    const q = quotes[i]!;
    while (from < narration.length && narration[from]!.start < q.start - FAMILY_WINDOW) from++;
    let relative = -1;
    for (let k = from; k < narration.length && narration[k]!.start < q.start; k++) {
      const p = relativeOf(narration[k]!.character, role);
      if (p < 0 || p === relative) continue;
      if (relative >= 0) {
        relative = -2; // two families in the scene: not sure whose
        break;
      }
      relative = p;
    }
    if (relative >= 0) vocatives[i] = { character: relative, key: 'c:' + relative, span: v.span };
  }
}

/** How far back a question a name answers is looked for: its attribution may stand between ("'Who's Old Thunder?' said I, riveted."). */
const ANSWER_REACH = 300;

/** True when a question was just asked: the text right before the quotation, or the quotation before it (`prev`, within ANSWER_REACH), ends with a question mark. */
function followsQuestion(text: string, start: number, prev?: QuoteSpan): boolean {
  if (prev !== undefined && start - prev.end <= ANSWER_REACH) {
    let e = prev.contentEnd - 1;
    while (e > prev.contentStart && isSpace(text.charCodeAt(e))) e--;
    if (text.charCodeAt(e) === 63) return true;
  }
  let i = start - 1;
  while (
    i >= 0 &&
    (isSpace(text.charCodeAt(i)) ||
      text.charCodeAt(i) === 34 ||
      text.charCodeAt(i) === 0x201d ||
      text.charCodeAt(i) === 0x2019 ||
      text.charCodeAt(i) === 39)
  )
    i--;
  return i >= 0 && text.charCodeAt(i) === 63;
}

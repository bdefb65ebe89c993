// Splits the narration that attributes a line ("said Anna", "dit-il", "—respondió Carlos—") out of
// the spoken words around it, for dash dialogue and for French incises inside guillemets.
import type { LanguageLexicon } from './language.ts';
import { isSpace } from './structure.ts';

/** A half-open range of spoken words. */
export type SpeechPart = [start: number, end: number];

/** How far an attribution may run before it is taken to last to the end of the line. */
const MAX_ATTRIBUTION = 200;
const WORD = /[\p{L}\p{M}'\u2019]+/uy;
const LETTER = /[\p{L}\p{N}]/u;
/** English forms that can only be the past of a speech verb; bare presents ("tell", "call") are requests inside speech. */
const ENGLISH_PAST = /(?:ed|said|told|spoke|broke|began|went|thought|sang|cut)$/;

/**
 * Cuts text[from, to) into its spoken parts. An attribution starts after `,` `!` `?` `…` with a
 * speech verb and its subject (`said Anna`, `she said`, `Anna said`, `dit-il`, `sagte er`) and
 * runs to its sentence's end, or to a comma when the speech goes on (`, dit-elle, mais…`); on a
 * dash line (`dashLine`), a spaced dash before a word also opens one (`—No —respondió Carlos—.
 * Nunca.`), closed by the next dash. One scan, each attribution read at most 200 characters ahead.
 */
export function splitAttributions(text: string, from: number, to: number, lexicon: LanguageLexicon, dashLine: boolean): SpeechPart[] {
  const parts: SpeechPart[] = [];
  let pos = from;
  while (pos < to) {
    const cut = findAttribution(text, pos, to, lexicon, dashLine);
    if (cut === null) {
      pushPart(text, parts, pos, to);
      break;
    }
    pushPart(text, parts, pos, cut.speechEnd);
    pos = Math.max(cut.resume, cut.speechEnd + 1);
  }
  return parts;
}

function pushPart(text: string, parts: SpeechPart[], a: number, b: number): void {
  while (a < b && isSpace(text.charCodeAt(a))) a++;
  while (b > a && (isSpace(text.charCodeAt(b - 1)) || isDash(text.charCodeAt(b - 1)))) b--;
  if (b > a && LETTER.test(text.slice(a, Math.min(b, a + 400)))) parts.push([a, b]);
}

function isDash(c: number): boolean {
  return c === 0x2014 || c === 0x2013 || c === 0x2015;
}

/** The next attribution in text[pos, to): where the speech before it ends and where speech resumes. */
function findAttribution(
  text: string,
  pos: number,
  to: number,
  lexicon: LanguageLexicon,
  dashLine: boolean,
): { speechEnd: number; resume: number } | null {
  let spoken = false; // a letter of speech before the cut: "—" at the start opens no attribution
  for (let i = pos; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!spoken && LETTER.test(text.charAt(i))) spoken = true;
    if (!spoken) continue;
    if (dashLine && isDash(c) && isSpace(text.charCodeAt(i - 1))) {
      let j = i + 1;
      if (j < to && isSpace(text.charCodeAt(j))) j++;
      if (j < to && /\p{L}/u.test(text.charAt(j))) {
        // the attribution runs to the closing dash, else to the end of the line
        let k = j;
        const limit = Math.min(to, j + MAX_ATTRIBUTION);
        while (k < limit && !isDash(text.charCodeAt(k))) k++;
        if (k >= limit) return { speechEnd: i, resume: to };
        k++;
        while (k < to && (isSpace(text.charCodeAt(k)) || /[.,;:]/.test(text.charAt(k)))) k++;
        return { speechEnd: i, resume: k };
      }
    }
    if ((c === 44 || c === 33 || c === 63 || c === 0x2026) && i + 1 < to && isSpace(text.charCodeAt(i + 1))) {
      const end = attributionEnd(text, i + 1, to, lexicon);
      if (end !== null) return { speechEnd: i + 1, resume: end };
    }
  }
  return null;
}

/** The words at `at` (up to three), lower-cased, with whether the first is capitalised. */
function wordsAt(text: string, at: number, to: number): { words: string[]; capital: boolean; ends: number[] } {
  const words: string[] = [];
  const ends: number[] = [];
  let i = at;
  let capital = false;
  for (let k = 0; k < 3 && i < to; k++) {
    while (i < to && (isSpace(text.charCodeAt(i)) || text.charCodeAt(i) === 45)) i++; // "dit-il", "demanda-t-il"
    WORD.lastIndex = i;
    const m = WORD.exec(text);
    if (m === null || i >= to) break;
    if (k === 0) capital = /\p{Lu}/u.test(m[0].charAt(0));
    words.push(m[0].toLowerCase());
    i += m[0].length;
    ends.push(i);
  }
  return { words, capital, ends };
}

const NARRATION_GOES_ON = new Set([
  'and',
  'as',
  'while',
  'when',
  'then',
  'but',
  'her',
  'his',
  'their',
  'with',
  'without',
  'before',
  'after',
]);

/**
 * If an attribution starts at `at` (after a comma or end mark of speech), where speech resumes
 * after it (`to` when it runs to the end); otherwise null.
 */
function attributionEnd(text: string, at: number, to: number, lexicon: LanguageLexicon): number | null {
  const { words, capital, ends } = wordsAt(text, at, to);
  const [w1 = '', w2 = '', w3 = ''] = words;
  const verb = (w: string): boolean => lexicon.speechVerbs.has(w) && (lexicon.language !== 'en' || ENGLISH_PAST.test(w));
  const subject = (w: string, i: number): boolean =>
    w !== '' && (lexicon.pronounGender.has(w) || (w === 'i' && lexicon.language === 'en') || subjectCapital(text, ends[i] ?? at, w));
  let attributed = false;
  if (verb(w1) && w2 !== '' && (subject(w2, 1) || (w2 === 't' && subject(w3, 2)) || lexicon.articles.has(w2) || w2 === 'the'))
    attributed = true; // "said Anna", "dit-il", "sagte sie", "said the man"
  else if (verb(w2) && (lexicon.pronounGender.has(w1) || (w1 === 'i' && lexicon.language === 'en')))
    attributed = true; // "she said"
  else if (verb(w2) && capital && !lexicon.notNames.has(w1)) attributed = true; // "Anna said"
  if (!attributed) return null;
  // the attribution runs to the end of its sentence, or to a comma after which the speech goes on
  const limit = Math.min(to, at + MAX_ATTRIBUTION);
  for (let i = ends[0] ?? at; i < limit; i++) {
    const c = text.charCodeAt(i);
    if ((c === 46 || c === 33 || c === 63 || c === 0x2026) && (i + 1 >= to || isSpace(text.charCodeAt(i + 1))))
      return skipSpaces(text, i + 1, to);
    if (isDash(c)) return skipSpaces(text, i + 1, to);
    if (c === 44) {
      const next = wordsAt(text, i + 1, to).words[0] ?? '';
      if (NARRATION_GOES_ON.has(next) || next.endsWith('ing') || next.endsWith('ant') || next.endsWith('end')) continue;
      return skipSpaces(text, i + 1, to);
    }
  }
  return limit >= to ? to : limit;
}

/** True when the word ending at `wordEnd` is written with a capital: a name. */
function subjectCapital(text: string, wordEnd: number, lower: string): boolean {
  const start = wordEnd - lower.length;
  return start >= 0 && /\p{Lu}/u.test(text.charAt(start));
}

function skipSpaces(text: string, i: number, to: number): number {
  while (i < to && isSpace(text.charCodeAt(i))) i++;
  return i;
}

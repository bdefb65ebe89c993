// Finds named characters, clusters their aliases and counts their mentions.
import { FIRST_NAME_GENDER } from './lexicons/first-names.ts';
import {
  HONORIFICS,
  leadingWord,
  NOT_NAMES,
  PERSON_NOUNS,
  NARRATION_SELF_INTRODUCTION,
  PLACE_HEADS,
  SELF_INTRODUCTION,
  SELF_INTRODUCTION_REACH,
  wordSet,
} from './lexicons/words.ts';
import { FAMILY_ROLES } from './lexicons/family.ts';
import { looksLikeVerb } from './lexicons/verbs.ts';
import { NICKNAMES, petFormBases, petFormsOf } from './lexicons/nicknames.ts';
import { NOT_PERSON_PROPER, PLACE_LEADS } from './lexicons/places.ts';
import { RANK_TITLES } from './lexicons/titles.ts';
import { isHeading, isLetter, isSpace, isUpper, wordGapEnd, type Span } from './structure.ts';
import type { QuoteSpan } from './quotes.ts';
import { WordTable } from './wordtable.ts';
import { type LanguageLexicon, lexiconFor } from './language.ts';

export type Gender = 'female' | 'male' | 'unknown';
export type Role = 'protagonist' | 'supporting' | 'minor' | 'mentioned';

/** A name occurrence in the text, linked to its character. */
export interface NameMention extends Span {
  character: number;
  /** The name as written, without a possessive ending. */
  form: string;
  inQuote: boolean;
  sentenceInitial: boolean;
  possessive: boolean;
}

/** A character entity with its clustered aliases. */
export interface CharacterEntity {
  id: number;
  name: string;
  aliases: string[];
  gender: Gender;
  /** Mentions by name (family references are added by the family resolver). */
  mentions: number;
  role: Role;
  /** Lower-cased alias forms, for look-ups in quotations. */
  keys: Set<string>;
}

/** A capitalised word group before it is accepted as a name. */
interface Candidate {
  start: number;
  end: number;
  honorific: string; // lower-cased, '' when none
  words: string[]; // name words without the honorific
  possessive: boolean;
  initial: boolean;
  inQuote: boolean;
  prev: string; // lower-cased word before the group
  next: string; // lower-cased word after the group
  nextCapital: boolean;
  /** "Nora and Max": the word after a following "and" is capitalised. */
  coordinated: boolean;
  /** "Eliza, a gentle girl" / "Edward, who": an apposition or relative clause that marks a person. */
  personApposition: boolean;
  /** "I am Dracula", "call me Ishmael": a speaker's own name. */
  selfIntroduced: boolean;
}

/**
 * The most capitalised words read as one group. Names run to four or five words with a title
 * ("Sir Henry Curtis", "Miss Amelia Sedley"); a longer run (a heading in title case, a list of
 * names) is cut into groups of this many, as the trimming and look-ups of a group cost the square
 * of its length.
 */
const MAX_GROUP_WORDS = 8;
const CAP_WORD = /\p{Lu}[\p{L}\p{M}]*(?:['\u2019-][\p{L}\p{M}]+)*(?:['\u2019]s?)?/gu;
const PERSON_OBJECT_VERBS = wordSet(
  `visiting visit visited married marry marrying kissed kiss hugged hug loved love met meet thanked thank asked ask told tell helped help introduced kiss greeted greet answered warned promised begged forgave hated pitied admired obeyed`,
);
const CONTRACTION = /['\u2019](?:re|m|ll|ve|d|t)$/i;

/** Marks which offsets of the text fall inside quotations. */
export function buildQuoteMask(length: number, quotes: QuoteSpan[]): Uint8Array {
  const mask = new Uint8Array(length);
  for (const q of quotes) mask.fill(1, q.start, q.end);
  return mask;
}

/** Which of the given lower-case words also occur written in lower case in the text. */
export function findLowercaseUses(text: string, starts: Uint32Array, ends: Uint32Array, words: Iterable<string>): Set<string> {
  const table = new WordTable(words);
  const found = new Set<string>();
  for (let i = 0; i < starts.length; i++) {
    const c = text.charCodeAt(starts[i]!);
    if (c < 97 || c > 122) continue;
    const k = table.find(text, starts[i]!, ends[i]!);
    if (k >= 0) found.add(table.words[k]!);
  }
  return found;
}

/** Finds characters in the text and every name mention, with gender guesses from pronouns. */
export function findCharacters(
  text: string,
  paragraphs: Span[],
  sentences: Span[],
  quoteMask: Uint8Array,
  tokenStarts: Uint32Array,
  tokenEnds: Uint32Array,
  lexicon: LanguageLexicon = lexiconFor('en'),
): { characters: CharacterEntity[]; mentions: NameMention[] } {
  const candidates = scanCandidates(text, paragraphs, quoteMask);
  const candidateWords = new Set<string>();
  for (const c of candidates) for (const w of c.words) candidateWords.add(w.toLowerCase());
  const lowercase = findLowercaseUses(text, tokenStarts, tokenEnds, candidateWords);
  const accepted = acceptForms(candidates, lowercase, lexicon);
  const { entities, formToEntity } = clusterForms(accepted);
  const mentions: NameMention[] = [];
  for (const c of candidates) {
    const words = trimWords(c, accepted);
    if (words === null) continue;
    const key = formKey(c.honorific, words);
    let id = formToEntity.get(key);
    if (id === undefined && c.honorific !== '') id = formToEntity.get(formKey('', words));
    if (id === undefined) continue;
    mentions.push({
      start: formStart(text, c),
      end: c.end,
      character: id,
      form: (c.honorific ? capitalise(c.honorific) + ' ' : '') + words.join(' '),
      inQuote: c.inQuote,
      sentenceInitial: c.initial,
      possessive: c.possessive,
    });
  }
  let characters = entities.map(
    (e, id): CharacterEntity => ({ id, name: e.name, aliases: e.aliases, gender: e.gender, mentions: 0, role: 'minor', keys: e.keys }),
  );
  for (const m of mentions) characters[m.character]!.mentions++;
  inferGender(text, characters, mentions, quoteMask, sentences, lexicon);
  characters = mergeTitledForms(characters, entities, mentions, sentencePairs(mentions, sentences));
  return { characters, mentions };
}

/** Conjunctions a sentence may open with before a name ("And Mme. Defarge turned away"). */
const LEADING_CONNECTIVES = wordSet('and but or nor then so yet now still');

/**
 * Where a candidate's name starts once a conjunction before it is left out ("And Mme. Defarge"); a
 * describing word stays in the span ("the English Captain"), so "the" still opens the phrase.
 */
function formStart(text: string, c: { start: number; end: number }): number {
  const space = text.indexOf(' ', c.start);
  if (space < 0 || space >= c.end || !LEADING_CONNECTIVES.has(text.slice(c.start, space).toLowerCase())) return c.start;
  return space + 1;
}

function capitalise(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function formKey(honorific: string, words: string[]): string {
  return (honorific ? honorific + ' ' : '') + words.join(' ').toLowerCase();
}

/** Scans capitalised word groups with their context. */
function scanCandidates(text: string, paragraphs: Span[], quoteMask: Uint8Array): Candidate[] {
  const out: Candidate[] = [];
  let p = 0;
  let group: { start: number; end: number; rawEnd: number; words: string[]; possessive: boolean } | null = null;
  const headings = new Map<number, boolean>();
  const inHeading = (i: number): boolean => {
    let h = headings.get(i);
    if (h === undefined) headings.set(i, (h = paragraphs[i] !== undefined && isHeading(text, paragraphs[i]!)));
    return h;
  };
  const flush = (): void => {
    if (group === null) return;
    const g = group;
    group = null;
    while (p < paragraphs.length - 1 && paragraphs[p]!.end <= g.start) p++;
    if (inHeading(p)) return; // a chapter's title is not a sentence: "Stubb Kills a Whale"
    let honorific = '';
    let words = g.words;
    const first = words[0]!.replace(/\.$/, '').toLowerCase();
    if (words.length > 1 && HONORIFICS.has(first)) {
      honorific = first;
      words = words.slice(1);
    }
    words = words.map((w) => (w.length === 2 ? w : w.replace(/\.$/, ''))); // an initial keeps its dot: "J. Smith"
    const initial = isSentenceInitial(text, g.start, paragraphs[p]?.start ?? 0);
    out.push({
      start: g.start,
      end: g.end,
      honorific,
      words,
      possessive: g.possessive,
      initial,
      inQuote: quoteMask[g.start] === 1,
      prev: wordBefore(text, g.start),
      next: wordAfter(text, g.rawEnd),
      nextCapital: isUpper(text.charCodeAt(skipSpaces(text, g.rawEnd))),
      coordinated: isCoordinated(text, g.rawEnd),
      personApposition: hasPersonApposition(text, g.rawEnd),
      selfIntroduced: (quoteMask[g.start] === 1 ? SELF_INTRODUCTION : NARRATION_SELF_INTRODUCTION).test(
        text.slice(Math.max(0, g.start - SELF_INTRODUCTION_REACH), g.start),
      ),
    });
  };
  CAP_WORD.lastIndex = 0;
  for (let m = CAP_WORD.exec(text); m !== null; m = CAP_WORD.exec(text)) {
    const start = m.index;
    if (start > 0 && (isLetter(text.charCodeAt(start - 1)) || /\p{L}/u.test(text.charAt(start - 1)))) continue;
    let word = m[0];
    let possessive = false;
    if (/['\u2019]s?$/.test(word)) {
      possessive = true;
      word = word.replace(/['\u2019]s?$/, '');
    }
    if (word.length === 0) continue;
    if (CONTRACTION.test(word)) {
      flush(); // "I'm", "They're", "You'll": pronouns, not names
      continue;
    }
    if (word.length > 1 && word === word.toUpperCase()) {
      flush(); // shouting or acronyms, not names
      continue;
    }
    let end = start + word.length;
    const rawEnd = start + m[0].length;
    const abbrevDot =
      text.charCodeAt(end) === 46 && ((HONORIFICS.has(word.toLowerCase()) && word.length <= 4) || isInitial(text, word, end));
    if (abbrevDot) {
      word += '.';
      end++;
    }
    const g = group as { start: number; end: number; rawEnd: number; words: string[]; possessive: boolean } | null;
    // one whitespace character joins the words of a name ("Mr.\u00a0Darcy", "Captain\nJohn Good" in a
    // wrapped line), unless it is the line break that ends a paragraph
    if (
      g !== null &&
      !g.possessive &&
      g.words.length < MAX_GROUP_WORDS &&
      start === wordGapEnd(text, g.rawEnd) &&
      paragraphIndex(paragraphs, g.start) === paragraphIndex(paragraphs, start)
    ) {
      g.words.push(word);
      g.end = end;
      g.rawEnd = abbrevDot ? end : rawEnd;
      g.possessive = possessive;
    } else {
      flush();
      group = { start, end, rawEnd: abbrevDot ? end : rawEnd, words: [word], possessive };
    }
  }
  flush();
  return out;
}

/** "J. Smith", "M. Poirot": a capital letter whose dot is followed by a capitalised word is an initial (not "I"). */
function isInitial(text: string, word: string, dot: number): boolean {
  return word.length === 1 && word !== 'I' && text.charCodeAt(dot + 1) === 32 && isUpper(text.charCodeAt(dot + 2));
}

const COORDINATION = /(?:\r\n|\s)and(?:\r\n|\s)/y;

/** "Nora and Max": a name followed by "and" and a capitalised word, one whitespace character apart. */
function isCoordinated(text: string, end: number): boolean {
  COORDINATION.lastIndex = end;
  return COORDINATION.test(text) && isUpper(text.charCodeAt(COORDINATION.lastIndex));
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
  return lo;
}

const APPOSITION = /^,\s+(?:who\b|whom\b|whose\b|(?:a|an|the|his|her|my|our|their)\s+(?:[a-z-]+,?\s+){0,3}?([a-z-]+)\b)/;

/** True when a name is followed by ", who" or ", a young lady": a clause only people get. */
function hasPersonApposition(text: string, end: number): boolean {
  if (text.charCodeAt(end) !== 44) return false;
  const m = APPOSITION.exec(text.slice(end, end + 60));
  if (m === null) return false;
  return m[1] === undefined || PERSON_NOUNS.has(m[1]) || FAMILY_ROLES.has(m[1]);
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

// quotation marks of every convention (“ „ « » ‹ › ‚ 「 『) and the dialogue dashes open a sentence
const OPENERS = new Set([
  34, 39, 0x201c, 0x2018, 40, 91, 0x2014, 0x2013, 0x2015, 45, 95, 42, 0x201e, 0x201a, 0xab, 0xbb, 0x2039, 0x203a, 0x300c, 0x300e,
]);

/** True when the offset begins a sentence: after end punctuation, a paragraph start or an opening mark. */
export function isSentenceInitial(text: string, start: number, paraStart: number): boolean {
  let i = start - 1;
  while (i >= paraStart && isSpace(text.charCodeAt(i))) i--;
  if (i < paraStart) return true;
  let c = text.charCodeAt(i);
  if (OPENERS.has(c) || c === 0x201d || c === 0x2019) {
    // a quotation mark: look at what precedes it
    let j = i - 1;
    while (j >= paraStart && (OPENERS.has(text.charCodeAt(j)) || text.charCodeAt(j) === 0x201d || text.charCodeAt(j) === 0x2019)) j--;
    if (j < paraStart) return true;
    c = text.charCodeAt(j);
    if (isSpace(c) || c === 58) return true; // an opening mark
    return c === 46 || c === 33 || c === 63 || c === 0x2026;
  }
  return c === 46 || c === 33 || c === 63 || c === 0x2026 || c === 58;
}

function wordBefore(text: string, i: number): string {
  let e = i;
  while (e > 0 && isSpace(text.charCodeAt(e - 1))) e--;
  let s = e;
  while (s > 0 && isLetter(text.charCodeAt(s - 1))) s--;
  return text.slice(s, e).toLowerCase();
}

/** The word after one whitespace character (or CRLF) at `i`, lower-cased; '' when there is none. */
function wordAfter(text: string, i: number): string {
  const s = wordGapEnd(text, i);
  if (s < 0) return '';
  let e = s;
  while (e < text.length && (isLetter(text.charCodeAt(e)) || text.charCodeAt(e) === 39 || text.charCodeAt(e) === 0x2019)) e++;
  return text.slice(s, e).toLowerCase();
}

interface FormStats {
  words: string[];
  honorific: string;
  count: number;
  nonInitial: number;
  person: number;
  place: number;
}

/** Scores each single word and decides which are names. */
function acceptForms(candidates: Candidate[], lowercase: Set<string>, lexicon: LanguageLexicon): Map<string, FormStats> {
  const NOT_NAMES = lexicon.notNames;
  // pass 1: single-word statistics
  const single = new Map<string, WordStats>();
  for (const c of candidates) {
    for (let k = 0; k < c.words.length; k++) {
      const w = c.words[k]!.toLowerCase();
      let s = single.get(w);
      if (s === undefined)
        single.set(w, (s = { count: 0, nonInitial: 0, person: 0, place: 0, strong: 0, common: 0, vocative: 0, definite: 0 }));
      s.count++;
      if (k > 0 || !c.initial || c.honorific !== '') s.nonInitial++;
      if (k === c.words.length - 1) addEvidence(s, c, lexicon);
      else if (k === 0 && c.honorific === '' && lexicon.placePrepositions.has(c.prev)) s.place++;
      // "der Hund", "die Tür": after an article a capitalised word is a common noun (German capitalises them all)
      const before = k === 0 ? c.prev : c.words[k - 1]!.toLowerCase();
      if (c.honorific === '' && lexicon.articles.has(before)) s.common++;
      if (before === 'the') s.definite++;
    }
  }
  // "Stevie. There's smoke.": a pet form of a given name the text uses ("Steve"), called once
  const petBase = (w: string): string | null => {
    for (const base of petFormBases(w)) if (isPetFormPair(w, base) && isNameWord(base, false)) return base;
    // "Nat." for Natasha: the short form of a given name the text uses
    for (const full of givenNamesOpenedBy(w)) if (isShortFormPair(w, full) && isNameWord(full, false)) return full;
    return null;
  };
  const isNameWord = (w: string, hasHonorific: boolean): boolean => {
    const s = single.get(w);
    if (s === undefined) return false;
    if (NOT_PERSON_PROPER.has(w)) return false;
    // a plural of another capitalised word: "the Jarndyces", "two Marys"
    if (
      w.length > 3 &&
      w.endsWith('s') &&
      !w.endsWith('ss') &&
      (single.has(w.slice(0, -1)) || (w.endsWith('es') && single.has(w.slice(0, -2))))
    )
      return false;
    if (NOT_NAMES.has(w) && !hasHonorific) return false;
    if (hasHonorific) return true;
    if (s.common > 0) return false;
    // "the Marigold", "the Grange", "the Thames": a word never used without "the" names a thing
    // or a place (a title would have been read as one: "the Count", "the Doctor")
    if (lexicon.english && s.count >= 2 && s.definite === s.count && !HONORIFICS.has(w)) return false;
    // seasons, weather and the sky ("Autumn came", "Snow fell") are names only on a person's evidence
    if (lexicon.english && NATURE_WORDS.has(w) && s.strong < 1) return false;
    if (s.nonInitial === 0) {
      if (w.endsWith('ly') || lowercase.has(w)) return false;
      // a word that only ever opens a quotation ("Hej," "Peut-être,") is a greeting as often as a
      // vocative, unless it is a given name ("Jane, sit down": the narrator others call by name)
      return s.person - s.vocative >= 1 || (s.vocative > 0 && (FIRST_NAME_GENDER.has(w) || petBase(w) !== null));
    }
    if (lowercase.has(w) && s.nonInitial < 2) return false;
    if (lowercase.has(w) && s.person < 1) return false;
    // a given name after "to" or "of" is as often a person ("obedient to John", "the voice of John
    // Reed") as a place, so its place evidence counts half
    const place = FIRST_NAME_GENDER.has(w) ? s.place / 2 : s.place;
    // a known given name needs less: two uses, one inside a sentence, in any language (in one
    // whose verbs the finder cannot read, "Anna satt vid bordet. … sa Anna.", it is all there is)
    const uses = FIRST_NAME_GENDER.has(w) ? 2 : 3;
    return (s.person > 0 && s.person >= place) || (s.count >= uses && s.place === 0 && s.nonInitial >= uses - 1);
  };
  // "Ginny Weasley came up behind her brother": a given name opening a sentence before a name is
  // part of it, not a sentence's capital (a word the text also writes in lower case may be: "Will")
  const givenNameBefore = (words: readonly string[]): boolean => {
    if (words.length < 2) return false;
    const w = words[0]!.toLowerCase();
    return FIRST_NAME_GENDER.has(w) && !lowercase.has(w) && !NOT_NAMES.has(w) && isNameWord(words[1]!.toLowerCase(), false);
  };
  // pass 2: whole forms, dropping leading words that are not names
  const forms = new Map<string, FormStats>();
  for (const c of candidates) {
    const words = c.words.slice();
    while (
      words.length > 0 &&
      !c.honorific &&
      !HONORIFICS.has(words[0]!.toLowerCase()) &&
      !isNameWord(words[0]!.toLowerCase(), false) &&
      !givenNameBefore(words) &&
      (words.length === 1 || NOT_NAMES.has(words[0]!.toLowerCase()) || c.initial)
    )
      words.shift();
    if (words.length > 1 && !c.honorific && HONORIFICS.has(words[0]!.toLowerCase())) {
      c.honorific = words.shift()!.toLowerCase(); // "Poor Miss Taylor": the title after a dropped word
    }
    if (words.length !== c.words.length) c.words = words.slice();
    if (words.length === 0) continue;
    // a common word may close a titled full name ("Captain John Good"), nowhere else
    const commonSurname = c.honorific !== '' && words.length >= 2 && !NOT_NAMES.has(words[0]!.toLowerCase());
    if (
      words.some((w, i) => NOT_NAMES.has(w.toLowerCase()) && !HONORIFICS.has(w.toLowerCase()) && !(commonSurname && i === words.length - 1))
    )
      continue;
    const last = words[words.length - 1]!.toLowerCase();
    if (!c.honorific && (isPlaceHead(last) || (words.length > 1 && PLACE_LEADS.has(words[0]!.toLowerCase())))) continue;
    if (words.length === 1 && !c.honorific && !isNameWord(last, false)) continue;
    if (words.length > 1 && !c.honorific && !words.some((w) => isNameWord(w.toLowerCase(), false))) continue;
    const key = formKey(c.honorific, words);
    let f = forms.get(key);
    if (f === undefined) forms.set(key, (f = { words, honorific: c.honorific, count: 0, nonInitial: 0, person: 0, place: 0 }));
    f.count++;
  }
  return forms;
}

/**
 * A place or institution's last word, in the singular or in a plural in -ies ("Life Insurance
 * Companies"); not in -s, which would take surnames ("Jeremy Banks", "Tom Bridges").
 */
function isPlaceHead(word: string): boolean {
  return PLACE_HEADS.has(word) || (word.endsWith('ies') && PLACE_HEADS.has(word.slice(0, -3) + 'y'));
}

interface WordStats {
  count: number;
  nonInitial: number;
  person: number;
  place: number;
  /** Evidence only people get: a title, a speech verb, an apposition, a vocative. */
  strong: number;
  /** Uses after an article (languages that capitalise common nouns). */
  common: number;
  /** Person evidence from vocative-like uses alone ("Liz, come here"). */
  vocative: number;
  /** Uses right after "the". */
  definite: number;
}

/** Words of the seasons, the weather and the sky: capitalised in mood-setting prose, seldom people. */
const NATURE_WORDS = wordSet(
  `autumn fall winter spring summer snow rain wind storm frost ice fog mist thunder lightning sun moon sky dawn dusk twilight night darkness silence`,
);

function addEvidence(s: WordStats, c: Candidate, lexicon: LanguageLexicon): void {
  const english = lexicon.language === 'en';
  const speech = lexicon.speechVerbs;
  if (c.honorific !== '') {
    s.person += 2;
    s.strong++;
  }
  if (c.possessive && !c.nextCapital) s.person += 0.5;
  // "Tom said" as much as "Tom looked": a name is the subject of a verb
  if (!c.possessive && (english ? looksLikeVerb(c.next) || speech.has(c.next) : speech.has(c.next) || foreignVerbLike(lexicon, c.next)))
    s.person += 1;
  if (speech.has(c.prev) || speech.has(c.next)) s.strong++;
  if (speech.has(c.prev)) s.person += 1;
  if (c.coordinated) s.person += 1;
  if (c.selfIntroduced) {
    s.person += 2;
    s.strong++;
  }
  if (c.personApposition) {
    s.person += 2;
    s.strong++;
  }
  if (english && PERSON_OBJECT_VERBS.has(c.prev)) s.person += 1;
  if (c.inQuote && c.next === '' && c.prev === '' && !c.possessive) {
    s.person += 0.5; // vocatives: "Liz, come here"
    s.vocative += 0.5;
    s.strong++;
  }
  if (!c.possessive && lexicon.placePrepositions.has(c.prev)) s.place += 1;
}

/** A past-tense verb after a name in Spanish, French or German narration ("Anna lächelte", "Carlos sonrió", "Marie regardait"). */
function foreignVerbLike(lexicon: LanguageLexicon, w: string): boolean {
  if (w.length < 3) return false;
  if (lexicon.language === 'de') return /(?:te|ten)$/.test(w) || GERMAN_STRONG_PAST.has(w);
  if (lexicon.language === 'es') return /(?:ó|aba|ía|ieron|aron)$/.test(w);
  if (lexicon.language === 'fr') return FRENCH_AUXILIARIES.has(w) || (/(?:ait|aient|èrent|a|it)$/.test(w) && w.length > 3);
  return false;
}

/** "Paul est entré", "Marie a souri": the auxiliary of a compound past follows its subject. */
const FRENCH_AUXILIARIES = wordSet(`est a avait était fut`);
const GERMAN_STRONG_PAST = wordSet(
  `ging kam sah stand saß lief nahm gab hielt blieb fiel fand trat zog schob sprang warf schwieg wusste war hatte`,
);

/** Re-derives the accepted name words of a candidate (same trimming as acceptForms). */
function trimWords(c: Candidate, forms: Map<string, FormStats>): string[] | null {
  const words = c.words.slice();
  while (words.length > 0) {
    if (forms.has(formKey(c.honorific, words))) return words;
    words.shift();
  }
  return null;
}

interface EntityDraft {
  name: string;
  aliases: string[];
  gender: Gender;
  keys: Set<string>;
  count: number;
  first: string;
  last: string;
  honorific: string;
}

/** Titles of a wife or a daughter before the family's surname: "Mrs. Morel" is not the "Morel" of the narration (her husband). */
const SURNAME_TITLES = new Set([
  'mrs',
  'ms',
  'miss',
  'madam',
  'madame',
  'mme',
  'mlle',
  'frau',
  'fräulein',
  'señora',
  'señorita',
  'signora',
  'lady',
]);

/** Titles every man has: given with a first name ("Mr. John Knightley") they tell a younger brother from the eldest, who is "Mr. Knightley". */
const PLAIN_TITLES = new Set(['mr', 'mister', 'monsieur', 'herr', 'señor', 'signor']);

/** Titles of a married woman before a surname. */
const MARRIED_TITLES = new Set(['mrs', 'madame', 'mme', 'frau', 'señora', 'signora']);

/** Clusters accepted forms into entities: full names absorb first names, surnames, titles and nicknames. */
function clusterForms(forms: Map<string, FormStats>): { entities: EntityDraft[]; formToEntity: Map<string, number> } {
  const entities: EntityDraft[] = [];
  const formToEntity = new Map<string, number>();
  const byWord = new Map<string, number[]>(); // first or last name word → entity ids
  const byFullName = new Map<string, number[]>(); // first and last word → entity ids, a direct look-up for titled full names
  // longest first; among full names the bare form first ("Henry Curtis" before "Sir Henry
  // Curtis"), among single words the titled one first, so that a bare surname can join it
  // ("Temple" with "Mr. Temple", not with "Charlotte Temple")
  const titledFirst = (f: FormStats): number => (f.honorific ? 1 : 0) * (f.words.length === 1 ? -1 : 1);
  const sorted = [...forms.entries()].sort(
    (a, b) => b[1].words.length - a[1].words.length || titledFirst(a[1]) - titledFirst(b[1]) || b[1].count - a[1].count,
  );
  const honorificGender = (h: string): Gender => (h ? (HONORIFICS.get(h) ?? 'unknown') : 'unknown');
  const compatible = (e: EntityDraft, g: Gender): boolean => g === 'unknown' || e.gender === 'unknown' || e.gender === g;
  for (const [key, f] of sorted) {
    const g = honorificGender(f.honorific);
    const lw = f.words.map((w) => w.toLowerCase());
    const first = lw[0]!;
    const last = lw[lw.length - 1]!;
    let target = -1;
    if (lw.length === 1) {
      // prefer a full name with this first name, then one with this surname, then a nickname's full form
      let best = -1;
      let bestScore = 0;
      const nick = [
        ...(NICKNAMES.get(first) ?? []),
        ...[...petFormBases(first), ...petFormsOf(first)].filter((b) => isPetFormPair(first, b)),
        ...givenNamesOpenedBy(first).filter((w) => isShortFormPair(first, w)),
      ];
      const pool = new Set<number>([
        ...(byWord.get(first) ?? []),
        ...(byWord.get(last) ?? []),
        ...nick.flatMap((x) => byWord.get(x) ?? []),
        ...(NICKNAMES_OF.get(first) ?? []).flatMap((x) => byWord.get(x) ?? []),
      ]);
      for (const i of [...pool].sort((x, y) => x - y)) {
        const e = entities[i]!;
        if (!compatible(e, g)) continue;
        const fullName = e.first !== e.last;
        let score = 0;
        if (fullName && e.first === first && (!f.honorific || f.honorific === e.honorific))
          score = 3; // "Sir Henry" → Sir Henry Curtis
        else if (fullName && e.last === last && !f.honorific && !RANK_TITLES.has(last))
          score = 2; // a surname joins its full name; "Captain" alone is no surname of "Post Captain"
        else if (!fullName && e.last === last && e.honorific !== '' && !SURNAME_TITLES.has(e.honorific) && !f.honorific) score = 2.5;
        else if (fullName && nick.includes(e.first) && !f.honorific) score = 1;
        else if (
          !fullName &&
          !f.honorific &&
          e.honorific === '' &&
          (isNicknamePair(first, e.first) || isPetFormPair(first, e.first) || isShortFormPair(first, e.first))
        )
          score = 1; // "Theodore, stop slouching" and Theo: one person by two forms of one name
        else if (
          fullName &&
          e.last === last &&
          f.honorific !== '' &&
          f.honorific === e.honorific &&
          !SURNAME_TITLES.has(f.honorific) &&
          !PLAIN_TITLES.has(f.honorific)
        )
          score = 2; // "Dr. Archie" → Dr. Howard Archie: the same title before the same surname (but "Mr. Knightley" is not "Mr. John Knightley")
        else if (!fullName && e.first === first && e.honorific === '' && f.honorific && !SURNAME_TITLES.has(f.honorific))
          score = 2; // "Mr. Greyson" and "Greyson", "Aunt Polly" and "Polly": the bare name is the titled one's
        else if (!fullName && e.first === first && e.honorific === '' && f.honorific && g !== 'unknown') score = 0;
        if (score > bestScore || (score === bestScore && score > 0 && e.count > entities[best]!.count)) {
          best = i;
          bestScore = score;
        }
      }
      target = best;
    } else if (f.honorific !== '' && first !== last) {
      // "Mrs. John Knightley" is John Knightley's wife: a wife's title before a full name joins
      // the bare name only when that given name is a woman's ("Mrs. Sarah Hale" is Sarah Hale)
      const wifeOf = MARRIED_TITLES.has(f.honorific) && firstNameGender(first) !== 'female';
      for (const i of byFullName.get(first + ' ' + last) ?? []) {
        if (wifeOf && entities[i]!.honorific === '') continue;
        if (compatible(entities[i]!, g)) {
          target = i;
          break;
        }
      }
    }
    if (target < 0) {
      const name = (f.honorific ? titleCase(f.honorific) + ' ' : '') + f.words.join(' ');
      // "Charlotte Temple" is a woman before any pronoun is read, so "Mr. Temple" is someone else
      const gender = g === 'unknown' && first !== last ? (firstNameGender(first) ?? 'unknown') : g;
      entities.push({ name, aliases: [], gender, keys: new Set(), count: 0, first, last, honorific: f.honorific });
      target = entities.length - 1;
      for (const w of new Set([first, last])) {
        const list = byWord.get(w);
        if (list === undefined) byWord.set(w, [target]);
        else list.push(target);
      }
      const full = byFullName.get(first + ' ' + last);
      if (full === undefined) byFullName.set(first + ' ' + last, [target]);
      else full.push(target);
    }
    const e = entities[target]!;
    const alias = (f.honorific ? titleCase(f.honorific) + ' ' : '') + f.words.join(' ');
    if (alias !== e.name && !e.aliases.includes(alias)) e.aliases.push(alias);
    e.keys.add(alias.toLowerCase());
    e.keys.add(f.words.join(' ').toLowerCase());
    if (e.gender === 'unknown') e.gender = g;
    e.count += f.count;
    formToEntity.set(key, target);
  }
  // canonical names: a full name when one exists; single-word entities keep their form
  return { entities, formToEntity };
}

const pairKey = (a: number, b: number): string => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** The pairs of characters some sentence names both of, as `pairKey`s. */
function sentencePairs(mentions: readonly NameMention[], sentences: readonly Span[]): Set<string> {
  const pairs = new Set<string>();
  let s = 0;
  let inSentence: number[] = [];
  for (const m of mentions) {
    let moved = false;
    while (s < sentences.length - 1 && sentences[s]!.end <= m.start) {
      s++;
      moved = true;
    }
    if (moved) inSentence = [];
    for (const o of inSentence) if (o !== m.character) pairs.add(pairKey(o, m.character));
    if (!inSentence.includes(m.character)) inSentence.push(m.character);
  }
  return pairs;
}

/**
 * Merges "Mr. Pett" into the one full name with that surname and the title's gender, and a bare
 * title ("Captain") into the one character who bears it.
 */
function mergeTitledForms(
  characters: CharacterEntity[],
  drafts: EntityDraft[],
  mentions: NameMention[],
  together: ReadonlySet<string>,
): CharacterEntity[] {
  const into = characters.map((c) => c.id);
  // full names by surname, in id order: each titled surname looks only at its own (not at everyone)
  const fullBySurname = new Map<string, CharacterEntity[]>();
  for (const o of characters) {
    const od = drafts[o.id]!;
    if (od.first === od.last) continue;
    const list = fullBySurname.get(od.last);
    if (list === undefined) fullBySurname.set(od.last, [o]);
    else list.push(o);
  }
  for (const c of characters) {
    const d = drafts[c.id]!;
    if (d.honorific === '' && d.first === d.last && RANK_TITLES.has(d.first)) {
      // "the English Captain" is the one captain of the cast ("Captain Boomer"); with two it stays apart
      const titled = characters.filter((o) => o.id !== c.id && drafts[o.id]!.honorific === d.first);
      if (titled.length === 1) into[c.id] = titled[0]!.id;
      continue;
    }
    if (d.honorific === '' || d.first !== d.last) continue;
    const g = HONORIFICS.get(d.honorific) ?? 'unknown';
    const full = fullBySurname.get(d.last) ?? [];
    // a title of either gender ("Dr. Bunger") joins the one full name with that surname ("Jack Bunger")
    if (g === 'unknown') {
      if (full.length === 1 && full[0]!.id !== c.id) into[c.id] = full[0]!.id;
      continue;
    }
    // "Mrs. Hilbery" beside Katharine Hilbery is her mother as often as she is herself (Mrs. Weasley
    // and Ginny, Mrs. Reed and Georgiana): a wife's title before a surname does not say which woman
    // of the family she is, so she stays apart
    if (MARRIED_TITLES.has(d.honorific)) continue;
    const fits: number[] = [];
    for (const o of full) {
      const od = drafts[o.id]!;
      if (o.id === c.id || od.first === od.last || od.last !== d.last || o.gender !== g) continue;
      // "Tom Hale stood by the gate with old Mr. Hale": two people one sentence names apart
      if (together.has(pairKey(c.id, o.id))) continue;
      // "Miss Jemima" beside "Miss Pinkerton": titled first names mark a younger sibling, and the
      // titled surname is someone else (the eldest)
      if (o.keys.has(d.honorific + ' ' + od.first) || o.keys.has(d.honorific + '. ' + od.first)) continue;
      // "Mr. Knightley" beside "Mr. John Knightley": the same title before the given name marks a
      // younger brother, and the titled surname alone is the eldest
      if (o.keys.has(`${d.honorific} ${od.first} ${od.last}`) || o.keys.has(`${d.honorific}. ${od.first} ${od.last}`)) continue;
      // "Miss Sedley" is not "Mrs. Amelia Sedley": a different title of the same gender
      if (od.honorific !== '' && od.honorific !== d.honorific && HONORIFICS.get(od.honorific) === g) continue;
      fits.push(o.id);
    }
    // "Miss Bennet" beside Elizabeth and Jane Bennet: which sister is not the text's to say here
    if (fits.length === 1) into[c.id] = fits[0]!;
  }
  if (into.every((t, i) => t === i)) return characters;
  // "Captain" joins "Captain Boomer", who may himself have joined "Boomer Smith"
  for (let i = 0; i < into.length; i++) for (let hops = 0; into[into[i]!] !== into[i] && hops < 4; hops++) into[i] = into[into[i]!]!;
  const kept = characters.filter((c) => into[c.id] === c.id);
  const newId = new Map<number, number>();
  kept.forEach((c, i) => newId.set(c.id, i));
  for (const c of characters) {
    const target = into[c.id]!;
    if (target === c.id) continue;
    const t = characters[target]!;
    const had = new Set(t.aliases);
    t.aliases.push(c.name);
    for (const a of c.aliases) if (!had.has(a)) t.aliases.push(a);
    for (const k of c.keys) t.keys.add(k);
    t.mentions += c.mentions;
    if (t.gender === 'unknown') t.gender = c.gender; // what the pronouns showed of "the Judge" is Judge Miller's
  }
  for (const m of mentions) m.character = newId.get(into[m.character]!)!;
  kept.forEach((c, i) => (c.id = i));
  return kept;
}

function titleCase(h: string): string {
  const abbreviated = ['mr', 'mrs', 'ms', 'dr', 'st', 'mme', 'mlle', 'prof', 'capt', 'col', 'lt', 'sgt', 'rev'];
  return capitalise(h) + (abbreviated.includes(h) ? '.' : '');
}

const OBJECT_FOLLOWERS = new Set([
  'close',
  'closer',
  'tight',
  'tighter',
  'back',
  'away',
  'home',
  'alone',
  'goodbye',
  'hard',
  'forward',
  'inside',
  'outside',
  'gently',
  'softly',
  'still',
  'again',
  'and',
  'to',
  'that',
  'what',
  'how',
]);
const PRONOUN = /\b(he|she|him|his|her|himself|herself|hers)\b/gi;
const NEXT_SUBJECT = /^\s*(?:["\u201c]\s*)?(He|She)\b/;

/** Guesses each character's gender from pronouns that follow their name in narration. */
function inferGender(
  text: string,
  characters: CharacterEntity[],
  mentions: NameMention[],
  quoteMask: Uint8Array,
  sentences: Span[],
  lexicon: LanguageLexicon,
): void {
  if (lexicon.language !== 'en') {
    inferGenderBySubjects(text, characters, mentions, sentences, lexicon);
    return;
  }
  const votes = characters.map(() => ({ f: 0, m: 0 }));
  let s = 0;
  let lastSentence = -1;
  for (let k = 0; k < mentions.length; k++) {
    const mention = mentions[k]!;
    while (s < sentences.length - 1 && sentences[s]!.end <= mention.start) s++;
    const firstInSentence = s !== lastSentence;
    lastSentence = s;
    if (mention.inQuote) continue;
    const v = votes[mention.character]!;
    const sentenceEnd = sentences[s]?.end ?? text.length;
    if (firstInSentence && !mention.possessive) {
      const next = sentences[s + 1];
      if (next !== undefined && quoteMask[next.start] !== 1) {
        const m = NEXT_SUBJECT.exec(text.slice(next.start, next.start + 8));
        if (m !== null) {
          if (m[1] === 'She') v.f++;
          else v.m++;
        }
      }
    }
    if (mention.possessive) continue;
    const limit = Math.min(k + 1 < mentions.length ? mentions[k + 1]!.start : text.length, sentenceEnd);
    if (limit <= mention.end) continue;
    const window = text.slice(mention.end, limit); // bounded: a failed search must not scan the whole text
    PRONOUN.lastIndex = 0;
    for (let m = PRONOUN.exec(window); m !== null; m = PRONOUN.exec(window)) {
      const at = mention.end + m.index;
      if (quoteMask[at] === 1) continue;
      const p = m[0].toLowerCase();
      if (p === 'him' || p === 'hers') continue; // objects usually point at someone else
      if (p === 'her') {
        const next = wordAfter(text, at + 3);
        if (next === '' || NOT_NAMES.has(next) || OBJECT_FOLLOWERS.has(next) || next.endsWith('ly')) continue; // object "her"
      }
      if (p === 'she' || p === 'her' || p === 'herself') v.f++;
      else v.m++;
      break;
    }
  }
  decideGenders(characters, votes);
}

/**
 * A character's gender from the pronoun votes and its given name: a title decided it already;
 * otherwise a one-gender given name (`Alice`, `Gregory`) is taken unless the pronouns clearly
 * say otherwise, and without one the pronouns decide alone.
 */
function decideGenders(characters: CharacterEntity[], votes: { f: number; m: number }[]): void {
  for (const c of characters) {
    const v = votes[c.id]!;
    if (c.gender !== 'unknown') continue;
    const byVotes: Gender = v.f > v.m * 1.5 && v.f >= 1 ? 'female' : v.m > v.f * 1.5 && v.m >= 1 ? 'male' : 'unknown';
    const byName = givenNameGender(c);
    const against = byName === 'female' ? v.m - v.f : byName === 'male' ? v.f - v.m : 0;
    c.gender = byName !== 'unknown' && against < 3 ? byName : byVotes;
  }
}

/** Full first name → its nicknames ("theodore" → theo, ted). */
const NICKNAMES_OF: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>();
  for (const [nick, fulls] of NICKNAMES) for (const full of fulls) m.set(full, [...(m.get(full) ?? []), nick]);
  return m;
})();

/**
 * Whether one given name is the other's pet form ("stevie" and "steve", "buck" and "bucky"): one of
 * them a known given name, and no known genders that differ ("emily" is not "emil").
 */
function isPetFormPair(a: string, b: string): boolean {
  if (a === b || !(petFormBases(a).includes(b) || petFormBases(b).includes(a))) return false;
  const ga = FIRST_NAME_GENDER.get(a);
  const gb = FIRST_NAME_GENDER.get(b);
  return (ga !== undefined || gb !== undefined) && (ga === undefined || gb === undefined || ga === gb);
}

/** Known given names by their first three letters, for the short forms ("nat" → natalia, natasha, …). */
let byOpening: Map<string, string[]> | null = null;

/** The known given names that start with `short`'s first three letters (a superset of those it may cut short). */
function givenNamesOpenedBy(short: string): readonly string[] {
  if (short.length < 3) return [];
  if (byOpening === null) {
    byOpening = new Map();
    for (const name of FIRST_NAME_GENDER.keys()) {
      const key = name.slice(0, 3);
      const list = byOpening.get(key);
      if (list === undefined) byOpening.set(key, [name]);
      else list.push(name);
    }
  }
  return byOpening.get(short.slice(0, 3)) ?? [];
}

/**
 * Whether `short` is a given name cut short ("nat" for natasha, "alex" for alexandra): three letters
 * or more, two fewer than a known given name it opens, and no known gender of its own that differs.
 */
function isShortFormPair(short: string, full: string): boolean {
  if (short.length < 3 || full.length < short.length + 2 || !full.startsWith(short)) return false;
  const g = FIRST_NAME_GENDER.get(full);
  const own = FIRST_NAME_GENDER.get(short);
  return g !== undefined && (own === undefined || own === g);
}

/** Whether one first name is a nickname of the other ("theo" and "theodore", either way round). */
function isNicknamePair(a: string, b: string): boolean {
  return a !== b && ((NICKNAMES.get(a)?.includes(b) ?? false) || (NICKNAMES.get(b)?.includes(a) ?? false));
}

/** A given name's gender, or its full forms' when it is a nickname ("Liz" is Elizabeth's). */
function firstNameGender(word: string): 'female' | 'male' | undefined {
  const own = FIRST_NAME_GENDER.get(word);
  if (own !== undefined) return own;
  const genders = new Set((NICKNAMES.get(word) ?? []).map((full) => FIRST_NAME_GENDER.get(full)));
  return genders.size === 1 ? [...genders][0] : undefined;
}

/** The gender of a character's given names, when every one of them that the lexicon knows agrees. */
function givenNameGender(c: CharacterEntity): Gender {
  let found: Gender = 'unknown';
  for (const name of [c.name, ...c.aliases]) {
    const words = name.split(/\s+/);
    const first = HONORIFICS.has(leadingWord(name)) ? words[1] : words[0];
    const g = first === undefined ? undefined : firstNameGender(first.toLowerCase());
    if (g === undefined) continue;
    if (found !== 'unknown' && found !== g) return 'unknown';
    found = g;
  }
  return found;
}

/** Assigns protagonist/supporting/minor/mentioned roles from mention counts and speaking turns. */
export function assignRoles(characters: CharacterEntity[], mentions: NameMention[], spoken: number[]): void {
  const narration = new Array<number>(characters.length).fill(0);
  for (const m of mentions) if (!m.inQuote) narration[m.character]!++;
  let max = 1; // a loop, not Math.max(...characters): spreading a very long list overflows the stack
  for (const c of characters) if (c.mentions > max) max = c.mentions;
  for (const c of characters) {
    const share = c.mentions / max;
    if (narration[c.id] === 0 && (spoken[c.id] ?? 0) === 0) c.role = 'mentioned';
    else if (share >= 0.5 && c.mentions >= 3) c.role = 'protagonist';
    else if (share >= 0.15 && c.mentions >= 3) c.role = 'supporting';
    else c.role = 'minor';
  }
}

/**
 * Gender in another language: the pronoun (`Él`/`Ella`, `Il`/`Elle`, `Er`/`Sie`) that opens the
 * sentence after one a name opens. Pronouns inside a sentence are not read: after a preposition
 * (`con él`, `d’elle`, `mit ihr`) they are objects and name someone else.
 */
function inferGenderBySubjects(
  text: string,
  characters: CharacterEntity[],
  mentions: NameMention[],
  sentences: Span[],
  lexicon: LanguageLexicon,
): void {
  const votes = characters.map(() => ({ f: 0, m: 0 }));
  if (lexicon.pronounGender.size === 0) {
    decideGenders(characters, votes); // no pronouns to read: the given names alone
    return;
  }
  const vote = (character: number, pronoun: string): void => {
    const g = lexicon.pronounGender.get(pronoun.toLowerCase());
    if (g === 'female') votes[character]!.f++;
    else if (g === 'male') votes[character]!.m++;
  };
  const opening = new RegExp(
    `^\\s*(?:["\u201c\u201e\u00ab\u00bb\u2014\u2013]\\s*)?(${[...lexicon.pronounGender.keys()].join('|')})(?![\\p{L}])`,
    'iu',
  );
  let s = 0;
  let lastSentence = -1;
  for (let k = 0; k < mentions.length; k++) {
    const mention = mentions[k]!;
    while (s < sentences.length - 1 && sentences[s]!.end <= mention.start) s++;
    const firstInSentence = s !== lastSentence;
    lastSentence = s;
    if (mention.inQuote || mention.possessive) continue;
    // the subject of the next sentence, when the name opens this one ("Marie était là. Elle…")
    const next = sentences[s + 1];
    if (firstInSentence && next !== undefined) {
      const m = opening.exec(text.slice(next.start, next.start + 12));
      if (m !== null) vote(mention.character, m[1]!);
    }
  }
  decideGenders(characters, votes);
}

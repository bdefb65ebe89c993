// The mention and coreference pass: who a subject is. Names come from the name finder; a pronoun
// resolves to the last character (or gendered noun phrase) of its gender in narration; noun phrases
// ("the parson", "her mother") are speakers of their own. The text's language's word lists are
// carried in the state, never in a module-level variable.
import { NOT_NAMES, PERSON_NOUNS, SPEECH_VERBS, VOICE_NOUNS, wordSet } from './lexicons/words.ts';
import { FAMILY_ROLES as FAMILY_WORDS } from './lexicons/family.ts';
import type { CharacterEntity, Gender, NameMention } from './characters.ts';
import type { RelativeFinder } from './family.ts';
import type { LanguageLexicon } from './language.ts';
import type { QuoteSpan } from './quotes.ts';
import { type Apposition, findAppositions } from './speaker-appositions.ts';
import { isSpace, isUpper, type Span } from './structure.ts';
import { type Tok, tokens, upperBound } from './speaker-text.ts';

/** A speaking entity found in the text: its key (`c:<id>`, `narrator`, `n:<noun>`, `p:<pronoun>`), character and span. */
export interface Subject {
  key: string;
  character: number;
  span: Span;
}

/** Words that may open a clause before its subject: "Then she said", "and at last Tom came". */
export const SKIP_LEADING = wordSet(
  `and but then so now still yet finally suddenly slowly softly quietly again when after as while just even also once at last`,
);
const CLAUSE_OPENERS = wordSet(`because when while whilst as though although if since after before until`);
/** How far back the start of a sentence is looked for (a longer sentence is not read for its opening pronoun). */
const SENTENCE_REACH = 300;
/** Words that open a clause of reasons or concessions, whose names are not what the sentence is about. */
const SUBORDINATE_CLAUSE = /\b(?:because|although|though|since|whereas)\b/i;
/** Words that may stand inside a noun phrase before its head: "a third matron", "the other man". */
export const NP_MODIFIERS = wordSet(`first second third fourth fifth last other same little old young good great poor`);
const INDEFINITE_SPEAKERS = wordSet(`somebody someone everybody everyone nobody anybody anyone`);
const PERSON_SUFFIX = /(?:man|woman|men|women|ess|ist|ian|eer|ant|ent|ier|ster)$/;
const ENGLISH_PRONOUNS: ReadonlyMap<string, 'male' | 'female'> = new Map([
  ['he', 'male'],
  ['she', 'female'],
]);

/** What the coreference pass reads of a text. */
export interface CoreferenceInput {
  text: string;
  quotes: QuoteSpan[];
  characters: CharacterEntity[];
  mentions: NameMention[];
  /** The text's language's word lists (default: English). */
  lexicon?: LanguageLexicon;
  /** The cast's titled relatives ("Aunt Polly" for anyone's aunt); default: none. */
  relativeOf?: RelativeFinder;
  /** The descriptions the narration sets beside names (findAppositions), when the caller has them already. */
  appositions?: readonly Apposition[];
}

/** The per-text state the speaker passes share, with the subject and pronoun resolvers over it. */
export interface SpeakerState {
  text: string;
  characters: CharacterEntity[];
  mentions: NameMention[];
  mentionAt: Map<number, NameMention>;
  /** Name mentions outside quotations, in text order, and their starts. */
  narration: NameMention[];
  narrationStarts: Int32Array;
  inNarration: Set<number>;
  speechVerbs: ReadonlySet<string>;
  pronounGender: ReadonlyMap<string, 'male' | 'female'>;
  /**
   * While a quotation opening a new turn is read: the speaker of the turn before ("he said" is then
   * usually the other man) and the character that turn called by name ("…, my dear Rose." "Nonsense!"
   * said she: Rose answers); -1 otherwise.
   */
  turn: { otherSpeaker: number; calledBefore: number };
  subjectAt(toks: Tok[], k: number, exclude: number, allowPossessive: boolean, anyNoun?: boolean): Subject | null;
  leadingSubject(toks: Tok[], exclude: number, allowPossessive: boolean): Subject | null;
  resolvePronoun(pronoun: string, at: number, exclude: number): { key: string; character: number } | null;
  pronounSubject(t: Tok, exclude: number): Subject;
}

/** Builds the coreference state of one text. */
export function createSpeakerState(ctx: CoreferenceInput): SpeakerState {
  const { text, characters, mentions, quotes, relativeOf } = ctx;
  const speechVerbs = ctx.lexicon?.speechVerbs ?? SPEECH_VERBS;
  const pronounGender = ctx.lexicon?.pronounGender ?? ENGLISH_PRONOUNS;
  const mentionAt = new Map<number, NameMention>();
  for (const m of mentions) mentionAt.set(m.start, m);
  const narration = mentions.filter((m) => !m.inQuote);
  const inNarration = new Set(narration.map((m) => m.character));
  const narrationStarts = Int32Array.from(narration, (m) => m.start);
  const turn = { otherSpeaker: -1, calledBefore: -1 };
  // "Millie, her lymphatic maid, …, she carried the cloth": a name the narration defines by
  // another woman's "her" is not the "she" who goes on; that her is. Only a description after the
  // name: in "her maid, Millie, …" the she who goes on may well be Millie.
  const definedByOther = new Map<number, Gender>();
  for (const a of ctx.appositions ?? findAppositions(text, narration))
    if (a.owner !== null && a.side === 'after') definedByOther.set(a.name, a.owner);

  const knownNominals = new Set<string>();
  /** Each word of the characters' names that belongs to one character only (-1 when shared). */
  const nameWord = new Map<string, number>();
  for (const ch of characters) {
    for (const name of [ch.name, ...ch.aliases]) {
      const words = name.toLowerCase().split(/\s+/);
      for (const [i, word] of words.entries()) {
        // a common word counts only as the surname of a full name ("said Good" for Captain John Good)
        if (word.length < 3 || word.endsWith('.') || (NOT_NAMES.has(word) && !(i === words.length - 1 && words.length >= 3))) continue;
        const had = nameWord.get(word);
        nameWord.set(word, had === undefined || had === ch.id ? ch.id : -1);
      }
    }
  }
  const isPersonNoun = (noun: string, anyNoun: boolean): boolean => {
    if (PERSON_NOUNS.has(noun) || knownNominals.has(noun) || PERSON_SUFFIX.test(noun)) return true;
    if (anyNoun && noun.length > 2 && !noun.endsWith('ly')) {
      knownNominals.add(noun);
      return true;
    }
    return false;
  };

  const nominals = findGenderedNominals(text, quotes);
  const nominalStarts = Int32Array.from(nominals, (n) => n.at);
  /** Resolves he/she to the most recent character (or gendered noun phrase) of that gender. */
  const resolvePronoun = (pronoun: string, at: number, exclude: number): { key: string; character: number } | null => {
    const gender: Gender = pronoun === 'he' || pronoun === 'his' || pronoun === 'him' ? 'male' : 'female';
    if (turn.otherSpeaker >= 0) {
      // a new turn right after a named speaker: "he said" is the other man of the scene when
      // there is one, else the usual antecedent
      const other = resolvePronounSkipping(gender, at, exclude, turn.otherSpeaker, true);
      if (other !== null) return other; // the other man, or a noun phrase ("the clergyman") that is nearer
    }
    const usual = resolvePronounSkipping(gender, at, exclude, -1, false);
    if (usual !== null) return usual;
    // no antecedent in the narration: the one the turn before called by name answers (and so
    // shows their gender, as the fallback above learns it)
    const called = turn.calledBefore;
    if (called < 0 || called === exclude) return null;
    const g = characters[called]!.gender;
    if (g !== gender && g !== 'unknown') return null;
    characters[called]!.gender = gender;
    return { key: 'c:' + called, character: called };
  };
  /** The most recent character (or gendered noun phrase) of a gender before `at`; strict: known genders only. */
  const resolvePronounSkipping = (
    gender: Gender,
    at: number,
    exclude: number,
    skip: number,
    strict: boolean,
    depth = 0,
  ): { key: string; character: number } | null => {
    let i = upperBound(narrationStarts, at) - 1;
    let j = upperBound(nominalStarts, at) - 1;
    let fallback = -1;
    for (let steps = 0; (i >= 0 || j >= 0) && steps < 40; steps++) {
      const nameAt = i >= 0 ? narration[i]!.start : -1;
      const nounAt = j >= 0 ? nominals[j]!.at : -1;
      if (nounAt > nameAt) {
        const n = nominals[j--]!;
        if (n.gender === gender) {
          // the noun phrase is the antecedent: "the nurse … she said" is the nurse
          if (strict || fallback < 0) return { key: 'n:' + n.noun, character: -1 };
          characters[fallback]!.gender = gender;
          return { key: 'c:' + fallback, character: fallback };
        }
        continue;
      }
      const nm = narration[i--]!;
      const c = nm.character;
      if (c === exclude || c === skip || definedByOther.get(nm.start) === gender) continue;
      const g = characters[c]!.gender;
      if (g === gender) {
        if (!nm.sentenceInitial && depth < 2) {
          // "He did the talking, and not Bildad. 'Aft here,' he cried": the sentence's subject, a
          // pronoun itself, is who the next pronoun goes on with, not a name it only mentions
          const opener = sentencePronounBefore(nm.start, gender);
          if (opener >= 0) {
            const r = resolvePronounSkipping(gender, opener, exclude, skip, strict, depth + 1);
            if (r !== null) return r;
          }
          // "Draco set his mug down and took Harry's hand. “…,” he said": the sentence's named subject,
          // not the possessor of what he acts on, nor a name in a clause of reasons ("Bucky shuffled
          // out, because he had slept on Steve's shoulder and Steve had not complained"); a name in
          // the main clause stays ("Theo opened the door, and in came Jonah Pike, who … he" is Jonah)
          const s = sentenceSubjectBefore(i, gender, exclude, skip);
          if (s >= 0 && (nm.possessive || SUBORDINATE_CLAUSE.test(text.slice(narration[s]!.end, nm.start))))
            return { key: 'c:' + narration[s]!.character, character: narration[s]!.character };
        }
        return { key: 'c:' + c, character: c };
      }
      // a character of unknown gender is learnt from the pronoun, but not the one who spoke the turn before ("— Tu as mangé ? demanda Antoine. — Pas encore, dit-elle.")
      if (g === 'unknown' && fallback < 0 && at - nameAt < 400 && c !== turn.otherSpeaker) fallback = c;
    }
    if (fallback >= 0 && !strict) {
      characters[fallback]!.gender = gender; // learnt: "he said" was this character
      return { key: 'c:' + fallback, character: fallback };
    }
    return null;
  };

  /** The narration mention of a character of `gender` whose name opens the sentence holding mention `i + 1`, or -1. */
  const sentenceSubjectBefore = (i: number, gender: Gender, exclude: number, skip: number): number => {
    const at = narration[i + 1]!.start;
    // the sentence opens after the last full stop, '!', '?' or line end before the mention
    const floor = Math.max(0, at - SENTENCE_REACH);
    let opens = at - 1;
    for (; opens >= floor; opens--) {
      const ch = text.charCodeAt(opens);
      if (ch === 46 || ch === 33 || ch === 63 || ch === 10) break;
    }
    for (let k = i; k >= 0 && narration[k]!.start > opens; k--) {
      const m = narration[k]!;
      if (!m.sentenceInitial) continue;
      const c = m.character;
      return c !== narration[i + 1]!.character && c !== exclude && c !== skip && characters[c]!.gender === gender ? k : -1;
    }
    return -1;
  };

  /** Where the sentence holding `at` opens with a pronoun of `gender` ("He seemed to do the talking, and not Bildad"), else -1. */
  const sentencePronounBefore = (at: number, gender: Gender): number => {
    // the sentence starts after a line break or a full stop, within SENTENCE_REACH characters
    const floor = Math.max(0, at - SENTENCE_REACH);
    let k = at - 1;
    for (; k >= floor; k--) {
      const ch = text.charCodeAt(k);
      if (ch === 10 || ch === 13 || ((ch === 46 || ch === 33 || ch === 63) && isSpace(text.charCodeAt(k + 1)))) break;
    }
    if (k < floor && floor > 0) return -1;
    const start = k + 1;
    const m = /^[\s"'\u201c\u201d\u2018\u2019]*(He|She)\b/.exec(text.slice(start, at));
    if (m === null || (m[1] === 'He') !== (gender === 'male')) return -1;
    return start + m[0].length - m[1]!.length;
  };

  /** A third-person pronoun as a subject ("his voice", "heard her"): its antecedent, else the bare pronoun ("p:he"). */
  const pronounSubject = (t: Tok, exclude: number): Subject => {
    const c = resolvePronoun(t.lower, t.start, exclude);
    const male = t.lower === 'he' || t.lower === 'his' || t.lower === 'him';
    return { key: c?.key ?? (male ? 'p:he' : 'p:she'), character: c?.character ?? -1, span: { start: t.start, end: t.end } };
  };

  /** The name right after a person noun at token j ("her brother Tom", "Anna's friend Lucy"), if any. */
  const nameAfterNoun = (toks: Tok[], j: number): NameMention | undefined => {
    const noun = toks[j];
    const next = toks[j + 1];
    if (noun === undefined || next === undefined || !(PERSON_NOUNS.has(noun.lower) || FAMILY_WORDS.has(noun.lower))) return undefined;
    const m = mentionAt.get(next.start);
    return m !== undefined && !m.possessive ? m : undefined;
  };

  /** Parses a subject (name, pronoun, possessive or nominal) starting at token k. */
  const subjectAt = (toks: Tok[], k: number, exclude: number, allowPossessive: boolean, anyNoun = false): Subject | null => {
    const t = toks[k];
    if (t === undefined) return null;
    const named = mentionAt.get(t.start);
    if (named !== undefined) {
      if (named.possessive) {
        if (!allowPossessive) return null;
        const at = toks.findIndex((x) => x.start >= named.end + 1);
        const next = toks[at];
        if (next === undefined || !/^[a-z]/.test(next.lower)) return null;
        // "Strether's new acquaintance pursued": the possessed person speaks, not the owner (but
        // "Caroline's voice" is Caroline)
        for (let j = at; j < at + 3 && j < toks.length; j++) {
          const x = toks[j]!;
          if (VOICE_NOUNS.has(x.lower) || !/^[a-z]/.test(x.lower)) break;
          if (
            PERSON_NOUNS.has(x.lower) ||
            FAMILY_WORDS.has(x.lower) ||
            PERSON_SUFFIX.test(x.lower) ||
            speechVerbs.has(toks[j + 1]?.lower ?? '')
          ) {
            // "Anna's friend Lucy": the name the description goes with
            const called = nameAfterNoun(toks, j);
            if (called !== undefined)
              return { key: 'c:' + called.character, character: called.character, span: { start: t.start, end: called.end } };
            return { key: 'n:' + x.lower + '@' + t.start, character: -1, span: { start: t.start, end: x.end } };
          }
        }
      }
      return { key: 'c:' + named.character, character: named.character, span: { start: named.start, end: named.end } };
    }
    const w = t.lower;
    const byWord = nameWord.get(w);
    if (byWord !== undefined && byWord >= 0 && isUpper(text.charCodeAt(t.start)) && k > 0) {
      // "said Good": a word of a character's full name, not taken as a mention on its own
      return { key: 'c:' + byWord, character: byWord, span: { start: t.start, end: t.end } };
    }
    const pronoun = pronounGender.get(w);
    if (pronoun !== undefined) {
      const c = resolvePronoun(pronoun === 'male' ? 'he' : 'she', t.start, exclude);
      return { key: c?.key ?? 'p:' + w, character: c?.character ?? -1, span: { start: t.start, end: t.end } };
    }
    if (INDEFINITE_SPEAKERS.has(w)) {
      // "somebody exclaimed" / "somebody else inquired"
      const e = toks[k + 1]?.lower === 'else' ? toks[k + 1]! : t;
      return { key: 'n:' + w + '@' + t.start, character: -1, span: { start: t.start, end: e.end } };
    }
    if (w === 'i') return { key: 'narrator', character: -1, span: { start: t.start, end: t.end } };
    if ((w === 'his' || w === 'her' || w === 'my') && allowPossessive) {
      const n1 = toks[k + 1];
      const n2 = toks[k + 2];
      const isVoice = (x: Tok | undefined): boolean => x !== undefined && VOICE_NOUNS.has(x.lower);
      const owned = n1 !== undefined && POSSESSIVE_END.test(n1.lower); // "his mother's voice" is hers
      if (isVoice(n1) || (isVoice(n2) && !owned)) {
        if (w === 'my') return { key: 'narrator', character: -1, span: { start: t.start, end: t.end } };
        return pronounSubject(t, exclude);
      }
      // "her mother demanded", "said his wife", "my brother's wife": a person noun after the possessive
      const noun = n1?.lower.replace(POSSESSIVE_END, '');
      if (!(noun !== undefined && (PERSON_NOUNS.has(noun) || FAMILY_WORDS.has(noun)))) return null;
    }
    if ((w === 'one' || w === 'some' || w === 'each' || w === 'another') && toks[k + 1]?.lower === 'of' && toks[k + 2] !== undefined) {
      const inner = subjectAt(toks, k + 2, exclude, false, anyNoun);
      if (inner?.key.startsWith('n:')) return { key: inner.key, character: -1, span: { start: t.start, end: inner.span.end } };
    }
    if (w === 'another' || (w === 'the' && toks[k + 1]?.lower === 'other')) {
      // "said another", "cried the other": a pronoun-like speaker unless a noun follows
      const n = toks[k + (w === 'another' ? 1 : 2)];
      if (n === undefined || !/^[a-z]/.test(n.lower) || speechVerbs.has(n.lower) || n.lower.endsWith('ly') || NOT_NAMES.has(n.lower)) {
        const e = w === 'another' ? t : toks[k + 1]!;
        return { key: 'n:' + w + '@' + t.start, character: -1, span: { start: t.start, end: e.end } };
      }
    }
    if (
      w === 'the' ||
      w === 'a' ||
      w === 'an' ||
      w === 'another' ||
      w === 'this' ||
      w === 'that' ||
      w === 'his' ||
      w === 'her' ||
      w === 'my' ||
      w === 'their' ||
      w === 'our' ||
      w === 'your'
    ) {
      let head: Tok | null = null;
      let reach = k + 3; // three words after the determiner; a hyphen and the word it joins are not counted
      for (let j = k + 1; j <= reach && j < toks.length; j++) {
        const x = toks[j]!;
        const named2 = mentionAt.get(x.start);
        if (named2 !== undefined) {
          if (w === 'the' || w === 'a')
            return { key: 'c:' + named2.character, character: named2.character, span: { start: t.start, end: named2.end } };
          break;
        }
        const stem = x.lower.replace(POSSESSIVE_END, '');
        const after = toks[j + 1];
        if (stem !== x.lower && after !== undefined && VOICE_NOUNS.has(after.lower) && (PERSON_NOUNS.has(stem) || FAMILY_WORDS.has(stem))) {
          // "interrupted his mother's voice": the owner of the voice speaks
          head = { ...x, lower: stem };
          break;
        }
        if (VOICE_NOUNS.has(x.lower) && after?.lower === 'of' && toks[j + 2] !== undefined) {
          // "cried the voice of John Reed": the owner of the voice
          const owner = mentionAt.get(toks[j + 2]!.start);
          if (owner !== undefined)
            return { key: 'c:' + owner.character, character: owner.character, span: { start: owner.start, end: owner.end } };
        }
        if (
          stem !== x.lower &&
          after !== undefined &&
          (PERSON_NOUNS.has(after.lower) || FAMILY_WORDS.has(after.lower)) &&
          (PERSON_NOUNS.has(stem) || FAMILY_WORDS.has(stem))
        ) {
          // "my brother's wife": the possessive is a modifier, the noun after it the head
          head = after;
          break;
        }
        if (stem !== x.lower) {
          // "A man's voice beside her": a possessive noun phrase stands for its owner
          if (allowPossessive && (PERSON_NOUNS.has(stem) || knownNominals.has(stem)))
            return { key: 'n:' + stem, character: -1, span: { start: t.start, end: x.end - 2 } };
          break;
        }
        // "the whale-surgeon", "the one-armed captain": a hyphened compound's last word is its head
        // (but "my sister-in-law" is a sister)
        const joined = toks[j + 2];
        if (
          /^[a-z]/.test(x.lower) &&
          !PERSON_NOUNS.has(x.lower) &&
          !FAMILY_WORDS.has(x.lower) &&
          toks[j + 1]?.lower === '-' &&
          joined !== undefined &&
          toks[j + 1]!.start === x.end &&
          joined.start === x.end + 1 &&
          /^[a-z]/.test(joined.lower)
        ) {
          head = joined;
          j += 2;
          reach += 2;
          if (PERSON_NOUNS.has(joined.lower) || speechVerbs.has(toks[j + 1]?.lower ?? '')) break;
          continue;
        }
        if (!/^[a-z]/.test(x.lower) || (NOT_NAMES.has(x.lower) && !NP_MODIFIERS.has(x.lower)) || speechVerbs.has(x.lower)) break;
        head = x;
        // "her brother Tom", "the young man Jonah": the name the description goes with
        const called = nameAfterNoun(toks, j);
        if (called !== undefined)
          return { key: 'c:' + called.character, character: called.character, span: { start: t.start, end: called.end } };
        if (PERSON_NOUNS.has(x.lower) && !(toks[j + 1] !== undefined && PERSON_NOUNS.has(toks[j + 1]!.lower))) break;
      }
      if (head !== null && isPersonNoun(head.lower, anyNoun)) {
        // "his aunt said" when the cast has one Aunt Polly: her, not a second, unnamed aunt
        const role = FAMILY_WORDS.get(head.lower)?.role;
        const kin = role === undefined || relativeOf === undefined ? -1 : relativeOf(-1, role);
        if (kin >= 0 && kin !== exclude) return { key: 'c:' + kin, character: kin, span: { start: t.start, end: head.end } };
        return { key: 'n:' + head.lower, character: -1, span: { start: t.start, end: head.end } };
      }
    }
    return null;
  };

  /** Finds the first subject within the first tokens of a clause, skipping connectives. */
  const leadingSubject = (toks: Tok[], exclude: number, allowPossessive: boolean): Subject | null => {
    let k = 0;
    let subordinate = false;
    while (k < toks.length && (SKIP_LEADING.has(toks[k]!.lower) || /^[,;\-\u2014\u2013]$/.test(toks[k]!.lower))) {
      if (CLAUSE_OPENERS.has(toks[k]!.lower)) subordinate = true;
      k++;
    }
    const s = subjectAt(toks, k, exclude, allowPossessive);
    if (!subordinate && (s !== null || !CLAUSE_OPENERS.has(toks[k]?.lower ?? ''))) return s;
    // "But because she was modern, she swung open the door", "As the harpoon burned, Starbuck
    // grasped Ahab by the arm": the main clause after the comma (else the subordinate's subject)
    const comma = toks.findIndex((x, i) => i > k && x.lower === ',');
    const main = comma < 0 ? null : subjectAt(toks, comma + 1, exclude, allowPossessive);
    return main ?? s;
  };

  return {
    text,
    characters,
    mentions,
    mentionAt,
    narration,
    narrationStarts,
    inNarration,
    speechVerbs,
    pronounGender,
    turn,
    subjectAt,
    leadingSubject,
    resolvePronoun,
    pronounSubject,
  };
}

/** A possessive ending on a lower-cased word ("mother's", "brother’s"). */
export const POSSESSIVE_END = /['\u2019]s$/;

/** The gender an attribution's key shows, if any. */
export function keyGender(a: { key: string | null }, characters: readonly CharacterEntity[]): Gender {
  const key = a.key ?? '';
  if (key.startsWith('c:')) return characters[Number(key.slice(2))]?.gender ?? 'unknown';
  if (key.startsWith('p:')) return key === 'p:he' ? 'male' : key === 'p:she' ? 'female' : 'unknown';
  if (key.startsWith('n:')) {
    const noun = key.slice(2);
    return nounGender(noun);
  }
  return 'unknown';
}

/** True when a noun-phrase subject ends right before the verb (an adverb may sit between). */
export function adjacentToVerb(toks: Tok[], s: Subject, v: number): boolean {
  const before = toks[v - 1];
  if (before === undefined) return false;
  if (before.end === s.span.end) return true;
  const before2 = toks[v - 2];
  return before.lower.endsWith('ly') && before2 !== undefined && before2.end === s.span.end;
}

/** The subject of the last narration sentence before a conversation opens, else the last named. */
export function contextSpeaker(starts: Int32Array, narration: NameMention[], at: number, exclude: number, from: number): number {
  for (let i = upperBound(starts, at) - 1, steps = 0; i >= 0 && steps < 12; i--, steps++) {
    const m = narration[i]!;
    if (m.start < from) break;
    if (m.character !== exclude && m.sentenceInitial) return m.character;
  }
  for (let i = upperBound(starts, at) - 1, steps = 0; i >= 0 && steps < 12; i--, steps++) {
    const m = narration[i]!;
    if (m.start < from) break;
    if (m.character !== exclude) return m.character;
  }
  return -1;
}

const FEMALE_NOUNS = wordSet(
  `woman girl lady mother wife sister aunt maid nurse queen princess duchess countess widow bride daughter niece landlady hostess governess housekeeper mistress actress waitress nun grandmother damsel maiden lass witch`,
);
const MALE_NOUNS = wordSet(
  `man boy gentleman father husband brother uncle king prince duke count son nephew landlord host butler priest monk parson vicar rector curate lord soldier sailor fellow lad guy master footman coachman waiter grandfather squire knight doctor stranger captain colonel major sergeant constable policeman old-timer blond brunet wizard`,
);

/** The gender a person noun shows: listed nouns, and compounds in -man / -woman ("clergyman"). */
export function nounGender(noun: string): Gender {
  if (FEMALE_NOUNS.has(noun) || /[a-z]woman$/.test(noun)) return 'female';
  if (MALE_NOUNS.has(noun) || (/[a-z]{3}man$/.test(noun) && !NOT_MALE_MAN.has(noun))) return 'male';
  return 'unknown';
}

const NOT_MALE_MAN = wordSet(`human german roman shaman talisman ottoman caiman`);

/** Noun phrases of known gender in narration ("the nurse", "a tall man"), for pronoun resolution. */
export function findGenderedNominals(text: string, quotes: QuoteSpan[]): { at: number; noun: string; gender: Gender }[] {
  const out: { at: number; noun: string; gender: Gender }[] = [];
  const re = /\b(the|a|an|this|that)\s+(?:[a-z-]+\s+){0,2}?([a-z-]+)\b/gi;
  let qi = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const noun = m[2]!.toLowerCase();
    const gender = nounGender(noun);
    if (gender === 'unknown') {
      // look again from the word after the determiner ("a tall thing that man"); stepping past
      // the determiner and one whitespace character always moves forward, whatever the
      // whitespace is (a line end, a no-break space)
      re.lastIndex = m.index + m[1]!.length + 1;
      continue;
    }
    while (qi < quotes.length && quotes[qi]!.end <= m.index) qi++;
    if (qi < quotes.length && quotes[qi]!.start <= m.index) continue;
    out.push({ at: m.index, noun, gender });
  }
  return out;
}

/** A salient entity: the subject of a narration sentence or a name in narration. */
export interface Salient {
  at: number;
  key: string;
  character: number;
  mention: Span | null;
}

/** Lists narration subjects and names in text order, for "the other participant" look-ups. */
export function buildSalience(
  ctx: { text: string; quotes: QuoteSpan[] },
  mentions: NameMention[],
  subjectOf: (toks: Tok[], exclude: number) => Subject | null,
): Salient[] {
  const out: Salient[] = [];
  for (const m of mentions)
    if (!m.inQuote) out.push({ at: m.start, key: 'c:' + m.character, character: m.character, mention: { start: m.start, end: m.end } });
  const { text } = ctx;
  const re = /(?:^|[.!?]\s+)((?:He|She|The|A|His|Her)\b)/gm;
  let qi = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const at = m.index + m[0].length - m[1]!.length;
    while (qi < ctx.quotes.length && ctx.quotes[qi]!.end <= at) qi++;
    if (qi < ctx.quotes.length && ctx.quotes[qi]!.start <= at) continue;
    const s = subjectOf(tokens(text, at, at + 60, 6), -1);
    if (s !== null && !s.key.startsWith('c:')) out.push({ at, key: s.key, character: s.character, mention: s.span });
  }
  return out.sort((x, y) => x.at - y.at);
}

/** Number of salient entries at or after `at` (so length-1-result is the last one before it). */
export function lowerIndex(list: Salient[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  return list.length - lo;
}

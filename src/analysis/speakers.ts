// Attributes each quotation to a speaker: explicit attribution, action beats, vocatives,
// pronoun resolution and conversational turn-taking.
import { NOT_NAMES, PERSON_NOUNS, SPEECH_VERBS, VOICE_NOUNS, wordSet } from './lexicons/words.ts';
import { isSpace, isUpper, type Span } from './structure.ts';
import type { QuoteSpan } from './quotes.ts';
import type { CharacterEntity, Gender, NameMention } from './characters.ts';
import { FAMILY_ROLES as FAMILY_WORDS } from './lexicons/family.ts';
import type { LanguageLexicon } from './language.ts';

/** How a speaker was found, strongest first. */
export type SpeakerMethod = 'explicit' | 'beat' | 'paragraph' | 'vocative' | 'continuation' | 'turn-taking' | 'context' | 'none';

/** The speaker of one quotation. */
export interface Attribution {
  /** Character id, or -1 when the speaker is not a named character. */
  speaker: number;
  /** Stable key of the speaking entity: `c:<id>`, `narrator`, `n:<noun>` or `p:<pronoun>@<offset>`. */
  key: string | null;
  /** The mention the attribution rests on (a name, pronoun or noun phrase), if any. */
  mention: Span | null;
  addressee: number;
  confidence: number;
  method: SpeakerMethod;
}

interface Tok {
  lower: string;
  start: number;
  end: number;
}

interface Subject {
  key: string;
  character: number;
  span: Span;
}

/** One token starting exactly at lastIndex (sticky): any non-space code unit starts one. */
const TOKEN = /[A-Za-z\u00c0-\u024f]+(?:['\u2019][A-Za-z]+)*|[^\sA-Za-z\u00c0-\u024f]/y;
const SKIP_LEADING = wordSet(
  `and but then so now still yet finally suddenly slowly softly quietly again when after as while just even also once at last`,
);
const IMPERATIVES = wordSet(`listen look wait please stop come hold calm`);
const VOCATIVE_AFTER = wordSet(
  `you too down up now please thanks oh hey hi hello dear bye goodbye sorry morning night evening on back here there again sir`,
);
const SE = 2;
const ANSWER_OPENERS = /^\s*(?:no|yes|oh|well|why|ah|nay|nonsense)\s*[,.!;\u2014-]/i;
const SUBORDINATORS = wordSet(`when while whilst until before after because since though although if unless`);
const COPULAS = wordSet(`was is were are be been`);
const PERCEPTION_VERBS = wordSet(`heard hear hears overheard`);
/** Marks a pronoun resolved (strictly) to a noun phrase rather than a named character. */
const STRICT_NOMINAL = { key: '', character: -2 };
const CHAPTER_HEADING = /\b(?:CHAPTER|Chapter)\s+(?:[IVXLC]+\b|\d+|[A-Z][a-z]+\b)/;
const FUNCTION_WORDS = wordSet(`i he she it we you they the a an this that then and but so now there here who which what one`);
const CLAUSE_OPENERS = wordSet(`because when while whilst as though although if since after before until`);
/** Particles of two-word speech verbs: "went on", "broke in", "put in", "cried out". */
const VERB_PARTICLES = wordSet(`on in out up forth`);
/** Words that may stand inside a noun phrase before its head: "a third matron", "the other man". */
const NP_MODIFIERS = wordSet(`first second third fourth fifth last other same little old young good great poor`);
const INDEFINITE_SPEAKERS = wordSet(`somebody someone everybody everyone nobody anybody anyone`);
const PREPOSITIONS = wordSet(`to at with towards toward for from of by on in into upon about after before behind beside near`);
const PERSON_SUFFIX = /(?:man|woman|men|women|ess|ist|ian|eer|ant|ent|ier|ster)$/;
const CONTINUE_CUE =
  /\b(?:continu(?:e|ed|es)|went\s+on|goes\s+on|resum(?:e|ed|es)|carried\s+on|kept\s+talking|pressed\s+on)\b(?!\s+(?:to|with|on|down|up|into|through|for|her|his|their)\b)/;

/** Splits text[from, to) into word and punctuation tokens (at most `max`). */
function tokens(text: string, from: number, to: number, max: number): Tok[] {
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

/** Context the speaker rules need about the whole text. */
export interface SpeakerContext {
  text: string;
  paragraphs: Span[];
  quotes: QuoteSpan[];
  characters: CharacterEntity[];
  mentions: NameMention[];
  /** The text's language's word lists (default: English). */
  lexicon?: LanguageLexicon;
}

/**
 * The speech verbs and subject pronouns of the text being read. attributeSpeakers sets them on
 * entry; the analysis is synchronous, so no other text can be read in between.
 */
let speechVerbs: ReadonlySet<string> = SPEECH_VERBS;
let pronounGender: ReadonlyMap<string, 'male' | 'female'> = new Map([
  ['he', 'male'],
  ['she', 'female'],
]);
const ENGLISH_PRONOUNS = pronounGender;

/** Attributes every quotation to a speaker and an addressee, with a confidence. */
export function attributeSpeakers(ctx: SpeakerContext): Attribution[] {
  const { text, quotes, characters, mentions } = ctx;
  speechVerbs = ctx.lexicon?.speechVerbs ?? SPEECH_VERBS;
  pronounGender = ctx.lexicon?.pronounGender ?? ENGLISH_PRONOUNS;
  const mentionAt = new Map<number, NameMention>();
  for (const m of mentions) mentionAt.set(m.start, m);
  const narration = mentions.filter((m) => !m.inQuote);
  const inNarration = new Set(narration.map((m) => m.character));
  const narrationStarts = Int32Array.from(narration, (m) => m.start);
  const boundaries = Int32Array.from(findUnitBoundaries(ctx));
  const units = quotes.map((q) => upperBound(boundaries, q.start) - 1);
  const nextBoundary = (at: number): number => {
    const i = upperBound(boundaries, at);
    return i < boundaries.length ? boundaries[i]! : text.length;
  };
  const result: Attribution[] = quotes.map(() => ({
    speaker: -1,
    key: null,
    mention: null,
    addressee: -1,
    confidence: 0,
    method: 'none' as SpeakerMethod,
  }));
  const vocativeOf = quotes.map((q) => findVocative(text, q, mentions, mentionAt));
  const vocatives = vocativeOf.map((v) => v?.character ?? -1);

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
    if (otherTurnSpeaker >= 0) {
      // a new turn right after a named speaker: "he said" is the other man of the scene when
      // there is one, else the usual antecedent
      const other = resolvePronounSkipping(gender, at, exclude, otherTurnSpeaker, true);
      if (other === STRICT_NOMINAL) return null; // a noun phrase ("the clergyman") is nearer
      if (other !== null) return other;
    }
    return resolvePronounSkipping(gender, at, exclude, -1, false);
  };
  /** The most recent character (or gendered noun phrase) of a gender before `at`; strict: known genders only. */
  const resolvePronounSkipping = (
    gender: Gender,
    at: number,
    exclude: number,
    skip: number,
    strict: boolean,
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
          if (strict) return STRICT_NOMINAL;
          if (fallback < 0) return null;
          characters[fallback]!.gender = gender;
          return { key: 'c:' + fallback, character: fallback };
        }
        continue;
      }
      const c = narration[i--]!.character;
      if (c === exclude || c === skip) continue;
      const g = characters[c]!.gender;
      if (g === gender) return { key: 'c:' + c, character: c };
      // a character of unknown gender is learnt from the pronoun, but not the one who spoke the turn before ("— Tu as mangé ? demanda Antoine. — Pas encore, dit-elle.")
      if (g === 'unknown' && fallback < 0 && at - nameAt < 400 && c !== otherTurnSpeaker) fallback = c;
    }
    if (fallback >= 0 && !strict) {
      characters[fallback]!.gender = gender; // learnt: "he said" was this character
      return { key: 'c:' + fallback, character: fallback };
    }
    return null;
  };

  /** The speaker of the turn before, when this quotation starts a new turn: "he said" there is usually the other man. */
  let otherTurnSpeaker = -1;
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
          )
            return { key: 'n:' + x.lower + '@' + t.start, character: -1, span: { start: t.start, end: x.end } };
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
      if (isVoice(n1) || isVoice(n2)) {
        if (w === 'my') return { key: 'narrator', character: -1, span: { start: t.start, end: t.end } };
        const c = resolvePronoun(w, t.start, exclude);
        return {
          key: c?.key ?? 'p:' + (w === 'his' ? 'he' : w === 'her' ? 'she' : w),
          character: c?.character ?? -1,
          span: { start: t.start, end: t.end },
        };
      }
      // "her mother demanded", "said his wife": a person noun after the possessive
      if (!(n1 !== undefined && (PERSON_NOUNS.has(n1.lower) || FAMILY_WORDS.has(n1.lower)))) return null;
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
      for (let j = k + 1; j <= k + 3 && j < toks.length; j++) {
        const x = toks[j]!;
        const named2 = mentionAt.get(x.start);
        if (named2 !== undefined) {
          if (w === 'the' || w === 'a')
            return { key: 'c:' + named2.character, character: named2.character, span: { start: t.start, end: named2.end } };
          break;
        }
        const stem = x.lower.replace(/['\u2019]s$/, '');
        const after = toks[j + 1];
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
        if (!/^[a-z]/.test(x.lower) || (NOT_NAMES.has(x.lower) && !NP_MODIFIERS.has(x.lower)) || speechVerbs.has(x.lower)) break;
        head = x;
        if (PERSON_NOUNS.has(x.lower) && !(toks[j + 1] !== undefined && PERSON_NOUNS.has(toks[j + 1]!.lower))) break;
      }
      if (head !== null && isPersonNoun(head.lower, anyNoun)) {
        return { key: 'n:' + head.lower, character: -1, span: { start: t.start, end: head.end } };
      }
    }
    return null;
  };

  /** Finds the first subject within the first tokens of a clause, skipping connectives. */
  const leadingSubject = (toks: Tok[], exclude: number, allowPossessive: boolean): Subject | null => {
    let k = 0;
    while (k < toks.length && (SKIP_LEADING.has(toks[k]!.lower) || /^[,;\-\u2014\u2013]$/.test(toks[k]!.lower))) k++;
    const s = subjectAt(toks, k, exclude, allowPossessive);
    if (s !== null || !CLAUSE_OPENERS.has(toks[k]?.lower ?? '')) return s;
    // "But because she was modern, she swung open the door": the main clause after the comma
    const comma = toks.findIndex((x, i) => i > k && x.lower === ',');
    return comma < 0 ? null : subjectAt(toks, comma + 1, exclude, allowPossessive);
  };

  /** Explicit attribution after a quotation: `"...," said X` or `"..." X said`. */
  const explicitAfter = (q: QuoteSpan, limit: number, exclude: number): Subject | null => {
    const toks = tokens(text, q.end, limit, 14);
    let end = toks.findIndex((t) => t.lower === '.' || t.lower === '!' || t.lower === '?' || t.lower === '"' || t.lower === '\u201c');
    if (end < 0) end = toks.length;
    for (let v = 0; v < Math.min(end, 7); v++) {
      if (!speechVerbs.has(toks[v]!.lower)) continue;
      // '"…?" and seemed disappointed when she answered': a subordinate clause's speaker is someone else
      if (toks.slice(0, v).some((x) => SUBORDINATORS.has(x.lower))) return null;
      // '"…!" Mary heard her say': the one heard speaks
      if (v >= 2 && PERCEPTION_VERBS.has(toks[v - 2]!.lower)) {
        const o = toks[v - 1]!;
        if (o.lower !== 'him' && o.lower !== 'her') return subjectAt(toks, v - 1, exclude, false, true);
        // the hearer is not the one heard ("Mary heard her": her is not Mary)
        const hearer = v >= 3 ? subjectAt(toks, v - 3, exclude, false, false) : null;
        const c = resolvePronoun(o.lower, o.start, hearer !== null && hearer.character >= 0 ? hearer.character : exclude);
        return {
          key: c?.key ?? 'p:' + (o.lower === 'him' ? 'he' : 'she'),
          character: c?.character ?? -1,
          span: { start: o.start, end: o.end },
        };
      }
      for (let k = 0; k < v; k++) {
        if (k > 0 && COPULAS.has(toks[k - 1]!.lower)) continue; // '"…" was the rallying cry'
        const s = subjectAt(toks, k, exclude, true, true);
        if (s !== null && (s.key.startsWith('n:') ? adjacentToVerb(toks, s, v) : true)) return s;
      }
      // '"…," Irish remarked': a capitalised word the name finder rejected, between a quotation
      // whose sentence goes on and its speech verb, is still the speaker
      const w0 = toks[0]!;
      if (
        v === 1 &&
        isUpper(text.charCodeAt(w0.start)) &&
        !FUNCTION_WORDS.has(w0.lower) &&
        ((endsOpen(text, q) && !NOT_NAMES.has(w0.lower)) || endsInComma(text, q))
      )
        return { key: 'n:' + w0.lower, character: -1, span: { start: w0.start, end: w0.end } };
      let k = v + 1;
      // French inversion: "dit-il", "demanda-t-elle"
      while (toks[k] !== undefined && (toks[k]!.lower === '-' || (toks[k]!.lower === 't' && toks[k + 1]?.lower === '-'))) k++;
      if (toks[k] !== undefined && VERB_PARTICLES.has(toks[k]!.lower)) k++; // "went on Sir Henry", "broke in a voice"
      if (toks[k]?.lower === ',') {
        // "interposed, more softly, a young wife": an adverbial aside between verb and subject
        const close = toks.findIndex((x, i) => i > k && i <= k + 4 && x.lower === ',');
        if (close > 0 && toks.slice(k + 1, close).every((x) => /^[a-z]/.test(x.lower) && !speechVerbs.has(x.lower))) k = close + 1;
      }
      if (toks[k] !== undefined && toks[k]!.lower.endsWith('ly') && mentionAt.get(toks[k]!.start) === undefined) k++;
      if (toks[k] !== undefined && NP_MODIFIERS.has(toks[k]!.lower) && toks[k + 1] !== undefined && mentionAt.has(toks[k + 1]!.start)) k++; // "added little Amy"
      const s = subjectAt(toks.slice(0, end), k, exclude, false, true);
      if (s !== null) return s;
      return null;
    }
    // '"Aw," fleered Happy Jack': an unknown past-tense verb inverted before a name after a quotation
    // that ends in a comma, '!' or '?' inside its marks
    const v0 = toks[0];
    if (v0 !== undefined && end > 1 && /^[a-z]{3,}ed$/.test(v0.lower) && isUpper(text.charCodeAt(toks[1]!.start)) && endsOpen(text, q)) {
      const named = mentionAt.get(toks[1]!.start);
      if (named !== undefined && !named.possessive)
        return { key: 'c:' + named.character, character: named.character, span: { start: named.start, end: named.end } };
    }
    return null;
  };

  /** Explicit attribution before a quotation: `X said, "..."` or `said X: "..."`. */
  const explicitBefore = (from: number, q: QuoteSpan, exclude: number): Subject | null => {
    const tail = clauseTail(text, from, q.start);
    if (tail === null) return null;
    const toks = tokens(text, tail, q.start, 80).slice(-16); // the words nearest the quotation
    const lastPunct = toks.length > 0 ? toks[toks.length - 1]!.lower : '';
    if (toks.length > 0 && lastPunct !== ',' && lastPunct !== ':' && lastPunct !== '\u2014' && /^[a-z]/.test(lastPunct) === false)
      return null;
    for (let v = toks.length - 1; v >= 0; v--) {
      if (!speechVerbs.has(toks[v]!.lower)) continue;
      // the nearest subject before the verb that is not the object of a preposition
      for (let k = v - 1; k >= 0; k--) {
        if (SKIP_LEADING.has(toks[k]!.lower)) continue;
        if (k > 0 && PREPOSITIONS.has(toks[k - 1]!.lower)) continue;
        if (k > 0 && SUBORDINATORS.has(toks[k - 1]!.lower)) continue; // "…when he spoke to her, and then said:" is hers
        if (toks[k]!.lower === 'him' || (toks[k]!.lower === 'her' && !VOICE_NOUNS.has(toks[k + 1]?.lower ?? ''))) continue;
        const s = subjectAt(toks, k, exclude, true, true);
        if (s !== null && (s.key.startsWith('n:') ? adjacentToVerb(toks, s, v) : true)) return s;
      }
      const s = subjectAt(toks, VERB_PARTICLES.has(toks[v + 1]?.lower ?? '') ? v + 2 : v + 1, exclude, false, true);
      if (s !== null) return s;
      return null;
    }
    return null;
  };

  let unitStartQuote = 0;
  for (let qi = 0; qi < quotes.length; qi++) {
    const q = quotes[qi]!;
    const voc = vocatives[qi]!;
    const vocKey = vocativeOf[qi]?.key ?? null; // "…, lad." The lad nodded: the lad is addressed
    result[qi]!.addressee = voc;
    if (qi === 0 || units[qi] !== units[qi - 1]) unitStartQuote = qi;
    const unit = units[qi]!;
    const nextQuote = quotes[qi + 1];
    const sameUnitNext = nextQuote !== undefined && units[qi + 1] === unit;
    const paraEnd = ctx.paragraphs[q.endParagraph]!.end;
    const afterLimit = Math.min(sameUnitNext ? nextQuote.start : paraEnd, nextBoundary(q.end - 1), nextQuote?.start ?? paraEnd);
    const prev = qi > unitStartQuote ? quotes[qi - 1]! : null;
    const beforeFrom = prev !== null ? prev.end : Math.max(boundaries[units[qi]!] ?? 0, qi > 0 ? quotes[qi - 1]!.end : 0);
    const pr = result[qi - 1];
    otherTurnSpeaker =
      qi > 0 && units[qi] !== units[qi - 1] && pr !== undefined && pr.speaker >= 0 && !conversationBroken(ctx, quotes[qi - 1]!.end, q.start)
        ? pr.speaker
        : -1;
    const set = (s: Subject, method: SpeakerMethod, confidence: number): void => {
      const r = result[qi]!;
      r.key = s.key;
      r.speaker = s.character;
      r.mention = s.span;
      r.method = method;
      r.confidence = s.key.startsWith('c:') || s.key === 'narrator' ? confidence : confidence * 0.8;
    };
    // a chat or script line names its speaker before it
    const written = q.speakerSpan === undefined ? undefined : mentionAt.get(q.speakerSpan.start);
    if (written !== undefined) {
      set(
        { key: 'c:' + written.character, character: written.character, span: { start: written.start, end: written.end } },
        'explicit',
        0.95,
      );
      continue;
    }
    // '"…," said Tuppence severely, "though…"': a quotation interrupted by its attribution goes on
    // in the same voice, whatever the narration after it says
    if (prev !== null && result[qi - 1]!.method === 'explicit' && interruptedBy(text, prev, q)) {
      const p = result[qi - 1]!;
      Object.assign(result[qi]!, { key: p.key, speaker: p.speaker, mention: p.mention, method: 'explicit', confidence: p.confidence });
      continue;
    }
    let s = explicitAfter(q, afterLimit, voc);
    if (s !== null) {
      set(s, 'explicit', 0.95);
      if (voc < 0) {
        const toks = tokens(text, q.end, Math.min(afterLimit, findSentenceEnd(text, q.end, afterLimit)), 10);
        for (let k = 0; k + 1 < toks.length; k++) {
          const target = toks[k]!.lower === 'to' ? mentionAt.get(toks[k + 1]!.start) : undefined;
          if (target !== undefined && target.character !== s.character) {
            result[qi]!.addressee = target.character;
            break;
          }
        }
      }
      continue;
    }
    s = explicitBefore(beforeFrom, q, voc);
    if (s !== null) {
      set(s, 'explicit', 0.9);
      continue;
    }
    otherTurnSpeaker = -1; // action beats ("She smiled.") keep the usual antecedent
    // action beats: the subject of the narration sentence right after, or right before
    if (afterLimit > q.end) {
      const sentenceEnd = findSentenceEnd(text, q.end, afterLimit);
      const toks = tokens(text, q.end, sentenceEnd, 24);
      if (toks.length > 0 && toks[0]!.lower !== ',') {
        s = leadingSubject(toks, voc, true);
        if (s !== null && (voc < 0 || s.character !== voc) && s.key !== vocKey) {
          set(s, 'beat', 0.85);
          continue;
        }
      }
    }
    if (beforeFrom < q.start) {
      const from = lastSentenceStart(text, beforeFrom, q.start);
      const toks = tokens(text, from, q.start, 24);
      s = leadingSubject(toks, voc, true);
      if (s !== null && (voc < 0 || s.character !== voc) && s.key !== vocKey) {
        set(s, 'beat', 0.8);
      }
    }
  }

  otherTurnSpeaker = -1;

  // second pass, per dialogue unit: one speaker a turn, then turn-taking across units
  /** A turn: its quotations, its strongest attribution, and the first and last attributions in it. */
  interface UnitInfo {
    first: number;
    last: number;
    src: Attribution | null;
    head: Attribution | null;
    tail: Attribution | null;
    addressee: number;
    vocative: Vocative | null;
  }
  const unitList: UnitInfo[] = [];
  for (let qi = 0; qi < quotes.length; qi++) {
    let u = unitList[unitList.length - 1];
    if (u === undefined || units[u.first] !== units[qi]) {
      u = { first: qi, last: qi, src: null, head: null, tail: null, addressee: -1, vocative: null };
      unitList.push(u);
    }
    u.last = qi;
    const r = result[qi]!;
    if (r.key !== null && (u.src === null || r.confidence > u.src.confidence)) u.src = r;
    if (r.key !== null) {
      u.head ??= r;
      u.tail = r;
    }
    if (r.addressee >= 0 && u.addressee < 0) u.addressee = r.addressee;
    if (u.vocative === null) u.vocative = vocativeOf[qi] ?? null;
  }
  const runStart = new Int32Array(unitList.length);
  for (let u = 0; u < unitList.length; u++) {
    const prev = unitList[u - 1];
    runStart[u] =
      prev !== undefined && !conversationBroken(ctx, quotes[prev.last]!.end, quotes[unitList[u]!.first]!.start) ? runStart[u - 1]! : u;
  }
  const runEnd = new Int32Array(unitList.length);
  for (let u = unitList.length - 1; u >= 0; u--)
    runEnd[u] = u + 1 < unitList.length && runStart[u + 1] === runStart[u] ? runEnd[u + 1]! : u;
  const firstPass = unitList.map((u) => u.src);
  const firstPassResult = result.map((r) => ({ ...r }));
  // nearest first-pass attribution before / after each quotation within its turn
  const prevAttributed = new Int32Array(quotes.length).fill(-1);
  const nextAttributed = new Int32Array(quotes.length).fill(-1);
  for (let qi = 1; qi < quotes.length; qi++) {
    if (units[qi] !== units[qi - 1]) continue;
    prevAttributed[qi] = firstPassResult[qi - 1]!.key !== null ? qi - 1 : prevAttributed[qi - 1]!;
  }
  for (let qi = quotes.length - 2; qi >= 0; qi--) {
    if (units[qi] !== units[qi + 1]) continue;
    nextAttributed[qi] = firstPassResult[qi + 1]!.key !== null ? qi + 1 : nextAttributed[qi + 1]!;
  }
  const setUnit = (u: UnitInfo, key: string, character: number, mention: Span | null, method: SpeakerMethod, confidence: number): void => {
    u.src = { speaker: character, key, mention, addressee: u.addressee, confidence, method };
  };
  const otherThan = (
    key: string,
    at: number,
    neighbourAddressee: number,
    own: number,
  ): { key: string; character: number; mention: Span | null } | null => {
    if (neighbourAddressee >= 0 && neighbourAddressee !== own && 'c:' + neighbourAddressee !== key && inNarration.has(neighbourAddressee))
      return { key: 'c:' + neighbourAddressee, character: neighbourAddressee, mention: null };
    for (let i = salience.length - 1 - lowerIndex(salience, at), steps = 0; i >= 0 && steps < 30; i--, steps++) {
      const s = salience[i]!;
      if (s.key !== key && (own < 0 || s.character !== own)) return s;
    }
    return null;
  };
  /** Same speaker: same key or character, or two unnamed ones (or a pronoun and a name) of one gender. */
  const sameEntity = (x: Attribution, y: Attribution): boolean => {
    if (x.key === y.key || (x.speaker >= 0 && x.speaker === y.speaker)) return true;
    if (x.speaker >= 0 && y.speaker >= 0) return false;
    if (x.key === 'narrator' || y.key === 'narrator') return false;
    // a noun phrase ("her mother") is someone other than a named character of its gender; only
    // an unresolved pronoun may be that character
    if ((x.speaker >= 0 || y.speaker >= 0) && ((x.key ?? '').startsWith('n:') || (y.key ?? '').startsWith('n:'))) return false;
    const g = keyGender(x, characters);
    return g !== 'unknown' && g === keyGender(y, characters);
  };
  const salience = buildSalience(ctx, mentions, (toks, exclude) => leadingSubject(toks, exclude, false));
  /** A turn found by the vocative rule anchors the turns after it, as an attributed one does. */
  const chained = (v: number): boolean => unitList[v]!.src?.method === 'vocative';
  // the nearest anchoring turns, kept as the loop goes rather than searched for from each turn:
  // a long run of unattributed turns would otherwise be walked once per turn
  const nextFirstPass = new Int32Array(unitList.length + 1).fill(-1);
  for (let u = unitList.length - 1; u >= 0; u--) nextFirstPass[u] = firstPass[u + 1]?.key != null ? u + 1 : nextFirstPass[u + 1]!;
  let lastAnchor = -1;
  for (let u = 0; u < unitList.length; u++) {
    const unit = unitList[u]!;
    if (u > 0 && (firstPass[u - 1]?.key != null || chained(u - 1))) lastAnchor = u - 1;
    if (unit.src !== null) continue;
    const q = quotes[unit.first]!;
    // "… she went on": the previous speaker continues
    if (u > runStart[u]! && unitList[u - 1]!.src !== null) {
      const prevQ = quotes[unitList[u - 1]!.last]!;
      const from = lastSentenceStart(text, prevQ.end, lastSentenceStart(text, prevQ.end, q.start));
      if (CONTINUE_CUE.test(text.slice(Math.max(prevQ.end, from), q.start))) {
        const p = unitList[u - 1]!.src!;
        setUnit(unit, p.key!, p.speaker, p.mention, 'continuation', 0.6);
        continue;
      }
    }
    // people seldom name themselves: a character named inside this turn's quotations is not its speaker
    const named = new Set<number>();
    for (let k = unit.first; k <= unit.last; k++)
      for (const m of mentionsIn(mentions, quotes[k]!.contentStart, quotes[k]!.contentEnd)) named.add(m.character);
    // the turn before or after addressed someone by name: that is who speaks now
    let addressed: Vocative | null = null;
    for (const v of [u - 1, u + 1]) {
      if (addressed !== null || v < runStart[u]! || v > runEnd[u]!) continue;
      const voc = unitList[v]!.vocative;
      const own = unit.vocative;
      if (voc === null || (own !== null && own.key === voc.key)) continue;
      // a name heard only inside quotations ("the Battle of Trafalgar, Katharine?") is too weak a guess
      if (voc.character >= 0 && !inNarration.has(voc.character)) continue;
      if (named.has(voc.character)) continue; // "Edith is asleep": not Edith
      const spoke = firstPass[v];
      if (spoke !== null && spoke !== undefined && spoke.key === voc.key) continue;
      addressed = voc;
    }
    if (addressed !== null) {
      setUnit(unit, addressed.key, addressed.character, addressed.span, 'vocative', 0.7);
      continue;
    }
    // alternation from the nearest attributed turns on either side: same parity, same
    // speaker; odd distance, the other participant of the conversation
    const fromAnchor = (a: number): Attribution | null => {
      // a turn that holds two speakers (paragraphs lost): the one nearest this turn counts
      const anchor = (a < u ? unitList[a]!.tail : unitList[a]!.head) ?? firstPass[a] ?? unitList[a]!.src!;
      if ((u - a) % 2 === 0) return anchor;
      // the other participant: the other speaker of a two-speaker turn, else the nearest
      // attributed turn of this run by someone else
      const inner = a < u ? unitList[a]!.head : unitList[a]!.tail;
      if (inner !== null && inner.key !== null && !sameEntity(inner, anchor)) return inner;
      // looking back first: who spoke before the anchor is still in the conversation; a speaker
      // after it may be someone joining later
      for (const dir of [-1, 1]) {
        for (let d = 1; d <= 16; d++) {
          const v = a + dir * d;
          if (v < runStart[u]! || v > runEnd[u]!) break;
          const cand = firstPass[v];
          if (cand !== null && cand !== undefined && cand.key !== null && !sameEntity(cand, anchor)) return cand;
        }
      }
      const o = otherThan(anchor.key!, q.start, unitList[a]!.addressee, unit.addressee);
      return o === null
        ? null
        : { speaker: o.character, key: o.key, mention: o.mention, addressee: -1, confidence: 0.55, method: 'turn-taking' };
    };
    const left = lastAnchor >= runStart[u]! ? lastAnchor : -1;
    const right = nextFirstPass[u]! >= 0 && nextFirstPass[u]! <= runEnd[u]! ? nextFirstPass[u]! : -1;
    const fromLeft = left >= 0 ? fromAnchor(left) : null;
    const fromRight = right >= 0 ? fromAnchor(right) : null;
    const ok = (x: Attribution | null): x is Attribution =>
      x !== null &&
      x.key !== null &&
      !(unit.addressee >= 0 && x.speaker === unit.addressee) &&
      !(unit.vocative !== null && unit.vocative.key === x.key) &&
      !named.has(x.speaker);
    // the conversation runs forward: the turn before decides when both sides are known
    let best: Attribution | null = ok(fromLeft) ? fromLeft : ok(fromRight) ? fromRight : null;
    // the turn before would hand over to the very person this turn addresses: its speaker goes on
    const lastSpeaker = left >= 0 ? (unitList[left]!.tail ?? firstPass[left]!) : null;
    if (fromLeft !== null && !ok(fromLeft) && u - left === 1 && ok(lastSpeaker)) best = lastSpeaker;
    if (best !== null) {
      const agree = ok(fromLeft) && ok(fromRight) && sameEntity(fromLeft, fromRight);
      setUnit(unit, best.key!, best.speaker, best.mention, 'turn-taking', agree ? 0.65 : 0.55);
      continue;
    }
    // one neighbour known: the other participant
    for (const v of [u - 1, u + 1]) {
      if (v < runStart[u]! || v > runEnd[u]! || best !== null) continue;
      const n = unitList[v]!.src;
      if (n === null || n.key === null) continue;
      const o = otherThan(n.key, q.start, unitList[v]!.addressee, unit.addressee);
      if (o !== null && !named.has(o.character)) {
        setUnit(unit, o.key, o.character, o.mention, 'turn-taking', 0.5);
        best = unit.src;
      }
    }
    if (best !== null) continue;
    const c = contextSpeaker(narrationStarts, narration, q.start, unit.addressee, unit.first > 0 ? quotes[unit.first - 1]!.end : 0);
    if (c >= 0) setUnit(unit, 'c:' + c, c, null, 'context', 0.45);
  }
  const lastMention = new Map<string, Span>();
  for (const unit of unitList) {
    const src = unit.src;
    for (let qi = unit.first; qi <= unit.last; qi++) {
      const r = result[qi]!;
      if (r.key === null && unit.last > unit.first) {
        // the nearest attributed quotation of the same turn, looking back first
        for (const o of [prevAttributed[qi]!, nextAttributed[qi]!]) {
          if (o < 0 || r.key !== null) continue;
          const n = firstPassResult[o]!;
          if (r.addressee >= 0 && n.speaker === r.addressee) continue;
          Object.assign(r, {
            key: n.key,
            speaker: n.speaker,
            mention: n.mention,
            method: 'paragraph',
            confidence: Math.min(0.8, n.confidence),
          });
        }
      }
      if (r.key === null && src !== null && src.key !== null && !(r.addressee >= 0 && src.speaker === r.addressee)) {
        const same = src.method === 'explicit' || src.method === 'beat';
        Object.assign(r, {
          key: src.key,
          speaker: src.speaker,
          mention: src.mention,
          method: same ? 'paragraph' : src.method,
          confidence: same ? Math.min(0.8, src.confidence) : src.confidence,
        });
      }
      if (r.key === null && src !== null && src.key !== null) {
        // this quotation addresses the turn's speaker by name: someone else says it
        const o = otherThan(src.key, quotes[qi]!.start, -1, r.addressee);
        if (o !== null) Object.assign(r, { key: o.key, speaker: o.character, mention: o.mention, method: 'turn-taking', confidence: 0.5 });
      }
      if (r.key !== null) {
        if (r.mention === null) r.mention = lastMention.get(r.key) ?? null;
        else lastMention.set(r.key, r.mention);
        if (r.key.startsWith('c:')) r.speaker = Number(r.key.slice(2));
      }
    }
  }
  // addressees: a vocative, or the other side of a two-person exchange
  for (let qi = 1; qi < quotes.length; qi++) {
    const r = result[qi]!;
    const p = result[qi - 1]!;
    if (r.addressee < 0 && units[qi] === units[qi - 1] && p.key === r.key && p.addressee >= 0) r.addressee = p.addressee;
  }
  for (let qi = 0; qi < quotes.length; qi++) {
    const r = result[qi]!;
    if (r.addressee >= 0 || r.speaker < 0) continue;
    for (const d of [-1, 1]) {
      const o = result[qi + d];
      if (
        o !== undefined &&
        o.speaker >= 0 &&
        o.speaker !== r.speaker &&
        !conversationBroken(ctx, Math.min(quotes[qi]!.end, quotes[qi + d]!.end), Math.max(quotes[qi]!.start, quotes[qi + d]!.start))
      ) {
        r.addressee = o.speaker;
        break;
      }
    }
  }
  return result;
}

/** The gender an attribution's key shows, if any. */
function keyGender(a: Attribution, characters: CharacterEntity[]): Gender {
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
function adjacentToVerb(toks: Tok[], s: Subject, v: number): boolean {
  const before = toks[v - 1];
  if (before === undefined) return false;
  if (before.end === s.span.end) return true;
  const before2 = toks[v - 2];
  return before.lower.endsWith('ly') && before2 !== undefined && before2.end === s.span.end;
}

function upperBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The subject of the last narration sentence before a conversation opens, else the last named. */
function contextSpeaker(starts: Int32Array, narration: NameMention[], at: number, exclude: number, from: number): number {
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
  `woman girl lady mother wife sister aunt maid nurse queen princess duchess countess widow bride daughter niece landlady hostess governess housekeeper mistress actress waitress nun grandmother damsel maiden lass`,
);
const MALE_NOUNS = wordSet(
  `man boy gentleman father husband brother uncle king prince duke count son nephew landlord host butler priest monk parson vicar rector curate lord soldier sailor fellow lad guy master footman coachman waiter grandfather squire knight doctor stranger captain colonel major sergeant constable policeman old-timer`,
);

/** The gender a person noun shows: listed nouns, and compounds in -man / -woman ("clergyman"). */
function nounGender(noun: string): Gender {
  if (FEMALE_NOUNS.has(noun) || /[a-z]woman$/.test(noun)) return 'female';
  if (MALE_NOUNS.has(noun) || (/[a-z]{3}man$/.test(noun) && !NOT_MALE_MAN.has(noun))) return 'male';
  return 'unknown';
}

const NOT_MALE_MAN = wordSet(`human german roman shaman talisman ottoman caiman`);

/** Noun phrases of known gender in narration ("the nurse", "a tall man"), for pronoun resolution. */
function findGenderedNominals(text: string, quotes: QuoteSpan[]): { at: number; noun: string; gender: Gender }[] {
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
interface Salient {
  at: number;
  key: string;
  character: number;
  mention: Span | null;
}

/** Lists narration subjects and names in text order, for "the other participant" look-ups. */
function buildSalience(
  ctx: SpeakerContext,
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
function lowerIndex(list: Salient[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  return list.length - lo;
}

const headingCache = new WeakMap<SpeakerContext, Int32Array>();

/** Offsets of chapter headings ("CHAPTER II.", "Chapter One"), found once per text. */
function chapterHeadings(ctx: SpeakerContext): Int32Array {
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

/** True when enough narration separates two quotations to end a conversation. */
function conversationBroken(ctx: SpeakerContext, fromEnd: number, toStart: number): boolean {
  if (toStart - fromEnd > 600) return true;
  const headings = chapterHeadings(ctx);
  const h = upperBound(headings, fromEnd);
  if (h < headings.length && headings[h]! < toStart) return true;
  let paras = 0;
  for (const p of paragraphsBetween(ctx.paragraphs, fromEnd, toStart)) {
    void p;
    paras++;
  }
  return paras >= 3;
}

function* paragraphsBetween(paragraphs: Span[], a: number, b: number): Generator<Span> {
  let lo = 0;
  let hi = paragraphs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (paragraphs[mid]!.start <= a) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < paragraphs.length && paragraphs[i]!.end <= b; i++) yield paragraphs[i]!;
}

/**
 * Dialogue units (turns): paragraphs. A very long paragraph holding several quotations has
 * usually lost its line breaks, so it is cut again after each quotation that ends a sentence.
 */
function findUnitBoundaries(ctx: SpeakerContext): number[] {
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
          ? attributionSentenceEnd(text, n, para.end)
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
function attributionSentenceEnd(text: string, at: number, limit: number): number {
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

/**
 * True when `q` continues `prev` after a short attribution: the first ends in a comma or dash
 * inside its marks, the narration between is one clause ending in a comma, dash or colon, and the
 * second opens in lower case or after a dash ('"…," said X, "though…"').
 */
function interruptedBy(text: string, prev: QuoteSpan, q: QuoteSpan): boolean {
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
function endsInComma(text: string, q: QuoteSpan): boolean {
  let e = q.contentEnd - 1;
  while (e > q.contentStart && isSpace(text.charCodeAt(e))) e--;
  return text.charCodeAt(e) === 44;
}

/** True when a quotation ends in a comma, '!', '?' or a dash inside its marks: its sentence goes on after it. */
function endsOpen(text: string, q: QuoteSpan): boolean {
  let e = q.contentEnd - 1;
  while (e > q.contentStart && isSpace(text.charCodeAt(e))) e--;
  const c = text.charCodeAt(e);
  return c === 44 || c === 33 || c === 63 || c === 45 || c === 0x2014;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Counts sentence-ending marks followed by a capital in text[from, to). */
function sentenceEnds(text: string, from: number, to: number): number {
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
function clauseTail(text: string, from: number, to: number): number | null {
  let k = to - 1;
  while (k >= from && isSpace(text.charCodeAt(k))) k--;
  if (k < from) return null;
  for (let i = k - 1; i >= from; i--) if (endsSentence(text, i)) return i + 1;
  return from;
}

function lastSentenceStart(text: string, from: number, to: number): number {
  let k = to - 1;
  while (k >= from && isSpace(text.charCodeAt(k))) k--;
  for (let i = k - 1; i >= from; i--) if (endsSentence(text, i)) return i + 1;
  return from;
}

function findSentenceEnd(text: string, from: number, to: number): number {
  for (let i = from + 1; i < to; i++) if (endsSentence(text, i)) return i + 1;
  return to;
}

const ABBREVIATIONS = wordSet(`mr mrs ms dr st mme mlle prof capt col lt sgt rev gen gov hon jr sr vs`);

/**
 * True when the mark at i ends a sentence: '!', '?' or a full stop that is not an abbreviation
 * ("Mr.", an initial "M. A.") and is not followed by a comma, a bracket or a lower-case word.
 */
function endsSentence(text: string, i: number): boolean {
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

/** Someone addressed inside a quotation: a named character, or a family word / title ("Uncle,"). */
export interface Vocative {
  character: number;
  key: string;
  span: Span;
}

const NOMINAL_VOCATIVE =
  /(?:^|[,.!?]\s+|^\s*(?:oh|o|my|dear|my\s+dear)\s+)(uncle|aunt|auntie|mother|father|mamma|mama|mummy|mommy|mom|mum|papa|pa|dad|daddy|grandma|grandpa|granny|brother|sister|doctor|captain|colonel|major|general|professor|nurse|parson|master|mistress|madam|madame|miss|boy|girl|child|lad|darling)(?=\s*[,.!?\u2026;]|\s*$)/gi;

/** Finds who is addressed inside a quotation ("Caroline, listen" / "Yes, uncle."), or null. */
export function findVocative(text: string, q: QuoteSpan, mentions: NameMention[], mentionAt: Map<number, NameMention>): Vocative | null {
  const named = (m: NameMention): Vocative => ({ character: m.character, key: 'c:' + m.character, span: { start: m.start, end: m.end } });
  let i = q.contentStart;
  while (i < q.contentEnd && (isSpace(text.charCodeAt(i)) || text.charCodeAt(i) === 45 || text.charCodeAt(i) === 0x2014)) i++;
  // optional interjection: "Oh, Caroline" / "Hey Stefan"
  const lead =
    /^(?:oh|hey|hi|hello|well|yes|no|dear|please|ah|look|listen|thanks|thank\s+you|sorry|goodbye|bye|good\s+morning|good\s+night|night|morning)[,!.]?\s+/i.exec(
      text.slice(i, Math.min(q.contentEnd, i + 24)),
    );
  const at = mentionAt.get(lead !== null ? i + lead[0].length : i) ?? mentionAt.get(i);
  if (at !== undefined && !at.possessive) {
    const rest = text.slice(at.end, Math.min(q.contentEnd, at.end + 12));
    // trim, then test: two \s* around an optional run would split a long run of spaces every way
    const wholeQuote = /^[.!?\u2026]*$/.test(text.slice(at.end, q.contentEnd).trim());
    // "Bingley." right after a question is an answer, not a call
    if (
      !(wholeQuote && followsQuestion(text, q.start)) &&
      (/^\s*(?:[,.!?\-\u2013\u2014\u2026]|$)/.test(rest) || IMPERATIVES.has(/^\s+([a-z]+)/.exec(rest)?.[1] ?? ''))
    )
      return named(at);
  }
  // a name closing a sentence inside the quotation, not the object of a verb or preposition
  for (const m of mentionsIn(mentions, q.contentStart, q.contentEnd)) {
    if (m.possessive) continue;
    const after = text.slice(m.end, Math.min(q.contentEnd, m.end + 3));
    if (!/^\s*(?:[,.!?\-\u2013\u2014\u2026]|$)/.test(after)) continue;
    let b = m.start - 1;
    while (b > q.contentStart && isSpace(text.charCodeAt(b))) b--;
    const c = text.charCodeAt(b);
    if (c === 44) return named(m); // ", Caroline."
    if (c === 46 || c === 33 || c === 63) {
      // "…rather be. Caroline-": a name alone after a sentence, cut off at the end
      if (/^\s*[-\u2013\u2014\u2026]/.test(after) && m.end + 3 >= q.contentEnd) return named(m);
      continue;
    }
    let s = b;
    while (s > q.contentStart && /[A-Za-z'\u2019]/.test(text.charAt(s - 1))) s--;
    const prevWord = text.slice(s, b + 1).toLowerCase();
    if (VOCATIVE_AFTER.has(prevWord)) return named(m); // "I love you too Stefan." / "calm down Stefan."
  }
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

/** True when the text just before a quotation ends with a question mark (a question was asked). */
function followsQuestion(text: string, start: number): boolean {
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

function mentionsIn(mentions: NameMention[], a: number, b: number): NameMention[] {
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

// Which language a story is written in, and the word lists that belong to it.
import { NOT_NAMES, PLACE_PREPOSITIONS, SPEECH_VERBS } from './lexicons/words.ts';
import { WordTable } from './wordtable.ts';
import {
  ARTICLES_BY_LANGUAGE,
  type Language,
  NOT_NAMES_BY_LANGUAGE,
  PLACE_PREPOSITIONS_BY_LANGUAGE,
  PRONOUN_GENDER,
  SPEECH_VERBS_BY_LANGUAGE,
  STOP_WORDS,
} from './lexicons/languages.ts';

export type { Language } from './lexicons/languages.ts';

/** The word lists the language-dependent passes use; English lists only ever for English. */
export interface LanguageLexicon {
  language: Language;
  /** True when the English cue lists (rating, warnings, relationships, emotions, family words) apply. */
  english: boolean;
  speechVerbs: ReadonlySet<string>;
  notNames: ReadonlySet<string>;
  /** Subject pronouns and the gender they show ("he", "ella", "il", "er"). */
  pronounGender: ReadonlyMap<string, 'male' | 'female'>;
  /** Determiners after which a capitalised word is a common noun (empty for English). */
  articles: ReadonlySet<string>;
  placePrepositions: ReadonlySet<string>;
}

const EMPTY: ReadonlySet<string> = new Set();

const LEXICONS: Readonly<Record<Language, LanguageLexicon>> = {
  en: {
    language: 'en',
    english: true,
    speechVerbs: SPEECH_VERBS,
    notNames: NOT_NAMES,
    pronounGender: PRONOUN_GENDER.en,
    articles: EMPTY,
    placePrepositions: PLACE_PREPOSITIONS,
  },
  es: lexiconOf('es'),
  fr: lexiconOf('fr'),
  de: lexiconOf('de'),
  unknown: {
    language: 'unknown',
    english: false,
    speechVerbs: EMPTY,
    notNames: EMPTY,
    pronounGender: PRONOUN_GENDER.unknown,
    articles: EMPTY,
    placePrepositions: EMPTY,
  },
};

function lexiconOf(language: 'es' | 'fr' | 'de'): LanguageLexicon {
  return {
    language,
    english: false,
    speechVerbs: SPEECH_VERBS_BY_LANGUAGE[language],
    notNames: NOT_NAMES_BY_LANGUAGE[language],
    pronounGender: PRONOUN_GENDER[language],
    articles: ARTICLES_BY_LANGUAGE[language],
    placePrepositions: PLACE_PREPOSITIONS_BY_LANGUAGE[language],
  };
}

/** The word lists of a language. */
export function lexiconFor(language: Language): LanguageLexicon {
  return LEXICONS[language];
}

/** How many word tokens the detector reads at most, spread evenly over the text. */
const SAMPLE = 2000;
/** Below this many sampled words the text is too short to tell: it is taken as English, the archive's default. */
const MIN_WORDS = 20;
/** The winning profile must cover this share of the words (own-language prose: 0.3–0.5; Italian against the French profile: 0.13)… */
const MIN_SHARE = 0.2;
/** …and beat the runner-up by this factor. */
const MIN_LEAD = 1.3;
const PROFILED: readonly Exclude<Language, 'unknown'>[] = ['en', 'es', 'fr', 'de'];
/** Every profile's words in one allocation-free table, with a bit per language that lists the word. */
const STOP_TABLE = new WordTable(
  PROFILED.flatMap((l) => [...STOP_WORDS[l]].map((w) => w.replace(/'/g, '\u2019'))).concat(PROFILED.flatMap((l) => [...STOP_WORDS[l]])),
);
const STOP_BITS = STOP_TABLE.words.map((w) => {
  const plain = w.replace(/\u2019/g, "'");
  let bits = 0;
  PROFILED.forEach((l, k) => {
    if (STOP_WORDS[l].has(plain)) bits |= 1 << k;
  });
  return bits;
});

/**
 * Detects the language from stop-word profiles: the share of (up to 2,000 evenly spaced) word
 * tokens that are among each language's most frequent function words. A text whose words are
 * mostly not Latin letters, or where no profile clearly wins, is `unknown`. `lower` is the text
 * lower-cased without changing its length (structure.lowerForMatching).
 */
export function detectLanguage(lower: string, starts: Uint32Array, ends: Uint32Array): Language {
  const n = starts.length;
  const step = n > SAMPLE ? n / SAMPLE : 1;
  const hits = [0, 0, 0, 0];
  let words = 0;
  let latin = 0;
  let letters = 0;
  for (let x = 0; x < n && words < SAMPLE; x += step) {
    const i = Math.floor(x);
    const s = starts[i]!;
    const e = ends[i]!;
    const c = lower.charCodeAt(s);
    if (c >= 48 && c <= 57) continue; // numbers and timestamps belong to no language
    words++;
    letters += e - s;
    if (isLatin(c)) latin += e - s;
    if (e - s > 12) continue;
    const k = STOP_TABLE.find(lower, s, e);
    if (k < 0) continue;
    const bits = STOP_BITS[k]!;
    for (let l = 0; l < hits.length; l++) if (bits & (1 << l)) hits[l]!++;
  }
  if (letters > 0 && latin < letters / 2) return 'unknown';
  if (words < MIN_WORDS) {
    // too little text to measure a share: another language only on clear evidence
    let best = 0;
    for (let k = 1; k < hits.length; k++) if (hits[k]! > hits[best]!) best = k;
    return best > 0 && hits[best]! >= 2 && hits[best]! > hits[0]! * 2 ? PROFILED[best]! : 'en';
  }
  let best = 0;
  let second = -1;
  for (let k = 1; k < hits.length; k++) {
    if (hits[k]! > hits[best]!) {
      second = best;
      best = k;
    } else if (second < 0 || hits[k]! > hits[second]!) second = k;
  }
  const top = hits[best]!;
  const runnerUp = second >= 0 ? hits[second]! : 0;
  if (top / words < MIN_SHARE || top < runnerUp * MIN_LEAD) return 'unknown';
  return PROFILED[best]!;
}

function isLatin(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f);
}

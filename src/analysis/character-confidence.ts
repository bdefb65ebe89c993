// How likely a detected name is a character: the confidence the author is shown beside each
// proposed character (and the JSON reports), calibrated on LitBank (docs/analysis.md).
import { HONORIFICS, leadingWord } from './lexicons/words.ts';

/** The groups a detected name falls in, each with the share of such names that were characters. */
export const CONFIDENCE_BY_GROUP = {
  titled: 0.92,
  '4+': 0.9,
  '2.5-4': 0.75,
  '1.5-2.5': 0.66,
  '1-1.5': 0.61,
  '<1': 0.5,
} as const;

/** One of the groups of CONFIDENCE_BY_GROUP. */
export type ConfidenceGroup = keyof typeof CONFIDENCE_BY_GROUP;

/**
 * The group a detected name falls in. A name written with a title (`Mr. Greyson`, `Aunt Polly`,
 * `Dr. Archie`) is a person whatever its density; so is one whose gender the text shows and that
 * it names ten times or more, which counts as dense: evidence that does not thin out as a work
 * grows, where a long work's secondary characters are named less densely but no less surely.
 * Otherwise it is how densely the story names it or gives it lines (its mentions plus the
 * quotations attributed to it, per 1,000 words, a text counted as at least 300 words), since a name
 * that speaks is a person even when the narration calls it "he" or "she".
 */
export function confidenceGroup(mentions: number, words: number, spoken = 0, titled = false, genderKnown = false): ConfidenceGroup {
  if (titled) return 'titled';
  const density = (1000 * (mentions + spoken)) / Math.max(300, words);
  if (density >= 4 || (genderKnown && mentions >= 10)) return '4+';
  if (density >= 2.5) return '2.5-4';
  if (density >= 1.5) return '1.5-2.5';
  if (density >= 1) return '1-1.5';
  return '<1';
}

/**
 * How likely a detected name is a character: the share of proposed names that are LitBank
 * characters in its group, measured on LitBank's 100 texts (docs/analysis.md has the table and
 * the leave-one-book-out figures).
 */
export function characterConfidence(mentions: number, words: number, spoken = 0, titled = false, genderKnown = false): number {
  return CONFIDENCE_BY_GROUP[confidenceGroup(mentions, words, spoken, titled, genderKnown)];
}

/** Whether the character is ever named with a title before a name (`Mr. Darcy`, `Aunt Polly`, `Herr Weber`). */
export function isTitledName(names: readonly string[]): boolean {
  return names.some((n) => n.indexOf(' ') > 0 && HONORIFICS.has(leadingWord(n)));
}

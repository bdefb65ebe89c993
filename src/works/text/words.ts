import { decodeEntities } from './entities.ts';
import { WORD_SEPARATING_ELEMENTS } from './html-vocabulary.ts';

// An unclosed comment or hidden element hides the rest, as in a browser; requiring the closing tag
// would make every unclosed one search to the end of the text (quadratic). `[^<>]*` in tags stops
// each attempt at the next `<` for the same reason.
const HIDDEN = /<(script|style|template|rt|rp)\b[^<>]*>[\s\S]*?(?:<\/\1\s*>|$)|<!--[\s\S]*?(?:-->|$)/gi;
const TAG = /<\/?([A-Za-z][A-Za-z0-9]*)\b[^<>]*>/g;

// A word: letters, marks and digits, joined by inner apostrophes or hyphens (don't, well-known,
// rock'n'roll), or by . , : between digits (3.14, 10,000, 9:30). Han, hiragana and katakana
// characters count one each, as AO3 counts them, since those scripts do not space words.
// The `v` flag's set difference keeps the CJK characters out of the letter runs.
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
const LETTER = `[[\\p{L}\\p{M}\\p{N}]--[${CJK}]]`;
const JOINER = `(?:['\u2019\u2010\u2011\\-]|(?<=\\p{N})[.,:](?=\\p{N}))`;
const WORD = new RegExp(`[${CJK}]|${LETTER}+(?:${JOINER}${LETTER}+)*`, 'gv');

/** Words in HTML or text, counted on the text, not the markup (AO3-like: CJK characters count one each). */
export function countWords(htmlOrText: string): number {
  let text = htmlOrText;
  if (text.includes('<')) {
    text = text.replace(HIDDEN, ' ').replace(TAG, (_tag, name: string) => (WORD_SEPARATING_ELEMENTS.has(name.toLowerCase()) ? ' ' : ''));
  }
  text = decodeEntities(text);
  let count = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(text) !== null) count++;
  return count;
}

// Detokenises LitBank's tokenised text ("ca n't", "“ Yes . ”") into ordinary prose and maps
// offsets both ways, so the analysis reads text as a person wrote it.

/** A detokenised text with offset maps to and from the tokenised original. */
export interface Detokenised {
  text: string;
  /** For each original offset (and one past the end), the matching offset in `text`. */
  toDetok: Int32Array;
  /** For each offset in `text` (and one past the end), the matching original offset. */
  toOrig: Int32Array;
}

const NO_SPACE_BEFORE = /^(?:[.,;:!?)\]}%]|\.\.\.|n['\u2019]t|['\u2019](?:s|ll|re|ve|d|m|t)|['\u2019])$/i;
const NO_SPACE_AFTER = /^[([{$#]$/;

/** Joins LitBank tokens with ordinary spacing; sentence lines become one paragraph. */
export function detokenise(tokenised: string): Detokenised {
  const toDetok = new Int32Array(tokenised.length + 1);
  const toOrigList: number[] = [];
  let out = '';
  let prev = '';
  let doubleOpen = false;
  let singleOpen = false;
  let openerPending = false; // the previous token opened a quotation: no space after it
  let lastEnd = 0;
  const re = /\S+/g;
  for (let m = re.exec(tokenised); m !== null; m = re.exec(tokenised)) {
    const tok = m[0];
    let space = out.length > 0;
    if (NO_SPACE_BEFORE.test(tok) && tok !== "'") space = false;
    if (NO_SPACE_AFTER.test(prev) || openerPending) space = false;
    openerPending = false;
    if (tok === '\u201c' || tok === '\u2018') openerPending = true;
    else if (tok === '\u201d') space = false;
    else if (tok === '"') {
      // a mark opening a sentence line opens a quotation; one closing a line after
      // punctuation closes it (keeps unbalanced marks in the source from flipping the rest)
      const lineStart = m.index === 0 || tokenised.charCodeAt(m.index - 1) === 10;
      const lineEnd = re.lastIndex >= tokenised.length || tokenised.charCodeAt(re.lastIndex) === 10;
      if (lineStart) doubleOpen = false;
      else if (lineEnd && /^[.,;:!?]$|^--$/.test(prev)) doubleOpen = true;
      if (doubleOpen) space = false;
      else openerPending = true;
      doubleOpen = !doubleOpen;
    } else if (tok === "'" && /s$/.test(prev) && /^[a-z]/.test(next(tokenised, re.lastIndex))) {
      space = false; // a plural possessive: "the boys ' books"
    } else if (tok === "'") {
      const lineStart = m.index === 0 || tokenised.charCodeAt(m.index - 1) === 10;
      const lineEnd = re.lastIndex >= tokenised.length || tokenised.charCodeAt(re.lastIndex) === 10;
      if (lineStart) singleOpen = false;
      else if (lineEnd && /^[.,;:!?]$|^--$/.test(prev)) singleOpen = true;
      if (singleOpen) space = false;
      else openerPending = true;
      singleOpen = !singleOpen;
    }
    if (tok === '\u2019' && prev !== '') space = false;
    // map the whitespace before this token to the position where it now starts
    const gapStart = toOrigList.length;
    if (space) {
      out += ' ';
      toOrigList.push(m.index - 1);
    }
    for (let k = lastEnd; k < m.index; k++) toDetok[k] = gapStart;
    for (let k = 0; k < tok.length; k++) {
      toDetok[m.index + k] = out.length + k;
      toOrigList.push(m.index + k);
    }
    out += tok;
    prev = tok;
    lastEnd = m.index + tok.length;
  }
  for (let k = lastEnd; k <= tokenised.length; k++) toDetok[k] = out.length;
  toOrigList.push(tokenised.length);
  return { text: out, toDetok, toOrig: Int32Array.from(toOrigList) };
}

/** The token after offset `from`, or ''. */
function next(text: string, from: number): string {
  const m = /\S+/y;
  let i = from;
  while (i < text.length && /\s/.test(text.charAt(i))) i++;
  m.lastIndex = i;
  return m.exec(text)?.[0] ?? '';
}

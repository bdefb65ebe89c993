import { decodeEntities } from './entities.ts';
import { BLOCK_ELEMENTS, TABLE_CELLS } from './html-vocabulary.ts';

// `[^<>]*` rather than `[^>]*` inside tags: in sanitized HTML a `<` never appears inside a tag, and
// on other input it stops each attempt at the next `<` (with `[^>]*`, a text of many `<a` and no `>`
// would be read to its end once per `<a`).
const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<(script|style|template)\b[^<>]*>[\s\S]*?(?:<\/\1\s*>|$)|<(\/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*>|[^<]+|</g;

// Markers in the text being built; the control characters cannot come from the input, whose
// controls are removed first.
const PARAGRAPH = '\u0001';
const LINE = '\u0002';
const SOFT = '\u0003'; // whitespace with a line break in HTML source: a space, or nothing at an edge
const CELL_GAP = '\u0004'; // before a table cell: a tab between cells, nothing before the first
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

/** Visible text of sanitized HTML, paragraphs separated by blank lines (for downloads, search, analysis). */
export function htmlToText(html: string): string {
  let out = '';
  let pre = 0;
  for (const m of html.replace(CONTROLS, '').replace(/\r\n?/g, '\n').matchAll(TOKEN)) {
    const [raw, hidden, closing, tagName] = m;
    if (hidden !== undefined || raw.startsWith('<!--')) continue;
    if (tagName === undefined) {
      const text = decodeEntities(raw).replace(CONTROLS, '');
      // Inside <pre> the line breaks are the author's; elsewhere HTML renders them as spaces.
      // Whole whitespace runs: /[ \t]*\n/ would restart inside every long run of spaces (quadratic).
      out += pre > 0 ? text.replace(/\n/g, LINE) : text.replace(/[ \t\n\f]+/g, (run) => (run.includes('\n') ? SOFT : run));
      continue;
    }
    const name = tagName.toLowerCase();
    if (name === 'br') out += LINE;
    else if (BLOCK_ELEMENTS.has(name)) {
      out += PARAGRAPH;
      if (name === 'pre') pre = Math.max(0, pre + (closing ? -1 : 1));
    } else if (TABLE_CELLS.has(name) && !closing) out += CELL_GAP;
    else if (name === 'img' && !closing) {
      const alt = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(raw);
      const altText = alt?.[1] ?? alt?.[2];
      if (altText) out += decodeEntities(altText).replace(CONTROLS, '');
    }
  }
  const paragraphs: string[] = [];
  for (const block of out.split(PARAGRAPH)) {
    const text = block
      .replace(/^[\u0003\u0004]+|(?<!\u0003)\u0003+$/g, '')
      .replace(/\u0002\u0004/g, LINE)
      .replaceAll(CELL_GAP, '\t')
      .replaceAll(SOFT, ' ')
      .replaceAll(LINE, '\n');
    if (/\S/.test(text)) paragraphs.push(text);
  }
  return paragraphs.join('\n\n');
}

const VOID = new Set(['area', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(\/?)>|<!--[\s\S]*?-->/g;

/**
 * The top-level <p> elements of a chapter's stored (sanitized, well-formed) HTML, in order:
 * paragraph n of a paragraph comment is the n-th of these (1-based). The stored HTML is never
 * changed; numbering is computed from it each time.
 */
export function topLevelParagraphs(html: string): string[] {
  const paragraphs: string[] = [];
  let depth = 0;
  let start = -1;
  for (const match of html.matchAll(TAG)) {
    if (match[2] === undefined) continue; // a comment
    const name = match[2].toLowerCase();
    const closing = match[1] === '/';
    if (VOID.has(name) || match[3] === '/') continue;
    if (!closing) {
      if (depth === 0 && name === 'p') start = match.index;
      depth++;
    } else {
      depth = Math.max(0, depth - 1);
      if (depth === 0 && name === 'p' && start >= 0) {
        paragraphs.push(html.slice(start, match.index + match[0].length));
        start = -1;
      }
    }
  }
  return paragraphs;
}

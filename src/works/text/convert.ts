import { Marked } from 'marked';
import { trustHtml, type SafeHtml } from '../../lib/safe-html.ts';
import { escapeText, normalizeText } from './normalize.ts';
import { sanitizeWorkHtml } from './sanitize.ts';

export type TextFormat = 'plain' | 'markdown' | 'html';

// GFM with `breaks`: story text written in Markdown editors rarely hard-wraps, and a file whose
// paragraphs are single lines would otherwise run together into one paragraph. Its own instance,
// so no other code's marked options leak in.
const markdown = new Marked({ gfm: true, breaks: true, async: false });

/** Converts pasted/uploaded text in the given format to sanitized chapter HTML. */
export function toChapterHtml(input: string, format: TextFormat): SafeHtml {
  switch (format) {
    case 'plain':
      return plainToHtml(input);
    case 'markdown':
      // marked passes raw HTML through; sanitizing its output is what makes it safe.
      return sanitizeWorkHtml(markdown.parse(normalizeText(input), { async: false }));
    case 'html':
      return sanitizeWorkHtml(input);
  }
}

/**
 * Plain text: every non-blank line is a paragraph, its characters exactly as typed (escaped only).
 * Blank lines, however many, only separate. Built by escaping, so no sanitizer pass is needed.
 */
function plainToHtml(input: string): SafeHtml {
  const paragraphs: string[] = [];
  for (const line of normalizeText(input).split('\n')) {
    if (/[^ \t]/.test(line)) paragraphs.push(`<p>${escapeText(line)}</p>`);
  }
  return trustHtml(paragraphs.join('\n'));
}

// A tag (`<em>`, `</p>`, `<br/>`) or a comment: `<3` and `a < b` are not markup.
const LOOKS_LIKE_HTML = /<\/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?\/?>|<!--/;

/**
 * Summary / notes fields: plain text with line breaks OR limited HTML, like AO3's fields -> SafeHtml
 * (same allowlist; plain text paragraphs). In both, a blank line starts a paragraph and a single
 * newline is a line break, as AO3 does for these short fields.
 */
export function toFieldHtml(input: string): SafeHtml {
  const text = normalizeText(input);
  if (LOOKS_LIKE_HTML.test(text)) return sanitizeWorkHtml(text);
  // Escaped text contains no markup, so the sanitizer only adds the paragraphs and line breaks.
  return sanitizeWorkHtml(escapeText(text));
}

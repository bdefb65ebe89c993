// The element vocabulary the text modules share. The sanitizer, the plain-text converter, the
// word counter and the PDF layout must agree on where a paragraph ends and which formatting can
// be carried across one, so each list lives here once.

/** Elements that end the paragraph of text before them and start a new one after them. */
export const BLOCK_ELEMENTS: ReadonlySet<string> = new Set([
  'p',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'blockquote',
  'address',
  'center',
  'pre',
  'figure',
  'figcaption',
  'section',
  'article',
  'header',
  'footer',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'table',
  'caption',
  'colgroup',
  'col',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'details',
  'summary',
]);

/** Table cells: they separate words and columns, and belong to their row's paragraph. */
export const TABLE_CELLS: ReadonlySet<string> = new Set(['td', 'th']);

/**
 * Inline formatting: it may be closed at a paragraph's end and opened again at the next one's
 * start, as AO3 does when a blank line falls inside `<em>`.
 */
export const INLINE_FORMATTING: ReadonlySet<string> = new Set([
  'em',
  'i',
  'strong',
  'b',
  'u',
  's',
  'strike',
  'del',
  'ins',
  'sup',
  'sub',
  'small',
  'big',
  'span',
  'a',
  'abbr',
  'acronym',
  'cite',
  'code',
  'dfn',
  'kbd',
  'q',
  'samp',
  'tt',
  'var',
]);

/** Ruby annotations: readings shown above the text, not words of the text. */
export const RUBY_ANNOTATIONS: ReadonlySet<string> = new Set(['rt', 'rp']);

/** Elements that split words apart: `one</p><p>two` is two words, `wo<em>rd</em>` is one. */
export const WORD_SEPARATING_ELEMENTS: ReadonlySet<string> = new Set([...BLOCK_ELEMENTS, ...TABLE_CELLS, ...RUBY_ANNOTATIONS, 'br', 'img']);

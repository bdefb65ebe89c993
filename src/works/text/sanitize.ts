import sanitizeHtml from 'sanitize-html';
import { trustHtml, type SafeHtml } from '../../lib/safe-html.ts';
import { assertHtmlNesting } from './limits.ts';
import { normalizeText } from './normalize.ts';

// The allowlist follows AO3's (https://archiveofourown.org/faq/formatting-content-on-ao3-with-html).
// sanitize-html does the parsing and filtering: a maintained parser (htmlparser2) and URL
// laundering with years of reported bypasses fixed, which a hand-written filter would not have.
const ALLOWED_TAGS = [
  'p',
  'br',
  'div',
  'span',
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
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'a',
  'img',
  'table',
  'caption',
  'colgroup',
  'col',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'ruby',
  'rb',
  'rt',
  'rp',
  'details',
  'summary',
];

// Disallowed tags lose only their tags by default (their text is kept, as with <font>); these lose
// their content too, because it is code, markup of another language, or form controls.
const DROPPED_WITH_CONTENT = [
  'script',
  'style',
  'template',
  'noscript',
  'noembed',
  'noframes',
  'xmp',
  'plaintext',
  'title',
  'head',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'param',
  'canvas',
  'svg',
  'math',
  'form',
  'textarea',
  'select',
  'option',
  'button',
  'input',
];

// Attributes with a fixed set of values, checked for every tag in transformAll (sanitize-html's own
// value lists leave a bare `align` behind when the value is refused, and ignore them under '*').
const ENUMERATED: Record<string, readonly string[]> = {
  align: ['left', 'center', 'right', 'justify'],
  dir: ['ltr', 'rtl', 'auto'],
  scope: ['row', 'col', 'rowgroup', 'colgroup'],
  type: ['1', 'a', 'A', 'i', 'I'],
};
const CELL = ['colspan', 'rowspan', 'scope', 'align'];

// No `class`: without work skins a class can only reach the site's own stylesheet, where it would
// let a work dress text up as site UI (fake notices, hidden text). Work skins, when they come,
// get their own scoped allowlist. `id`/`name` only on <a>, for footnote anchors; see transformA.
const ALLOWED_ATTRIBUTES: sanitizeHtml.IOptions['allowedAttributes'] = {
  '*': ['title', 'lang', 'dir'],
  a: ['href', 'name', 'id', 'rel'],
  img: ['src', 'alt', 'width', 'height'],
  p: ['style', 'align'],
  div: ['style', 'align'],
  span: ['style', 'align'],
  h1: ['align'],
  h2: ['align'],
  h3: ['align'],
  h4: ['align'],
  h5: ['align'],
  h6: ['align'],
  blockquote: ['cite'],
  q: ['cite'],
  ol: ['start', 'reversed', 'type'],
  li: ['value'],
  table: ['summary', 'align'],
  col: ['span'],
  colgroup: ['span'],
  th: CELL,
  td: CELL,
  details: ['open'],
};

const TEXT_ALIGN = [/^(?:left|right|center|justify)$/i];

const ANCHOR_NAME = /^[A-Za-z_][\w:.-]{0,99}$/;
const NUMBER = /^\d{1,5}%?$/;
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,6}$/;

/** Strips C0 controls and spaces from both ends (by hand: a `[...]+$` regex is quadratic on long runs). */
function trimControls(text: string): string {
  let i = 0;
  let j = text.length;
  while (i < j && text.charCodeAt(i) <= 0x20) i++;
  while (j > i && text.charCodeAt(j - 1) <= 0x20) j--;
  return text.slice(i, j);
}

/**
 * The scheme a browser would see, or '' for a relative URL. Browsers drop tabs and newlines
 * anywhere in a URL and C0 controls and spaces at its ends (`jav&#x09;ascript:` is javascript:).
 */
function urlScheme(raw: string): string | null {
  // eslint-disable-next-line no-control-regex
  const url = trimControls(raw.replace(/[\t\n\r]/g, ''));
  // sanitize-html's own check deletes comments from URLs before reading the scheme; refusing them
  // here keeps every URL this accepts one that check accepts too.
  if (url.includes('<!--')) return null;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  if (scheme) return scheme[1]!.toLowerCase();
  // A colon before any path, query or fragment without a valid scheme is not something we can
  // reason about; refuse rather than guess how a browser reads it.
  if (/^[^/?#]*:/.test(url)) return null;
  return '';
}

function isLinkUrl(url: string): boolean {
  const scheme = urlScheme(url);
  return scheme === '' || scheme === 'http' || scheme === 'https' || scheme === 'mailto';
}

function isImageUrl(url: string): boolean {
  const scheme = urlScheme(url);
  // Absolute http(s) only: a relative src would make the archive itself serve the request.
  return scheme === 'http' || scheme === 'https';
}

// Renaming an element to this (not allowed) name drops its tags and keeps its text. It replaces
// sanitize-html's exclusiveFilter, which cuts each dropped tag out of the whole output built so far
// (`result.substring(...)`): time quadratic in the length of a text with many such tags.
const UNWRAP = 'fanfold-unwrap';

// Own checks run first (transformTags sees attributes before sanitize-html filters them); the
// library's scheme check then runs as a second, independent layer. It accepts every URL these
// accept, so an element kept here keeps its link or picture.
function transformA(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const out: sanitizeHtml.Attributes = {};
  if (attribs.href !== undefined && isLinkUrl(attribs.href)) {
    out.href = attribs.href.trim();
    out.rel = 'nofollow noopener';
  }
  // `id` lands in window's named properties (DOM clobbering); a conservative name pattern keeps
  // footnote anchors (`fn1`, Word's `_ftn1`) while refusing anything shaped like code.
  for (const key of ['name', 'id'] as const) {
    const value = attribs[key]?.trim();
    if (value !== undefined && ANCHOR_NAME.test(value)) out[key] = value;
  }
  // A link whose href was refused keeps its text, not an empty <a>.
  if (out.href === undefined && out.name === undefined && out.id === undefined) return { tagName: UNWRAP, attribs: {} };
  if (attribs.title !== undefined) out.title = attribs.title;
  if (attribs.lang !== undefined) out.lang = attribs.lang;
  if (attribs.dir !== undefined) out.dir = attribs.dir;
  return { tagName, attribs: out };
}

function transformImg(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const out: sanitizeHtml.Attributes = {};
  if (attribs.src !== undefined && isImageUrl(attribs.src)) out.src = attribs.src.trim();
  else return { tagName: UNWRAP, attribs: {} };
  out.alt = attribs.alt ?? '';
  for (const key of ['width', 'height'] as const) {
    const value = attribs[key]?.trim();
    if (value !== undefined && NUMBER.test(value)) out[key] = value;
  }
  if (attribs.title !== undefined) out.title = attribs.title;
  return { tagName, attribs: out };
}

function transformCite(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  if (attribs.cite !== undefined && !isLinkUrl(attribs.cite)) {
    const { cite: _dropped, ...rest } = attribs;
    return { tagName, attribs: rest };
  }
  return { tagName, attribs };
}

function transformAll(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  let out = attribs;
  // CSS names and keywords are case-insensitive; only text-align survives, so lower case is safe.
  if (attribs.style !== undefined) out = { ...out, style: attribs.style.toLowerCase() };
  if (attribs.lang !== undefined && !LANGUAGE_TAG.test(attribs.lang)) {
    out = { ...out };
    delete out.lang;
  }
  for (const [key, allowed] of Object.entries(ENUMERATED)) {
    const value = attribs[key];
    if (value === undefined) continue;
    const lower = key === 'type' ? value.trim() : value.trim().toLowerCase();
    if (out === attribs) out = { ...attribs };
    if (allowed.includes(lower)) out[key] = lower;
    else delete out[key];
  }
  return { tagName, attribs: out };
}

function keepNumeric(...keys: string[]) {
  return (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
    const out = { ...attribs };
    for (const key of keys) {
      if (out[key] !== undefined && !/^\d{1,4}$/.test(out[key].trim())) delete out[key];
    }
    return { tagName, attribs: out };
  };
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: ALLOWED_ATTRIBUTES,
  allowedStyles: { '*': { 'text-align': TEXT_ALIGN } },
  allowedClasses: {},
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: true,
  disallowedTagsMode: 'discard',
  nonTextTags: DROPPED_WITH_CONTENT,
  // Deeper markup is dropped (its text kept): nothing a story needs, and deep trees stall browsers.
  nestingLimit: 100,
  transformTags: {
    a: transformA,
    img: transformImg,
    blockquote: transformCite,
    q: transformCite,
    td: keepNumeric('colspan', 'rowspan'),
    th: keepNumeric('colspan', 'rowspan'),
    col: keepNumeric('span'),
    colgroup: keepNumeric('span'),
    ol: keepNumeric('start'),
    li: keepNumeric('value'),
    '*': transformAll,
  },
};

/**
 * Sanitizes untrusted HTML against the archive's allowlist (close to AO3's). Throws
 * NestingTooDeepError when elements nest deeper than MAX_NESTING (checked before parsing).
 */
export function sanitizeWorkHtml(html: string): SafeHtml {
  const text = normalizeText(html);
  assertHtmlNesting(text);
  const clean = sanitizeHtml(text, OPTIONS);
  // Whitespace outside the top-level elements is meaningless; dropping it makes empty input ''.
  return trustHtml(trimHtmlSpace(addParagraphs(clean), true, true));
}

// Trimming and line-break rewriting by hand or by whole whitespace runs: a regex such as
// /[ \t]+$/ or /[ \t]*\n/ restarts inside every run of spaces not followed by what it needs,
// which is quadratic in the run's length.
const isHtmlSpace = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c;

function trimHtmlSpace(text: string, start: boolean, end: boolean): string {
  let i = 0;
  let j = text.length;
  if (start) while (i < j && isHtmlSpace(text.charCodeAt(i))) i++;
  if (end) while (j > i && isHtmlSpace(text.charCodeAt(j - 1))) j--;
  return text.slice(i, j);
}

function trailingHtmlSpace(text: string): string {
  return text.slice(trimHtmlSpace(text, false, true).length);
}

/** Each line break, with the spaces and tabs around it, as <br />. */
function breakLines(text: string): string {
  return text.replace(/[ \t\n\f]+/g, (run) => {
    if (!run.includes('\n')) return run;
    return '<br />'.repeat(run.split('\n').length - 1);
  });
}

// ---------------------------------------------------------------------------------------------
// Paragraphs for bare text. Pasted HTML often has text outside any block element, with the
// author's line breaks as newlines, which a browser would collapse into one line. As AO3 does,
// a blank line there separates paragraphs and a single newline becomes <br />.
//
// This runs on sanitize-html's output, which is well-formed and escaped: `<` only opens a tag,
// `>` only closes one (text and attribute values have them escaped), every element is closed
// and tag names are lower case. So a small tokenizer is exact here, and the result is built only
// from the sanitized pieces plus <p> and <br />.

const BLOCK = new Set([
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
  'th',
  'td',
  'details',
  'summary',
]);
const VOID = new Set(['br', 'hr', 'img', 'col']);
// Blocks whose own bare text gets paragraphs too, when it has line breaks to lose.
const CONTAINERS = new Set(['div', 'blockquote', 'center']);

interface Token {
  readonly raw: string;
  /** Tag name for tags, '' for text. */
  readonly name: string;
  readonly closing: boolean;
}

const TOKEN = /<(\/?)([a-z][a-z0-9]*)[^>]*>|[^<]+/g;

function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  for (const m of html.matchAll(TOKEN)) {
    tokens.push({ raw: m[0], name: m[2] ?? '', closing: m[1] === '/' });
  }
  return tokens;
}

/** Index just past the element opened at tokens[start] (its matching close tag). */
function elementEnd(tokens: readonly Token[], start: number): number {
  const open = tokens[start]!;
  if (VOID.has(open.name)) return start + 1;
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.name === '' || VOID.has(t.name)) continue;
    depth += t.closing ? -1 : 1;
    if (depth === 0) return i + 1;
  }
  return tokens.length;
}

function containsBlock(tokens: readonly Token[], start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (BLOCK.has(tokens[i]!.name)) return true;
  return false;
}

function addParagraphs(html: string): string {
  const tokens = tokenize(html);
  return flow(tokens, 0, tokens.length, true);
}

/** Renders tokens[start, end) as flow content, wrapping inline runs into paragraphs. */
function flow(tokens: readonly Token[], start: number, end: number, topLevel: boolean): string {
  let out = '';
  let run: Token[] = [];
  const flushRun = (): void => {
    out += inlineRun(run, topLevel);
    run = [];
  };
  let i = start;
  while (i < end) {
    const t = tokens[i]!;
    if (t.name === '' || t.closing) {
      run.push(t);
      i++;
      continue;
    }
    const stop = Math.min(elementEnd(tokens, i), end);
    if (BLOCK.has(t.name) || containsBlock(tokens, i + 1, stop)) {
      flushRun();
      if (CONTAINERS.has(t.name) && stop - i >= 2) {
        const close = tokens[stop - 1]!;
        out += t.raw + flow(tokens, i + 1, stop - 1, false) + close.raw;
      } else {
        for (let j = i; j < stop; j++) out += tokens[j]!.raw;
      }
    } else {
      for (let j = i; j < stop; j++) run.push(tokens[j]!);
    }
    i = stop;
  }
  flushRun();
  return out;
}

// HTML whitespace only: a no-break space is the author's (indentation, spacing) and stays.
const BLANK_LINE = /\n[ \t\f]*\n[ \t\n\f]*/;
const HAS_TEXT = /[^ \t\n\f]/;

/**
 * An inline run: text and inline elements between blocks. At the top level it always becomes
 * paragraphs (whitespace-only runs are kept as they are); inside a container only when its text
 * has a line break, so `<div align="center">* * *</div>` stays as written.
 */
function inlineRun(run: readonly Token[], always: boolean): string {
  const raw = run.map((t) => t.raw).join('');
  const texts = run.filter((t) => t.name === '');
  const hasContent = texts.some((t) => HAS_TEXT.test(t.raw)) || run.some((t) => t.name === 'img' || t.name === 'br');
  if (!hasContent) return raw;
  if (
    !always &&
    !texts
      .map((t) => t.raw)
      .join('')
      .trim()
      .includes('\n')
  )
    return raw;

  // Each paragraph is a list of pieces; text pieces are kept apart from tags so that line
  // breaks are only ever replaced in text, never inside an attribute value.
  type Piece = { text: boolean; s: string };
  const paragraphs: Piece[][] = [[]];
  let depth = 0;
  for (const t of run) {
    const current = paragraphs[paragraphs.length - 1]!;
    if (t.name !== '') {
      if (!VOID.has(t.name)) depth += t.closing ? -1 : 1;
      current.push({ text: false, s: t.raw });
      continue;
    }
    // Paragraph breaks only between elements: splitting inside <em> would break its nesting.
    if (depth !== 0) {
      current.push({ text: true, s: t.raw });
      continue;
    }
    t.raw.split(BLANK_LINE).forEach((part, k) => {
      if (k > 0) paragraphs.push([]);
      paragraphs[paragraphs.length - 1]!.push({ text: true, s: part });
    });
  }

  // Whitespace around the run stays outside the paragraphs, keeping the stored HTML readable.
  const lead = /^[ \t\n\f]*/.exec(run[0]?.name === '' ? run[0].raw : '')![0];
  const lastToken = run[run.length - 1];
  const trail = lastToken?.name === '' ? trailingHtmlSpace(lastToken.raw) : '';
  const out: string[] = [];
  for (const pieces of paragraphs) {
    const first = pieces[0];
    const last = pieces[pieces.length - 1];
    if (first?.text) first.s = trimHtmlSpace(first.s, true, false);
    if (last?.text) last.s = trimHtmlSpace(last.s, false, true);
    const html = pieces.map((p) => (p.text ? breakLines(p.s) : p.s)).join('');
    if (html !== '') out.push(`<p>${html}</p>`);
  }
  return lead + out.join('\n') + trail;
}

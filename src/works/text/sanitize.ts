import { createRequire } from 'node:module';
import type sanitizeHtml from 'sanitize-html';
import { trustHtml, type SafeHtml } from '../../lib/safe-html.ts';
import { configuredEmbedHosts, isEmbedHostAllowed } from './embed-hosts.ts';
import { BLOCK_ELEMENTS, INLINE_FORMATTING, TABLE_CELLS } from './html-vocabulary.ts';
import { assertHtmlNesting } from './limits.ts';
import { normalizeText } from './normalize.ts';

// The allowlist is AO3's (its Sanitize config, EmbedSanitizer and MediaSanitizer), element for
// element; docs/sanitizer.md compares the two lists and gives the reason for each difference.
// sanitize-html does the parsing and filtering: a maintained parser (htmlparser2) and URL
// laundering with years of reported bypasses fixed, which a hand-written filter would not have.
// Two profiles: work text (chapters), and fields (comments, summaries, notes), which have no
// players and no classes.
const ALLOWED_TAGS = [
  'p',
  'br',
  'div',
  ...INLINE_FORMATTING, // em, strong, span, a and the other inline formatting
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
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
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
/** Players: kept in work text only, from the embed hosts (embed-hosts.ts), shown click-to-load. */
const MEDIA_TAGS = ['iframe', 'embed', 'audio', 'video', 'source', 'track'];

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
  'audio',
  'video',
];

// Attributes with a fixed set of values (checked in transformAll: sanitize-html's own value lists
// leave a bare attribute behind when the value is refused, and ignore them under '*').
const ALIGN = ['left', 'center', 'right', 'justify'];
const IMG_ALIGN = ['left', 'right', 'top', 'middle', 'bottom'];
const DIRECTIONS = ['ltr', 'rtl', 'auto'];
const SCOPES = ['row', 'col', 'rowgroup', 'colgroup'];
const OL_TYPES = ['1', 'a', 'A', 'i', 'I'];
const UL_TYPES = ['disc', 'circle', 'square'];
const TRACK_KINDS = ['subtitles', 'captions', 'descriptions', 'chapters', 'metadata'];
const PRELOAD = ['none', 'metadata', 'auto'];
/** Attributes whose presence is their meaning; stored bare (`controls`, not `controls="x"`). */
const BOOLEAN_ATTRIBUTES = ['open', 'reversed', 'controls', 'loop', 'muted', 'playsinline', 'allowfullscreen', 'default'];

const CELL = ['colspan', 'rowspan', 'abbr', 'axis', 'width', 'height'];

// `class` (work text only) is for work skins; `id`/`name` only on <a>, for footnote anchors (see
// transformA). `style` carries text-align only: pasted word-processor text aligns with it.
function allowedAttributes(work: boolean): sanitizeHtml.IOptions['allowedAttributes'] {
  const everywhere = ['title', 'lang', 'dir', 'align'];
  return {
    '*': work ? [...everywhere, 'class'] : everywhere,
    a: ['href', 'name', 'id', 'rel'],
    img: ['src', 'alt', 'width', 'height', 'border'],
    p: ['style'],
    div: ['style'],
    span: ['style'],
    blockquote: ['cite'],
    q: ['cite'],
    ol: ['start', 'reversed', 'type'],
    ul: ['type'],
    li: ['value'],
    table: ['summary', 'width', 'border'],
    hr: ['width'],
    col: ['span', 'width'],
    colgroup: ['span', 'width'],
    th: [...CELL, 'scope'],
    td: CELL,
    details: ['open'],
    ...(work
      ? {
          iframe: ['src', 'width', 'height', 'frameborder', 'allowfullscreen'],
          embed: ['src', 'type', 'width', 'height'],
          audio: ['src', 'controls', 'loop', 'muted', 'preload'],
          video: ['src', 'controls', 'loop', 'muted', 'preload', 'poster', 'width', 'height', 'playsinline'],
          source: ['src', 'type'],
          track: ['src', 'kind', 'label', 'srclang', 'default'],
        }
      : {}),
  };
}

const TEXT_ALIGN = [/^(?:left|right|center|justify)$/i];

const ANCHOR_NAME = /^[A-Za-z_][\w:.-]{0,99}$/;
const NUMBER = /^\d{1,5}%?$/;
const BORDER = /^\d{1,2}$/;
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,6}$/;
const MIME_TYPE = /^[a-z]+\/[a-z0-9.+-]{1,60}$/;
/** A work skin's class name (AO3's rule), at most 60 characters; at most MAX_CLASSES per element. */
const CLASS_NAME = /^[A-Za-z][\w-]{1,59}$/;
const MAX_CLASSES = 10;

/** Strips C0 controls and spaces from both ends (by hand: a `[...]+$` regex is quadratic on long runs). */
function trimControls(text: string): string {
  let i = 0;
  let j = text.length;
  while (i < j && text.charCodeAt(i) <= 0x20) i++;
  while (j > i && text.charCodeAt(j - 1) <= 0x20) j--;
  return text.slice(i, j);
}

/** A URL as a browser reads it: tabs and newlines dropped anywhere, controls and spaces at the ends. */
function browserUrl(raw: string): string {
  return trimControls(raw.replace(/[\t\n\r]/g, ''));
}

/**
 * The scheme a browser would see, or '' for a relative URL. Browsers drop tabs and newlines
 * anywhere in a URL and C0 controls and spaces at its ends (`jav&#x09;ascript:` is javascript:).
 */
function urlScheme(raw: string): string | null {
  const url = browserUrl(raw);
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
  // Relative pictures as AO3 keeps them: served by the archive itself (img-src 'self').
  return scheme === '' || scheme === 'http' || scheme === 'https';
}

/**
 * A player's URL as stored: absolute, https (AO3 rewrites http for the hosts that serve https;
 * every host on our list does), on an allowed host, no credentials or port; otherwise null.
 */
export function toEmbedUrl(raw: string, hosts: readonly string[]): string | null {
  const scheme = urlScheme(raw);
  const text = browserUrl(raw);
  if (text.includes('<!--')) return null;
  let absolute: string;
  if (scheme === 'http' || scheme === 'https') absolute = text;
  else if (scheme === '' && /^[/\\]{2}/.test(text)) absolute = `https:${text}`;
  else return null;
  let url: URL;
  try {
    url = new URL(absolute);
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '' || url.port !== '') return null;
  if (!isEmbedHostAllowed(url.hostname, hosts)) return null;
  url.protocol = 'https:';
  return url.href;
}

// An element refused (a link without a usable href, a picture or player without a usable src) is
// kept by sanitize-html with no attributes at all, and removed by tokenize: its tags for a link
// (the text stays), the whole element for a picture or player. Not by renaming it to a tag that
// is not allowed: sanitize-html then names the next closing tag at that depth after the renamed
// one (`<a>x</a><b>y</b>` gave `x<b>y</fanfold-unwrap>`). Not by exclusiveFilter either: it cuts
// each dropped tag out of the whole output built so far, time quadratic in the text's length.
const REFUSED: sanitizeHtml.Attributes = Object.freeze({}) as sanitizeHtml.Attributes;

// Own checks run first (transformTags sees attributes before sanitize-html filters them); the
// library's scheme check then runs as a second, independent layer. It accepts every URL these
// accept, so an element kept here keeps its link or picture.
function transformA(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const out: sanitizeHtml.Attributes = { ...attribs };
  delete out.href;
  delete out.name;
  delete out.id;
  delete out.rel;
  // An empty href would be dropped by sanitize-html, leaving a link to nowhere.
  if (attribs.href !== undefined && attribs.href.trim() !== '' && isLinkUrl(attribs.href)) {
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
  if (out.href === undefined && out.name === undefined && out.id === undefined) return { tagName, attribs: { ...REFUSED } };
  return { tagName, attribs: out };
}

function transformImg(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  if (attribs.src === undefined || !isImageUrl(attribs.src)) return { tagName, attribs: { ...REFUSED } };
  return { tagName, attribs: { ...attribs, src: attribs.src.trim(), alt: attribs.alt ?? '' } };
}

function transformCite(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  if (attribs.cite !== undefined && !isLinkUrl(attribs.cite)) {
    const { cite: _dropped, ...rest } = attribs;
    return { tagName, attribs: rest };
  }
  return { tagName, attribs };
}

/** iframe, embed: refused whole (with their content) unless their src is a player on an allowed host. */
function transformFrame(hosts: readonly string[]) {
  return (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
    const src = attribs.src === undefined ? null : toEmbedUrl(attribs.src, hosts);
    if (src === null) return { tagName, attribs: { ...REFUSED } };
    return { tagName, attribs: { ...attribs, src } };
  };
}

/** audio, video: a src off the list is dropped (their <source>s may still qualify; see settleMedia). */
function transformMedia(hosts: readonly string[]) {
  return (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
    const out: sanitizeHtml.Attributes = { ...attribs, controls: '' };
    delete out.src;
    delete out.poster;
    const src = attribs.src === undefined ? null : toEmbedUrl(attribs.src, hosts);
    if (src !== null) out.src = src;
    const poster = attribs.poster === undefined ? null : toEmbedUrl(attribs.poster, hosts);
    if (poster !== null) out.poster = poster;
    return { tagName, attribs: out };
  };
}

/** source, track (void): nothing without a src on the list. */
function transformMediaPart(hosts: readonly string[]) {
  return (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
    const src = attribs.src === undefined ? null : toEmbedUrl(attribs.src, hosts);
    if (src === null) return { tagName, attribs: { ...REFUSED } };
    return { tagName, attribs: { ...attribs, src } };
  };
}

/** Checks an attribute's value against a list (case-insensitively unless told); refused values go. */
function keepOneOf(out: sanitizeHtml.Attributes, key: string, allowed: readonly string[], caseSensitive = false): void {
  const value = out[key];
  if (value === undefined) return;
  const trimmed = caseSensitive ? value.trim() : value.trim().toLowerCase();
  if (allowed.includes(trimmed)) out[key] = trimmed;
  else delete out[key];
}

function keepMatching(out: sanitizeHtml.Attributes, key: string, pattern: RegExp): void {
  const value = out[key];
  if (value === undefined) return;
  const trimmed = value.trim();
  if (pattern.test(trimmed)) out[key] = trimmed;
  else delete out[key];
}

function transformAll(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  if (Object.keys(attribs).length === 0) return { tagName, attribs };
  const out = { ...attribs };
  // CSS names and keywords are case-insensitive; only text-align survives, so lower case is safe.
  if (out.style !== undefined) out.style = out.style.toLowerCase();
  keepMatching(out, 'lang', LANGUAGE_TAG);
  keepMatching(out, 'srclang', LANGUAGE_TAG);
  keepOneOf(out, 'dir', DIRECTIONS);
  keepOneOf(out, 'align', tagName === 'img' ? IMG_ALIGN : ALIGN);
  keepOneOf(out, 'scope', SCOPES);
  keepOneOf(out, 'kind', TRACK_KINDS);
  keepOneOf(out, 'preload', PRELOAD);
  keepOneOf(out, 'frameborder', ['0', '1']);
  if (tagName === 'ol') keepOneOf(out, 'type', OL_TYPES, true);
  else if (tagName === 'ul') keepOneOf(out, 'type', UL_TYPES);
  else keepMatching(out, 'type', MIME_TYPE);
  for (const key of ['width', 'height']) keepMatching(out, key, NUMBER);
  keepMatching(out, 'border', BORDER);
  for (const key of ['colspan', 'rowspan', 'span', 'start', 'value']) keepMatching(out, key, /^\d{1,4}$/);
  for (const key of BOOLEAN_ATTRIBUTES) if (out[key] !== undefined) out[key] = '';
  if (out.class !== undefined) {
    const names = out.class.split(/[ \t\n\f]+/).filter((name) => CLASS_NAME.test(name));
    if (names.length === 0) delete out.class;
    else out.class = [...new Set(names)].slice(0, MAX_CLASSES).join(' ');
  }
  return { tagName, attribs: out };
}

function buildOptions(work: boolean, hosts: readonly string[]): sanitizeHtml.IOptions {
  const media: Record<string, sanitizeHtml.Transformer> = work
    ? {
        iframe: transformFrame(hosts),
        embed: transformFrame(hosts),
        audio: transformMedia(hosts),
        video: transformMedia(hosts),
        source: transformMediaPart(hosts),
        track: transformMediaPart(hosts),
      }
    : {};
  return {
    allowedTags: work ? [...ALLOWED_TAGS, ...MEDIA_TAGS] : ALLOWED_TAGS,
    allowedAttributes: allowedAttributes(work),
    allowedStyles: { '*': { 'text-align': TEXT_ALIGN } },
    allowedClasses: work ? { '*': [CLASS_NAME] } : {},
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: {
      img: ['http', 'https'],
      iframe: ['https'],
      embed: ['https'],
      audio: ['https'],
      video: ['https'],
      source: ['https'],
      track: ['https'],
    },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'poster'],
    allowProtocolRelative: true,
    disallowedTagsMode: 'discard',
    nonTextTags: DROPPED_WITH_CONTENT,
    selfClosing: ['img', 'br', 'hr', 'embed', 'source', 'track'],
    // Deeper markup is dropped (its text kept): nothing a story needs, and deep trees stall browsers.
    nestingLimit: 100,
    transformTags: {
      a: transformA,
      img: transformImg,
      blockquote: transformCite,
      q: transformCite,
      ...media,
      '*': transformAll,
    },
  };
}

const FIELD_OPTIONS = buildOptions(false, []);
let workOptions: { hosts: readonly string[]; options: sanitizeHtml.IOptions } | null = null;

function optionsForWork(hosts: readonly string[]): sanitizeHtml.IOptions {
  if (workOptions?.hosts !== hosts) workOptions = { hosts, options: buildOptions(true, hosts) };
  return workOptions.options;
}

export interface SanitizeOptions {
  /** Hosts whose players are kept; the list in force in this process (configuredEmbedHosts) by default. */
  embedHosts?: readonly string[];
}

/**
 * Sanitizes a chapter's untrusted HTML against the archive's allowlist (AO3's): players from the
 * embed hosts and work-skin classes included. Throws NestingTooDeepError when elements nest deeper
 * than MAX_NESTING (checked before parsing).
 */
export function sanitizeWorkHtml(html: string, options: SanitizeOptions = {}): SafeHtml {
  return sanitizeWith(html, optionsForWork(options.embedHosts ?? configuredEmbedHosts()), true);
}

/**
 * Sanitizes comments, summaries and notes: the same allowlist without players and classes (they
 * show in listings and threads, where no click-to-load frame or work skin surrounds them).
 */
export function sanitizeFieldHtml(html: string): SafeHtml {
  return sanitizeWith(html, FIELD_OPTIONS, false);
}

// sanitize-html and its parser take about 170 ms to load: loaded on the first text to clean rather
// than when the server starts, which most processes (and every CLI command) never need.
const requireFromHere = createRequire(import.meta.url);
let sanitizeHtmlModule: typeof sanitizeHtml | undefined;
function loadSanitizeHtml(): typeof sanitizeHtml {
  sanitizeHtmlModule ??= requireFromHere('sanitize-html') as typeof sanitizeHtml;
  return sanitizeHtmlModule;
}

function sanitizeWith(html: string, options: sanitizeHtml.IOptions, work: boolean): SafeHtml {
  const text = normalizeText(html);
  assertHtmlNesting(text);
  const clean = loadSanitizeHtml()(text, options);
  let tokens = tokenize(clean);
  if (work) tokens = settleMedia(tokens);
  // Whitespace outside the top-level elements is meaningless; dropping it makes empty input ''.
  return trustHtml(trimHtmlSpace(addParagraphs(tokens), true, true));
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

const BLOCK = new Set([...BLOCK_ELEMENTS, ...TABLE_CELLS]);
const VOID = new Set(['br', 'hr', 'img', 'col', 'embed', 'source', 'track']);
// Blocks whose own bare text gets paragraphs too, when it has line breaks to lose.
const CONTAINERS = new Set(['div', 'blockquote', 'center']);

interface Token {
  readonly raw: string;
  /** Tag name for tags, '' for text. */
  readonly name: string;
  readonly closing: boolean;
}

const TOKEN = /<(\/?)([a-z][a-z0-9-]*)[^>]*>|[^<]+/g;

/** Elements removed whole when sanitize-html left them without attributes (see REFUSED). */
const NEEDS_SRC = new Set(['img', 'iframe', 'embed', 'source', 'track']);

/**
 * sanitize-html's output as tokens, refused elements removed (see REFUSED): an attribute-free <a>
 * loses its tags, an <img>, <iframe>, <embed>, <source> or <track> without src goes whole (an
 * iframe's content with it). Closing tags are written again from the stack of open elements, so
 * the tokens nest properly whatever names sanitize-html gave them.
 */
function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  // Open elements; null for an <a> whose tags are being removed.
  const open: (string | null)[] = [];
  let skipFrame = 0;
  for (const m of html.matchAll(TOKEN)) {
    const name = m[2] ?? '';
    const closing = m[1] === '/';
    if (skipFrame > 0) {
      if (name === 'iframe') skipFrame += closing ? -1 : 1;
      continue;
    }
    if (name === '') {
      tokens.push({ raw: m[0], name, closing: false });
      continue;
    }
    if (!closing) {
      const refused = /^<[a-z]+\s*\/?>$/.test(m[0]);
      if (refused && NEEDS_SRC.has(name)) {
        if (name === 'iframe') skipFrame = 1;
        continue;
      }
      if (!VOID.has(name)) open.push(refused && name === 'a' ? null : name);
      if (!(refused && name === 'a')) tokens.push({ raw: m[0], name, closing: false });
      continue;
    }
    if (VOID.has(name) || open.length === 0) continue;
    const opened = open.pop()!;
    if (opened !== null) tokens.push({ raw: `</${opened}>`, name: opened, closing: true });
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

function addParagraphs(tokens: readonly Token[]): string {
  // Re-opening inline elements in each paragraph they span adds markup; the total added is kept
  // within the text's own length, so no input can make the output more than about twice as long.
  const budget = { left: tokens.reduce((sum, t) => sum + t.raw.length, 0) };
  return flow(tokens, 0, tokens.length, true, budget);
}

/** Renders tokens[start, end) as flow content, wrapping inline runs into paragraphs. */
function flow(tokens: readonly Token[], start: number, end: number, topLevel: boolean, budget: Budget): string {
  let out = '';
  let run: Token[] = [];
  const flushRun = (): void => {
    out += inlineRun(run, topLevel, budget);
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
        out += t.raw + flow(tokens, i + 1, stop - 1, false, budget) + close.raw;
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

// ---------------------------------------------------------------------------------------------
// Players, settled on the sanitized tokens: what a browser makes of them, made explicit.
// - An iframe's content is never shown (browsers read it as text and ignore it): dropped.
// - <source> and <track> mean something only inside <audio>/<video>: dropped elsewhere.
// - A player inside another player's fallback content loses its tags (its text stays).
// - An <audio>/<video> with nothing on the list to play (no src, no <source>) loses its tags and
//   tracks; its fallback text stays.

const MEDIA = new Set(['audio', 'video']);

function settleMedia(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  let media: { start: number; playable: boolean } | null = null;
  let nestedMedia = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.name === 'iframe' && !t.closing) {
      let depth = 1;
      let close: Token = { raw: '</iframe>', name: 'iframe', closing: true };
      while (depth > 0 && i + 1 < tokens.length) {
        const u = tokens[++i]!;
        if (u.name !== 'iframe') continue;
        depth += u.closing ? -1 : 1;
        if (depth === 0) close = u;
      }
      if (media === null) out.push(t, close);
      continue;
    }
    if (t.name === 'embed' && media !== null) continue;
    if ((t.name === 'source' || t.name === 'track') && media === null) continue;
    if (t.name === 'source') media!.playable = true;
    if (MEDIA.has(t.name)) {
      if (!t.closing) {
        if (media !== null) nestedMedia++;
        else {
          media = { start: out.length, playable: / src="/.test(t.raw) };
          out.push(t);
        }
        continue;
      }
      if (nestedMedia > 0) {
        nestedMedia--;
        continue;
      }
      if (media === null) continue;
      if (media.playable) out.push(t);
      else {
        const fallback = out.splice(media.start).slice(1);
        for (const f of fallback) if (f.name !== 'track') out.push(f);
      }
      media = null;
      continue;
    }
    out.push(t);
  }
  return out;
}

// HTML whitespace only: a no-break space is the author's (indentation, spacing) and stays.
const BLANK_LINE = /\n[ \t\f]*\n[ \t\n\f]*/;
const HAS_TEXT = /[^ \t\n\f]/;

interface Budget {
  left: number;
}

/** Index of the next token after i that is not whitespace-only text. */
function nextNonSpace(run: readonly Token[], i: number): number {
  let j = i + 1;
  while (j < run.length && run[j]!.name === '' && !HAS_TEXT.test(run[j]!.raw)) j++;
  return j;
}

const isBreak = (t: Token | undefined): boolean => t !== undefined && t.name === 'br';

/**
 * An inline run: text and inline elements between blocks. At the top level it always becomes
 * paragraphs (whitespace-only runs are kept as they are); inside a container only when its text
 * has a line break or two <br>s in a row, so `<div align="center">* * *</div>` stays as written.
 * As AO3 does, a blank line or two <br>s in a row end a paragraph, also inside inline elements
 * (`<i>Dear John,\n\nLove, M</i>` is two paragraphs, each in its own <i>), and a single newline
 * is a <br />.
 */
function inlineRun(run: readonly Token[], always: boolean, budget: Budget): string {
  const raw = run.map((t) => t.raw).join('');
  const texts = run.filter((t) => t.name === '');
  const hasContent =
    texts.some((t) => HAS_TEXT.test(t.raw)) || run.some((t) => t.name !== '' && !t.closing && !INLINE_FORMATTING.has(t.name));
  if (!hasContent) return raw;
  if (!always) {
    const hasLineBreak = texts
      .map((t) => t.raw)
      .join('')
      .trim()
      .includes('\n');
    const hasDoubleBreak = run.some((t, i) => isBreak(t) && isBreak(run[nextNonSpace(run, i)]));
    if (!hasLineBreak && !hasDoubleBreak) return raw;
  }

  // Each paragraph is a list of pieces; text pieces are kept apart from tags so that line
  // breaks are only ever replaced in text, never inside an attribute value.
  type Piece = { text: boolean; s: string; name: string };
  const paragraphs: Piece[][] = [[]];
  const open: Token[] = [];
  const current = (): Piece[] => paragraphs[paragraphs.length - 1]!;
  /** The markup that ends the open elements and opens them again, or null when they may not be split. */
  const splitMarkup = (): { close: Piece[]; reopen: Piece[] } | null => {
    if (!open.every((t) => INLINE_FORMATTING.has(t.name))) return null;
    const close = open.map((t) => ({ text: false, s: `</${t.name}>`, name: t.name })).reverse();
    // Ids name one place: only the first paragraph keeps them.
    const reopen = open.map((t) => ({ text: false, s: t.raw.replace(/ (?:id|name)="[^"]*"/g, ''), name: t.name }));
    // An anchor that is only a target (no href) would open again as a bare <a>: no split then.
    if (reopen.some((p) => p.name === 'a' && !p.s.includes(' href="'))) return null;
    const cost = close.reduce((n, p) => n + p.s.length, 0) + reopen.reduce((n, p) => n + p.s.length, 0);
    if (cost > budget.left) return null;
    return { close, reopen };
  };
  const startParagraph = (markup: { close: Piece[]; reopen: Piece[] }): void => {
    budget.left -= markup.close.reduce((n, p) => n + p.s.length, 0) + markup.reopen.reduce((n, p) => n + p.s.length, 0);
    current().push(...markup.close);
    paragraphs.push([...markup.reopen]);
  };

  for (let i = 0; i < run.length; i++) {
    const t = run[i]!;
    if (t.name === '') {
      const parts = t.raw.split(BLANK_LINE);
      const markup = parts.length > 1 ? splitMarkup() : null;
      if (markup === null) {
        current().push({ text: true, s: t.raw, name: '' });
        continue;
      }
      parts.forEach((part, k) => {
        if (k > 0) startParagraph(splitMarkup() ?? markup);
        current().push({ text: true, s: part, name: '' });
      });
      continue;
    }
    if (isBreak(t)) {
      const next = nextNonSpace(run, i);
      const markup = isBreak(run[next]) ? splitMarkup() : null;
      if (markup !== null) {
        // Two or more <br>s in a row, and the spaces between them: one paragraph break.
        let last = next;
        while (isBreak(run[nextNonSpace(run, last)])) last = nextNonSpace(run, last);
        startParagraph(markup);
        i = last;
        continue;
      }
    }
    if (!VOID.has(t.name)) {
      if (t.closing) open.pop();
      else open.push(t);
    }
    current().push({ text: false, s: t.raw, name: t.name });
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
    if (isBlankParagraph(pieces)) continue;
    out.push(`<p>${pieces.map((p) => (p.text ? breakLines(p.s) : p.s)).join('')}</p>`);
  }
  return lead + out.join('\n') + trail;
}

/**
 * A paragraph with nothing to show: no text, only inline elements opened and closed again (what
 * a split leaves before a blank line at an element's start). Balanced, so leaving it out is safe.
 */
function isBlankParagraph(pieces: readonly { text: boolean; s: string; name: string }[]): boolean {
  return pieces.every((p) =>
    p.text ? !HAS_TEXT.test(p.s) : INLINE_FORMATTING.has(p.name) && !(p.name === 'a' && / (?:id|name)="/.test(p.s)),
  );
}

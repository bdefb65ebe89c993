import type { TextFormat } from './convert.ts';

/** The largest upload accepted for one chapter: 5 MiB (AO3's longest chapters are well under). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** A file that cannot become a chapter; `message` tells the user what was wrong and how to fix it. */
export class UploadError extends Error {
  override name = 'UploadError';
}

const SAVE_AS_TEXT =
  'Save or export the story as plain text (.txt), Markdown (.md) or a web page (.html) and upload that file, or paste the text instead.';

const EXTENSIONS: Record<string, TextFormat> = {
  txt: 'plain',
  text: 'plain',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
};

function startsWith(bytes: Uint8Array, ...prefix: number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((b, i) => bytes[i] === b);
}

function ascii(bytes: Uint8Array, length: number): string {
  return String.fromCharCode(...bytes.subarray(0, length));
}

/** A clear refusal for the file types people most often upload by mistake, or null. */
function knownBinary(bytes: Uint8Array, ext: string): string | null {
  if (ascii(bytes, 5) === '%PDF-') return `This is a PDF file, which Fanfold can't read. ${SAVE_AS_TEXT}`;
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) {
    const kind =
      ext === 'docx'
        ? 'a Word document (.docx)'
        : ext === 'odt'
          ? 'an OpenDocument file (.odt)'
          : ext === 'epub'
            ? 'an EPUB e-book'
            : 'a compressed file (such as a Word .docx, OpenDocument .odt, EPUB or ZIP)';
    return `This is ${kind}, which Fanfold can't read. In your word processor use Save As (or File → Download) and choose Web Page (.html) or Plain Text (.txt), then upload that file, or paste the text instead.`;
  }
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0)) {
    return `This is an older Word document (.doc), which Fanfold can't read. In Word use Save As and choose Web Page (.html) or Plain Text (.txt), then upload that file, or paste the text instead.`;
  }
  if (ascii(bytes, 5) === '{\\rtf') {
    return `This is a Rich Text (.rtf) file, which Fanfold can't read. ${SAVE_AS_TEXT}`;
  }
  if (
    startsWith(bytes, 0x89, 0x50, 0x4e, 0x47) ||
    startsWith(bytes, 0xff, 0xd8, 0xff) ||
    ascii(bytes, 4) === 'GIF8' ||
    (ascii(bytes, 4) === 'RIFF' && ascii(bytes.subarray(8), 4) === 'WEBP')
  ) {
    return `This is an image, not text. Upload the story's text as a .txt, .md or .html file, or paste it instead.`;
  }
  return null;
}

const EMPTY = 'This file is empty (it has no text in it). Check that you chose the right file, or paste the text instead.';

const UTF16 =
  'This file is saved as UTF-16 (sometimes called "Unicode"); Fanfold needs UTF-8. Save it again with the encoding set to UTF-8 (in most editors: Save As → Encoding → UTF-8) and upload it again.';

function looksLikeUtf16(bytes: Uint8Array): boolean {
  // UTF-16 text in a Latin script has a zero in every other byte.
  const n = Math.min(bytes.length, 1024) & ~1;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  return n >= 4 && Math.max(evenZeros, oddZeros) >= n / 4 && Math.min(evenZeros, oddZeros) === 0;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function formatSize(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Decodes an uploaded file: size limit (MAX_UPLOAD_BYTES = 5 MiB), UTF-8 required (BOM stripped),
 * binary refused; format from extension (.txt/.text → plain, .md/.markdown → markdown,
 * .html/.htm → html; otherwise sniff). Throws UploadError on bad input.
 */
export function decodeUpload(bytes: Uint8Array, filename: string): { text: string; format: TextFormat } {
  if (bytes.length > MAX_UPLOAD_BYTES) {
    throw new UploadError(
      `This file is ${formatSize(bytes.length)}, over the 5 MB limit for one upload. Split the work into smaller files (one chapter each) and upload them one at a time.`,
    );
  }
  const base = filename.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';

  let body = bytes;
  if (startsWith(body, 0xef, 0xbb, 0xbf)) body = body.subarray(3);
  if (body.length === 0) throw new UploadError(EMPTY);
  if (startsWith(body, 0xff, 0xfe) || startsWith(body, 0xfe, 0xff) || looksLikeUtf16(body)) throw new UploadError(UTF16);
  const binary = knownBinary(body, ext);
  if (binary !== null) throw new UploadError(binary);
  if (body.includes(0)) {
    throw new UploadError(`This doesn't look like a text file (it contains binary data). ${SAVE_AS_TEXT}`);
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const lossy = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
    const line = lineOf(lossy, lossy.indexOf('\uFFFD'));
    throw new UploadError(
      `This file isn't UTF-8 text (the first unreadable character is on line ${line}); it is probably saved in an older encoding such as Windows-1252. Save it again with the encoding set to UTF-8 (in most editors: Save As → Encoding → UTF-8) and upload it again.`,
    );
  }

  // Text files may hold a stray form feed or two; binary data is full of control characters.
  // eslint-disable-next-line no-control-regex
  const controls = text.match(/[\u0001-\u0008\u000E-\u001F\u007F]/g)?.length ?? 0;
  if (controls > 8 && controls > text.length / 100) {
    throw new UploadError(`This doesn't look like a text file (it contains binary data). ${SAVE_AS_TEXT}`);
  }

  if (!/\S/.test(text)) throw new UploadError(EMPTY);
  return { text, format: EXTENSIONS[ext] ?? sniffFormat(text) };
}

const HTML_DOCUMENT = /^\s*<(?:!doctype\s+html|html|head|body)\b/i;
const HTML_TAG = /<(?:p|br|div|span|em|i|b|strong|u|h[1-6]|blockquote|hr|ul|ol|li|a\s+href)\b[^<>]*>/gi;
// Link text and destination exclude their own opening bracket, so that a line of many `[` (or `](`)
// is read once rather than to its end from each one.
const MARKDOWN = /^#{1,6}[ \t]+\S|^```|^~~~|\[[^[\]\n]+\]\([^()\s]+\)|\*\*[^*\n]+\*\*|__[^_\n]+__/m;

/**
 * Format of a file with no telling extension. Plain text unless clearly otherwise: plain keeps
 * every character as typed, so it is the safe reading of an ambiguous file.
 */
export function sniffFormat(text: string): TextFormat {
  if (HTML_DOCUMENT.test(text)) return 'html';
  if ((text.match(HTML_TAG)?.length ?? 0) >= 2) return 'html';
  if (MARKDOWN.test(text)) return 'markdown';
  return 'plain';
}

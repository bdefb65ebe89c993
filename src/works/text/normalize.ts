// Characters that XML 1.0 forbids (C0 controls other than tab, LF, CR; U+FFFE/U+FFFF) and that
// PostgreSQL refuses (NUL). They are invisible, so dropping them loses nothing the author can see,
// and keeping them would break EPUB downloads (XHTML) and the database insert.
const ILLEGAL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Line endings to LF, a leading BOM and characters illegal in XML removed; nothing else touched. */
export function normalizeText(input: string): string {
  let text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  return text.replace(ILLEGAL_CHARS, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** Escapes text content: `&`, `<`, `>` only, so the author's quotes stay literal in stored HTML. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

// Makes ts_headline's output safe to write into a page. ts_headline copies the document's text
// (which may contain "<", "&", quotes, entities) and wraps matches in our markers; markers are
// control characters removed from the text beforehand, so they can only come from ts_headline.
import { escapeHtml, trustHtml, type SafeHtml } from '../lib/safe-html.ts';

export const MARK_START = '\u0001';
export const MARK_STOP = '\u0002';

/** ts_headline's options: our sentinels as StartSel/StopSel, a couple of short fragments. */
export const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_STOP}, MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "`;

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Decodes the entities of stored HTML text; never yields a control character (so never a marker). */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8}|#39);/gi, (whole, body: string) => {
    const lower = body.toLowerCase();
    if (lower.startsWith('#')) {
      const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
      if (!Number.isFinite(code) || code < 32 || (code >= 127 && code < 160) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        return '';
      return String.fromCodePoint(code);
    }
    return NAMED[lower] ?? whole;
  });
}

/** ts_headline output → escaped HTML whose only markup is balanced <mark> elements. */
export function toSafeSnippet(raw: string): SafeHtml {
  const text = decodeEntities(raw).replace(/\s+/g, ' ').trim();
  let open = false;
  let out = '';
  for (const part of text.split(/([\u0001\u0002])/)) {
    if (part === MARK_START) {
      if (!open) out += '<mark>';
      open = true;
    } else if (part === MARK_STOP) {
      if (open) out += '</mark>';
      open = false;
    } else {
      out += escapeHtml(part);
    }
  }
  if (open) out += '</mark>';
  return trustHtml(out);
}

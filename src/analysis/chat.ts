// Chat logs, text messages, IRC logs and scripts: `[21:04] kat_wolfe: are u still up`, `<kat> hi`,
// `Kat: …`, `KAT: …`. Each line is a quotation whose speaker is written before it.
import type { LanguageLexicon } from './language.ts';
import type { CharacterEntity, NameMention } from './characters.ts';
import type { QuoteSpan } from './quotes.ts';
import { isSpace, type Span } from './structure.ts';

const LINE = /[^\n\r\u2028\u2029]+/g;
/** `[21:04] kat_wolfe: text`, `(9:15 PM) <kat> text`, `21:04 Kat: text`: a timestamp, then the speaker. */
const TIMESTAMPED = /^\s*[[(]?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?[\])]?\s+<?([^\s<>:[\]]{1,32}?)>?:?\s+(\S.*)$/u;
/** `<kat> text`: IRC without a timestamp. */
const NICK = /^\s*<([^\s<>]{1,32})>\s*(\S.*)$/u;
/** `Kat: text`, `kat_wolfe: text`, `MARY JANE: text`: one name or handle, or two capitalised words. */
const NAMED = /^\s*([\p{L}][\p{L}\p{N}_.'\u2019-]{0,31}(?: [\p{Lu}][\p{L}\p{N}_.'\u2019-]{0,31})?):\s*(\S.*)$/u;
/** Stage directions and actions between lines: `(She sits.)`, `[Kat has left the chat]`, `*typing*`. */
const NEUTRAL = /^\s*[[(*].{0,300}[\])*]\s*$/u;
/** Words that head the notes of a story (`Summary: …`, `Rating: …`), not speakers. */
const HEADER_WORDS = new Set(
  `note notes a/n an summary disclaimer warning warnings rating pairing pairings relationship relationships fandom fandoms characters
  author chapter words status tags category title beta dedication edit update ps p.s translation translator prompt spoilers timeline
  setting language series part date time place location subject from to re cc`.split(/\s+/),
);
/** The fewest lines of a bare `Name: text` run: two could be a note and a summary. */
const MIN_BARE_LINES = 3;

interface ChatLine {
  name: Span;
  content: Span;
  strong: boolean;
  key: string;
}

/**
 * Finds chat, IRC and script lines, block by block: a run of consecutive lines in one of these
 * forms (blank lines and stage directions between them do not end it). A run counts when two of its
 * lines carry a timestamp or an IRC nick, or when it has at least three `Name: text` lines in which
 * a speaker comes back; so prose with one colon, or a story's notes, is never taken for a chat. A
 * lone timestamped line of a handle that chats elsewhere in the text counts too.
 */
export function findChatLines(text: string, paragraphs: Span[], lexicon: LanguageLexicon): QuoteSpan[] {
  const accepted: ChatLine[] = [];
  const rejected: ChatLine[] = [];
  let run: ChatLine[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    const strong = run.filter((l) => l.strong).length;
    const names = new Set(run.map((l) => l.key));
    const bareOk =
      run.length >= MIN_BARE_LINES &&
      names.size < run.length &&
      names.size <= 8 &&
      [...names].every((n) => !HEADER_WORDS.has(n) && !lexicon.notNames.has(n));
    (strong >= 2 || bareOk ? accepted : rejected).push(...run);
    run = [];
  };
  LINE.lastIndex = 0;
  for (let m = LINE.exec(text); m !== null; m = LINE.exec(text)) {
    const line = m[0];
    let first = 0;
    while (first < line.length && isSpace(line.charCodeAt(first))) first++;
    if (first === line.length) continue;
    const opener = line.charCodeAt(first);
    // most lines of prose hold no colon and open with no bracket: no pattern needs to look at them
    const match = line.indexOf(':') >= 0 || opener === 60 ? matchChatLine(line) : null;
    if (match === null) {
      if (!((opener === 40 || opener === 91 || opener === 42) && NEUTRAL.test(line))) flush();
      continue;
    }
    const at = m.index;
    let contentEnd = line.length;
    while (contentEnd > match.content && isSpace(line.charCodeAt(contentEnd - 1))) contentEnd--;
    run.push({
      name: { start: at + match.name, end: at + match.name + match.handle.length },
      content: { start: at + match.content, end: at + contentEnd },
      strong: match.strong,
      key: match.handle.toLowerCase(),
    });
  }
  flush();
  if (accepted.length === 0) return [];
  // a lone timestamped line between stretches of narration belongs to the chat when its handle spoke there
  const handles = new Set(accepted.map((l) => l.key));
  const lines = accepted.concat(rejected.filter((l) => l.strong && handles.has(l.key))).sort((a, b) => a.content.start - b.content.start);
  const out: QuoteSpan[] = [];
  let p = 0;
  for (const l of lines) {
    while (p < paragraphs.length - 1 && paragraphs[p]!.end <= l.content.start) p++;
    out.push({
      start: l.content.start,
      end: l.content.end,
      contentStart: l.content.start,
      contentEnd: l.content.end,
      paragraph: p,
      endParagraph: p,
      kind: 'chat',
      speakerSpan: l.name,
    });
  }
  return out;
}

/** A chat line's handle and where it and the spoken words start, or null. */
function matchChatLine(line: string): { handle: string; name: number; content: number; strong: boolean } | null {
  const hit = TIMESTAMPED.exec(line) ?? NICK.exec(line);
  const m = hit ?? NAMED.exec(line);
  if (m === null) return null;
  const handle = m[1]!;
  const content = line.length - m[2]!.length; // the words run to the end of the line
  // the handle is the last thing before the words (after any timestamp)
  const name = line.lastIndexOf(handle, content - handle.length);
  return { handle, name, content, strong: hit !== null };
}

/**
 * Makes every chat or script speaker a character with a mention at its name, so that the line's
 * speaker is that character: a handle joins the character whose name or alias it is (`KAT` and
 * `Kat`), else it becomes a character of its own (`kat_wolfe`; a name in capitals is shown as
 * `Kat`). Returns the mentions with the new ones, in text order.
 */
export function attachChatSpeakers(
  text: string,
  quotes: QuoteSpan[],
  characters: CharacterEntity[],
  mentions: NameMention[],
): NameMention[] {
  const byStart = new Set<number>();
  for (const m of mentions) byStart.add(m.start);
  const byKey = new Map<string, number>();
  for (const c of characters) {
    byKey.set(c.name.toLowerCase(), c.id);
    for (const k of c.keys) if (!byKey.has(k)) byKey.set(k, c.id);
  }
  const added: NameMention[] = [];
  for (const q of quotes) {
    const sp = q.speakerSpan;
    if (sp === undefined || byStart.has(sp.start)) continue;
    const raw = text.slice(sp.start, sp.end);
    const key = raw.toLowerCase();
    let id = byKey.get(key);
    if (id === undefined) {
      id = characters.length;
      characters.push({ id, name: displayName(raw), aliases: [], gender: 'unknown', mentions: 0, role: 'minor', keys: new Set([key]) });
      byKey.set(key, id);
    }
    characters[id]!.mentions++;
    added.push({ start: sp.start, end: sp.end, character: id, form: raw, inQuote: false, sentenceInitial: true, possessive: false });
  }
  if (added.length === 0) return mentions;
  return [...mentions, ...added].sort((a, b) => a.start - b.start);
}

/** `KAT` → `Kat`, `MARY JANE` → `Mary Jane`; a handle in lower or mixed case stays as written. */
function displayName(raw: string): string {
  if (raw !== raw.toUpperCase() || raw === raw.toLowerCase()) return raw;
  return raw.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

// The turn-taking pass: fills the turns the local sieves left, in order of precision — the
// speaker of a turn whose narration says it continues, the person the turn before or after
// addressed by name, alternation from the nearest anchored turn (even distance: the same
// speaker; odd: the other participant), the other participant of a known neighbour, and the
// character the narration was last about. Then each turn's speaker is spread to its quotations,
// and addressees are read off the exchange.
import type { NameMention } from './characters.ts';
import { NAME_QUESTION } from './lexicons/words.ts';
import type { QuoteSpan } from './quotes.ts';
import type { Span } from './structure.ts';
import { buildSalience, contextSpeaker, keyGender, lowerIndex, type SpeakerState } from './speaker-coreference.ts';
import type { Turns } from './speaker-sieves.ts';
import { lastSentenceStart, mentionsIn } from './speaker-text.ts';
import { conversationBroken, speakAs, type TurnContext } from './speaker-turns.ts';
import type { Vocative } from './speaker-vocatives.ts';
import type { Attribution, SieveName, SpeakerChoice, SpeakerMethod } from './speakers.ts';

const CONTINUE_CUE =
  /\b(?:continu(?:e|ed|es)|went\s+on|goes\s+on|resum(?:e|ed|es)|carried\s+on|kept\s+talking|pressed\s+on)\b(?!\s+(?:to|with|on|down|up|into|through|for|her|his|their)\b)/;

/** A turn: its quotations, its strongest attribution, and the first and last attributions in it. */
interface UnitInfo {
  first: number;
  last: number;
  src: SpeakerChoice | null;
  head: SpeakerChoice | null;
  tail: SpeakerChoice | null;
  addressee: number;
  vocative: Vocative | null;
}

/** A speaker found for a whole turn. */
interface Found {
  key: string;
  character: number;
  mention: Span | null;
  method: SpeakerMethod;
  confidence: number;
}

/** The turns of a text as the turn-taking sieves see them, with the helpers they share. */
interface Conversation {
  st: SpeakerState;
  quotes: QuoteSpan[];
  unitList: UnitInfo[];
  /** First and last turn of each turn's conversation. */
  runStart: Int32Array;
  runEnd: Int32Array;
  /** Each turn's attribution from the local sieves alone. */
  firstPass: (SpeakerChoice | null)[];
  /** The next turn with a local attribution, per turn (-1: none). */
  nextFirstPass: Int32Array;
  /** Someone in the conversation other than `key` (and than `own`, the one addressed). */
  otherThan(
    key: string,
    at: number,
    neighbourAddressee: number,
    own: number,
  ): { key: string; character: number; mention: Span | null } | null;
  sameEntity(x: SpeakerChoice, y: SpeakerChoice): boolean;
}

/** Runs the turn-taking sieves and spreads each turn's speaker over its quotations; `on` says which sieves are enabled. */
export function runTurnTaking(
  st: SpeakerState,
  ctx: TurnContext,
  turns: Turns,
  vocativeOf: (Vocative | null)[],
  result: Attribution[],
  on: (sieve: SieveName) => boolean,
): void {
  const cv = buildConversation(st, ctx, turns, vocativeOf, result);
  const { unitList, firstPass, quotes } = cv;
  /** A turn found by the vocative rule anchors the turns after it, as an attributed one does. */
  const chained = (v: number): boolean => unitList[v]!.src?.method === 'vocative';
  // the nearest anchoring turn before, kept as the loop goes rather than searched for from each
  // turn: a long run of unattributed turns would otherwise be walked once per turn
  let lastAnchor = -1;
  for (let u = 0; u < unitList.length; u++) {
    const unit = unitList[u]!;
    if (u > 0 && (firstPass[u - 1]?.key != null || chained(u - 1))) lastAnchor = u - 1;
    if (unit.src !== null) continue;
    // people seldom name themselves: a character named inside this turn's quotations is not its speaker
    const named = new Set<number>();
    for (let k = unit.first; k <= unit.last; k++)
      for (const m of mentionsIn(st.mentions, quotes[k]!.contentStart, quotes[k]!.contentEnd)) named.add(m.character);
    const found =
      (on('continuation') ? continuationSieve(cv, u) : null) ??
      (on('vocative') ? vocativeSieve(cv, u, named) : null) ??
      (on('alternation') ? alternationSieve(cv, u, lastAnchor, named) : null) ??
      (on('other-participant') ? otherParticipantSieve(cv, u, named) : null) ??
      (on('context') ? contextSieve(cv, u) : null);
    if (found !== null)
      unit.src = {
        speaker: found.character,
        key: found.key,
        mention: found.mention,
        addressee: unit.addressee,
        confidence: found.confidence,
        method: found.method,
      };
  }
  spreadTurns(cv, result, on);
  findAddressees(ctx, turns, result);
}

/** "turning to me", "turned round to Queequeg": the speaker addresses someone new. */
const TURNING_TO = /\bturn(?:ing|ed|s)\s+(?:(?:round|again|now|back)\s+)?to\s+/i;

/**
 * Whom the narration around quotation `qi` says its speaker turns to ("turning to me" after it, or
 * before it when `within` the turn): the narrator, a named character, null for someone unnamed
 * ("turning to him"), undefined when it says no such thing.
 */
function turnedToward(
  text: string,
  quotes: readonly QuoteSpan[],
  qi: number,
  within: boolean,
  mentionAt: ReadonlyMap<number, NameMention>,
): Vocative | null | undefined {
  const q = quotes[qi]!;
  const spans: Span[] = [{ start: q.end, end: Math.min(quotes[qi + 1]?.start ?? text.length, q.end + 120) }];
  if (within) spans.unshift({ start: quotes[qi - 1]!.end, end: q.start });
  for (const span of spans) {
    const m = TURNING_TO.exec(text.slice(span.start, span.end));
    if (m === null) continue;
    const at = span.start + m.index + m[0].length;
    if (/^me\b/i.test(text.slice(at, at + 3))) return { character: -1, key: 'narrator', span: { start: at, end: at + 2 } };
    const named = mentionAt.get(at);
    return named === undefined
      ? null
      : { character: named.character, key: 'c:' + named.character, span: { start: named.start, end: named.end } };
  }
  return undefined;
}

function buildConversation(
  st: SpeakerState,
  ctx: TurnContext,
  turns: Turns,
  vocativeOf: (Vocative | null)[],
  result: Attribution[],
): Conversation {
  const { characters, inNarration } = st;
  const quotes = ctx.quotes;
  const { units } = turns;
  const unitList: UnitInfo[] = [];
  for (let qi = 0; qi < quotes.length; qi++) {
    let u = unitList[unitList.length - 1];
    if (u === undefined || units[u.first] !== units[qi]) {
      u = { first: qi, last: qi, src: null, head: null, tail: null, addressee: -1, vocative: null };
      unitList.push(u);
    }
    u.last = qi;
    const r = result[qi]!;
    if (r.key !== null && (u.src === null || r.confidence > u.src.confidence)) u.src = r;
    if (r.key !== null) {
      u.head ??= r;
      u.tail = r;
    }
    if (r.addressee >= 0 && u.addressee < 0) u.addressee = r.addressee;
    // '"…, Bildad." "Has he whaled?" turning to me': a speaker who turns to someone has left the
    // one called before; the one turned to (the narrator, for "me") speaks next
    const turnedTo = turnedToward(ctx.text, quotes, qi, qi > u.first, st.mentionAt);
    if (turnedTo !== undefined) u.vocative = turnedTo ?? vocativeOf[qi] ?? null;
    else if (u.vocative === null) u.vocative = vocativeOf[qi] ?? null;
    // "Come along, Queequeg. But stop, tell me your name, will you?": one asks the name of someone
    // one cannot call by it, so the answer is not the called one's
    const q = quotes[qi]!;
    if (NAME_QUESTION.test(ctx.text.slice(q.contentStart, q.contentEnd))) u.vocative = null;
  }
  const runStart = new Int32Array(unitList.length);
  for (let u = 0; u < unitList.length; u++) {
    const prev = unitList[u - 1];
    runStart[u] =
      prev !== undefined && !conversationBroken(ctx, quotes[prev.last]!.end, quotes[unitList[u]!.first]!.start) ? runStart[u - 1]! : u;
  }
  const runEnd = new Int32Array(unitList.length);
  for (let u = unitList.length - 1; u >= 0; u--)
    runEnd[u] = u + 1 < unitList.length && runStart[u + 1] === runStart[u] ? runEnd[u + 1]! : u;
  const firstPass = unitList.map((u) => u.src);
  const nextFirstPass = new Int32Array(unitList.length + 1).fill(-1);
  for (let u = unitList.length - 1; u >= 0; u--) nextFirstPass[u] = firstPass[u + 1]?.key != null ? u + 1 : nextFirstPass[u + 1]!;
  const salience = buildSalience(ctx, st.mentions, (toks, exclude) => st.leadingSubject(toks, exclude, false));
  return {
    st,
    quotes,
    unitList,
    runStart,
    runEnd,
    firstPass,
    nextFirstPass,
    otherThan: (key, at, neighbourAddressee, own) => {
      if (neighbourAddressee >= 0 && neighbourAddressee !== own && 'c:' + neighbourAddressee !== key && inNarration.has(neighbourAddressee))
        return { key: 'c:' + neighbourAddressee, character: neighbourAddressee, mention: null };
      for (let i = salience.length - 1 - lowerIndex(salience, at), steps = 0; i >= 0 && steps < 30; i--, steps++) {
        const s = salience[i]!;
        if (s.key !== key && (own < 0 || s.character !== own)) return s;
      }
      return null;
    },
    // same speaker: same key or character, or two unnamed ones (or a pronoun and a name) of one gender
    sameEntity: (x, y) => {
      if (x.key === y.key || (x.speaker >= 0 && x.speaker === y.speaker)) return true;
      if (x.speaker >= 0 && y.speaker >= 0) return false;
      if (x.key === 'narrator' || y.key === 'narrator') return false;
      // a noun phrase ("her mother") is someone other than a named character of its gender; only
      // an unresolved pronoun may be that character
      if ((x.speaker >= 0 || y.speaker >= 0) && ((x.key ?? '').startsWith('n:') || (y.key ?? '').startsWith('n:'))) return false;
      const g = keyGender(x, characters);
      return g !== 'unknown' && g === keyGender(y, characters);
    },
  };
}

/** "… she went on": the previous turn's speaker continues. */
function continuationSieve(cv: Conversation, u: number): Found | null {
  const { unitList, quotes, st } = cv;
  if (u <= cv.runStart[u]! || unitList[u - 1]!.src === null) return null;
  const q = quotes[unitList[u]!.first]!;
  const prevQ = quotes[unitList[u - 1]!.last]!;
  const from = lastSentenceStart(st.text, prevQ.end, lastSentenceStart(st.text, prevQ.end, q.start));
  if (!CONTINUE_CUE.test(st.text.slice(Math.max(prevQ.end, from), q.start))) return null;
  const p = unitList[u - 1]!.src!;
  return { key: p.key!, character: p.speaker, mention: p.mention, method: 'continuation', confidence: 0.6 };
}

/** The turn before or after addressed someone by name: that is who speaks now. */
function vocativeSieve(cv: Conversation, u: number, named: Set<number>): Found | null {
  const { unitList, runStart, runEnd, firstPass } = cv;
  const own = unitList[u]!.vocative;
  for (const v of [u - 1, u + 1]) {
    if (v < runStart[u]! || v > runEnd[u]!) continue;
    const voc = unitList[v]!.vocative;
    if (voc === null || (own !== null && own.key === voc.key)) continue;
    // a name heard only inside quotations ("the Battle of Trafalgar, Katharine?") is too weak a guess
    if (voc.character >= 0 && !cv.st.inNarration.has(voc.character)) continue;
    if (named.has(voc.character)) continue; // "Edith is asleep": not Edith
    const spoke = firstPass[v];
    if (spoke !== null && spoke !== undefined && spoke.key === voc.key) continue;
    return { key: voc.key, character: voc.character, mention: voc.span, method: 'vocative', confidence: 0.7 };
  }
  return null;
}

/**
 * Alternation from the nearest anchored turns on either side: same parity, same speaker; odd
 * distance, the other participant of the conversation. The turn before decides when both are known.
 */
function alternationSieve(cv: Conversation, u: number, lastAnchor: number, named: Set<number>): Found | null {
  const { unitList, runStart, runEnd, firstPass, nextFirstPass, sameEntity } = cv;
  const unit = unitList[u]!;
  const q = cv.quotes[unit.first]!;
  const fromAnchor = (a: number): SpeakerChoice | null => {
    // a turn that holds two speakers (paragraphs lost): the one nearest this turn counts
    const anchor = (a < u ? unitList[a]!.tail : unitList[a]!.head) ?? firstPass[a] ?? unitList[a]!.src!;
    if ((u - a) % 2 === 0) return anchor;
    // the other participant: the other speaker of a two-speaker turn, else the nearest
    // attributed turn of this run by someone else
    const inner = a < u ? unitList[a]!.head : unitList[a]!.tail;
    if (inner !== null && inner.key !== null && !sameEntity(inner, anchor)) return inner;
    // looking back first: who spoke before the anchor is still in the conversation; a speaker
    // after it may be someone joining later
    for (const dir of [-1, 1]) {
      for (let d = 1; d <= 16; d++) {
        const v = a + dir * d;
        if (v < runStart[u]! || v > runEnd[u]!) break;
        const cand = firstPass[v];
        if (cand !== null && cand !== undefined && cand.key !== null && !sameEntity(cand, anchor)) return cand;
      }
    }
    const o = cv.otherThan(anchor.key!, q.start, unitList[a]!.addressee, unit.addressee);
    return o === null
      ? null
      : { speaker: o.character, key: o.key, mention: o.mention, addressee: -1, confidence: 0.55, method: 'turn-taking' };
  };
  const left = lastAnchor >= runStart[u]! ? lastAnchor : -1;
  const right = nextFirstPass[u]! >= 0 && nextFirstPass[u]! <= runEnd[u]! ? nextFirstPass[u]! : -1;
  const fromLeft = left >= 0 ? fromAnchor(left) : null;
  const fromRight = right >= 0 ? fromAnchor(right) : null;
  const ok = (x: SpeakerChoice | null): x is SpeakerChoice =>
    x !== null &&
    x.key !== null &&
    !(unit.addressee >= 0 && x.speaker === unit.addressee) &&
    !(unit.vocative !== null && unit.vocative.key === x.key) &&
    !named.has(x.speaker);
  let best: SpeakerChoice | null = ok(fromLeft) ? fromLeft : ok(fromRight) ? fromRight : null;
  // the turn before would hand over to the very person this turn addresses: its speaker goes on
  const lastSpeaker = left >= 0 ? (unitList[left]!.tail ?? firstPass[left]!) : null;
  if (fromLeft !== null && !ok(fromLeft) && u - left === 1 && ok(lastSpeaker)) best = lastSpeaker;
  if (best === null) return null;
  const agree = ok(fromLeft) && ok(fromRight) && sameEntity(fromLeft, fromRight);
  return { key: best.key!, character: best.speaker, mention: best.mention, method: 'turn-taking', confidence: agree ? 0.65 : 0.55 };
}

/** One neighbouring turn known: the other participant speaks. */
function otherParticipantSieve(cv: Conversation, u: number, named: Set<number>): Found | null {
  const { unitList, runStart, runEnd } = cv;
  const unit = unitList[u]!;
  const q = cv.quotes[unit.first]!;
  for (const v of [u - 1, u + 1]) {
    if (v < runStart[u]! || v > runEnd[u]!) continue;
    const n = unitList[v]!.src;
    if (n === null || n.key === null) continue;
    const o = cv.otherThan(n.key, q.start, unitList[v]!.addressee, unit.addressee);
    if (o !== null && !named.has(o.character))
      return { key: o.key, character: o.character, mention: o.mention, method: 'turn-taking', confidence: 0.5 };
  }
  return null;
}

/** The person the narration was last about before the conversation. */
function contextSieve(cv: Conversation, u: number): Found | null {
  const { st, quotes } = cv;
  const unit = cv.unitList[u]!;
  const q = quotes[unit.first]!;
  const c = contextSpeaker(st.narrationStarts, st.narration, q.start, unit.addressee, unit.first > 0 ? quotes[unit.first - 1]!.end : 0);
  return c < 0 ? null : { key: 'c:' + c, character: c, mention: null, method: 'context', confidence: 0.45 };
}

/**
 * Spreads each turn's speaker over its quotations: the nearest attributed quotation of the same
 * turn first (`same-turn`), then the turn's speaker; a quotation that addresses the turn's speaker
 * by name is someone else's (`other-participant`).
 */
function spreadTurns(cv: Conversation, result: Attribution[], on: (sieve: SieveName) => boolean): void {
  const { unitList, quotes } = cv;
  const firstPassResult = result.map((r) => ({ ...r }));
  // nearest attributed quotation before / after each quotation within its turn, in one sweep
  // each way (a turn of thousands of quotations must stay linear)
  const prevAttributed = new Int32Array(quotes.length).fill(-1);
  const nextAttributed = new Int32Array(quotes.length).fill(-1);
  for (const unit of unitList) {
    for (let qi = unit.first + 1; qi <= unit.last; qi++)
      prevAttributed[qi] = firstPassResult[qi - 1]!.key !== null ? qi - 1 : prevAttributed[qi - 1]!;
    for (let qi = unit.last - 1; qi >= unit.first; qi--)
      nextAttributed[qi] = firstPassResult[qi + 1]!.key !== null ? qi + 1 : nextAttributed[qi + 1]!;
  }
  const lastMention = new Map<string, Span>();
  for (const unit of unitList) {
    const src = unit.src;
    for (let qi = unit.first; qi <= unit.last; qi++) {
      const r = result[qi]!;
      if (r.key === null && unit.last > unit.first && on('same-turn')) {
        // the nearest attributed quotation of the same turn, looking back first
        for (const o of [prevAttributed[qi]!, nextAttributed[qi]!]) {
          if (o < 0 || r.key !== null) continue;
          const n = firstPassResult[o]!;
          if (r.addressee >= 0 && n.speaker === r.addressee) continue;
          speakAs(r, n, 'paragraph', Math.min(0.8, n.confidence));
        }
      }
      const same = src !== null && (src.method === 'explicit' || src.method === 'beat');
      if (
        r.key === null &&
        src !== null &&
        src.key !== null &&
        !(r.addressee >= 0 && src.speaker === r.addressee) &&
        (!same || on('same-turn'))
      ) {
        speakAs(r, src, same ? 'paragraph' : src.method, same ? Math.min(0.8, src.confidence) : src.confidence);
      }
      if (r.key === null && src !== null && src.key !== null && on('other-participant')) {
        // this quotation addresses the turn's speaker by name: someone else says it
        const o = cv.otherThan(src.key, quotes[qi]!.start, -1, r.addressee);
        if (o !== null) Object.assign(r, { key: o.key, speaker: o.character, mention: o.mention, method: 'turn-taking', confidence: 0.5 });
      }
      if (r.key !== null) {
        if (r.mention === null) r.mention = lastMention.get(r.key) ?? null;
        else lastMention.set(r.key, r.mention);
        if (r.key.startsWith('c:')) r.speaker = Number(r.key.slice(2));
      }
    }
  }
}

/** Addressees: a vocative, or the other side of a two-person exchange. */
function findAddressees(ctx: TurnContext, turns: Turns, result: Attribution[]): void {
  const { quotes } = ctx;
  const { units } = turns;
  for (let qi = 1; qi < quotes.length; qi++) {
    const r = result[qi]!;
    const p = result[qi - 1]!;
    if (r.addressee < 0 && units[qi] === units[qi - 1] && p.key === r.key && p.addressee >= 0) r.addressee = p.addressee;
  }
  for (let qi = 0; qi < quotes.length; qi++) {
    const r = result[qi]!;
    if (r.addressee >= 0 || r.speaker < 0) continue;
    for (const d of [-1, 1]) {
      const o = result[qi + d];
      if (
        o !== undefined &&
        o.speaker >= 0 &&
        o.speaker !== r.speaker &&
        !conversationBroken(ctx, Math.min(quotes[qi]!.end, quotes[qi + d]!.end), Math.max(quotes[qi]!.start, quotes[qi + d]!.start))
      ) {
        r.addressee = o.speaker;
        break;
      }
    }
  }
}

// The attribution sieves that read one quotation and the narration around it, ordered by
// precision as in Muzny et al. (2017): a chat line's written speaker, a quotation interrupted by
// its own attribution, an explicit attribution after ("said Anna") or before ("Anna said:") the
// quotation, then an action beat after or before it. Turn-taking fills what these leave.
import { NOT_NAMES, VOICE_NOUNS, wordSet } from './lexicons/words.ts';
import type { NameMention } from './characters.ts';
import type { QuoteSpan } from './quotes.ts';
import { isUpper } from './structure.ts';
import { adjacentToVerb, NP_MODIFIERS, POSSESSIVE_END, SKIP_LEADING, type SpeakerState, type Subject } from './speaker-coreference.ts';
import {
  clauseTail,
  endsInComma,
  endsOpen,
  findSentenceEnd,
  interruptedBy,
  lastSentenceStart,
  type Tok,
  tokens,
  upperBound,
} from './speaker-text.ts';
import { conversationBroken, speakAs, type TurnContext } from './speaker-turns.ts';
import type { Vocative } from './speaker-vocatives.ts';
import type { Attribution, SpeakerMethod, SieveName } from './speakers.ts';

const SUBORDINATORS = wordSet(`when while whilst until before after because since though although if unless`);
const COPULAS = wordSet(`was is were are be been`);
const PERCEPTION_VERBS = wordSet(`heard hear hears overheard`);
/** Verbs after which "of" names the one asked ("asked Mrs. Jennings of Edward"). */
const ASKING_VERBS = wordSet(`asked inquired enquired demanded`);
const FUNCTION_WORDS = wordSet(`i he she it we you they the a an this that then and but so now there here who which what one`);
/** Particles of two-word speech verbs: "went on", "broke in", "put in", "cried out". */
const VERB_PARTICLES = wordSet(`on in out up forth`);
const PREPOSITIONS = wordSet(`to at with towards toward for from of by on in into upon about after before behind beside near`);

/** The turns of a text: their starts, each quotation's turn, and the start of the turn after an offset. */
export interface Turns {
  boundaries: Int32Array;
  units: number[];
  nextBoundary(at: number): number;
}

/**
 * Runs the local sieves over every quotation in order, filling `result` (the first that finds a
 * subject wins); `on` says which sieves are enabled.
 */
export function runLocalSieves(
  st: SpeakerState,
  ctx: TurnContext,
  turns: Turns,
  vocativeOf: (Vocative | null)[],
  result: Attribution[],
  on: (sieve: SieveName) => boolean,
): void {
  const { text, mentionAt } = st;
  const { quotes } = ctx;
  const { units } = turns;
  const vocatives = vocativeOf.map((v) => v?.character ?? -1);
  let unitStartQuote = 0;
  for (let qi = 0; qi < quotes.length; qi++) {
    const q = quotes[qi]!;
    const voc = vocatives[qi]!;
    const vocKey = vocativeOf[qi]?.key ?? null; // "…, lad." The lad nodded: the lad is addressed
    result[qi]!.addressee = voc;
    if (qi === 0 || units[qi] !== units[qi - 1]) unitStartQuote = qi;
    const unit = units[qi]!;
    const nextQuote = quotes[qi + 1];
    const sameUnitNext = nextQuote !== undefined && units[qi + 1] === unit;
    const paraEnd = ctx.paragraphs[q.endParagraph]!.end;
    const afterLimit = Math.min(sameUnitNext ? nextQuote.start : paraEnd, turns.nextBoundary(q.end - 1), nextQuote?.start ?? paraEnd);
    const prev = qi > unitStartQuote ? quotes[qi - 1]! : null;
    const beforeFrom = prev !== null ? prev.end : Math.max(turns.boundaries[units[qi]!] ?? 0, qi > 0 ? quotes[qi - 1]!.end : 0);
    const pr = result[qi - 1];
    const newTurn = qi > 0 && units[qi] !== units[qi - 1] && !conversationBroken(ctx, quotes[qi - 1]!.end, q.start);
    // "Mr. Bennet replied that he had not.": a turn told in the narration is the turn before
    const lastTurn = newTurn ? (reportedTurn(st, quotes[qi - 1]!.end, q.start) ?? pr?.speaker ?? -1) : -1;
    st.turn.otherSpeaker =
      on('other-man') &&
      newTurn &&
      // a new paragraph, not a turn guessed inside a long one (texts that lost their line breaks)
      quotes[qi - 1]!.endParagraph !== q.paragraph &&
      lastTurn >= 0 &&
      !namedBetween(st, lastTurn, quotes[qi - 1]!.end, q.start, pr?.mention?.start ?? -1)
        ? lastTurn
        : -1;
    st.turn.calledBefore = on('called-answers') && newTurn ? calledInTurn(vocatives, units, qi - 1, pr?.speaker ?? -1) : -1;
    const set = (s: Subject, method: SpeakerMethod, confidence: number): void => {
      const r = result[qi]!;
      r.key = s.key;
      r.speaker = s.character;
      r.mention = s.span;
      r.method = method;
      r.confidence = s.key.startsWith('c:') || s.key === 'narrator' ? confidence : confidence * 0.8;
    };
    // a chat or script line names its speaker before it
    const written = q.speakerSpan === undefined || !on('chat-line') ? undefined : mentionAt.get(q.speakerSpan.start);
    if (written !== undefined) {
      set(
        { key: 'c:' + written.character, character: written.character, span: { start: written.start, end: written.end } },
        'explicit',
        0.95,
      );
      continue;
    }
    // '"…," said Tuppence severely, "though…"': a quotation interrupted by its attribution goes on
    // in the same voice, whatever the narration after it says
    if (on('interrupted') && prev !== null && result[qi - 1]!.method === 'explicit' && interruptedBy(text, prev, q)) {
      const p = result[qi - 1]!;
      speakAs(result[qi]!, p, 'explicit', p.confidence);
      continue;
    }
    // '"…," said he to Temple': the one spoken to is not the one speaking
    const told = voc >= 0 ? undefined : toldInAttribution(st, q, afterLimit);
    const toldTo = told?.character ?? -1;
    let s = on('explicit-after') ? explicitAfter(st, q, afterLimit, voc >= 0 ? voc : toldTo) : null;
    if (s === null && on('explicit-after') && st.speechVerbs.size === 0) s = bareAttribution(st, q, afterLimit, voc);
    if (s !== null) {
      set(s, 'explicit', 0.95);
      if (told !== undefined && toldTo !== s.character) {
        result[qi]!.addressee = toldTo;
        // the one spoken to answers, as one called by name would
        if (on('told-answers')) vocativeOf[qi] ??= { character: toldTo, key: 'c:' + toldTo, span: { start: told.start, end: told.end } };
      }
      continue;
    }
    s = on('explicit-before') ? explicitBefore(st, beforeFrom, q, voc) : null;
    if (s !== null) {
      set(s, 'explicit', 0.9);
      continue;
    }
    // action beats: the subject of the narration sentence right after, or right before
    if (on('beat-after') && afterLimit > q.end) {
      const sentenceEnd = findSentenceEnd(text, q.end, afterLimit);
      const toks = tokens(text, q.end, sentenceEnd, 24);
      if (toks.length > 0 && toks[0]!.lower !== ',') {
        // read with the other-man rule still in force: "“Right.” He took one anyway." right after
        // Theo's turn is the other man, as "he said" would be
        s = st.leadingSubject(toks, voc, true);
        st.turn.otherSpeaker = -1;
        st.turn.calledBefore = -1;
        if (s !== null && (voc < 0 || s.character !== voc) && s.key !== vocKey) {
          set(s, 'beat', 0.85);
          continue;
        }
      }
    }
    // a beat before the quotation ("She smiled.") keeps the usual antecedent
    st.turn.otherSpeaker = -1;
    st.turn.calledBefore = -1;
    if (on('beat-before') && beforeFrom < q.start) {
      // "“Right.” He took one anyway. “Listen…”": the beat the quotation before already read
      // speaks for this one too (and was read with the other-man rule in force)
      const before = result[qi - 1];
      if (prev !== null && before?.method === 'beat' && before.mention !== null && before.mention.start >= prev.end) {
        speakAs(result[qi]!, before, 'beat', before.confidence);
        continue;
      }
      const from = lastSentenceStart(text, beforeFrom, q.start);
      const toks = tokens(text, from, q.start, 24);
      s = st.leadingSubject(toks, voc, true) ?? lastClauseSubject(st, toks, voc) ?? subjectAfterTime(st, toks, voc);
      if (s !== null && (voc < 0 || s.character !== voc) && s.key !== vocKey) {
        set(s, 'beat', 0.8);
      }
    }
  }

  st.turn.otherSpeaker = -1;
  st.turn.calledBefore = -1;
}

/**
 * The subject of a sentence's last coordinate clause when its opening has none: "Downstairs the
 * door banged, and Mrs. Hudson's voice floated up. 'Boys!'" is hers.
 */
function lastClauseSubject(st: SpeakerState, toks: Tok[], exclude: number): Subject | null {
  for (let k = toks.length - 2; k > 0; k--) {
    const t = toks[k]!.lower;
    if (t === ';' || (t === ',' && (toks[k + 1]!.lower === 'and' || toks[k + 1]!.lower === 'but'))) {
      const s = st.leadingSubject(toks.slice(k + 1), exclude, true);
      return s?.key.startsWith('c:') ? s : null;
    }
  }
  return null;
}

/** Words of a time phrase that may open a sentence before its subject ("Later that week", "The next morning"). */
const TIME_WORDS = wordSet(
  `later soon early next that this the one a some following same morning evening night afternoon day days week weeks month year moment minute minutes hour hours while after`,
);

/** The name after a time phrase that opens a sentence ("Later that week Farebrother called."), before a verb. */
function subjectAfterTime(st: SpeakerState, toks: Tok[], exclude: number): Subject | null {
  for (let k = 1; k < toks.length && k <= 4; k++) {
    if (!TIME_WORDS.has(toks[k - 1]!.lower)) return null;
    const m = st.mentionAt.get(toks[k]!.start);
    if (m === undefined) continue;
    const next = toks.find((t) => t.start >= m.end);
    if (m.possessive || m.character === exclude || next === undefined || !/^[a-z]/.test(next.lower)) return null;
    return subjectOf(m);
  }
  return null;
}

/** The last character the turn ending with quotation `last` calls by name, if not its own speaker; else -1. */
function calledInTurn(vocatives: readonly number[], units: readonly number[], last: number, speaker: number): number {
  for (let i = last; i >= 0 && units[i] === units[last]; i--) {
    const v = vocatives[i]!;
    if (v >= 0) return v === speaker ? -1 : v;
  }
  return -1;
}

/**
 * The name after "to" in the sentence after a quotation ('"…," said he to Temple'), or after "of"
 * once it has asked ('asked Mrs. Jennings of Edward').
 */
function toldInAttribution(st: SpeakerState, q: QuoteSpan, limit: number): NameMention | undefined {
  const toks = tokens(st.text, q.end, Math.min(limit, findSentenceEnd(st.text, q.end, limit)), 10);
  let asked = false;
  for (let k = 0; k + 1 < toks.length; k++) {
    const word = toks[k]!.lower;
    asked ||= ASKING_VERBS.has(word);
    const target = word === 'to' || (word === 'of' && asked) ? st.mentionAt.get(toks[k + 1]!.start) : undefined;
    if (target !== undefined && !target.possessive) return target;
  }
  return undefined;
}

/** Words a bare attribution may hold beside the name: "sa Anna", "Anna svarade tyst". */
const BARE_WORDS = 2;

/**
 * In a language without word lists, the shape of an attribution still shows: right after a
 * quotation, a sentence of nothing but a name and one or two lower-case words ('”Hej”, sa Anna.',
 * '”Nej”, Erik svarade.') names the speaker, whatever its verb; a beat of that shape ('”Nej.” Erik
 * log.') names them as a beat would.
 */
function bareAttribution(st: SpeakerState, q: QuoteSpan, limit: number, exclude: number): Subject | null {
  const toks = tokens(st.text, q.end, limit, 8);
  const k = toks[0]?.lower === ',' ? 1 : 0;
  const words = (from: number): number => {
    let n = 0;
    while (n < BARE_WORDS && /^[a-z\u00df-\u024f]/.test(toks[from + n]?.lower ?? '') && !isUpper(st.text.charCodeAt(toks[from + n]!.start)))
      n++;
    return n;
  };
  const ends = (i: number): boolean => i >= toks.length || /^[.!?;:]$/.test(toks[i]!.lower);
  const nameAt = (i: number): { m: NameMention; next: number } | null => {
    const m = toks[i] === undefined ? undefined : st.mentionAt.get(toks[i]!.start);
    if (m === undefined || m.possessive || m.character === exclude) return null;
    let next = i;
    while (next < toks.length && toks[next]!.start < m.end) next++;
    return { m, next };
  };
  // ", sa Anna." — the verb first
  const before = words(k);
  const named = before > 0 ? nameAt(k + before) : null;
  if (named !== null && ends(named.next)) return subjectOf(named.m);
  // ", Anna sa." — the name first
  const first = nameAt(k);
  if (first !== null) {
    const after = words(first.next);
    if (after > 0 && ends(first.next + after)) return subjectOf(first.m);
  }
  return null;
}

const subjectOf = (m: NameMention): Subject => ({ key: 'c:' + m.character, character: m.character, span: { start: m.start, end: m.end } });

/** Explicit attribution after a quotation: `"...," said X` or `"..." X said`. */
export function explicitAfter(st: SpeakerState, q: QuoteSpan, limit: number, exclude: number): Subject | null {
  const { text, speechVerbs, mentionAt, subjectAt } = st;
  const toks = tokens(text, q.end, limit, 14);
  // the sentence ends at its first stop, but not at a title's dot inside a name ("cried Mr. Bennet's wife")
  const inName = (i: number): boolean => {
    const m = i > 0 ? mentionAt.get(toks[i - 1]!.start) : undefined;
    return m !== undefined && m.end > toks[i]!.start;
  };
  let end = toks.findIndex(
    (t, i) => (t.lower === '.' && !inName(i)) || t.lower === '!' || t.lower === '?' || t.lower === '"' || t.lower === '\u201c',
  );
  if (end < 0) end = toks.length;
  const owner = replyOwner(st, toks.slice(0, end), exclude);
  if (owner !== null) return owner;
  for (let v = 0; v < Math.min(end, 7); v++) {
    if (!speechVerbs.has(toks[v]!.lower)) continue;
    // '"…?" and seemed disappointed when she answered': a subordinate clause's speaker is someone else
    if (toks.slice(0, v).some((x) => SUBORDINATORS.has(x.lower))) return null;
    // '"…!" Mary heard her say': the one heard speaks
    if (v >= 2 && PERCEPTION_VERBS.has(toks[v - 2]!.lower)) {
      const o = toks[v - 1]!;
      if (o.lower !== 'him' && o.lower !== 'her') return subjectAt(toks, v - 1, exclude, false, true);
      // the hearer is not the one heard ("Mary heard her": her is not Mary)
      const hearer = v >= 3 ? subjectAt(toks, v - 3, exclude, false, false) : null;
      return st.pronounSubject(o, hearer !== null && hearer.character >= 0 ? hearer.character : exclude);
    }
    for (let k = 0; k < v; k++) {
      if (k > 0 && COPULAS.has(toks[k - 1]!.lower)) continue; // '"…" was the rallying cry'
      const s = subjectAt(toks, k, exclude, true, true);
      if (s !== null && (s.key.startsWith('n:') ? adjacentToVerb(toks, s, v) : true)) return s;
    }
    // '"…," Irish remarked': a capitalised word the name finder rejected, between a quotation
    // whose sentence goes on and its speech verb, is still the speaker
    const w0 = toks[0]!;
    if (
      v === 1 &&
      isUpper(text.charCodeAt(w0.start)) &&
      !FUNCTION_WORDS.has(w0.lower) &&
      ((endsOpen(text, q) && !NOT_NAMES.has(w0.lower)) || endsInComma(text, q))
    )
      return { key: 'n:' + w0.lower, character: -1, span: { start: w0.start, end: w0.end } };
    // a participle takes no inverted subject: '"…crazy?" whispering Fedallah' whispers to him
    if (toks[v]!.lower.endsWith('ing')) continue;
    let k = v + 1;
    // French inversion: "dit-il", "demanda-t-elle"
    while (toks[k] !== undefined && (toks[k]!.lower === '-' || (toks[k]!.lower === 't' && toks[k + 1]?.lower === '-'))) k++;
    if (toks[k] !== undefined && VERB_PARTICLES.has(toks[k]!.lower)) k++; // "went on Sir Henry", "broke in a voice"
    if (toks[k]?.lower === ',') {
      // "interposed, more softly, a young wife": an adverbial aside between verb and subject
      const close = toks.findIndex((x, i) => i > k && i <= k + 4 && x.lower === ',');
      if (close > 0 && toks.slice(k + 1, close).every((x) => /^[a-z]/.test(x.lower) && !speechVerbs.has(x.lower))) k = close + 1;
    }
    if (toks[k] !== undefined && toks[k]!.lower.endsWith('ly') && mentionAt.get(toks[k]!.start) === undefined) k++;
    if (toks[k] !== undefined && NP_MODIFIERS.has(toks[k]!.lower) && toks[k + 1] !== undefined && mentionAt.has(toks[k + 1]!.start)) k++; // "added little Amy"
    const clause = toks.slice(0, end);
    // "said Jane's mother": the one the possessive owns speaks (read only when nothing else is
    // the subject, so "said her ladyship" stays a noun phrase)
    return subjectAt(clause, k, exclude, false, true) ?? subjectAt(clause, k, exclude, true, true);
  }
  // '"Aw," fleered Happy Jack': an unknown past-tense verb inverted before a name after a quotation
  // that ends in a comma, '!' or '?' inside its marks
  const v0 = toks[0];
  if (v0 !== undefined && end > 1 && /^[a-z]{3,}ed$/.test(v0.lower) && isUpper(text.charCodeAt(toks[1]!.start)) && endsOpen(text, q)) {
    const named = mentionAt.get(toks[1]!.start);
    if (named !== undefined && !named.possessive)
      return { key: 'c:' + named.character, character: named.character, span: { start: named.start, end: named.end } };
  }
  return null;
}

/** Nouns for what was said, whose owner said it: '"…," was her reply'. */
const REPLY_NOUNS = wordSet(`reply answer response rejoinder retort remark comment observation exclamation greeting`);

/**
 * '"…," was his answer', 'was Elizabeth's reply', 'was her ladyship's cold reply': the owner of the
 * reply speaks. `clause` is the attribution's tokens up to its sentence's end.
 */
function replyOwner(st: SpeakerState, clause: Tok[], exclude: number): Subject | null {
  if (clause[0]?.lower !== 'was') return null;
  const r = clause.findIndex((t, i) => i >= 2 && i <= 5 && REPLY_NOUNS.has(t.lower));
  if (r < 0) return null;
  const first = clause[1]!;
  const named = st.mentionAt.get(first.start);
  if (named !== undefined) return named.possessive ? subjectOf(named) : null;
  if (first.lower === 'my') return { key: 'narrator', character: -1, span: { start: first.start, end: first.end } };
  const owned = clause.findIndex((t, i) => i > 1 && i < r && POSSESSIVE_END.test(t.lower));
  if (owned < 0) {
    return first.lower === 'his' || first.lower === 'her' ? st.pronounSubject(first, exclude) : null;
  }
  // "her ladyship's", "the old man's": the noun phrase the possessive ends
  const stem = { ...clause[owned]!, lower: clause[owned]!.lower.replace(POSSESSIVE_END, '') };
  return st.subjectAt([...clause.slice(0, owned), stem], 1, exclude, false, true);
}

/** Explicit attribution before a quotation: `X said, "..."` or `said X: "..."`. */
export function explicitBefore(st: SpeakerState, from: number, q: QuoteSpan, exclude: number): Subject | null {
  const { text, speechVerbs, subjectAt } = st;
  const tail = clauseTail(text, from, q.start);
  if (tail === null) return null;
  const toks = tokens(text, tail, q.start, 80).slice(-16); // the words nearest the quotation
  const lastPunct = toks.length > 0 ? toks[toks.length - 1]!.lower : '';
  if (toks.length > 0 && lastPunct !== ',' && lastPunct !== ':' && lastPunct !== '\u2014' && /^[a-z]/.test(lastPunct) === false)
    return null;
  for (let v = toks.length - 1; v >= 0; v--) {
    if (!speechVerbs.has(toks[v]!.lower)) continue;
    // the nearest subject before the verb that is not the object of a preposition
    for (let k = v - 1; k >= 0; k--) {
      if (SKIP_LEADING.has(toks[k]!.lower)) continue;
      if (k > 0 && PREPOSITIONS.has(toks[k - 1]!.lower)) continue;
      if (k > 0 && SUBORDINATORS.has(toks[k - 1]!.lower)) continue; // "…when he spoke to her, and then said:" is hers
      if (toks[k]!.lower === 'him' || (toks[k]!.lower === 'her' && !VOICE_NOUNS.has(toks[k + 1]?.lower ?? ''))) continue;
      const s = subjectAt(toks, k, exclude, true, true);
      if (s !== null && (s.key.startsWith('n:') ? adjacentToVerb(toks, s, v) : true)) return s;
    }
    const s = subjectAt(toks, VERB_PARTICLES.has(toks[v + 1]?.lower ?? '') ? v + 2 : v + 1, exclude, false, true);
    if (s !== null) return s;
    return null;
  }
  return null;
}

/** The character a narration sentence between two quotations has speak ("Mr. Bennet replied that he had not"), if any. */
function reportedTurn(st: SpeakerState, from: number, to: number): number | undefined {
  let reporter: number | undefined;
  for (let i = upperBound(st.narrationStarts, from); i < st.narration.length && st.narration[i]!.start < to; i++) {
    const m = st.narration[i]!;
    if (!m.sentenceInitial || m.possessive) continue;
    const verb = tokens(st.text, m.end, Math.min(to, m.end + 40), 1)[0];
    if (verb !== undefined && st.speechVerbs.has(verb.lower)) reporter = m.character;
  }
  return reporter;
}

/**
 * Whether a narration sentence between two offsets opens with a character's name, beyond the
 * attribution that named it ("…," said Tom. Tom sat down. "…" he said: Tom again; but "the waggon
 * of Tom" keeps Tom in the background).
 */
function namedBetween(st: SpeakerState, character: number, from: number, to: number, attribution: number): boolean {
  for (let i = upperBound(st.narrationStarts, from); i < st.narration.length && st.narration[i]!.start < to; i++)
    if (st.narration[i]!.character === character && st.narration[i]!.sentenceInitial && st.narration[i]!.start !== attribution) return true;
  return false;
}

// The learnt pass: a conditional logistic regression that ranks the candidate speakers of an
// anaphoric ("she said") or implicit quotation — the rules' own choice among them — over features
// of distance, mention type, turn parity, vocatives and paragraph position. Weights come from
// scripts/train-speaker-model.ts (npm run train:speakers); see docs/decisions/044.
import type { SpeakerState } from './speaker-coreference.ts';
import type { Turns } from './speaker-sieves.ts';
import { mentionsIn, upperBound } from './speaker-text.ts';
import { conversationBroken, type TurnContext } from './speaker-turns.ts';
import type { Vocative } from './speaker-vocatives.ts';
import type { Attribution, SpeakerMethod } from './speakers.ts';
import type { Span } from './structure.ts';

/** The features of one candidate, in the order of the weights. */
export const SPEAKER_FEATURES = [
  'rule',
  'rule-explicit-pronoun',
  'rule-beat',
  'rule-paragraph',
  'rule-vocative',
  'rule-continuation',
  'rule-turn-taking',
  'rule-context',
  'rule-confidence',
  'not-a-character',
  'narrator',
  'recency',
  'mentioned-within-300',
  'log-distance',
  'same-paragraph-before',
  'subject-before',
  'mentioned-after-in-turn',
  'subject-after',
  'speaker-turn-1',
  'speaker-turn-2',
  'speaker-turn+1',
  'speaker-turn+2',
  'explicit-turn-1',
  'explicit-turn-2',
  'addressed-here',
  'addressed-turn-1',
  'addressed-turn+1',
  'named-in-quotation',
  'pronoun-gender-agrees',
  'pronoun-gender-differs',
  'share-of-mentions',
  'opens-paragraph-and-turn-2',
  'rule-not-a-character-implicit',
] as const;

/** Weights over SPEAKER_FEATURES, as shipped in speaker-model.weights.json. */
export interface SpeakerModel {
  features: readonly string[];
  weights: readonly number[];
}

/** One candidate speaker of a quotation with its feature vector. */
export interface SpeakerCandidate {
  /** Character id, or -1 for the rules' choice when it is not a named character. */
  character: number;
  key: string;
  mention: Span | null;
  /** True for the rules' own choice. */
  rule: boolean;
  x: Float64Array;
}

const F = Object.fromEntries(SPEAKER_FEATURES.map((f, i) => [f, i])) as Record<(typeof SPEAKER_FEATURES)[number], number>;
const RULE_METHOD: Partial<Record<SpeakerMethod, number>> = {
  explicit: F['rule-explicit-pronoun'],
  beat: F['rule-beat'],
  paragraph: F['rule-paragraph'],
  vocative: F['rule-vocative'],
  continuation: F['rule-continuation'],
  'turn-taking': F['rule-turn-taking'],
  context: F['rule-context'],
};

/** True for the quotations the ranker decides: no attribution, or one that rests on a pronoun. */
export function isModelTarget(st: SpeakerState, r: Attribution): boolean {
  if (r.method !== 'explicit') return true;
  if (r.key?.startsWith('p:') === true) return true;
  if (r.mention === null) return false;
  return st.pronounGender.has(st.text.slice(r.mention.start, r.mention.end).toLowerCase());
}

/** Lists the candidate speakers of every targeted quotation (null for the others), rules' choice first. */
export function findSpeakerCandidates(
  st: SpeakerState,
  ctx: TurnContext,
  turns: Turns,
  vocativeOf: (Vocative | null)[],
  result: Attribution[],
): (SpeakerCandidate[] | null)[] {
  const { text, narration, narrationStarts, characters } = st;
  const { quotes, paragraphs } = ctx;
  const { units } = turns;
  // turns in order, each with its first quotation, and where its conversation starts
  const turnOf = new Int32Array(quotes.length);
  const turnFirst: number[] = [];
  for (let qi = 0; qi < quotes.length; qi++) {
    if (qi === 0 || units[qi] !== units[qi - 1]) turnFirst.push(qi);
    turnOf[qi] = turnFirst.length - 1;
  }
  const runStart = new Int32Array(turnFirst.length);
  for (let t = 1; t < turnFirst.length; t++) {
    const prevLast = turnFirst[t]! - 1;
    runStart[t] = conversationBroken(ctx, quotes[prevLast]!.end, quotes[turnFirst[t]!]!.start) ? t : runStart[t - 1]!;
  }
  const runEnd = new Int32Array(turnFirst.length);
  for (let t = turnFirst.length - 1; t >= 0; t--)
    runEnd[t] = t + 1 < turnFirst.length && runStart[t + 1] === runStart[t] ? runEnd[t + 1]! : t;
  const turnSpeaker = (t: number): Attribution | null => result[turnFirst[t]!] ?? null;
  const turnVocative = (t: number): number => {
    const end = t + 1 < turnFirst.length ? turnFirst[t + 1]! : quotes.length;
    for (let k = turnFirst[t]!; k < end; k++) if ((vocativeOf[k]?.character ?? -1) >= 0) return vocativeOf[k]!.character;
    return -1;
  };
  let maxMentions = 1;
  for (const c of characters) maxMentions = Math.max(maxMentions, c.mentions);
  const out: (SpeakerCandidate[] | null)[] = [];
  for (let qi = 0; qi < quotes.length; qi++) {
    const r = result[qi]!;
    if (!isModelTarget(st, r)) {
      out.push(null);
      continue;
    }
    const q = quotes[qi]!;
    const t = turnOf[qi]!;
    const inRun = (u: number): boolean => u >= runStart[t]! && u <= runEnd[t]! && u >= 0 && u < turnFirst.length;
    const cands = new Map<number, SpeakerCandidate>();
    const candidate = (c: number): SpeakerCandidate => {
      let x = cands.get(c);
      if (x === undefined) {
        x = { character: c, key: 'c:' + c, mention: null, rule: false, x: new Float64Array(SPEAKER_FEATURES.length) };
        x.x[F['log-distance']] = 1;
        x.x[F['share-of-mentions']] = characters[c]!.mentions / maxMentions;
        cands.set(c, x);
      }
      return x;
    };
    // the rules' choice
    let ruleCand: SpeakerCandidate | null = null;
    if (r.key !== null) {
      ruleCand =
        r.speaker >= 0
          ? candidate(r.speaker)
          : { character: -1, key: r.key, mention: r.mention, rule: true, x: new Float64Array(SPEAKER_FEATURES.length) };
      ruleCand.rule = true;
      ruleCand.mention = r.mention ?? ruleCand.mention;
      const x = ruleCand.x;
      x[F.rule] = 1;
      x[F['rule-confidence']] = r.confidence;
      const m = RULE_METHOD[r.method];
      if (m !== undefined) x[m] = 1;
      if (r.speaker < 0) {
        x[F['not-a-character']] = 1;
        if (r.key === 'narrator') x[F.narrator] = 1;
        x[F['log-distance']] = 0;
      }
    }
    // names in narration before the quotation: the nearest six people, within 3,000 characters
    const paraStart = paragraphs[q.paragraph]!.start;
    let rank = 0;
    const seen = new Set<number>();
    for (let i = upperBound(narrationStarts, q.start) - 1; i >= 0 && rank < 6; i--) {
      const m = narration[i]!;
      const d = q.start - m.end;
      if (d > 3000) break;
      if (seen.has(m.character)) continue;
      seen.add(m.character);
      const x = candidate(m.character);
      x.mention ??= { start: m.start, end: m.end };
      x.x[F.recency] = 1 / (1 + rank++);
      x.x[F['mentioned-within-300']] = d < 300 ? 1 : 0;
      x.x[F['log-distance']] = Math.log1p(Math.max(0, d)) / 8;
      if (m.start >= paraStart) x.x[F['same-paragraph-before']] = 1;
      if (m.sentenceInitial) x.x[F['subject-before']] = 1;
    }
    // names in the narration after it, within its turn
    const limit = Math.min(turns.nextBoundary(q.end - 1), quotes[qi + 1]?.start ?? text.length);
    for (let i = upperBound(narrationStarts, q.end - 1); i < narration.length && narration[i]!.start < limit; i++) {
      const m = narration[i]!;
      const x = candidate(m.character);
      x.mention ??= { start: m.start, end: m.end };
      x.x[F['mentioned-after-in-turn']] = 1;
      if (m.sentenceInitial) x.x[F['subject-after']] = 1;
    }
    // the speakers and the addressed of the turns around it
    for (const [d, f] of [
      [-1, F['speaker-turn-1']],
      [-2, F['speaker-turn-2']],
      [1, F['speaker-turn+1']],
      [2, F['speaker-turn+2']],
    ] as const) {
      if (!inRun(t + d)) continue;
      const s = turnSpeaker(t + d);
      if (s === null || s.speaker < 0) continue;
      const x = candidate(s.speaker);
      x.x[f] = 1;
      if (d === -1 && s.method === 'explicit') x.x[F['explicit-turn-1']] = 1;
      if (d === -2 && s.method === 'explicit') {
        x.x[F['explicit-turn-2']] = 1;
        if (turnFirst[t] === qi && q.start === skipTo(text, paragraphs[q.paragraph]!.start)) x.x[F['opens-paragraph-and-turn-2']] = 1;
      }
    }
    for (const [d, f] of [
      [-1, F['addressed-turn-1']],
      [1, F['addressed-turn+1']],
    ] as const) {
      if (!inRun(t + d)) continue;
      const v = turnVocative(t + d);
      if (v >= 0) candidate(v).x[f] = 1;
    }
    const here = vocativeOf[qi]?.character ?? -1;
    if (here >= 0) candidate(here).x[F['addressed-here']] = 1;
    for (const m of mentionsIn(st.mentions, q.contentStart, q.contentEnd))
      if (m.character !== here && cands.has(m.character)) cands.get(m.character)!.x[F['named-in-quotation']] = 1;
    // the pronoun of an explicit attribution and each candidate's gender
    const pronoun =
      r.method === 'explicit' && r.mention !== null
        ? st.pronounGender.get(text.slice(r.mention.start, r.mention.end).toLowerCase())
        : undefined;
    const list = [...cands.values()];
    if (ruleCand !== null && ruleCand.character < 0) list.unshift(ruleCand);
    for (const c of list) {
      if (pronoun === undefined || c.character < 0) continue;
      const g = characters[c.character]!.gender;
      if (g === pronoun) c.x[F['pronoun-gender-agrees']] = 1;
      else if (g !== 'unknown') c.x[F['pronoun-gender-differs']] = 1;
    }
    // a noun phrase or the narrator chosen without an attribution is the rules' weakest kind of guess
    if (r.method !== 'explicit' && r.method !== 'beat' && ruleCand !== null && ruleCand.character < 0)
      ruleCand.x[F['rule-not-a-character-implicit']] = 1;
    out.push(list.length === 0 ? null : list);
  }
  return out;
}

function skipTo(text: string, i: number): number {
  while (i < text.length && /\s/.test(text.charAt(i))) i++;
  return i;
}

/** The model's score of one candidate (a logit). */
export function scoreCandidate(model: SpeakerModel, x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * (model.weights[i] ?? 0);
  return s;
}

/** Lets the model re-decide each targeted quotation: the best-scoring candidate speaks. */
export function rerankSpeakers(candidates: (SpeakerCandidate[] | null)[], result: Attribution[], model: SpeakerModel): void {
  for (let qi = 0; qi < result.length; qi++) {
    const list = candidates[qi];
    if (list === null || list === undefined) continue;
    let best = 0;
    let bestScore = -Infinity;
    const scores = list.map((c) => scoreCandidate(model, c.x));
    for (let k = 0; k < list.length; k++) if (scores[k]! > bestScore) [best, bestScore] = [k, scores[k]!];
    const chosen = list[best]!;
    let z = 0;
    for (const s of scores) z += Math.exp(s - bestScore);
    const r = result[qi]!;
    if (chosen.rule) continue;
    r.speaker = chosen.character;
    r.key = chosen.key;
    r.mention = chosen.mention;
    r.method = 'model';
    r.confidence = Math.round((0.9 / z) * 100) / 100;
  }
}

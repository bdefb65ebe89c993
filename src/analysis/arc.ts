// The emotional arc: valence and basic emotions along the story, smoothed, with turning points.
import { EMOTION_NAMES, EMOTION_OF, EMOTION_VALENCE, NEGATORS, type EmotionName } from './lexicons/emotions.ts';
import { WordTable } from './wordtable.ts';

const LEXICON = new WordTable([...EMOTION_OF.keys(), ...NEGATORS]);
const EMOTION_BY_SLOT = Int8Array.from(LEXICON.words, (w) => EMOTION_OF.get(w) ?? -1);

/** One point of the arc. */
export interface ArcSample {
  offset: number;
  valence: number;
  emotions: Partial<Record<EmotionName, number>>;
}

/** Computes the arc over `points` equal stretches of words (between 5 and 40 by default). */
export function computeArc(
  lower: string,
  tokenStarts: Uint32Array,
  tokenEnds: Uint32Array,
  points?: number,
): { arc: ArcSample[]; turningPoints: number[] } {
  const n = tokenStarts.length;
  if (n === 0) return { arc: [], turningPoints: [] };
  const bins = Math.max(1, Math.min(n, Math.floor(points ?? Math.max(5, Math.min(40, Math.round(n / 150))))));
  const pos = new Float64Array(bins);
  const neg = new Float64Array(bins);
  const counts = EMOTION_NAMES.map(() => new Float64Array(bins));
  let negateUntil = -1;
  for (let i = 0; i < n; i++) {
    const start = tokenStarts[i]!;
    const end = tokenEnds[i]!;
    const slot = LEXICON.find(lower, start, end);
    const e = slot >= 0 ? EMOTION_BY_SLOT[slot]! : -1;
    if (
      (slot >= 0 && e < 0) ||
      (end - start > 3 &&
        lower.charCodeAt(end - 1) === 116 &&
        lower.charCodeAt(end - 3) === 110 &&
        (lower.charCodeAt(end - 2) === 39 || lower.charCodeAt(end - 2) === 0x2019))
    ) {
      negateUntil = i + 3; // a negator, or any "...n't"
      continue;
    }
    if (e < 0) continue;
    const b = Math.min(bins - 1, Math.floor((i * bins) / n));
    const v = EMOTION_VALENCE[e]!;
    const negated = i <= negateUntil;
    if (negated) {
      // "not happy" leans negative, "not afraid" leans positive, both weakly
      if (v > 0) neg[b]! += 0.5;
      else if (v < 0) pos[b]! += 0.5;
      continue;
    }
    if (v > 0) pos[b]! += 1;
    else if (v < 0) neg[b]! += 1;
    counts[e]![b]! += 1;
  }
  const raw = new Float64Array(bins);
  for (let b = 0; b < bins; b++) raw[b] = (pos[b]! - neg[b]!) / (pos[b]! + neg[b]! + 2);
  const smooth = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    let sum = 0;
    let w = 0;
    for (let k = -1; k <= 1; k++) {
      const j = b + k;
      if (j < 0 || j >= bins) continue;
      const weight = k === 0 ? 2 : 1;
      sum += raw[j]! * weight;
      w += weight;
    }
    smooth[b] = sum / w;
  }
  const arc: ArcSample[] = [];
  for (let b = 0; b < bins; b++) {
    const first = Math.floor((b * n) / bins);
    let total = 0;
    for (const c of counts) total += c[b]!;
    const emotions: Partial<Record<EmotionName, number>> = {};
    if (total > 0)
      EMOTION_NAMES.forEach((name, e) => {
        const v = counts[e]![b]!;
        if (v > 0) emotions[name] = Math.round((v / total) * 100) / 100;
      });
    arc.push({ offset: tokenStarts[first]!, valence: Math.round(smooth[b]! * 100) / 100, emotions });
  }
  return { arc, turningPoints: findTurningPoints(smooth) };
}

/** Local extrema of the smoothed valence that stand out from their surroundings by at least 0.1. */
function findTurningPoints(v: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 1; i < v.length - 1; i++) {
    const left = v[i]! - v[i - 1]!;
    const right = v[i + 1]! - v[i]!;
    if (left * right >= 0) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = Math.max(0, i - 3); k <= Math.min(v.length - 1, i + 3); k++) {
      lo = Math.min(lo, v[k]!);
      hi = Math.max(hi, v[k]!);
    }
    if (hi - lo >= 0.1) out.push(i);
  }
  return out;
}

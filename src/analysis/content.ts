// Proposed rating and archive warnings, each with the passages behind it. Conservative by design.
import {
  DEATH_CUES,
  EXPLICIT_SEX,
  GRAPHIC_VIOLENCE,
  IMPLIED_SEX,
  MILD_CONTENT,
  MINOR_AGE,
  NONCON,
  STRONG_PROFANITY,
} from './lexicons/content.ts';
import type { Span } from './structure.ts';

export type RatingValue = 'General Audiences' | 'Teen And Up Audiences' | 'Mature' | 'Explicit';
export type WarningValue =
  | 'Major Character Death'
  | 'Graphic Depictions Of Violence'
  | 'Rape/Non-Con'
  | 'Underage Sex'
  | 'No Archive Warnings Apply';

/** A proposal with its confidence and evidence spans. */
export interface ContentProposal<T> {
  value: T;
  confidence: number;
  evidence: Span[];
}

interface Hits {
  explicit: Span[];
  implied: Span[];
  profanity: Span[];
  mild: Span[];
  graphic: Span[];
  death: Span[];
  noncon: Span[];
  minor: Span[];
}

/** Scans sentences for content cues and proposes a rating and archive warnings. */
export function assessContent(
  lower: string,
  sentences: Span[],
  namedSentence: (s: Span) => boolean,
): { rating: ContentProposal<RatingValue>; warnings: ContentProposal<WarningValue>[] } {
  const hits: Hits = { explicit: [], implied: [], profanity: [], mild: [], graphic: [], death: [], noncon: [], minor: [] };
  // one pass of the union of all cues finds the few sentences worth testing one by one
  ANY_CUE.lastIndex = 0;
  let si = 0;
  for (let m = ANY_CUE.exec(lower); m !== null; m = ANY_CUE.exec(lower)) {
    while (si < sentences.length && sentences[si]!.end <= m.index) si++;
    const s = sentences[si];
    if (s === undefined) break;
    if (s.start > m.index) continue;
    ANY_CUE.lastIndex = s.end; // each sentence is classified once
    const t = lower.slice(s.start, s.end);
    if (EXPLICIT_SEX.test(t)) hits.explicit.push(s);
    if (IMPLIED_SEX.test(t)) hits.implied.push(s);
    if (STRONG_PROFANITY.test(t)) hits.profanity.push(s);
    if (MILD_CONTENT.test(t)) hits.mild.push(s);
    if (GRAPHIC_VIOLENCE.test(t)) hits.graphic.push(s);
    if (DEATH_CUES.test(t) && namedSentence(s)) hits.death.push(s);
    if (NONCON.test(t)) hits.noncon.push(s);
    if (MINOR_AGE.test(t)) hits.minor.push(s);
  }
  const rating = proposeRating(hits, sentences.length);
  const warnings: ContentProposal<WarningValue>[] = [];
  if (hits.death.length >= 2)
    warnings.push({
      value: 'Major Character Death',
      confidence: clamp(0.3 + 0.1 * hits.death.length, 0.9),
      evidence: hits.death.slice(0, 5),
    });
  if (hits.graphic.length >= 3)
    warnings.push({
      value: 'Graphic Depictions Of Violence',
      confidence: clamp(0.3 + 0.1 * hits.graphic.length, 0.9),
      evidence: hits.graphic.slice(0, 5),
    });
  if (hits.noncon.length >= 1)
    warnings.push({ value: 'Rape/Non-Con', confidence: clamp(0.4 + 0.15 * hits.noncon.length, 0.9), evidence: hits.noncon.slice(0, 5) });
  const sexual = hits.explicit.length + hits.implied.length;
  if (sexual >= 2 && hits.minor.length >= 1)
    warnings.push({
      value: 'Underage Sex',
      confidence: clamp(0.3 + 0.1 * hits.minor.length, 0.8),
      evidence: [...hits.minor.slice(0, 3), ...hits.explicit.concat(hits.implied).slice(0, 2)],
    });
  if (warnings.length === 0) warnings.push({ value: 'No Archive Warnings Apply', confidence: 0.5, evidence: [] });
  return { rating, warnings };
}

const ANY_CUE = new RegExp(
  [EXPLICIT_SEX, IMPLIED_SEX, STRONG_PROFANITY, MILD_CONTENT, GRAPHIC_VIOLENCE, DEATH_CUES, NONCON, MINOR_AGE]
    .map((r) => `(?:${r.source})`)
    .join('|'),
  'g',
);

function proposeRating(h: Hits, sentences: number): ContentProposal<RatingValue> {
  const density = (n: number): number => n / Math.max(1, sentences);
  if (h.explicit.length >= 3 || (h.explicit.length >= 2 && density(h.explicit.length) > 0.01))
    return { value: 'Explicit', confidence: clamp(0.5 + 0.05 * h.explicit.length, 0.9), evidence: h.explicit.slice(0, 5) };
  if (h.implied.length + h.explicit.length >= 2 || h.graphic.length >= 3) {
    const ev = [...h.explicit, ...h.implied, ...h.graphic].sort((a, b) => a.start - b.start);
    return { value: 'Mature', confidence: clamp(0.45 + 0.08 * ev.length, 0.85), evidence: ev.slice(0, 5) };
  }
  if (h.profanity.length + h.mild.length + h.implied.length + h.explicit.length + h.graphic.length >= 2) {
    const ev = [...h.profanity, ...h.mild, ...h.implied, ...h.explicit].sort((a, b) => a.start - b.start);
    return { value: 'Teen And Up Audiences', confidence: clamp(0.4 + 0.05 * ev.length, 0.8), evidence: ev.slice(0, 5) };
  }
  return { value: 'General Audiences', confidence: 0.6, evidence: [] };
}

function clamp(x: number, max: number): number {
  return Math.round(Math.min(max, x) * 100) / 100;
}

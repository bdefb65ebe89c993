// The narrator's name: in a first-person story the others call the narrator by name ("Come,
// Watson", "Pip, my boy"). When the quotations next to the narrator's own address one character —
// at least twice as often as anyone else, so a single call counts only when it is the only one —
// and that character neither speaks in a turn of their own nor is named by the narration more
// than once, that character is the narrator.
import type { NameMention } from './characters.ts';
import type { QuoteSpan } from './quotes.ts';
import type { Attribution } from './speakers.ts';
import { EXCHANGE_GAP, quotationGap } from './speaker-turns.ts';

/** Gives the narrator's quotations the character the neighbouring turns call by name, when the calls agree. */
export function nameNarrator(
  attributions: Attribution[],
  quotes: QuoteSpan[],
  narration: readonly NameMention[],
  lastCallOf: (j: number) => number = (j) => attributions[j]?.vocative ?? -1,
): void {
  let narrated = 0;
  for (const a of attributions) if (a.key === 'narrator') narrated++;
  if (narrated < 2) return;
  const narrationCount = new Map<number, number>();
  for (const m of narration) narrationCount.set(m.character, (narrationCount.get(m.character) ?? 0) + 1);
  const votes = new Map<number, number>();
  for (let i = 0; i < attributions.length; i++) {
    if (attributions[i]!.key !== 'narrator') continue;
    for (const j of [i - 1, i + 1]) {
      const other = attributions[j];
      if (other === undefined || other.key === 'narrator') continue;
      // the call nearest the narrator's turn: the last one of the quotation before it
      // ("…, Bildad. … down ye go here, Ishmael."), the first of the one after
      const called = j < i ? lastCallOf(j) : other.vocative;
      if (called < 0) continue;
      // the narration says "I", not the narrator's name (once, perhaps, in a title or an
      // introduction): someone it names again is someone else
      if (other.speaker === called || (narrationCount.get(called) ?? 0) > 1) continue;
      if (quotationGap(quotes, i, j) <= EXCHANGE_GAP) votes.set(called, (votes.get(called) ?? 0) + 1);
    }
  }
  let best = -1;
  let bestVotes = 0;
  let second = 0;
  for (const [c, n] of votes) {
    if (n > bestVotes) [best, bestVotes, second] = [c, n, bestVotes];
    else if (n > second) second = n;
  }
  if (best < 0 || bestVotes < 2 * second) return;
  if (speaksInOwnTurns(attributions, best)) return;
  for (const a of attributions) if (a.key === 'narrator') a.speaker = best;
}

/** Someone named as the speaker of more than one explicit attribution speaks in turns of their own: not the narrator. */
export function speaksInOwnTurns(attributions: readonly Attribution[], character: number): boolean {
  let ownTurns = 0;
  for (const a of attributions) if (a.speaker === character && a.key !== 'narrator' && a.method === 'explicit') ownTurns++;
  return ownTurns > 1;
}

// The self-named pass: a speaker who says their own name. "I am Dracula", "My name is Greyson",
// "Call me Ishmael" (in a quotation or in the narration), or a name given in answer to "What
// name?" ("Pip, sir.") tells who speaks, and so who the other quotations with the same speaker key
// are: the narrator's everywhere, "the gentleman"'s in that scene.
import type { NameMention } from './characters.ts';
import { NAME_QUESTION, NARRATION_SELF_INTRODUCTION, SELF_INTRODUCTION, SELF_INTRODUCTION_REACH } from './lexicons/words.ts';
import type { QuoteSpan } from './quotes.ts';
import { nameInScene, nameKey } from './speaker-names.ts';
import { speaksInOwnTurns } from './speaker-narrator.ts';
import { mentionsIn } from './speaker-text.ts';
import type { Attribution } from './speakers.ts';

/** What may follow a name given as one's own: the end of a clause, not a question or more words. */
const NAME_ENDS = /^\s*(?:[,.;:!\-\u2013\u2014\u2026]|$)/u;

/** Gives each unnamed speaker key the character its quotation names as the speaker's own. */
export function nameSelfNamedSpeakers(
  text: string,
  attributions: Attribution[],
  quotes: readonly QuoteSpan[],
  mentions: NameMention[],
): void {
  for (let i = 0; i < attributions.length; i++) {
    const a = attributions[i]!;
    if (a.speaker >= 0 || a.key === null) continue;
    // the turn before: its last quotation, and the one before that when the same person said it
    // ("Tell us your name!" "Quick!" "Pip, sir.")
    const asked = [quotes[i - 1], attributions[i - 2]?.key === attributions[i - 1]?.key ? quotes[i - 2] : undefined];
    const self = ownName(text, quotes[i]!, mentions, asked);
    if (self < 0 || attributions[i - 1]?.speaker === self) continue;
    // a narrator who is someone the others speak to in turns of their own is not that someone
    if (a.key === 'narrator') {
      if (!speaksInOwnTurns(attributions, self)) nameKey(attributions, a.key, self);
    } else nameInScene(attributions, quotes, i, self);
  }
  // "Call me Ishmael." in the narration itself: the narrator introduces themself to the reader
  if (!attributions.some((a) => a.speaker < 0 && a.key === 'narrator')) return;
  const self = narratorOwnName(text, mentions);
  if (self >= 0 && !speaksInOwnTurns(attributions, self)) nameKey(attributions, 'narrator', self);
}

/** The character the narration's first self-introduction names, or -1. */
function narratorOwnName(text: string, mentions: NameMention[]): number {
  for (const m of mentions) {
    if (m.inQuote || m.possessive || !NAME_ENDS.test(text.slice(m.end, m.end + 3))) continue;
    if (NARRATION_SELF_INTRODUCTION.test(text.slice(Math.max(0, m.start - SELF_INTRODUCTION_REACH), m.start))) return m.character;
  }
  return -1;
}

/** The character quotation `q` names as its speaker's own (`asked`: the turn it answers), or -1. */
function ownName(text: string, q: QuoteSpan, mentions: NameMention[], asked: (QuoteSpan | undefined)[]): number {
  const inside = mentionsIn(mentions, q.contentStart, q.contentEnd);
  for (const m of inside) {
    if (m.possessive || !NAME_ENDS.test(text.slice(m.end, Math.min(q.contentEnd, m.end + 3)))) continue;
    if (SELF_INTRODUCTION.test(text.slice(Math.max(q.contentStart, m.start - SELF_INTRODUCTION_REACH), m.start))) return m.character;
  }
  // "What name?" / "Greyson, -- office on second floor.": the answer opens with the name
  const first = inside[0];
  if (first === undefined || first.possessive) return -1;
  if (text.slice(q.contentStart, first.start).trim() !== '') return -1;
  if (!NAME_ENDS.test(text.slice(first.end, Math.min(q.contentEnd, first.end + 3)))) return -1;
  const question = asked.some((a) => a !== undefined && NAME_QUESTION.test(text.slice(a.contentStart, a.contentEnd)));
  return question ? first.character : -1;
}

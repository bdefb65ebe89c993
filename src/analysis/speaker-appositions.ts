// Appositions: narration that sets a description beside a name ("the artist himself, Basil
// Hallward", "Millie, her lymphatic maid") says who that description is. A later "said the artist"
// or "the maid asked" is then that character, where an occupation alone could be anyone (decision 057).
import type { NameMention } from './characters.ts';
import { wordSet } from './lexicons/words.ts';

/** A description narration gave a character: its head noun, where, and whose it is. */
export interface Apposition {
  noun: string;
  at: number;
  character: number;
  /** Where the name it describes starts. */
  name: number;
  /** Which side of the name the description stands: "the artist himself, NAME" or "NAME, her maid". */
  side: 'before' | 'after';
  /** The description's own his or her ("Millie, her maid"): the person it is defined by, not the character. */
  owner: 'male' | 'female' | null;
}

/** Determiners that open a describing noun phrase. */
const DETERMINER = '(the|his|her|my|their|our|a|an)';
/** Words that end a noun phrase's modifiers: the phrase goes on as a clause or a prepositional phrase. */
const NOT_MODIFIERS = wordSet('of in with from who whom whose which that and or to at on for by');
/** How far before a name a description is looked for (characters). */
const REACH = 80;

// "NAME, her lymphatic maid," — up to three modifiers, the head, perhaps a short phrase of place
// ("the clerk at church", "the maid from Paris"; not "of", whose "the eldest of the boys" is a
// part of a group), then punctuation
const AFTER = new RegExp(
  String.raw`^,\s+${DETERMINER}\s+((?:[a-z][\w'-]*\s+){0,3}?)([a-z][a-z-]+)(?:\s+(?:at|in|from|on)\s+[^,.;:"“”]{1,30}?)?\s*[,.;:]`,
);
// "the artist himself, NAME" — the head, perhaps "himself" or "herself", then a comma before the name
const BEFORE = new RegExp(String.raw`\b${DETERMINER}\s+((?:[a-z][\w'-]*\s+){0,3}?)([a-z][a-z-]+)(?:\s+(?:himself|herself))?,\s*$`);

/** The head noun of a description, or null when the phrase is not a plain noun phrase. */
function head(modifiers: string, noun: string): string | null {
  if (noun.length < 3 || NOT_MODIFIERS.has(noun) || noun.endsWith('ly')) return null;
  for (const w of modifiers.split(/\s+/)) if (NOT_MODIFIERS.has(w)) return null;
  // "the step-son", "the one-armed commander": a hyphened compound's last part is its head
  const dash = noun.lastIndexOf('-');
  return dash >= 0 ? noun.slice(dash + 1) : noun;
}

const ownerOf = (determiner: string): 'male' | 'female' | null => (determiner === 'his' ? 'male' : determiner === 'her' ? 'female' : null);

/** Every apposition in the narration, in text order. */
export function findAppositions(text: string, narration: readonly NameMention[]): Apposition[] {
  const out: Apposition[] = [];
  for (const m of narration) {
    if (m.possessive) continue;
    const before = BEFORE.exec(text.slice(Math.max(0, m.start - REACH), m.start));
    if (before !== null) {
      const noun = head(before[2]!, before[3]!);
      if (noun !== null) out.push({ noun, at: m.start, character: m.character, name: m.start, side: 'before', owner: ownerOf(before[1]!) });
    }
    const after = AFTER.exec(text.slice(m.end, m.end + REACH));
    if (after !== null) {
      const noun = head(after[2]!, after[3]!);
      if (noun !== null) out.push({ noun, at: m.end, character: m.character, name: m.start, side: 'after', owner: ownerOf(after[1]!) });
    }
  }
  return out;
}

/** The character the last apposition with `noun` between `from` and `at` describes, or -1. */
export function describedBy(appositions: readonly Apposition[], noun: string, from: number, at: number): number {
  let who = -1;
  for (const a of appositions) {
    if (a.at >= at) break;
    if (a.noun === noun && a.at >= from) who = a.character;
  }
  return who;
}

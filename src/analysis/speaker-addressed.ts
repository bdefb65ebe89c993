// The addressed speaker's name: "said my brother's wife. 'My dear Rose,' I answered" — the reply
// calls the unnamed speaker by name. When a quotation's speaker is only a phrase or an unresolved
// pronoun of known gender, and a neighbouring turn, spoken by someone else, calls one character of
// that gender by name, the quotation is that character's, and so is the rest of that speaker's
// turn. A character of unknown gender is left alone: a wrong call ("Pip, sir." answering "Tell us
// your name!") would otherwise name anyone.
import type { CharacterEntity } from './characters.ts';
import type { QuoteSpan } from './quotes.ts';
import { keyGender } from './speaker-coreference.ts';
import type { Attribution } from './speakers.ts';
import { nameInScene } from './speaker-names.ts';
import { EXCHANGE_GAP, quotationGap } from './speaker-turns.ts';

/** A speaker known only as a phrase (`n:nurse`) or an unresolved pronoun (`p:she`). */
const isPhraseKey = (key: string | null): key is string => key !== null && (key.startsWith('n:') || key.startsWith('p:'));

/** Names quotations of unnamed speakers after the character a neighbouring turn calls by name. */
export function nameAddressedSpeakers(attributions: Attribution[], quotes: QuoteSpan[], characters: readonly CharacterEntity[]): void {
  for (let i = 0; i < attributions.length; i++) {
    const a = attributions[i]!;
    if (a.speaker >= 0 || !isPhraseKey(a.key)) continue;
    const gender = keyGender(a, characters);
    if (gender === 'unknown') continue;
    let addressed = -1;
    for (const j of [i - 1, i + 1]) {
      const other = attributions[j];
      if (other === undefined || other.vocative < 0 || other.key === a.key || other.speaker === other.vocative) continue;
      if (quotationGap(quotes, i, j) > EXCHANGE_GAP || characters[other.vocative]!.gender !== gender) continue;
      // two neighbours calling two different people: the phrase stays a phrase
      if (addressed >= 0 && addressed !== other.vocative) {
        addressed = -1;
        break;
      }
      addressed = other.vocative;
    }
    if (addressed < 0) continue;
    // "said my brother's wife" is Rose for the rest of the scene; a pronoun's key is one mention
    if (a.key.startsWith('n:') && !a.key.includes('@')) nameInScene(attributions, quotes, i, addressed);
    else a.speaker = addressed;
  }
  // the rest of the turn is the same person: quotations next to a named one with the same phrase
  for (const step of [1, -1])
    for (let i = step > 0 ? 1 : attributions.length - 2; i >= 0 && i < attributions.length; i += step) {
      const a = attributions[i]!;
      const before = attributions[i - step]!;
      if (a.speaker >= 0 || !isPhraseKey(a.key) || before.key !== a.key || before.speaker < 0) continue;
      if (quotationGap(quotes, i, i - step) <= EXCHANGE_GAP) a.speaker = before.speaker;
    }
}

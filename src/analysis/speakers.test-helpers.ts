// Builds what the speaker passes read (paragraphs, quotations, characters, mentions) the way
// analyzeText does, so each pass can be tested on its own on a small text written for the test.
import { buildQuoteMask, findCharacters } from './characters.ts';
import { attachChatSpeakers } from './chat.ts';
import { titledRelatives } from './family.ts';
import { lexiconFor, type Language } from './language.ts';
import { findQuotations } from './quotes.ts';
import type { SpeakerContext } from './speakers.ts';
import { analyzeStructure } from './structure.ts';

/** The speaker context of a plain text in one language (default English). */
export function buildSpeakerContext(text: string, language: Language = 'en'): SpeakerContext {
  const structure = analyzeStructure(text);
  const lexicon = lexiconFor(language);
  const quotes = findQuotations(structure.plain, structure.paragraphs, lexicon);
  const found = findCharacters(
    structure.plain,
    structure.paragraphs,
    structure.sentences,
    buildQuoteMask(structure.plain.length, quotes),
    structure.tokenStarts,
    structure.tokenEnds,
    lexicon,
  );
  const mentions = attachChatSpeakers(structure.plain, quotes, found.characters, found.mentions);
  return {
    text: structure.plain,
    paragraphs: structure.paragraphs,
    quotes,
    characters: found.characters,
    mentions,
    lexicon,
    relativeOf: lexicon.english ? titledRelatives(found.characters) : undefined,
  };
}

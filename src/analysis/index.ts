// Story intelligence: one pure function from a story's text to its proposed metadata.
import { analyzeStructure, isSpace, lowerForMatching, type Span, type Structure } from './structure.ts';
import { findQuotations } from './quotes.ts';
import { assignRoles, buildQuoteMask, findCharacters, type Gender, type Role } from './characters.ts';
import { attributeSpeakers, type SpeakerMethod, type SpeakerOptions } from './speakers.ts';
import { resolveFamilyReferences, roleGender, titledRelatives } from './family.ts';
import { nameSelfNamedSpeakers } from './speaker-self-named.ts';
import { findRelationships } from './relationships.ts';
import { findScenes } from './scenes.ts';
import { computeArc } from './arc.ts';
import { assessContent } from './content.ts';
import { detectLanguage, type Language, lexiconFor } from './language.ts';
import { attachChatSpeakers } from './chat.ts';
import { characterConfidence, isTitledName } from './character-confidence.ts';
import { nameAddressedSpeakers } from './speaker-addressed.ts';
import { findAppositions } from './speaker-appositions.ts';
import { nameAddressedParents, nameEpithetSpeakers, nameFamilySpeakers, nameTitledSpeakers } from './speaker-names.ts';

export type { Span, Structure } from './structure.ts';
export type { Gender, Role } from './characters.ts';
export type { SieveName, SpeakerMethod, SpeakerOptions } from './speakers.ts';
export { SIEVES } from './speakers.ts';
export type { Language } from './language.ts';

/** A character with its clustered aliases. */
export interface Character {
  id: number;
  name: string;
  aliases: string[];
  mentions: number;
  gender: Gender;
  role: Role;
  /** How likely this name is a character (0..1; the archive shows those at 0.85 or more at once). */
  confidence: number;
  /** Offsets of every mention (names and resolved family references). */
  mentionSpans: Span[];
}

/** A quotation and who speaks it. Offsets include the quotation marks. */
export interface Quote {
  start: number;
  end: number;
  /** The words between the marks, exactly as written. */
  text: string;
  speaker: string | null;
  speakerId: number;
  addressee: string | null;
  confidence: number;
  method: SpeakerMethod;
  /** The mention (name, pronoun or noun phrase) the attribution rests on. */
  speakerMention: Span | null;
  /** Internal key of the speaking entity (`c:<id>`, `n:<noun>`, `p:<pronoun>`, `narrator`). */
  speakerKey: string | null;
}

/** Options for analyzeText. */
export interface AnalyzeOptions {
  /** Number of points of the emotional arc (default: one per ~150 words, between 5 and 40). */
  readonly arcPoints?: number;
  /** Sieves to switch off and the learnt speaker ranker (the evaluation's ablation and training use them). */
  readonly speakers?: SpeakerOptions;
}

/** A passage that supports a proposal. */
export interface Evidence {
  start: number;
  end: number;
  text: string;
}

export type RelationshipKind = 'romantic' | 'family' | 'friendship' | 'conflict';

/** A pair of characters, how strongly they interact and how. */
export interface Relationship {
  a: string;
  b: string;
  kind: RelationshipKind;
  /** 0..1, relative to the strongest pair in the story. */
  strength: number;
  /** AO3 form: `A/B` for romantic, `A & B` otherwise. */
  tag: string;
  evidence: Evidence[];
}

/** A scene: a stretch of text between breaks. */
export interface Scene {
  start: number;
  end: number;
  /** Why the scene starts here: `start`, `marker` or `shift` (time or place). */
  reason: 'start' | 'marker' | 'shift';
}

export type Emotion = 'joy' | 'sadness' | 'anger' | 'fear' | 'trust' | 'disgust' | 'surprise' | 'love';

/** One point of the emotional arc: smoothed valence (-1..1) and emotion shares at an offset. */
export interface ArcPoint {
  offset: number;
  valence: number;
  emotions: Partial<Record<Emotion, number>>;
}

export type RatingValue = 'General Audiences' | 'Teen And Up Audiences' | 'Mature' | 'Explicit';
export type WarningValue =
  | 'Major Character Death'
  | 'Graphic Depictions Of Violence'
  | 'Rape/Non-Con'
  | 'Underage Sex'
  | 'No Archive Warnings Apply';

/** A proposed rating with the passages behind it. */
export interface Rating {
  value: RatingValue;
  confidence: number;
  evidence: Evidence[];
}

/** A proposed archive warning with the passages behind it. */
export interface Warning {
  value: WarningValue;
  confidence: number;
  evidence: Evidence[];
}

/** The whole analysis of one text. */
export interface StoryAnalysis {
  structure: Structure;
  /**
   * The detected language (`en`, `es`, `fr`, `de`, or `unknown`). Word lists of one language are
   * never applied to another: only English gets a rating, warnings, emotions and relationship kinds
   * from cue words; other languages get quotations, characters, speakers and scenes.
   */
  language: Language;
  characters: Character[];
  quotes: Quote[];
  relationships: Relationship[];
  scenes: Scene[];
  arc: ArcPoint[];
  /** Indices into `arc` where the smoothed valence turns. */
  turningPoints: number[];
  rating: Rating;
  warnings: Warning[];
}

/** Reads a story (plain text or sanitized HTML) and proposes its metadata. */
export function analyzeText(text: string, options: AnalyzeOptions = {}): StoryAnalysis {
  const structure = analyzeStructure(text);
  const plain = structure.plain;
  const lower = lowerForMatching(plain);
  const language = detectLanguage(lower, structure.tokenStarts, structure.tokenEnds);
  const lexicon = lexiconFor(language);
  const quoteSpans = findQuotations(plain, structure.paragraphs, lexicon);
  const quoteMask = buildQuoteMask(plain.length, quoteSpans);
  const found = findCharacters(
    plain,
    structure.paragraphs,
    structure.sentences,
    quoteMask,
    structure.tokenStarts,
    structure.tokenEnds,
    lexicon,
  );
  const entities = found.characters;
  const mentions = attachChatSpeakers(plain, quoteSpans, entities, found.mentions);
  // the cast's "Mr. X", "Mrs. X" and "Aunt X", indexed once for the family vocatives, the family
  // pass and the parent-name pass
  const relativeOf = titledRelatives(entities);
  // the descriptions set beside names ("the artist himself, Basil Hallward"), read once for the
  // coreference state and the epithet pass
  const appositions = findAppositions(
    plain,
    mentions.filter((m) => !m.inQuote),
  );
  const attributions = attributeSpeakers(
    {
      text: plain,
      paragraphs: structure.paragraphs,
      quotes: quoteSpans,
      characters: entities,
      mentions,
      lexicon,
      relativeOf: lexicon.english ? relativeOf : undefined,
      appositions,
    },
    options.speakers,
  );
  // family words ("her mother") are English: other languages get no family links from them
  const family = lexicon.english
    ? resolveFamilyReferences(plain, quoteSpans, attributions, entities, mentions, relativeOf)
    : { references: [], links: [] };
  const naming = options.speakers?.disabled;
  if (!naming?.has('self-name')) nameSelfNamedSpeakers(plain, attributions, quoteSpans, mentions);
  if (!naming?.has('family-name')) nameFamilySpeakers(attributions, family.references);
  if (!naming?.has('parent-name')) nameAddressedParents(attributions, relativeOf);
  if (!naming?.has('title-name')) nameTitledSpeakers(attributions, entities);
  if (!naming?.has('epithet-name')) nameEpithetSpeakers(attributions, quoteSpans, entities, mentions, appositions, plain);
  if (!naming?.has('addressed-name')) nameAddressedSpeakers(attributions, quoteSpans, entities);
  const familySpans = entities.map((): Span[] => []);
  // lower-cased aliases per character, so that many family references cost one look-up each
  const aliasKeys = new Map<number, Set<string>>();
  for (const r of family.references) {
    if (r.target < 0) continue;
    const e = entities[r.target]!;
    e.mentions++;
    familySpans[r.target]!.push({ start: r.start, end: r.end });
    const alias = r.text.replace(/\s+/g, ' ');
    let keys = aliasKeys.get(r.target);
    if (keys === undefined) aliasKeys.set(r.target, (keys = new Set(e.aliases.map((a) => a.toLowerCase()))));
    if (!keys.has(alias.toLowerCase())) {
      keys.add(alias.toLowerCase());
      e.aliases.push(alias);
    }
    if (e.gender === 'unknown') e.gender = roleGender(r.role);
  }
  const spoken = entities.map(() => 0);
  for (const a of attributions) if (a.speaker >= 0) spoken[a.speaker]!++;
  assignRoles(entities, mentions, spoken);
  const spans = entities.map((): Span[] => []);
  for (const m of mentions) spans[m.character]!.push({ start: m.start, end: m.end });
  for (let i = 0; i < spans.length; i++)
    if (familySpans[i]!.length > 0) spans[i] = [...spans[i]!, ...familySpans[i]!].sort((x, y) => x.start - y.start);
  const characters: Character[] = entities.map((e) => ({
    id: e.id,
    name: e.name,
    aliases: e.aliases,
    mentions: e.mentions,
    gender: e.gender,
    role: e.role,
    confidence: characterConfidence(
      e.mentions,
      structure.wordCount,
      spoken[e.id]!,
      isTitledName([e.name, ...e.aliases]),
      e.gender !== 'unknown',
    ),
    mentionSpans: spans[e.id]!,
  }));
  const nameOf = (id: number): string | null => (id >= 0 ? entities[id]!.name : null);
  const quotes: Quote[] = quoteSpans.map((q, i) => {
    const a = attributions[i]!;
    return {
      start: q.start,
      end: plain === text ? q.end : entityEnd(text, q.end),
      text: plain === text ? text.slice(q.contentStart, q.contentEnd) : visibleText(text, plain, q.contentStart, q.contentEnd),
      speaker: a.key === 'narrator' && a.speaker < 0 ? 'Narrator' : nameOf(a.speaker),
      speakerId: a.speaker,
      addressee: nameOf(a.addressee),
      confidence: round(a.confidence),
      method: a.method,
      speakerMention: a.mention,
      speakerKey: a.key,
    };
  });
  const evidenceOf = (sp: Span): Evidence => ({ start: sp.start, end: sp.end, text: text.slice(sp.start, sp.end) });
  const byProminence = (x: number, y: number): [number, number] => (entities[x]!.mentions >= entities[y]!.mentions ? [x, y] : [y, x]);
  const relationships: Relationship[] = findRelationships({
    text: plain,
    lower,
    paragraphs: structure.paragraphs,
    sentences: structure.sentences,
    quotes: quoteSpans,
    attributions,
    characters: entities,
    mentions,
    familyLinks: family.links,
    english: lexicon.english,
  }).map((r) => {
    const [x, y] = byProminence(r.a, r.b);
    const a = entities[x]!.name;
    const b = entities[y]!.name;
    return {
      a,
      b,
      kind: r.kind,
      strength: r.strength,
      tag: r.kind === 'romantic' ? `${a}/${b}` : `${a} & ${b}`,
      evidence: r.evidence.map(evidenceOf),
    };
  });
  const scenes: Scene[] = findScenes(plain, structure.paragraphs);
  // the emotion lexicon is English: another language gets no arc rather than one read from false friends
  const none = new Uint32Array(0);
  const { arc, turningPoints } = lexicon.english
    ? computeArc(lower, structure.tokenStarts, structure.tokenEnds, options.arcPoints)
    : computeArc(lower, none, none, options.arcPoints);
  const nameStarts = Int32Array.from(
    mentions.filter((m) => !m.inQuote),
    (m) => m.start,
  );
  const familyStarts = Int32Array.from(
    family.references.filter((r) => r.target >= 0),
    (r) => r.start,
  );
  const namedSentence = (sp: Span): boolean =>
    hasIn(nameStarts, sp) || hasIn(familyStarts, sp) || THIRD_PERSON.test(lower.slice(sp.start, sp.end));
  // the rating and warning cues are English ("die" is a German article): other languages get none
  const content = lexicon.english
    ? assessContent(lower, structure.sentences, namedSentence)
    : { rating: { value: 'General Audiences' as const, confidence: 0, evidence: [] }, warnings: [] };
  return {
    structure,
    language,
    characters,
    quotes,
    relationships,
    scenes,
    arc,
    turningPoints,
    rating: { value: content.rating.value, confidence: content.rating.confidence, evidence: content.rating.evidence.map(evidenceOf) },
    warnings: content.warnings.map((w) => ({ value: w.value, confidence: w.confidence, evidence: w.evidence.map(evidenceOf) })),
  };
}

/** Extends an offset that ends just inside an HTML entity ("&rdquo;") to the entity's end. */
function entityEnd(text: string, end: number): number {
  if (text.charCodeAt(end - 1) !== 38) return end; // '&'
  const semi = text.slice(end, end + 10).indexOf(';'); // bounded: a stray '&' must not search the rest of the text
  return semi >= 0 ? end + semi + 1 : end;
}

/**
 * The words of text[from, to) as a reader sees them in sanitized HTML: what the analysis blanked
 * out of a tag or an entity (`You&rsquo;ll` is `You’` and six spaces, then `ll`) is dropped, line
 * breaks and real spaces become one space.
 */
function visibleText(html: string, plain: string, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const c = plain.charCodeAt(i);
    // a blank where the source had neither a space nor the '&' that an entity decoded from is padding
    if (c === 32 && html.charCodeAt(i) !== 32 && html.charCodeAt(i) !== 38 && !isSpace(html.charCodeAt(i))) continue;
    out += plain[i];
  }
  return out.replace(/\s+/g, ' ').trim();
}

const THIRD_PERSON = /\b(?:he|she|his|her|him)\b/;

/** True when a sorted offset list has an entry inside the span. */
function hasIn(sorted: Int32Array, sp: Span): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < sp.start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]! < sp.end;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

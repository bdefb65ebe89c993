// Relationships between characters: how much they interact and how (romantic, family, friendship, conflict).
import { CLOSENESS_CUES, CONFLICT_CUES, FAMILY_VOCATIVE, HAND_HOLDING, ROMANCE_CUES } from './lexicons/interaction.ts';
import { FAMILY_ROLES } from './lexicons/family.ts';
import type { CharacterEntity, Gender, NameMention } from './characters.ts';
import type { FamilyLink } from './family.ts';
import type { QuoteSpan } from './quotes.ts';
import type { Attribution } from './speakers.ts';
import type { Span } from './structure.ts';

export type RelationshipKind = 'romantic' | 'family' | 'friendship' | 'conflict';

/** A pair of characters and the evidence about them. */
export interface PairRelationship {
  a: number;
  b: number;
  kind: RelationshipKind;
  strength: number;
  evidence: Span[];
}

interface PairStats {
  a: number;
  b: number;
  paragraphs: number;
  exchanges: number;
  closeness: number;
  romance: number;
  /** Sentences where they hold hands (HAND_HOLDING): romance only in a close pair that talks (handsRomance). */
  hands: number;
  conflict: number;
  family: number;
  evidence: Evidence[];
}

/**
 * A passage behind a pair, and the one kind it may back alone: hostility or violence backs a conflict
 * and is never evidence of friendship or love; a sentence of held hands and nothing else backs a
 * romance only. Null: any kind but conflict.
 */
interface Evidence {
  span: Span;
  weight: number;
  only: 'conflict' | 'romantic' | null;
}

/** Inputs the relationship scorer needs. */
export interface RelationshipInput {
  text: string;
  lower: string;
  paragraphs: Span[];
  sentences: Span[];
  quotes: QuoteSpan[];
  attributions: Attribution[];
  characters: CharacterEntity[];
  mentions: NameMention[];
  familyLinks: FamilyLink[];
  /** False for a text in another language: the English cue words are then not read (default true). */
  english?: boolean;
}

const PRONOUN = /\b(he|him|his|himself|she|her|hers|herself)\b/g;
/**
 * The most characters counted together in one paragraph or sentence. Every pair of those present is
 * scored, so a text that lost its line breaks (one paragraph naming hundreds of people) would cost
 * the square of its cast; past this many, a paragraph is counted in parts of this many people, and
 * a sentence counts its first ones only. Real paragraphs and sentences name far fewer.
 */
const MAX_PRESENT = 48;

/** Scores every pair of characters that interact and proposes a kind for each. */
export function findRelationships(input: RelationshipInput): PairRelationship[] {
  const { text, lower, paragraphs, sentences, quotes, attributions, characters, mentions, familyLinks } = input;
  const english = input.english !== false;
  const n = characters.length;
  const pairs = new Map<number, PairStats>();
  const pair = (x: number, y: number): PairStats | null => {
    if (x === y || x < 0 || y < 0) return null;
    const a = Math.min(x, y);
    const b = Math.max(x, y);
    const key = a * n + b;
    let p = pairs.get(key);
    if (p === undefined)
      pairs.set(key, (p = { a, b, paragraphs: 0, exchanges: 0, closeness: 0, romance: 0, hands: 0, conflict: 0, family: 0, evidence: [] }));
    return p;
  };
  const narration = mentions.filter((m) => !m.inQuote);
  // who is present in each sentence: names, plus gendered pronouns resolved to the last such name
  let mi = 0;
  let qi = 0;
  const lastOfGender: Record<string, number> = { male: -1, female: -1 };
  const presentInParagraph = new Set<number>();
  let para = 0;
  const flushParagraph = (): void => {
    const list = [...presentInParagraph];
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) pair(list[i]!, list[j]!)!.paragraphs++;
    presentInParagraph.clear();
  };
  const addToParagraph = (c: number): void => {
    if (presentInParagraph.size >= MAX_PRESENT && !presentInParagraph.has(c)) flushParagraph();
    presentInParagraph.add(c);
  };
  const present = new Set<number>();
  const named: number[] = [];
  const namedSet = new Set<number>();
  for (const s of sentences) {
    while (para < paragraphs.length - 1 && paragraphs[para]!.end <= s.start) {
      flushParagraph();
      para++;
    }
    present.clear();
    namedSet.clear();
    named.length = 0;
    while (mi < narration.length && narration[mi]!.start < s.end) {
      const m = narration[mi++]!;
      if (m.start < s.start) continue;
      if (!namedSet.has(m.character)) {
        namedSet.add(m.character);
        named.push(m.character);
        if (present.size < MAX_PRESENT) present.add(m.character);
      }
      addToParagraph(m.character);
    }
    while (qi < quotes.length && quotes[qi]!.start < s.end) {
      const sp = attributions[qi]!.speaker;
      if (sp >= 0) addToParagraph(sp);
      qi++;
    }
    if (named.length === 0 && lastOfGender.male! < 0 && lastOfGender.female! < 0) continue;
    const sentenceLower = lower.slice(s.start, s.end);
    PRONOUN.lastIndex = 0;
    for (let m = PRONOUN.exec(sentenceLower); m !== null; m = PRONOUN.exec(sentenceLower)) {
      const g: Gender = m[1]!.startsWith('h') && m[1] !== 'her' && m[1] !== 'hers' && m[1] !== 'herself' ? 'male' : 'female';
      const c = lastOfGender[g]!;
      if (c >= 0 && present.size < MAX_PRESENT && (present.size === 0 || !present.has(c))) present.add(c);
    }
    for (const c of named) {
      const g = characters[c]!.gender;
      if (g !== 'unknown') lastOfGender[g] = c;
    }
    if (present.size < 2 || !english) continue;
    const romance = ROMANCE_CUES.test(sentenceLower);
    const hands = HAND_HOLDING.test(sentenceLower);
    const close = CLOSENESS_CUES.test(sentenceLower);
    const conflict = CONFLICT_CUES.test(sentenceLower);
    if (!romance && !hands && !close && !conflict) continue;
    const list = [...present];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const p = pair(list[i]!, list[j]!)!;
        if (romance) p.romance++;
        if (hands) p.hands++;
        if (close) p.closeness++;
        if (conflict) p.conflict++;
        const only = conflict ? 'conflict' : hands && !romance && !close ? 'romantic' : null;
        addEvidence(p, { start: s.start, end: s.end }, romance || hands ? 3 : conflict ? 2 : 1, only);
      }
    }
  }
  flushParagraph();
  // dialogue: consecutive turns between two speakers, vocatives, "I love you"
  for (let i = 0; i < quotes.length; i++) {
    const r = attributions[i]!;
    if (r.speaker < 0) continue;
    const prev = attributions[i - 1];
    if (prev !== undefined && prev.speaker >= 0 && quotes[i]!.start - quotes[i - 1]!.end < 1500) {
      const p = pair(prev.speaker, r.speaker);
      if (p !== null) p.exchanges++;
    }
    const q = quotes[i]!;
    const content = lower.slice(q.contentStart, q.contentEnd);
    const p = pair(r.speaker, r.addressee);
    if (p !== null) p.exchanges++;
    if (!english) continue;
    if (p !== null) {
      if (/\bi love you\b/.test(content)) {
        p.romance += 2;
        addEvidence(p, { start: q.start, end: q.end }, 4, null);
      }
    }
    const fam = FAMILY_VOCATIVE.exec(text.slice(q.contentStart, q.contentEnd));
    if (fam !== null) {
      const role = FAMILY_ROLES.get(fam[1]!.toLowerCase());
      const g = role?.gender ?? 'unknown';
      const addresseeFits =
        r.addressee >= 0 && (g === 'unknown' || characters[r.addressee]!.gender === 'unknown' || characters[r.addressee]!.gender === g);
      const target = addresseeFits ? r.addressee : recentOther(narration, q.start, r.speaker, g, characters);
      const fp = pair(r.speaker, target);
      if (fp !== null) {
        fp.family += 2;
        addEvidence(fp, { start: q.start, end: q.end }, 5, null);
      }
    }
  }
  for (const link of familyLinks) {
    const p = pair(link.possessor, link.relative);
    if (p !== null) p.family += 2 + link.references;
  }
  if (english) addFamilyNamed(characters, pairs.values());
  const scored = [...pairs.values()].map((p) => ({
    p,
    raw: p.paragraphs + 2 * p.exchanges + 2 * p.closeness + 3 * p.romance + 2 * p.conflict + 2 * p.family,
  }));
  let max = 1; // a loop, not Math.max(...scored): spreading a very long list overflows the stack
  for (const s of scored) if (s.raw > max) max = s.raw;
  return scored
    .filter((s) => s.raw >= 3)
    .sort((x, y) => y.raw - x.raw)
    .map(({ p, raw }) => {
      const kind = kindOf(p);
      return { a: p.a, b: p.b, kind, strength: Math.round((raw / max) * 100) / 100, evidence: topEvidence(p, kind) };
    });
}

/**
 * A character the text names by a family word ("Mom" in a texting log, "Grandpa" in a script) is
 * family to the one they talk with most: the person whose mother she is, in that story.
 */
function addFamilyNamed(characters: readonly CharacterEntity[], pairs: Iterable<PairStats>): void {
  const named = characters.filter((c) => FAMILY_ROLES.has(c.name.toLowerCase()));
  if (named.length === 0) return;
  const list = [...pairs];
  for (const c of named) {
    let best: PairStats | null = null;
    for (const p of list) if ((p.a === c.id || p.b === c.id) && p.exchanges > (best?.exchanges ?? 0)) best = p;
    if (best !== null) best.family += 2;
  }
}

/** Keeps a handful of the strongest pieces of evidence per pair, earliest first among equals. */
function addEvidence(p: PairStats, span: Span, weight: number, only: Evidence['only']): void {
  if (p.evidence.length < 8) {
    p.evidence.push({ span, weight, only });
    return;
  }
  let weakest = 0;
  for (let i = 1; i < p.evidence.length; i++) if (p.evidence[i]!.weight < p.evidence[weakest]!.weight) weakest = i;
  if (p.evidence[weakest]!.weight < weight) p.evidence[weakest] = { span, weight, only };
}

/** How many exchanges make two people a scene's pair, whose holding hands may be romance. */
const HANDS_NEED_EXCHANGES = 4;

/**
 * Holding hands is romance between two who talk together and whom other passages bring close too:
 * not a child dreaming of walking hand in hand with her cat, nor an uncle whose hand a nephew presses
 * once in greeting.
 */
function handsRomance(p: PairStats): number {
  return p.hands > 0 && p.exchanges >= HANDS_NEED_EXCHANGES && p.closeness > p.hands ? p.hands : 0;
}

function kindOf(p: PairStats): RelationshipKind {
  const romance = p.romance + handsRomance(p);
  if (p.family > 0 && p.family >= romance) return 'family';
  if (romance >= 2 || (romance >= 1 && p.closeness >= 1)) return 'romantic';
  // violence between two people with no more kindness than it between them is conflict, never friendship
  if ((p.conflict >= 2 && p.conflict > p.closeness) || (p.conflict >= 1 && p.conflict >= p.closeness && romance === 0)) return 'conflict';
  return 'friendship';
}

/** The strongest passages for the proposed kind: a conflict only violent passages, any other kind the passages that may back it (Evidence.only). */
function topEvidence(p: PairStats, kind: RelationshipKind): Span[] {
  const seen = new Set<number>();
  return p.evidence
    .filter((e) => (kind === 'conflict' ? e.only === 'conflict' : e.only === null || e.only === kind))
    .sort((x, y) => y.weight - x.weight || x.span.start - y.span.start)
    .filter((e) => {
      if (seen.has(e.span.start)) return false;
      seen.add(e.span.start);
      return true;
    })
    .slice(0, 3)
    .map((e) => e.span);
}

function recentOther(narration: NameMention[], at: number, speaker: number, gender: Gender, characters: CharacterEntity[]): number {
  let lo = 0;
  let hi = narration.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (narration[mid]!.start < at) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1, steps = 0; i >= 0 && steps < 30; i--, steps++) {
    const c = narration[i]!.character;
    if (c === speaker) continue;
    const g = characters[c]!.gender;
    if (gender === 'unknown' || g === 'unknown' || g === gender) return c;
  }
  return -1;
}

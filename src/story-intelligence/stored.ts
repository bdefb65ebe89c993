// What the archive keeps of one chapter's analysis (chapter_analyses.result), and the merge of
// a work's chapters into one view. Pure: no database, no I/O.
import { proposeAdditionalTags, type AdditionalTag } from '../analysis/additional-tags.ts';
import type { Language, RatingValue, RelationshipKind, StoryAnalysis, WarningValue } from '../analysis/index.ts';

/** Bump when the stored shape changes; rows of another version are analysed again. */
export const STORED_VERSION = 2;

/** A passage of the chapter's visible text (offsets into htmlToText(body_html)). */
export interface StoredEvidence {
  start: number;
  end: number;
  text: string;
}

export interface StoredCharacter {
  name: string;
  aliases: string[];
  mentions: number;
  gender: string;
  role: string;
  /** The sentences of the first mentions. */
  evidence: StoredEvidence[];
}

export interface StoredRelationship {
  a: string;
  b: string;
  kind: RelationshipKind;
  strength: number;
  tag: string;
  evidence: StoredEvidence[];
}

/** Lines of dialogue one character addresses to another (or to no one in particular: b = null). */
export interface StoredTalk {
  a: string;
  b: string | null;
  lines: number;
}

export interface StoredScene {
  start: number;
  end: number;
  reason: string;
  /** The first words of the scene. */
  excerpt: string;
}

export interface StoredAnalysis {
  version: number;
  textLength: number;
  words: number;
  quoteCount: number;
  characters: StoredCharacter[];
  relationships: StoredRelationship[];
  talks: StoredTalk[];
  scenes: StoredScene[];
  arc: Array<{ offset: number; valence: number }>;
  turningPoints: number[];
  rating: { value: RatingValue; confidence: number; evidence: StoredEvidence[] };
  warnings: Array<{ value: WarningValue; confidence: number; evidence: StoredEvidence[] }>;
  /** The detected language (version 2 on). */
  language: Language;
  /** Additional tags from the documented set (English only), with confidence and passages (version 2 on). */
  additionalTags: Array<{ tag: AdditionalTag; confidence: number; evidence: StoredEvidence[] }>;
}

const MAX_EVIDENCE = 3;
const MAX_EVIDENCE_CHARS = 400;

function clip(e: { start: number; end: number; text: string }): StoredEvidence {
  const text = e.text.replace(/\s+/g, ' ').trim();
  return { start: e.start, end: e.end, text: text.length > MAX_EVIDENCE_CHARS ? `${text.slice(0, MAX_EVIDENCE_CHARS - 1)}…` : text };
}

/** The first `words` words of a stretch of text, with an ellipsis when cut. */
export function firstWords(text: string, words = 10): string {
  const all = text.replace(/\s+/g, ' ').trim().split(' ');
  return all.length > words ? `${all.slice(0, words).join(' ')}…` : all.join(' ');
}

/** Keeps what the archive shows of an analysis of `text` (the structure and token arrays are dropped). */
export function toStoredAnalysis(text: string, result: StoryAnalysis): StoredAnalysis {
  const sentences = result.structure.sentences;
  const sentenceAt = (offset: number) => {
    let lo = 0;
    let hi = sentences.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (sentences[mid]!.start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return sentences[lo];
  };
  const characters = result.characters.map((c) => {
    const evidence: StoredEvidence[] = [];
    const seen = new Set<number>();
    for (const m of c.mentionSpans) {
      const s = sentenceAt(m.start);
      if (!s || seen.has(s.start)) continue;
      seen.add(s.start);
      evidence.push(clip({ start: s.start, end: s.end, text: text.slice(s.start, s.end) }));
      if (evidence.length >= 2) break;
    }
    return { name: c.name, aliases: c.aliases, mentions: c.mentions, gender: c.gender, role: c.role, evidence };
  });
  const talks = new Map<string, StoredTalk>();
  for (const q of result.quotes) {
    if (!q.speaker || q.speaker === 'Narrator') continue;
    const key = `${q.speaker}\u0000${q.addressee ?? ''}`;
    const t = talks.get(key) ?? { a: q.speaker, b: q.addressee, lines: 0 };
    t.lines++;
    talks.set(key, t);
  }
  return {
    version: STORED_VERSION,
    textLength: text.length,
    words: result.structure.wordCount,
    quoteCount: result.quotes.length,
    characters,
    relationships: result.relationships.map((r) => ({
      a: r.a,
      b: r.b,
      kind: r.kind,
      strength: r.strength,
      tag: r.tag,
      evidence: r.evidence.slice(0, MAX_EVIDENCE).map(clip),
    })),
    talks: [...talks.values()].sort((x, y) => y.lines - x.lines),
    scenes: result.scenes.map((s) => ({ start: s.start, end: s.end, reason: s.reason, excerpt: firstWords(text.slice(s.start, s.end)) })),
    arc: result.arc.map((p) => ({ offset: p.offset, valence: p.valence })),
    turningPoints: result.turningPoints,
    rating: {
      value: result.rating.value,
      confidence: result.rating.confidence,
      evidence: result.rating.evidence.slice(0, MAX_EVIDENCE).map(clip),
    },
    warnings: result.warnings.map((w) => ({
      value: w.value,
      confidence: w.confidence,
      evidence: w.evidence.slice(0, MAX_EVIDENCE).map(clip),
    })),
    language: result.language,
    additionalTags: proposeAdditionalTags({
      text: result.structure.plain,
      language: result.language,
      sentences: result.structure.sentences,
      arc: result.arc,
      relationships: result.relationships,
      warnings: result.warnings,
      characterCount: result.characters.filter((c) => c.role !== 'mentioned').length,
    }).map((p) => ({
      tag: p.tag,
      confidence: p.confidence,
      evidence: p.evidence.map((e) => clip({ ...e, text: text.slice(e.start, e.end) })),
    })),
  };
}

// ---- the work: chapters merged ------------------------------------------------------------

/** A passage with the chapter it comes from. */
export interface WorkEvidence {
  chapterId: number;
  position: number;
  text: string;
}

export interface ChapterAnalysisInput {
  chapterId: number;
  position: number;
  /** Undefined while the chapter's current version has not been analysed yet. */
  analysis: StoredAnalysis | undefined;
}

export interface WorkAnalysis {
  /** Every chapter's current version has been analysed. */
  complete: boolean;
  analysedChapters: number;
  /** The chapters whose current version has been analysed. */
  analysedChapterIds: number[];
  totalChapters: number;
  words: number;
  characters: Array<Omit<StoredCharacter, 'evidence'> & { evidence: WorkEvidence[] }>;
  relationships: Array<Omit<StoredRelationship, 'evidence'> & { evidence: WorkEvidence[] }>;
  talks: StoredTalk[];
  scenes: Array<{ chapterId: number; position: number; index: number; excerpt: string }>;
  /** x from 0 (start of the story) to 1 (its end); chapter boundaries in `chapterStarts`. */
  arc: Array<{ x: number; valence: number; turning: boolean }>;
  chapterStarts: Array<{ position: number; x: number }>;
  rating: { value: RatingValue; confidence: number; evidence: WorkEvidence[] } | undefined;
  warnings: Array<{ value: WarningValue; confidence: number; evidence: WorkEvidence[] }>;
  /** The language most of the work's words are in. */
  language: Language | undefined;
  /** Additional tags: the highest confidence any chapter gives, with passages from each. */
  additionalTags: Array<{ tag: AdditionalTag; confidence: number; evidence: WorkEvidence[] }>;
}

export const RATING_SEVERITY: Record<RatingValue, number> = { 'General Audiences': 0, 'Teen And Up Audiences': 1, Mature: 2, Explicit: 3 };
const ROLE_RANK: Record<string, number> = { protagonist: 3, supporting: 2, minor: 1, mentioned: 0 };

/**
 * One view of a work from its chapters' analyses: characters merged by name, relationships by
 * tag (strength weighted by chapter length, then relative to the strongest pair again), the most
 * severe rating, the union of warnings with their evidence.
 */
export function mergeChapterAnalyses(chapters: readonly ChapterAnalysisInput[]): WorkAnalysis {
  const done = chapters.filter((c): c is ChapterAnalysisInput & { analysis: StoredAnalysis } => c.analysis !== undefined);
  const ev = (c: ChapterAnalysisInput, e: StoredEvidence): WorkEvidence => ({ chapterId: c.chapterId, position: c.position, text: e.text });
  const characters = new Map<string, WorkAnalysis['characters'][number]>();
  const relationships = new Map<string, WorkAnalysis['relationships'][number] & { weight: number; kindWeight: number }>();
  const talks = new Map<string, StoredTalk>();
  const scenes: WorkAnalysis['scenes'] = [];
  const arc: WorkAnalysis['arc'] = [];
  const chapterStarts: WorkAnalysis['chapterStarts'] = [];
  let rating: WorkAnalysis['rating'];
  const warnings = new Map<string, WorkAnalysis['warnings'][number]>();
  const additionalTags = new Map<string, WorkAnalysis['additionalTags'][number]>();
  const wordsByLanguage = new Map<Language, number>();
  const totalLength = done.reduce((n, c) => n + Math.max(1, c.analysis.textLength), 0);
  let before = 0;
  let words = 0;
  for (const c of done) {
    const a = c.analysis;
    words += a.words;
    for (const ch of a.characters) {
      const key = ch.name.toLowerCase();
      const m = characters.get(key);
      if (!m) {
        characters.set(key, {
          name: ch.name,
          aliases: [...ch.aliases],
          mentions: ch.mentions,
          gender: ch.gender,
          role: ch.role,
          evidence: ch.evidence.map((e) => ev(c, e)),
        });
        continue;
      }
      m.mentions += ch.mentions;
      for (const alias of ch.aliases) if (!m.aliases.some((x) => x.toLowerCase() === alias.toLowerCase())) m.aliases.push(alias);
      if (m.gender === 'unknown') m.gender = ch.gender;
      if ((ROLE_RANK[ch.role] ?? 0) > (ROLE_RANK[m.role] ?? 0)) m.role = ch.role;
      if (m.evidence.length < 2) m.evidence.push(...ch.evidence.slice(0, 2 - m.evidence.length).map((e) => ev(c, e)));
    }
    const weight = Math.max(1, a.words);
    for (const r of a.relationships) {
      const key = r.tag.toLowerCase();
      const m = relationships.get(key);
      const kindWeight = r.strength * weight;
      if (!m) {
        relationships.set(key, { ...r, strength: 0, evidence: r.evidence.map((e) => ev(c, e)), weight: kindWeight, kindWeight });
        continue;
      }
      m.weight += kindWeight;
      if (m.evidence.length < 3) m.evidence.push(...r.evidence.slice(0, 3 - m.evidence.length).map((e) => ev(c, e)));
    }
    for (const t of a.talks) {
      const key = `${t.a}\u0000${t.b ?? ''}`;
      const m = talks.get(key);
      if (m) m.lines += t.lines;
      else talks.set(key, { ...t });
    }
    a.scenes.forEach((s, index) => scenes.push({ chapterId: c.chapterId, position: c.position, index, excerpt: s.excerpt }));
    const length = Math.max(1, a.textLength);
    chapterStarts.push({ position: c.position, x: before / totalLength });
    const turning = new Set(a.turningPoints);
    a.arc.forEach((p, i) =>
      arc.push({ x: (before + Math.min(p.offset, length)) / totalLength, valence: p.valence, turning: turning.has(i) }),
    );
    before += length;
    if (!rating || RATING_SEVERITY[a.rating.value] > RATING_SEVERITY[rating.value]) {
      rating = { value: a.rating.value, confidence: a.rating.confidence, evidence: a.rating.evidence.map((e) => ev(c, e)) };
    } else if (a.rating.value === rating.value && rating.evidence.length < 3) {
      rating.evidence.push(...a.rating.evidence.slice(0, 3 - rating.evidence.length).map((e) => ev(c, e)));
      rating.confidence = Math.max(rating.confidence, a.rating.confidence);
    }
    wordsByLanguage.set(a.language, (wordsByLanguage.get(a.language) ?? 0) + Math.max(1, a.words));
    for (const t of a.additionalTags) {
      const m = additionalTags.get(t.tag);
      if (!m) additionalTags.set(t.tag, { tag: t.tag, confidence: t.confidence, evidence: t.evidence.map((e) => ev(c, e)) });
      else {
        m.confidence = Math.max(m.confidence, t.confidence);
        if (m.evidence.length < 3) m.evidence.push(...t.evidence.slice(0, 3 - m.evidence.length).map((e) => ev(c, e)));
      }
    }
    for (const w of a.warnings) {
      const m = warnings.get(w.value);
      if (!m) warnings.set(w.value, { value: w.value, confidence: w.confidence, evidence: w.evidence.map((e) => ev(c, e)) });
      else {
        m.confidence = Math.max(m.confidence, w.confidence);
        if (m.evidence.length < 3) m.evidence.push(...w.evidence.slice(0, 3 - m.evidence.length).map((e) => ev(c, e)));
      }
    }
  }
  const strongest = Math.max(0, ...[...relationships.values()].map((r) => r.weight));
  const mergedRelationships = [...relationships.values()]
    .map(({ weight, kindWeight: _k, ...r }) => ({ ...r, strength: strongest > 0 ? Math.round((weight / strongest) * 100) / 100 : 0 }))
    .sort((x, y) => y.strength - x.strength);
  // "No Archive Warnings Apply" only when no chapter proposes a warning.
  const warningList = [...warnings.values()];
  const real = warningList.filter((w) => w.value !== 'No Archive Warnings Apply');
  return {
    complete: done.length === chapters.length && chapters.length > 0,
    analysedChapters: done.length,
    analysedChapterIds: done.map((c) => c.chapterId),
    totalChapters: chapters.length,
    words,
    characters: [...characters.values()].sort((x, y) => y.mentions - x.mentions),
    relationships: mergedRelationships,
    talks: [...talks.values()].sort((x, y) => y.lines - x.lines),
    scenes,
    arc,
    chapterStarts,
    rating,
    warnings: real.length > 0 ? real : warningList,
    language: [...wordsByLanguage.entries()].sort((x, y) => y[1] - x[1])[0]?.[0],
    additionalTags: [...additionalTags.values()].sort((x, y) => y.confidence - x.confidence),
  };
}

/** Reads a stored result back; undefined when it is of another version or not an object. */
export function parseStoredAnalysis(raw: unknown): StoredAnalysis | undefined {
  const value = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  if (!value || typeof value !== 'object' || (value as { version?: unknown }).version !== STORED_VERSION) return undefined;
  return value as StoredAnalysis;
}

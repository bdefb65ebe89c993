// The analysis as the JSON document `fanfold analyze --json` prints (schema in docs/analysis.md).
import type { StoryAnalysis } from './index.ts';

/** The JSON document for one analysis: plain data, offsets as string indices into the text. */
export interface AnalysisJson {
  words: number;
  /** The detected language: en, es, fr, de or unknown. */
  language: string;
  characters: { name: string; aliases: string[]; mentions: number; gender: string; role: string; confidence: number }[];
  quotes: { start: number; end: number; text: string; speaker: string | null; addressee: string | null; confidence: number }[];
  relationships: {
    a: string;
    b: string;
    kind: string;
    strength: number;
    tag: string;
    evidence: { start: number; end: number; text: string }[];
  }[];
  scenes: { start: number; end: number }[];
  arc: { offset: number; valence: number; emotions: Record<string, number> }[];
  turningPoints: number[];
  rating: { value: string; confidence: number; evidence: { start: number; end: number; text: string }[] };
  warnings: { value: string; confidence: number; evidence: { start: number; end: number; text: string }[] }[];
}

/** Converts an analysis to the documented JSON schema. */
export function toAnalysisJson(a: StoryAnalysis): AnalysisJson {
  return {
    words: a.structure.wordCount,
    language: a.language,
    characters: a.characters.map((c) => ({
      name: c.name,
      aliases: c.aliases,
      mentions: c.mentions,
      gender: c.gender,
      role: c.role,
      confidence: c.confidence,
    })),
    quotes: a.quotes.map((q) => ({
      start: q.start,
      end: q.end,
      text: q.text,
      speaker: q.speaker,
      addressee: q.addressee,
      confidence: q.confidence,
    })),
    relationships: a.relationships.map((r) => ({ a: r.a, b: r.b, kind: r.kind, strength: r.strength, tag: r.tag, evidence: r.evidence })),
    scenes: a.scenes.map((s) => ({ start: s.start, end: s.end })),
    arc: a.arc.map((p) => ({ offset: p.offset, valence: p.valence, emotions: { ...p.emotions } })),
    turningPoints: a.turningPoints.map((i) => a.arc[i]?.offset ?? 0),
    rating: { value: a.rating.value, confidence: a.rating.confidence, evidence: a.rating.evidence },
    warnings: a.warnings.map((w) => ({ value: w.value, confidence: w.confidence, evidence: w.evidence })),
  };
}

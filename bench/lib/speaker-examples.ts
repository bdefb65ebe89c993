// Reads the annotated corpora as speaker-ranking examples: for every gold quotation, whether the
// rules' speaker is right and, for the quotations the ranker decides, each candidate with its
// features and whether it is right. Scoring follows eval-analysis.ts: on LitBank a speaker is right
// when its mention lies in the gold speaker's coreference cluster or its character is that cluster;
// on the own texts when its name matches the gold speaker's.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, type AnalyzeOptions, type StoryAnalysis } from '../../src/analysis/index.ts';
import type { SpeakerCandidate } from '../../src/analysis/speaker-model.ts';
import type { Attribution } from '../../src/analysis/speakers.ts';
import { detokenise } from '../litbank-detok.ts';
import { ownDir, ownText, readOwnGolds } from './own-gold.ts';

/** One gold quotation: is the rules' speaker right, and the ranker's candidates (null when it does not decide). */
export interface SpeakerExample {
  /** As the rules read it: a named explicit attribution, a pronoun one (anaphoric), none (implicit), or no quotation found. */
  kind: 'explicit' | 'anaphoric' | 'implicit' | 'missed';
  ruleRight: boolean;
  /** When a named character speaks (LitBank) or always (own texts): is the character finally named (after the naming passes) that one. */
  named?: boolean;
  candidates: { x: Float64Array; right: boolean; rule: boolean }[] | null;
}

/** The examples of one book (a LitBank text or an own text). */
export interface BookExamples {
  id: string;
  source: 'litbank' | 'own-dev' | 'own-test';
  examples: SpeakerExample[];
}

interface LitbankDoc {
  id: string;
  text: string;
  perMentions: { start: number; end: number; entity: string }[];
  characters: { entity: string; names: string[] }[];
  quotes: { start: number; end: number; speaker: string }[];
}

function kindOf(r: Attribution, list: SpeakerCandidate[] | null | undefined): SpeakerExample['kind'] {
  if (list === null || list === undefined) return r.method === 'explicit' ? 'explicit' : 'implicit';
  return r.method === 'explicit' ? 'anaphoric' : 'implicit';
}

/** Runs the analysis and captures the ranker's candidates and the rules' attributions. */
function analyse(
  text: string,
  options: AnalyzeOptions,
): { analysis: StoryAnalysis; candidates: (SpeakerCandidate[] | null)[]; rules: readonly Attribution[] } {
  let candidates: (SpeakerCandidate[] | null)[] = [];
  let rules: readonly Attribution[] = [];
  const analysis = analyzeText(text, {
    ...options,
    speakers: {
      ...options.speakers,
      inspect: (c, r) => {
        candidates = c;
        rules = r;
      },
    },
  });
  return { analysis, candidates, rules };
}

/** The LitBank texts as examples; empty when the corpus is not beside the repository. */
export function litbankExamples(shared: string, options: AnalyzeOptions = {}): BookExamples[] {
  const corpus = join(shared, 'corpora', 'litbank', 'litbank_per_quotes.json');
  if (!existsSync(corpus)) return [];
  const docs = JSON.parse(readFileSync(corpus, 'utf8')) as LitbankDoc[];
  return docs.map((doc) => {
    const d = detokenise(doc.text);
    const { analysis, candidates, rules } = analyse(d.text, { ...options, speakers: { ...options.speakers, model: null } });
    const toOrig = (s: { start: number; end: number }): { start: number; end: number } => ({
      start: d.toOrig[s.start]!,
      end: d.toOrig[s.end - 1]! + 1,
    });
    const goldNamed = new Set(doc.characters.map((c) => c.entity));
    const mentionEntity = (span: { start: number; end: number }): string | null => {
      let best: string | null = null;
      let bestLen = Infinity;
      for (const m of doc.perMentions)
        if (m.start <= span.start && m.end >= span.end && m.end - m.start < bestLen) [best, bestLen] = [m.entity, m.end - m.start];
      if (best !== null) return best;
      for (const m of doc.perMentions) if (m.start < span.end && m.end > span.start) return m.entity;
      return null;
    };
    const charOf = new Map<number, string | null>();
    for (const ch of analysis.characters) {
      const votes = new Map<string, number>();
      for (const s of ch.mentionSpans) {
        const e = mentionEntity(toOrig(s));
        if (e !== null && goldNamed.has(e)) votes.set(e, (votes.get(e) ?? 0) + 1);
      }
      let best: string | null = null;
      let bestVotes = 0;
      for (const [e, v] of votes) if (v > bestVotes) [best, bestVotes] = [e, v];
      if (best === null) {
        const mine = new Set([ch.name, ...ch.aliases].map((n) => n.toLowerCase()));
        best = doc.characters.find((g) => g.names.some((n) => mine.has(n.toLowerCase())))?.entity ?? null;
      }
      charOf.set(ch.id, best);
    }
    const right = (gold: string, character: number, mention: { start: number; end: number } | null): boolean =>
      (mention !== null && mentionEntity(toOrig(mention)) === gold) || (character >= 0 && charOf.get(character) === gold);
    const exact = new Map(analysis.quotes.map((q, i) => [`${toOrig(q).start}:${toOrig(q).end}`, i]));
    const examples = doc.quotes.map((g): SpeakerExample => {
      let qi = exact.get(`${g.start}:${g.end}`);
      if (qi === undefined) {
        const k = analysis.quotes.findIndex((x) => toOrig(x).start < g.end && toOrig(x).end > g.start);
        qi = k < 0 ? undefined : k;
      }
      if (qi === undefined)
        return { kind: 'missed', ruleRight: false, ...(goldNamed.has(g.speaker) ? { named: false } : {}), candidates: null };
      const r = rules[qi]!;
      const ruleRight = right(g.speaker, r.speaker, r.mention);
      const list = candidates[qi];
      const final = analysis.quotes[qi]!.speakerId;
      return {
        kind: kindOf(r, list),
        ruleRight,
        ...(goldNamed.has(g.speaker) ? { named: final >= 0 && charOf.get(final) === g.speaker } : {}),
        candidates:
          list === null || list === undefined
            ? null
            : list.map((c) => ({ x: c.x, rule: c.rule, right: c.rule ? ruleRight : right(g.speaker, c.character, c.mention) })),
      };
    });
    return { id: doc.id, source: 'litbank' as const, examples };
  });
}

/** Fanfold's own annotated texts of one split as examples. */
export function ownExamples(repoRoot: string, split: 'dev' | 'test', options: AnalyzeOptions = {}): BookExamples[] {
  const dir = ownDir(repoRoot);
  const golds = readOwnGolds(dir).filter((g) => g.split === split);
  const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();
  return golds.map((gold) => {
    const { text, from: annotatedFrom } = ownText(dir, gold);
    const { analysis, candidates, rules } = analyse(text, { ...options, speakers: { ...options.speakers, model: null } });
    const namesOf = (e: { name: string; aliases: string[] }): Set<string> => new Set([e.name, ...e.aliases].map((s) => s.toLowerCase()));
    const goldNames = gold.characters.map(namesOf);
    const matchOf = (ch: { name: string; aliases: string[] }): number =>
      gold.characters.findIndex(
        (g, k) => [...namesOf(ch)].some((n) => goldNames[k]!.has(n)) || g.name.toLowerCase().split(/\s+/).includes(ch.name.toLowerCase()),
      );
    const nameOf = (c: number, key: string | null): string | null =>
      key === 'narrator' ? 'Narrator' : c >= 0 ? (analysis.characters[c]?.name ?? null) : null;
    const examples: SpeakerExample[] = [];
    // only the annotated text's quotations are matched (a novel chapter read after its book's earlier ones)
    let from = analysis.quotes.findIndex((q) => q.start >= annotatedFrom);
    if (from < 0) from = analysis.quotes.length;
    for (const g of gold.quotes) {
      let k = from;
      while (k < analysis.quotes.length && norm(analysis.quotes[k]!.text) !== norm(g.text)) k++;
      const found = k < analysis.quotes.length;
      if (found) from = k + 1;
      if (g.speaker === null) continue;
      const goldIndex = matchOf({ name: g.speaker, aliases: [] });
      const right = (name: string | null): boolean => {
        if (name === null) return false;
        const ch = analysis.characters.find((c) => c.name === name);
        return name.toLowerCase() === g.speaker!.toLowerCase() || (ch !== undefined && matchOf(ch) === goldIndex);
      };
      if (!found) {
        examples.push({ kind: 'missed', ruleRight: false, named: false, candidates: null });
        continue;
      }
      const r = rules[k]!;
      const ruleRight = right(nameOf(r.speaker, r.key));
      const list = candidates[k];
      examples.push({
        kind: kindOf(r, list),
        ruleRight,
        named: right(analysis.quotes[k]!.speaker),
        candidates:
          list === null || list === undefined
            ? null
            : list.map((c) => ({ x: c.x, rule: c.rule, right: c.rule ? ruleRight : right(nameOf(c.character, c.key)) })),
      });
    }
    return { id: gold.text, source: split === 'dev' ? ('own-dev' as const) : ('own-test' as const), examples };
  });
}

/** The founding story (test/fixtures/000_…) as one book of examples. */
export function foundingExamples(repoRoot: string, options: AnalyzeOptions = {}): BookExamples {
  const dir = join(repoRoot, 'test', 'fixtures');
  const text = readFileSync(join(dir, '000_e9b62997e455ea94.txt'), 'utf8');
  const expected = JSON.parse(readFileSync(join(dir, '000_e9b62997e455ea94.expected.json'), 'utf8')) as {
    characters: { name: string; aliases: string[] }[];
    quotes: { start: number; end: number; speaker: string }[];
  };
  const { analysis, candidates, rules } = analyse(text, { ...options, speakers: { ...options.speakers, model: null } });
  const namesOf = (e: { name: string; aliases: string[] }): Set<string> => new Set([e.name, ...e.aliases].map((s) => s.toLowerCase()));
  const goldSets = expected.characters.map(namesOf);
  const matchOf = (c: number): number => {
    const ch = analysis.characters[c];
    if (ch === undefined) return -1;
    const mine = namesOf(ch);
    return goldSets.findIndex((set) => [...mine].some((n) => set.has(n)));
  };
  const at = new Map(analysis.quotes.map((q, i) => [`${q.start}:${q.end}`, i]));
  const examples = expected.quotes.map((g): SpeakerExample => {
    const qi = at.get(`${g.start}:${g.end}`);
    if (qi === undefined) return { kind: 'missed', ruleRight: false, candidates: null };
    const gold = expected.characters.findIndex((c) => c.name === g.speaker);
    const right = (c: number): boolean => c >= 0 && matchOf(c) === gold;
    const r = rules[qi]!;
    const list = candidates[qi];
    return {
      kind: kindOf(r, list),
      ruleRight: right(r.speaker),
      candidates:
        list === null || list === undefined
          ? null
          : list.map((c) => ({ x: c.x, rule: c.rule, right: c.rule ? right(r.speaker) : right(c.character) })),
    };
  });
  return { id: 'founding story', source: 'own-dev', examples };
}

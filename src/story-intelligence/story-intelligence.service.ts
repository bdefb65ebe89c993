// The archive side of story intelligence: analysis jobs per chapter version, the work-level view,
// the proposals shown to the creator and what accepting or dismissing one does.
import type { Kysely, Transaction } from 'kysely';
import type { AdditionalTag } from '../analysis/additional-tags.ts';
import type { RatingValue } from '../analysis/index.ts';
import { characterConfidence, isTitledName } from '../analysis/character-confidence.ts';
import type { Database } from '../db/schema.ts';
import { ANALYSIS_JOB, contentHash, enqueueChapterAnalysis, enqueueWorkAnalysis } from './enqueue.ts';
import { applyTagModelToWork } from '../tags/posting.ts';
import type { TagViewer } from '../tags/tags.policy.ts';
import type { Viewer } from '../web/viewer.ts';
import type { TextFormat } from '../works/text/index.ts';
import { canEditWork } from '../works/works.policy.ts';
import { ensureTags } from '../works/works.service.ts';
import { MAX_CHAPTER_CHARS } from '../works/works.schema.ts';
import { loadEditable, loadWorkAccess } from '../works/works.service.ts';
import { BACKGROUND_TASK_MS, REQUEST_TASK_MS, taskPool } from '../workers/task-pool.ts';
import * as repo from './story-intelligence.repo.ts';
import type { CharacterTagMatch } from './story-intelligence.repo.ts';
import {
  AnalysisJobPayloadSchema,
  ProposalActionSchema,
  type ProposalActionInput,
  type ProposalKind,
} from './story-intelligence.schema.ts';
import {
  mergeChapterAnalyses,
  parseStoredAnalysis,
  RATING_SEVERITY,
  STORED_VERSION,
  type StoredAnalysis,
  type WorkAnalysis,
  type WorkEvidence,
} from './stored.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** Analyses kept per chapter: the current version and a few before it. */
const VERSIONS_KEPT = 3;

export { ANALYSIS_JOB, contentHash, enqueueChapterAnalysis, enqueueWorkAnalysis };

/** Turns a chapter's body_html into what is stored; the job takes another one in tests. */
export type ChapterAnalyzer = (bodyHtml: string) => StoredAnalysis | Promise<StoredAnalysis>;

/**
 * The analysis as the archive runs it: in the worker pool, within BACKGROUND_TASK_MS and the
 * pool's memory limit, so a story that makes the analysis slow or hungry costs one task.
 */
export function analyzeChapterInWorker(bodyHtml: string): Promise<StoredAnalysis> {
  return taskPool().run('analyzeChapter', { bodyHtml }, BACKGROUND_TASK_MS);
}

/**
 * The job: analyses the chapter's current version (whatever the payload was enqueued for) unless
 * it is stored already. Returns the work id when it stored something, so the caller can refresh caches.
 * Throws when the analysis throws: the job runner retries, then calls recordAnalysisFailure.
 */
export async function runChapterAnalysis(
  db: Db,
  payload: unknown,
  analyze: ChapterAnalyzer = analyzeChapterInWorker,
): Promise<number | undefined> {
  const parsed = AnalysisJobPayloadSchema.safeParse(payload);
  if (!parsed.success) return undefined; // not a chapter: nothing to analyse, nothing to retry
  const { chapterId } = parsed.data;
  const chapter = await repo.findChapterBody(db, chapterId);
  if (!chapter) return undefined; // deleted since
  const hash = contentHash(chapter.body_html);
  if ((await repo.findAnalysisVersion(db, chapterId, hash)) === STORED_VERSION) return undefined;
  const result = await analyze(chapter.body_html);
  await db.transaction().execute(async (trx) => {
    await repo.upsertAnalysis(trx, { chapterId, contentHash: hash, result });
    await repo.pruneOldAnalyses(trx, chapterId, VERSIONS_KEPT);
    await repo.deleteAnalysisFailures(trx, chapterId, hash);
  });
  return chapter.work_id;
}

/**
 * The job's failure handler (after its last attempt): records that the version it was enqueued
 * for could not be analysed, so the creator is told instead of waiting. Nothing when the chapter
 * is gone or that version was analysed meanwhile (by another job). Returns the work id when it recorded one.
 */
export async function recordAnalysisFailure(db: Db, payload: unknown, error: string): Promise<number | undefined> {
  const parsed = AnalysisJobPayloadSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const { chapterId } = parsed.data;
  const chapter = await repo.findChapterBody(db, chapterId);
  if (!chapter) return undefined;
  // Jobs enqueued before payloads named their version: the version the job last read.
  const hash = parsed.data.contentHash ?? contentHash(chapter.body_html);
  const recorded = await db.transaction().execute(async (trx) => {
    if ((await repo.findAnalysisVersion(trx, chapterId, hash)) === STORED_VERSION) return false;
    await repo.upsertAnalysisFailure(trx, { chapterId, contentHash: hash, error });
    return true;
  });
  return recorded ? chapter.work_id : undefined;
}

/**
 * "Try again": forgets the failures of the work's chapters and enqueues their analysis anew, in
 * one transaction. Returns how many chapters will be read again (0 when none had failed).
 */
export async function retryFailedAnalyses(db: Db, viewer: Viewer, workId: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await loadEditable(trx, viewer, workId);
    const failed = await repo.findFailedCurrentChapters(trx, workId);
    for (const c of failed) {
      await repo.deleteAnalysisFailure(trx, c.id, c.content_hash);
      await enqueueChapterAnalysis(trx, c.id, c.body_html, String(new Date(c.failed_at).getTime()));
    }
    return failed.length;
  });
}

async function enqueueMissingAnalyses(db: Db, workId: number, analysed: ReadonlySet<number>): Promise<void> {
  const missing = (await repo.findChapterIdsOfWork(db, workId)).filter((c) => !analysed.has(c.id));
  if (missing.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const c of missing) await enqueueChapterAnalysis(trx, c.id, c.body_html);
  });
}

/**
 * The work's analysis for the story map, and how many chapters could not be analysed; chapters
 * not analysed yet (a work posted before analysis existed) are queued, once each.
 */
export async function loadStoryMapAnalysis(db: Db, workId: number): Promise<{ analysis: WorkAnalysis; failedChapters: number }> {
  const { analysis, failed } = await loadWorkAnalysisState(db, workId);
  if (!analysis.complete)
    await enqueueMissingAnalyses(db, workId, new Set([...analysis.analysedChapterIds, ...failed.map((c) => c.chapterId)]));
  return { analysis, failedChapters: failed.length };
}

/** The work-level view of the analyses of its chapters' current versions. */
export async function loadWorkAnalysis(db: Db | Trx, workId: number): Promise<WorkAnalysis> {
  return (await loadWorkAnalysisState(db, workId)).analysis;
}

/** The work-level view, and the chapters (id and position) whose current version could not be analysed. */
async function loadWorkAnalysisState(
  db: Db | Trx,
  workId: number,
): Promise<{ analysis: WorkAnalysis; failed: Array<{ chapterId: number; position: number; reason: string }> }> {
  const rows = await repo.findCurrentAnalyses(db, workId);
  const chapters = rows.map((r) => ({
    chapterId: r.chapter_id,
    position: r.position,
    analysis: r.result == null ? undefined : parseStoredAnalysis(r.result),
    failed: r.failed_at !== null,
    reason: r.failure_reason ?? '',
  }));
  return {
    analysis: mergeChapterAnalyses(chapters),
    // A stored analysis of the same version wins over a failure row.
    failed: chapters
      .filter((c) => c.analysis === undefined && c.failed)
      .map((c) => ({ chapterId: c.chapterId, position: c.position, reason: c.reason })),
  };
}

// ---- proposals -------------------------------------------------------------------------

export interface ProposalEvidence {
  /** 0 when the passage is from text not yet posted. */
  chapterId: number;
  position: number;
  text: string;
}

export interface Proposal {
  kind: ProposalKind;
  value: string;
  /** Why, in a few words ("5 of its characters", "mentioned 47 times"). */
  note: string;
  /** 0..1; only proposals at showThresholdOf(kind) or above are shown at once (the rest behind a disclosure). */
  confidence: number;
  evidence: ProposalEvidence[];
}

/**
 * Proposals below this confidence are kept behind "Show less certain proposals" (fandom, category,
 * rating, warnings, additional tags).
 */
export const SHOW_THRESHOLD = 0.6;

/**
 * Characters and relationships are shown at once only from this confidence: the goal is that at least
 * 9 in 10 shown are right, and character confidences are calibrated on LitBank (docs/analysis.md).
 */
export const SHOW_THRESHOLD_PEOPLE = 0.85;

/** The confidence from which a proposal of this kind is shown at once. */
export function showThresholdOf(kind: ProposalKind): number {
  return kind === 'character' || kind === 'relationship' ? SHOW_THRESHOLD_PEOPLE : SHOW_THRESHOLD;
}

/** Fandoms below this are not proposed at all. */
const MIN_FANDOM_CONFIDENCE = 0.3;

const round2 = (x: number) => Math.round(Math.min(0.99, Math.max(0, x)) * 100) / 100;

interface CharacterMatch {
  canonicalName: string;
  canonicalId: number;
  /** `exact`: the whole name is the canonical tag or a synonym of it; `word`: a unique first name or surname. */
  how: 'exact' | 'word';
}

export interface CanonMatches {
  /** Fandoms the characters' canonical tags point to, most likely first, with a confidence. */
  fandoms: Array<{ id: number; name: string; confidence: number; characters: string[] }>;
  byCharacter: Map<string, CharacterMatch>;
  /** Characters whose name fits more than one canonical tag: none is proposed, and the proposal says so. */
  ambiguous: Map<string, string[]>;
}

const stripDisambiguation = (name: string) =>
  name
    .replace(/\s*\([^)]*\)\s*$/, '')
    .trim()
    .toLowerCase();

/**
 * Matches detected characters against the character tags the viewer may see: a whole name equal to a
 * canonical tag or one of its synonyms, else a first name or surname that only one canonical tag of
 * the work's fandom has. The work's fandom is the one it is tagged with, else the fandom the matches
 * point to with confidence. Two canonical tags for one name: neither (and `ambiguous` says which).
 */
export async function matchCharactersToCanon(
  db: Db | Trx,
  characters: ReadonlyArray<{ name: string; aliases: string[]; mentions: number }>,
  options: { viewer?: TagViewer; workFandoms?: readonly string[] } = {},
): Promise<CanonMatches> {
  const keysOf = (c: { name: string; aliases: string[] }) => [
    ...new Set([c.name, ...c.aliases].filter((n) => /^\p{Lu}/u.test(n)).map((n) => n.toLowerCase())),
  ];
  const allKeys = characters.flatMap(keysOf);
  const [tags, workFandomRows] = await Promise.all([
    repo.findCharacterTagsMatching(db, allKeys, options.viewer ?? null),
    repo.findCanonicalFandoms(db, options.workFandoms ?? []),
  ]);
  const fandomRows = await repo.findFandomsOfCharacters(
    db,
    tags.map((t) => t.canonicalId),
  );
  const fandomsOf = new Map<number, Set<number>>();
  const fandomName = new Map<number, string>();
  for (const f of fandomRows) {
    const set = fandomsOf.get(f.characterId) ?? new Set<number>();
    set.add(f.fandomId);
    fandomsOf.set(f.characterId, set);
    fandomName.set(f.fandomId, f.fandomName);
  }
  const candidates = characters.map((c) => {
    const keys = keysOf(c);
    const single = keys.filter((k) => !k.includes(' '));
    const exact: CharacterTagMatch[] = [];
    const word: CharacterTagMatch[] = [];
    for (const t of tags) {
      const name = stripDisambiguation(t.name);
      if (keys.includes(name)) exact.push(t);
      else {
        const words = name.split(/\s+/);
        if (words.length > 1 && single.some((k) => k === words[0] || k === words[words.length - 1])) word.push(t);
      }
    }
    return { exact, word };
  });

  // Fandoms: each character's weight (2 for a whole name, 1 for a word) split among the fandoms it could be from.
  const scores = new Map<number, { score: number; characters: string[] }>();
  let total = 0;
  characters.forEach((c, i) => {
    const { exact, word } = candidates[i]!;
    const pool = exact.length > 0 ? exact : word;
    const fandoms = new Set(pool.flatMap((t) => [...(fandomsOf.get(t.canonicalId) ?? [])]));
    if (fandoms.size === 0) return;
    const weight = exact.length > 0 ? 2 : 1;
    total += weight;
    for (const id of fandoms) {
      const entry = scores.get(id) ?? { score: 0, characters: [] };
      entry.score += weight / fandoms.size;
      entry.characters.push(c.name);
      scores.set(id, entry);
    }
  });
  const fandoms = [...scores.entries()]
    .map(([id, s]) => ({
      id,
      name: fandomName.get(id)!,
      // The share of the evidence it explains, discounted when few characters back it (one: 0.6, two: 0.84).
      confidence: round2((s.score / total) * (1 - 0.4 ** s.characters.length)),
      characters: s.characters,
    }))
    .sort((x, y) => y.confidence - x.confidence);

  const tagged = workFandomRows.map((f) => f.id).filter((id) => scores.has(id));
  const scope = new Set(tagged.length > 0 ? tagged : fandoms.filter((f) => f.confidence >= SHOW_THRESHOLD).map((f) => f.id));
  const inScope = (t: CharacterTagMatch) => [...(fandomsOf.get(t.canonicalId) ?? [])].some((id) => scope.has(id));
  const byCharacter = new Map<string, CharacterMatch>();
  const ambiguous = new Map<string, string[]>();
  characters.forEach((c, i) => {
    const { exact, word } = candidates[i]!;
    const scopedExact = exact.filter(inScope);
    const tries: Array<[CharacterMatch['how'], CharacterTagMatch[]]> = [
      ['exact', scopedExact.length > 0 ? scopedExact : exact],
      // A first name or surname only within the work's fandom: across all fandoms it means little.
      ['word', word.filter(inScope)],
    ];
    for (const [how, pool] of tries) {
      const ids = new Map(pool.map((t) => [t.canonicalId, t.canonicalName]));
      if (ids.size === 1) {
        const [[canonicalId, canonicalName]] = [...ids.entries()] as [[number, string]];
        byCharacter.set(c.name, { canonicalId, canonicalName, how });
        return;
      }
      if (ids.size > 1) {
        ambiguous.set(c.name, [...new Set(ids.values())].sort());
        return;
      }
    }
  });
  return { fandoms, byCharacter, ambiguous };
}

export interface WorkTagsForProposals {
  rating?: string | undefined;
  names: Map<string, Set<string>>;
}

/** The work's tags, by type, lower-cased, to leave out what it has already. */
function currentTags(rows: ReadonlyArray<{ type: string; name: string }>): WorkTagsForProposals {
  const names = new Map<string, Set<string>>();
  let rating: string | undefined;
  for (const r of rows) {
    if (r.type === 'rating') rating = r.name;
    const set = names.get(r.type) ?? new Set<string>();
    set.add(r.name.toLowerCase());
    names.set(r.type, set);
  }
  return { rating, names };
}

/** How likely a proposed relationship is right: a pair with passages behind it more than one that only co-occurs. */
function relationshipConfidence(strength: number, evidence: number): number {
  return round2(evidence > 0 ? 0.5 + 0.45 * strength : 0.45 * strength);
}

type Gender = 'female' | 'male';
/** Below this many words, a story without romance cues is not shown as Gen (it may not have got to them). */
const GEN_MIN_WORDS = 1000;
const CATEGORY_OF: Record<string, 'F/F' | 'F/M' | 'M/M'> = { 'female|female': 'F/F', 'female|male': 'F/M', 'male|male': 'M/M' };

/**
 * The category (AO3's F/F, F/M, M/M, Multi, Gen) from the romantic pairs that are proposed with
 * confidence: one kind of pair is that category, several kinds Multi; characters and no romance at
 * all is Gen. Pairs with a character of unknown gender say nothing; faint romance keeps Gen away.
 */
export function proposeCategory(
  pairs: ReadonlyArray<{ a: string; b: string; kind: string; confidence: number; evidence: ProposalEvidence[] }>,
  genderOf: (name: string) => string,
  characterCount: number,
  text: { language: string | undefined; words: number } = { language: 'en', words: GEN_MIN_WORDS },
): Omit<Proposal, 'kind'> | undefined {
  const romantic = pairs.filter((p) => p.kind === 'romantic');
  const sure = romantic.filter((p) => p.confidence >= SHOW_THRESHOLD_PEOPLE);
  if (sure.length === 0) {
    // Romance is read from English cues only: in another language, no romance found says nothing.
    if (romantic.length > 0 || characterCount === 0 || text.language !== 'en') return undefined;
    return {
      value: 'Gen',
      note: `${characterCount} ${characterCount === 1 ? 'character' : 'characters'} and no romantic pair in ${text.words} words`,
      // Absence of romance is weaker evidence than its presence, and a short text may simply not show it.
      confidence: characterCount >= 2 && text.words >= GEN_MIN_WORDS ? 0.65 : 0.5,
      evidence: [],
    };
  }
  const kinds = new Map<string, typeof sure>();
  let unknown = 0;
  for (const p of sure) {
    const g = [genderOf(p.a), genderOf(p.b)].sort();
    const kind = g.every((x): x is Gender => x === 'female' || x === 'male') ? CATEGORY_OF[g.join('|')] : undefined;
    if (!kind) {
      unknown++;
      continue;
    }
    kinds.set(kind, [...(kinds.get(kind) ?? []), p]);
  }
  if (kinds.size === 0) return undefined;
  const value = kinds.size === 1 ? [...kinds.keys()][0]! : 'Multi';
  const used = [...kinds.values()].flat();
  const gender = (n: string) => (genderOf(n) === 'female' ? 'f' : 'm');
  return {
    value,
    note: used.map((p) => `${p.a} (${gender(p.a)}) / ${p.b} (${gender(p.b)})`).join(', '),
    // As sure as the least sure pair it rests on; a romantic pair of unknown genders may be of another kind.
    confidence: round2(Math.min(...used.map((p) => p.confidence)) * 0.95 * (unknown > 0 ? 0.7 : 1)),
    evidence: used.flatMap((p) => p.evidence).slice(0, 3),
  };
}

/** The archive's names to look for, in order of preference, for each tag of the documented set. */
const FREEFORM_NAMES: Record<AdditionalTag, string[]> = {
  Grief: ['Grief/Mourning', 'Grief', 'Mourning'],
  'Hurt/Comfort': ['Hurt/Comfort'],
  Angst: ['Angst'],
  Fluff: ['Fluff'],
  Friendship: ['Friendship'],
  Family: ['Family'],
  Humor: ['Humor', 'Humour'],
};

/** Turns a work's analysis into proposals, leaving out tags it has and proposals the author dismissed. */
export async function buildProposals(
  db: Db | Trx,
  analysis: WorkAnalysis,
  tags: WorkTagsForProposals,
  dismissed: ReadonlySet<string>,
  viewer: TagViewer = null,
): Promise<Proposal[]> {
  const characters = analysis.characters.filter((c) => c.role !== 'mentioned');
  const canon = await matchCharactersToCanon(db, characters, { viewer, workFandoms: [...(tags.names.get('fandom') ?? [])] });
  const nameOf = (name: string) => canon.byCharacter.get(name)?.canonicalName ?? name;
  const has = (type: string, value: string) => tags.names.get(type)?.has(value.toLowerCase()) ?? false;
  const out: Proposal[] = [];
  const push = (p: Proposal, type: string) => {
    // Only what the accept button can add (tag names have length and character limits).
    if (!ProposalActionSchema.safeParse({ kind: p.kind, value: p.value }).success) return;
    if (
      has(type, p.value) ||
      dismissed.has(`${p.kind}:${p.value.toLowerCase()}`) ||
      out.some((o) => o.kind === p.kind && o.value.toLowerCase() === p.value.toLowerCase())
    )
      return;
    out.push({ ...p, confidence: round2(p.confidence) });
  };
  const firstMention = new Map(characters.map((c) => [c.name, c.evidence[0]]));
  // A fandom a minority of the names might come from is noise, even behind the disclosure.
  for (const f of canon.fandoms.filter((x) => x.confidence >= MIN_FANDOM_CONFIDENCE)) {
    push(
      {
        kind: 'fandom',
        value: f.name,
        note: `its canonical characters match ${f.characters.map((n) => `${n} (${nameOf(n)})`).join(', ')}`,
        confidence: f.confidence,
        evidence: [
          ...new Map(f.characters.flatMap((n) => (firstMention.get(n) ? [firstMention.get(n)!] : [])).map((e) => [e.text, e])).values(),
        ].slice(0, 3),
      },
      'fandom',
    );
  }
  const pairs = analysis.relationships
    .filter((r) => r.evidence.length > 0 || r.strength >= 0.2) // too faint to propose otherwise
    .map((r) => ({
      ...r,
      a: nameOf(r.a),
      b: nameOf(r.b),
      detectedA: r.a,
      detectedB: r.b,
      confidence: relationshipConfidence(r.strength, r.evidence.length),
    }));
  const genderOf = new Map(characters.map((c) => [nameOf(c.name), c.gender]));
  const category = proposeCategory(pairs, (n) => genderOf.get(n) ?? 'unknown', characters.length, {
    language: analysis.language,
    words: analysis.words,
  });
  if (category && (tags.names.get('category')?.size ?? 0) === 0) push({ kind: 'category', ...category }, 'category');
  for (const r of pairs) {
    push(
      {
        kind: 'relationship',
        value: r.kind === 'romantic' ? `${r.a}/${r.b}` : `${r.a} & ${r.b}`,
        note: `${r.kind}, strength ${Math.round(r.strength * 100)}%`,
        confidence: r.confidence,
        evidence: r.evidence,
      },
      'relationship',
    );
  }
  const spokenBy = new Map<string, number>();
  for (const t of analysis.talks) spokenBy.set(t.a, (spokenBy.get(t.a) ?? 0) + t.lines);
  for (const c of characters) {
    const match = canon.byCharacter.get(c.name);
    const options = canon.ambiguous.get(c.name);
    const detected = characterConfidence(
      c.mentions,
      analysis.words,
      spokenBy.get(c.name) ?? 0,
      isTitledName([c.name, ...c.aliases]),
      c.gender !== 'unknown',
    );
    const seen = `${c.role}, mentioned ${c.mentions} ${c.mentions === 1 ? 'time' : 'times'}`;
    push(
      {
        kind: 'character',
        value: nameOf(c.name),
        note: match
          ? `“${c.name}” in the text, the archive's tag ${match.how === 'exact' ? 'for that name' : 'of that name in this fandom'}; ${seen}`
          : options
            ? `“${c.name}” could be ${options.join(' or ')}: Fanfold proposes neither, add the one you mean; ${seen}`
            : seen,
        // A canonical tag of the same name makes a person likelier; an ambiguous name is shown as written, less sure.
        confidence: match ? detected + (1 - detected) * 0.5 : options ? detected * 0.8 : detected,
        evidence: c.evidence,
      },
      'character',
    );
  }
  // A rating only upwards: an author's more cautious rating is theirs to keep.
  const current = tags.rating !== undefined && tags.rating in RATING_SEVERITY ? RATING_SEVERITY[tags.rating as RatingValue] : -1;
  if (analysis.rating && RATING_SEVERITY[analysis.rating.value] > current) {
    push(
      {
        kind: 'rating',
        value: analysis.rating.value,
        note: 'the most severe rating any chapter calls for',
        confidence: analysis.rating.confidence,
        evidence: analysis.rating.evidence,
      },
      'rating',
    );
  }
  const hasWarnings = (tags.names.get('warning')?.size ?? 0) > 0;
  for (const w of analysis.warnings) {
    if (w.value === 'No Archive Warnings Apply' && hasWarnings) continue;
    push(
      {
        kind: 'warning',
        value: w.value,
        note: `confidence ${Math.round(w.confidence * 100)}%`,
        confidence: w.confidence,
        evidence: w.evidence,
      },
      'warning',
    );
  }
  // Additional tags: English cue lists only (stored analyses of other languages carry none).
  if (analysis.language === 'en' && analysis.additionalTags.length > 0) {
    const wanted = analysis.additionalTags.flatMap((t) => FREEFORM_NAMES[t.tag].map((n) => n.toLowerCase()));
    const archive = new Map((await repo.findCanonicalFreeforms(db, wanted, viewer)).map((r) => [r.key, r.canonicalName]));
    for (const t of analysis.additionalTags) {
      const name = FREEFORM_NAMES[t.tag].map((n) => archive.get(n.toLowerCase())).find((n) => n !== undefined) ?? t.tag;
      push(
        {
          kind: 'freeform',
          value: name,
          note: `${t.evidence.length} ${t.evidence.length === 1 ? 'passage' : 'passages'} like these`,
          confidence: t.confidence,
          evidence: t.evidence,
        },
        'freeform',
      );
    }
  }
  return out;
}

export type ProposalsState =
  | { state: 'forbidden' }
  | { state: 'pending'; analysedChapters: number; totalChapters: number }
  /**
   * Some chapters' analysis failed for good. `proposals` are those of the chapters that were read,
   * once no other chapter is still being read (null before, or when none was read).
   */
  | {
      state: 'failed';
      failedPositions: number[];
      reasons: string[];
      analysedChapters: number;
      totalChapters: number;
      proposals: Proposal[] | null;
    }
  | { state: 'ready'; proposals: Proposal[]; totalChapters: number };

async function proposalsOf(db: Db, viewer: Viewer, workId: number, analysis: WorkAnalysis): Promise<Proposal[]> {
  const [tags, dismissed] = await Promise.all([repo.findWorkTags(db, workId), repo.findDismissals(db, workId)]);
  return buildProposals(db, analysis, currentTags(tags), dismissed, viewer);
}

/** What the proposals panel shows to this viewer (only the work's creators see proposals). */
export async function proposalsForWork(db: Db, viewer: Viewer | null, workId: number): Promise<ProposalsState> {
  if (!viewer) return { state: 'forbidden' };
  const { facts } = await loadWorkAccess(db, workId);
  if (!canEditWork(viewer, facts)) return { state: 'forbidden' };
  const { analysis, failed } = await loadWorkAnalysisState(db, workId);
  if (analysis.complete)
    return { state: 'ready', proposals: await proposalsOf(db, viewer, workId, analysis), totalChapters: analysis.totalChapters };
  // Jobs are deduplicated: this only adds the ones missing (a chapter stored before analysis
  // existed, or analysed in an older stored format). A failed chapter waits for "Try again".
  await enqueueMissingAnalyses(db, workId, new Set([...analysis.analysedChapterIds, ...failed.map((c) => c.chapterId)]));
  if (failed.length === 0) return { state: 'pending', analysedChapters: analysis.analysedChapters, totalChapters: analysis.totalChapters };
  const stillReading = analysis.totalChapters - analysis.analysedChapters - failed.length;
  return {
    state: 'failed',
    failedPositions: failed.map((c) => c.position),
    // Why, once per distinct reason (a time or memory limit says so; the creator alone sees it).
    reasons: [...new Set(failed.map((c) => c.reason).filter((r) => r !== ''))],
    analysedChapters: analysis.analysedChapters,
    totalChapters: analysis.totalChapters,
    proposals: stillReading === 0 && analysis.analysedChapters > 0 ? await proposalsOf(db, viewer, workId, analysis) : null,
  };
}

/**
 * For the panel's reload script: `ready` when every chapter's current version has been analysed,
 * `failed` when the analysis of one of them failed for good (it waits for "Try again").
 */
export async function analysisStatus(db: Db, viewer: Viewer | null, workId: number): Promise<{ ready: boolean; failed: boolean }> {
  await loadEditable(db, viewer, workId);
  const { analysis, failed } = await loadWorkAnalysisState(db, workId);
  return { ready: analysis.complete, failed: failed.length > 0 };
}

const TAG_TYPE: Record<ProposalKind, 'fandom' | 'category' | 'character' | 'relationship' | 'rating' | 'warning' | 'freeform'> = {
  fandom: 'fandom',
  category: 'category',
  freeform: 'freeform',
  character: 'character',
  relationship: 'relationship',
  rating: 'rating',
  warning: 'warning',
};

/**
 * Adds one proposed tag to the work, in one transaction: a rating replaces the rating; a warning
 * other than "No Archive Warnings Apply" removes that one; then the tag model and
 * works.filter_tag_ids are brought up to date as saving the edit form does.
 */
export async function acceptProposal(db: Db, viewer: Viewer, workId: number, p: ProposalActionInput): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await loadEditable(trx, viewer, workId);
    const type = TAG_TYPE[p.kind];
    const [tagId] = await ensureTags(trx, type, [p.value]);
    if (tagId === undefined) return;
    const existing = await repo.findWorkTags(trx, workId);
    const drop = existing.filter(
      (t) =>
        (type === 'rating' && t.type === 'rating' && t.id !== tagId) ||
        (type === 'warning' && p.value !== 'No Archive Warnings Apply' && t.type === 'warning' && t.name === 'No Archive Warnings Apply'),
    );
    if (drop.length > 0)
      await trx
        .deleteFrom('work_tags')
        .where('work_id', '=', workId)
        .where(
          'tag_id',
          'in',
          drop.map((t) => t.id),
        )
        .execute();
    const position = Math.max(-1, ...existing.map((t) => t.position)) + 1;
    await trx
      .insertInto('work_tags')
      .values({ work_id: workId, tag_id: tagId, position })
      .onConflict((oc) => oc.columns(['work_id', 'tag_id']).doNothing())
      .execute();
    await applyTagModelToWork(trx, workId, type === 'relationship' ? [p.value] : []);
  });
}

/** Hides one proposal on this work for good. */
export async function dismissProposal(db: Db, viewer: Viewer, workId: number, p: ProposalActionInput): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await loadEditable(trx, viewer, workId);
    await repo.insertDismissal(trx, workId, p.kind, p.value);
  });
}

// ---- the posting form ------------------------------------------------------------------

/** Proposals for text not yet posted (the posting form's "Suggest tags" button): analysed now. */
export async function proposeForText(
  db: Db,
  input: { text: string; format: TextFormat; tags: Array<{ type: string; name: string }>; viewer?: TagViewer },
): Promise<Proposal[]> {
  // At most one chapter's worth, like a pasted chapter: the request waits for it, in the worker pool.
  const analysis = await taskPool().run(
    'analyzeDraft',
    { text: input.text.slice(0, MAX_CHAPTER_CHARS), format: input.format },
    REQUEST_TASK_MS,
  );
  const merged = mergeChapterAnalyses([{ chapterId: 0, position: 1, analysis }]);
  return buildProposals(db, merged, currentTags(input.tags), new Set(), input.viewer ?? null);
}

export type { WorkAnalysis, WorkEvidence };

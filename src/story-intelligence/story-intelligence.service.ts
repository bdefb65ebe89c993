// The archive side of story intelligence: analysis jobs per chapter version, the work-level view,
// the proposals shown to the creator and what accepting or dismissing one does.
import type { Kysely, Transaction } from 'kysely';
import type { RatingValue } from '../analysis/index.ts';
import type { Database } from '../db/schema.ts';
import { ANALYSIS_JOB, contentHash, enqueueChapterAnalysis, enqueueWorkAnalysis } from './enqueue.ts';
import { applyTagModelToWork } from '../tags/posting.ts';
import type { Viewer } from '../web/viewer.ts';
import type { TextFormat } from '../works/text/index.ts';
import { canEditWork } from '../works/works.policy.ts';
import { ensureTags } from '../works/works.service.ts';
import { MAX_CHAPTER_CHARS } from '../works/works.schema.ts';
import { loadEditable, loadWorkAccess } from '../works/works.service.ts';
import { BACKGROUND_TASK_MS, REQUEST_TASK_MS, taskPool } from '../workers/task-pool.ts';
import * as repo from './story-intelligence.repo.ts';
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
  confidence?: number;
  evidence: ProposalEvidence[];
}

interface CharacterMatch {
  canonicalName: string;
  canonicalId: number;
}

const stripDisambiguation = (name: string) =>
  name
    .replace(/\s*\([^)]*\)\s*$/, '')
    .trim()
    .toLowerCase();

/**
 * Matches detected characters against the archive's canonical character tags (and their
 * synonyms), then the fandoms those tags belong to. A fandom wins by the characters it explains;
 * each character then takes the canonical tag in the winning fandoms (an exact name first).
 */
export async function matchCharactersToCanon(
  db: Db | Trx,
  characters: ReadonlyArray<{ name: string; aliases: string[]; mentions: number }>,
) {
  const keysOf = (c: { name: string; aliases: string[] }) => [
    ...new Set([c.name, ...c.aliases].filter((n) => /^\p{Lu}/u.test(n)).map((n) => n.toLowerCase())),
  ];
  const allKeys = characters.flatMap(keysOf);
  const tags = await repo.findCharacterTagsMatching(db, allKeys);
  const fandomRows = await repo.findFandomsOfCharacters(
    db,
    tags.map((t) => t.canonicalId),
  );
  const fandomsOf = new Map<number, Array<{ id: number; name: string }>>();
  for (const f of fandomRows) {
    const list = fandomsOf.get(f.characterId) ?? [];
    if (!list.some((x) => x.id === f.fandomId)) list.push({ id: f.fandomId, name: f.fandomName });
    fandomsOf.set(f.characterId, list);
  }
  const candidates = characters.map((c) => {
    const keys = keysOf(c);
    return tags.flatMap((t) => {
      const name = stripDisambiguation(t.name);
      const exact = keys.includes(name);
      const partial = !exact && keys.some((k) => ` ${name} `.includes(` ${k} `));
      return exact || partial ? [{ ...t, exact }] : [];
    });
  });
  const scores = new Map<number, { name: string; score: number; characters: string[] }>();
  characters.forEach((c, i) => {
    const best = new Map<number, number>();
    for (const t of candidates[i]!)
      for (const f of fandomsOf.get(t.canonicalId) ?? []) best.set(f.id, Math.max(best.get(f.id) ?? 0, t.exact ? 2 : 1));
    for (const [id, s] of best) {
      const entry = scores.get(id) ?? { name: fandomRows.find((r) => r.fandomId === id)!.fandomName, score: 0, characters: [] };
      entry.score += s;
      entry.characters.push(c.name);
      scores.set(id, entry);
    }
  });
  const top = Math.max(0, ...[...scores.values()].map((s) => s.score));
  const fandoms = [...scores.entries()]
    .filter(([, s]) => top > 0 && s.score >= top / 2)
    .sort((x, y) => y[1].score - x[1].score)
    .map(([id, s]) => ({ id, ...s }));
  const chosen = new Set(fandoms.map((f) => f.id));
  const byCharacter = new Map<string, CharacterMatch>();
  characters.forEach((c, i) => {
    const list = candidates[i]!;
    const inChosen = list.filter((t) => chosen.size === 0 || (fandomsOf.get(t.canonicalId) ?? []).some((f) => chosen.has(f.id)));
    for (const pool of [inChosen.filter((t) => t.exact), inChosen]) {
      const ids = new Set(pool.map((t) => t.canonicalId));
      if (ids.size === 1) {
        byCharacter.set(c.name, { canonicalId: pool[0]!.canonicalId, canonicalName: pool[0]!.canonicalName });
        break;
      }
      if (ids.size > 1) break; // ambiguous: propose the name as written
    }
  });
  return { fandoms, byCharacter };
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

/** Turns a work's analysis into proposals, leaving out tags it has and proposals the author dismissed. */
export async function buildProposals(
  db: Db | Trx,
  analysis: WorkAnalysis,
  tags: WorkTagsForProposals,
  dismissed: ReadonlySet<string>,
): Promise<Proposal[]> {
  const characters = analysis.characters.filter((c) => c.role !== 'mentioned');
  const canon = await matchCharactersToCanon(db, characters);
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
    out.push(p);
  };
  const firstMention = new Map(characters.map((c) => [c.name, c.evidence[0]]));
  for (const f of canon.fandoms) {
    push(
      {
        kind: 'fandom',
        value: f.name,
        note: `Its canonical characters match ${f.characters.map((n) => `${n} (${nameOf(n)})`).join(', ')}.`,
        evidence: f.characters.flatMap((n) => (firstMention.get(n) ? [firstMention.get(n)!] : [])).slice(0, 3),
      },
      'fandom',
    );
  }
  for (const r of analysis.relationships) {
    const tag = r.kind === 'romantic' ? `${nameOf(r.a)}/${nameOf(r.b)}` : `${nameOf(r.a)} & ${nameOf(r.b)}`;
    if (r.evidence.length === 0 && r.strength < 0.2) continue; // too faint to propose
    push(
      {
        kind: 'relationship',
        value: tag,
        note: `${r.kind}, strength ${Math.round(r.strength * 100)}%`,
        confidence: r.strength,
        evidence: r.evidence,
      },
      'relationship',
    );
  }
  for (const c of characters) {
    push(
      {
        kind: 'character',
        value: nameOf(c.name),
        note: `${c.role}, mentioned ${c.mentions} ${c.mentions === 1 ? 'time' : 'times'}`,
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

async function proposalsOf(db: Db, workId: number, analysis: WorkAnalysis): Promise<Proposal[]> {
  const [tags, dismissed] = await Promise.all([repo.findWorkTags(db, workId), repo.findDismissals(db, workId)]);
  return buildProposals(db, analysis, currentTags(tags), dismissed);
}

/** What the proposals panel shows to this viewer (only the work's creators see proposals). */
export async function proposalsForWork(db: Db, viewer: Viewer | null, workId: number): Promise<ProposalsState> {
  if (!viewer) return { state: 'forbidden' };
  const { facts } = await loadWorkAccess(db, workId);
  if (!canEditWork(viewer, facts)) return { state: 'forbidden' };
  const { analysis, failed } = await loadWorkAnalysisState(db, workId);
  if (analysis.complete)
    return { state: 'ready', proposals: await proposalsOf(db, workId, analysis), totalChapters: analysis.totalChapters };
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
    proposals: stillReading === 0 && analysis.analysedChapters > 0 ? await proposalsOf(db, workId, analysis) : null,
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

const TAG_TYPE: Record<ProposalKind, 'fandom' | 'character' | 'relationship' | 'rating' | 'warning'> = {
  fandom: 'fandom',
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
  input: { text: string; format: TextFormat; tags: Array<{ type: string; name: string }> },
): Promise<Proposal[]> {
  // At most one chapter's worth, like a pasted chapter: the request waits for it, in the worker pool.
  const analysis = await taskPool().run(
    'analyzeDraft',
    { text: input.text.slice(0, MAX_CHAPTER_CHARS), format: input.format },
    REQUEST_TASK_MS,
  );
  const merged = mergeChapterAnalyses([{ chapterId: 0, position: 1, analysis }]);
  return buildProposals(db, merged, currentTags(input.tags), new Set());
}

export type { WorkAnalysis, WorkEvidence };

// Enqueuing analysis jobs: called by the works service inside the transaction that saves a chapter.
// Kept apart from the service so the works slice imports nothing else of this one.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { enqueueJob } from '../jobs/jobs.service.ts';
import { STORED_VERSION } from './stored.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const ANALYSIS_JOB = 'analysis.chapter';

/** sha256 (hex) of a chapter's body_html: the version key of its analysis. */
export function contentHash(bodyHtml: string): string {
  return createHash('sha256').update(bodyHtml, 'utf8').digest('hex');
}

/**
 * Attempts of one analysis job before it fails for good. The analysis is deterministic, so more
 * attempts would only delay telling the creator; they are for passing trouble (a database restart).
 */
export const ANALYSIS_ATTEMPTS = 3;

/** What an analysis job carries: the chapter, and the version (sha256 of body_html) it was enqueued for. */
export interface AnalysisJobPayload {
  chapterId: number;
  contentHash: string;
}

/**
 * Enqueues the analysis of a chapter version (deduplicated per chapter, version and stored format).
 * `retryOf` names a failure being tried again ("Try again"), so that job is new rather than
 * deduplicated against the one that failed, and a second click on the same failure adds nothing.
 */
export async function enqueueChapterAnalysis(trx: Db, chapterId: number, bodyHtml: string, retryOf?: string): Promise<void> {
  const hash = contentHash(bodyHtml);
  const payload: AnalysisJobPayload = { chapterId, contentHash: hash };
  const dedupeKey = `${ANALYSIS_JOB}:v${STORED_VERSION}:${chapterId}:${hash}${retryOf === undefined ? '' : `:retry:${retryOf}`}`;
  await enqueueJob(trx, { kind: ANALYSIS_JOB, payload, dedupeKey, maxAttempts: ANALYSIS_ATTEMPTS });
}

/** Enqueues the analysis of every chapter of a work (a new work, an import). */
export async function enqueueWorkAnalysis(trx: Db, workId: number): Promise<void> {
  const chapters = await trx.selectFrom('chapters').select(['id', 'body_html']).where('work_id', '=', workId).orderBy('position').execute();
  for (const c of chapters) await enqueueChapterAnalysis(trx, c.id, c.body_html);
}

// Enqueuing analysis jobs: called by the works service inside the transaction that saves a chapter.
// Kept apart from the service so the works slice imports nothing else of this one.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { enqueueJob } from '../jobs/jobs.repo.ts';
import { STORED_VERSION } from './stored.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const ANALYSIS_JOB = 'analysis.chapter';

/** sha256 (hex) of a chapter's body_html: the version key of its analysis. */
export function contentHash(bodyHtml: string): string {
  return createHash('sha256').update(bodyHtml, 'utf8').digest('hex');
}

/** Enqueues the analysis of a chapter version (deduplicated per chapter, version and stored format). */
export async function enqueueChapterAnalysis(trx: Db, chapterId: number, bodyHtml: string): Promise<void> {
  await enqueueJob(trx, { kind: ANALYSIS_JOB, payload: { chapterId }, dedupeKey: `${ANALYSIS_JOB}:v${STORED_VERSION}:${chapterId}:${contentHash(bodyHtml)}` });
}

/** Enqueues the analysis of every chapter of a work (a new work, an import). */
export async function enqueueWorkAnalysis(trx: Db, workId: number): Promise<void> {
  const chapters = await trx.selectFrom('chapters').select(['id', 'body_html']).where('work_id', '=', workId).orderBy('position').execute();
  for (const c of chapters) await enqueueChapterAnalysis(trx, c.id, c.body_html);
}

import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { enqueueJob } from '../jobs/jobs.service.ts';

/** The fan-out job: one per event, turned into one notification per subscriber. */
export const WORK_UPDATED_JOB = 'subscriptions.work-updated';

/**
 * What happened to a posted work: a chapter was added (for the work's subscribers), or the
 * work became visible as a new work (for subscribers of its creators and of its series), or a
 * posted work was added to a series (for the series' subscribers).
 */
export type WorkUpdatedEvent =
  | { event: 'chapter'; workId: number; chapterId: number }
  | { event: 'work'; workId: number }
  | { event: 'series'; workId: number; seriesId: number };

/** The job's dedupe key: the same event enqueued twice (a retried request) fans out once. */
export function workUpdatedJobKey(e: WorkUpdatedEvent): string {
  switch (e.event) {
    case 'chapter':
      return `${WORK_UPDATED_JOB}:chapter:${e.chapterId}`;
    case 'work':
      return `${WORK_UPDATED_JOB}:work:${e.workId}`;
    case 'series':
      return `${WORK_UPDATED_JOB}:series:${e.seriesId}:${e.workId}`;
  }
}

/** Enqueues the fan-out of one event. Call it inside the transaction that made the change. */
export async function notifySubscribers(trx: Kysely<Database> | Transaction<Database>, e: WorkUpdatedEvent): Promise<void> {
  await enqueueJob(trx, { kind: WORK_UPDATED_JOB, payload: e, dedupeKey: workUpdatedJobKey(e) });
}

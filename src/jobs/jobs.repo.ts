import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface JobRow {
  id: number;
  kind: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

/**
 * Adds a job. Call it inside the transaction that makes the change the job follows from, so
 * the job exists exactly when the change does. With a dedupe key, a second enqueue is a no-op.
 */
export async function enqueueJob(
  db: Db,
  job: { kind: string; payload?: unknown; runAt?: Date; dedupeKey?: string; maxAttempts?: number },
): Promise<void> {
  await db
    .insertInto('jobs')
    .values({
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? {}),
      run_at: job.runAt ?? new Date(),
      dedupe_key: job.dedupeKey ?? null,
      ...(job.maxAttempts ? { max_attempts: job.maxAttempts } : {}),
    })
    .onConflict((oc) => oc.expression(sql`dedupe_key`).where('dedupe_key', 'is not', null).doNothing())
    .execute();
}

/** A job lock older than this belongs to a worker that died; the job is claimable again. */
export const STALE_LOCK = '10 minutes';

/** Claims the next due job for this worker, or undefined when none is due. */
export async function claimNextJob(db: Kysely<Database>, workerId: string, kinds: readonly string[]): Promise<JobRow | undefined> {
  if (kinds.length === 0) return undefined;
  const result = await sql<JobRow>`
    update jobs set locked_at = now(), locked_by = ${workerId}, attempts = attempts + 1
    where id = (
      select id from jobs
      where done_at is null and failed_at is null and run_at <= now()
        and (locked_at is null or locked_at < now() - ${STALE_LOCK}::interval)
        and kind = any(${kinds as string[]}::text[])
      order by run_at, id
      limit 1
      for update skip locked
    )
    returning id, kind, payload, attempts, max_attempts
  `.execute(db);
  return result.rows[0];
}

export async function markJobDone(db: Db, jobId: number): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ done_at: new Date(), locked_at: null, locked_by: null, last_error: null })
    .where('id', '=', jobId)
    .execute();
}

/**
 * Records a failure: retried later with exponential backoff, or failed for good (`final`) after
 * the last attempt, or at once with `giveUp` (a retry cannot help).
 */
export async function markJobFailed(db: Db, job: JobRow, error: string, options: { giveUp?: boolean } = {}): Promise<{ final: boolean }> {
  const final = options.giveUp === true || job.attempts >= job.max_attempts;
  const backoffSeconds = Math.min(3600, 2 ** job.attempts * 5);
  await db
    .updateTable('jobs')
    .set({
      locked_at: null,
      locked_by: null,
      last_error: error.slice(0, 2000),
      ...(final ? { failed_at: new Date() } : { run_at: new Date(Date.now() + backoffSeconds * 1000) }),
    })
    .where('id', '=', job.id)
    .execute();
  return { final };
}

/** Gives a claimed job back untouched (its process is stopping): claimable again, the attempt not counted. */
export async function releaseJob(db: Db, jobId: number): Promise<void> {
  await db
    .updateTable('jobs')
    .set((eb) => ({ locked_at: null, locked_by: null, attempts: eb('attempts', '-', 1) }))
    .where('id', '=', jobId)
    .execute();
}

/** Counts by state, for /metrics and the admin pages. */
export async function countJobs(db: Db) {
  const row = await db
    .selectFrom('jobs')
    .select([
      sql<number>`count(*) filter (where done_at is null and failed_at is null)::int`.as('pending'),
      sql<number>`count(*) filter (where failed_at is not null)::int`.as('failed'),
      sql<number>`count(*) filter (where done_at is not null)::int`.as('done'),
    ])
    .executeTakeFirstOrThrow();
  return row;
}

// Reveals (decision 043): a collection's maintainers press "Reveal", or its reveal date comes
// and a job does it. Either way the flags go, the audit log says who (or that the schedule did),
// and the new-work notices that were held back while the works were concealed go out.
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/schema.ts';
import { enqueueJob } from '../jobs/jobs.service.ts';
import { WORK_UPDATED_JOB } from '../subscriptions/events.ts';
import type { Viewer } from '../web/viewer.ts';
import { concealedWorkIdsSql, findConcealments } from './anonymity.ts';
import { isCollectionMaintainer } from './collections.policy.ts';

type Db = Kysely<Database>;
type Trx = Kysely<Database> | Transaction<Database>;

/** The job that reveals a collection at its reveal date; payload { collectionId, at }. */
export const REVEAL_JOB = 'collections.reveal';

export class RevealRefusedError extends Error {}

/** Queues the scheduled reveal; a changed date queues another, and the job checks the date still holds. */
export async function scheduleReveal(trx: Trx, collectionId: number, at: Date | null): Promise<void> {
  if (!at) return;
  const iso = at.toISOString();
  await enqueueJob(trx, {
    kind: REVEAL_JOB,
    payload: { collectionId, at: iso },
    runAt: at,
    dedupeKey: `${REVEAL_JOB}:${collectionId}:${iso}`,
  });
}

/** The works of these collections concealed right now: read before a change, passed to sendWithheldNotices after it. */
export async function findConcealedWorksOf(trx: Trx, collectionIds: readonly number[]): Promise<number[]> {
  if (collectionIds.length === 0) return [];
  const result = await sql<{ work_id: number }>`
    select distinct ci.work_id from collection_items ci
    where ci.collection_id = any(${[...collectionIds]}::int[]) and ci.work_id in (${concealedWorkIdsSql()})`.execute(trx);
  return result.rows.map((r) => r.work_id);
}

/**
 * Of the works concealed before a change, those no longer concealed (another collection may still
 * hide one) get the "new work" notices their creators' and series' subscribers were not sent
 * (src/subscriptions skips concealed works). A reader already told of a work is not told twice:
 * notifications are unique per reader and work. Returns the revealed works.
 */
export async function sendWithheldNotices(trx: Trx, before: readonly number[], reason: string): Promise<number[]> {
  if (before.length === 0) return [];
  const still = await findConcealments(trx, before);
  const revealed = before.filter((id) => !still.has(id));
  for (const workId of revealed)
    await enqueueJob(trx, {
      kind: WORK_UPDATED_JOB,
      payload: { event: 'work', workId },
      dedupeKey: `${WORK_UPDATED_JOB}:work:${workId}:reveal:${reason}`,
    });
  return revealed;
}

async function reveal(trx: Trx, collection: { id: number; name: string }, actor: { id: number; login: string } | null, scheduled: boolean) {
  const before = await findConcealedWorksOf(trx, [collection.id]);
  await trx
    .updateTable('collections')
    .set({ is_anonymous: false, is_unrevealed: false, reveal_at: null, updated_at: new Date() })
    .where('id', '=', collection.id)
    .execute();
  const revealed = await sendWithheldNotices(trx, before, `${collection.id}:${Date.now()}`);
  await recordAudit(trx, {
    actor,
    action: 'collection.reveal',
    targetType: 'collection',
    targetId: collection.id,
    details: { name: collection.name, scheduled, works: revealed.length },
  });
  return before;
}

/** The maintainers' "Reveal" button: creators and works shown from now on. Returns the works concerned (their cached pages go). */
export async function revealCollection(db: Db, viewer: Viewer, name: string): Promise<{ name: string; workIds: number[] }> {
  return db.transaction().execute(async (trx) => {
    const collection = await trx
      .selectFrom('collections')
      .selectAll()
      .where(sql<boolean>`lower(name) = lower(${name})`)
      .forUpdate()
      .executeTakeFirst();
    if (!collection) throw new RevealRefusedError('There is no collection with this name. It may have been deleted.');
    const participants = await trx
      .selectFrom('collection_participants')
      .select(['user_id as userId', 'role'])
      .where('collection_id', '=', collection.id)
      .execute();
    if (!isCollectionMaintainer(viewer, { participants, isClosed: collection.is_closed }))
      throw new RevealRefusedError('Only the owners and moderators of this collection can reveal it.');
    if (!collection.is_anonymous && !collection.is_unrevealed)
      throw new RevealRefusedError(`${collection.title} is neither anonymous nor unrevealed: there is nothing to reveal.`);
    const workIds = await reveal(trx, collection, { id: viewer.id, login: viewer.login }, false);
    return { name: collection.name, workIds };
  });
}

/** The job: reveals the collection when its reveal date is still the one the job was queued for. */
export async function runScheduledReveal(db: Db, payload: unknown, now = new Date()): Promise<number[]> {
  const { collectionId, at } = (payload ?? {}) as { collectionId?: number; at?: string };
  if (typeof collectionId !== 'number' || typeof at !== 'string') return [];
  return db.transaction().execute(async (trx) => {
    const collection = await trx.selectFrom('collections').selectAll().where('id', '=', collectionId).forUpdate().executeTakeFirst();
    // Deleted, revealed by hand, or moved to another date since: this job has nothing to do.
    if (!collection?.reveal_at || collection.reveal_at.toISOString() !== at || collection.reveal_at > now) return [];
    return reveal(trx, collection, null, true);
  });
}

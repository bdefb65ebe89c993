import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isBlockedByAny } from '../blocking/blocking.service.ts';
import { blockedByCreatorSql, loadInteractionWork } from '../comments/work-access.ts';
import type { ViewerFactArgs } from '../works/work-panels.ts';
import { guestFingerprint } from '../comments/fingerprint.ts';
import { addInboxItem } from '../inbox/inbox.service.ts';
import { enqueueJob } from '../jobs/jobs.service.ts';
import { canReadWork, isCreator } from '../works/works.policy.ts';
import type { Viewer } from '../web/viewer.ts';

export const KUDOS_SUMMARY_JOB = 'kudos.daily-summary';

export class KudosError extends Error {
  constructor(
    readonly status: 401 | 403 | 404 | 422,
    message: string,
  ) {
    super(message);
  }
}

export type KudosResult = 'given' | 'already';

/** Midnight UTC after `now`: when the day's kudos summary is written. */
export function endOfDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 0, 5));
}

/**
 * Leaves kudos: once per signed-in user per work, once per guest fingerprint per work per
 * day-key (the fingerprint changes daily, AO3's rule of "one per guest" as far as privacy allows).
 * The unique constraints make a double kudos impossible; the counter moves in the same transaction.
 */
export async function giveKudos(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  address: string,
  now = new Date(),
): Promise<KudosResult> {
  const work = await loadInteractionWork(db, workId);
  if (!work) throw new KudosError(404, 'There is no work with this id. It may have been deleted.');
  const read = canReadWork(viewer, work);
  if (!read.allowed) throw new KudosError(read.status, read.reason);
  if (work.isDraft) throw new KudosError(422, 'Drafts cannot receive kudos. Post the work first.');
  if (isCreator(viewer, work)) throw new KudosError(422, "You can't leave kudos on your own work.");
  if (viewer && (await isBlockedByAny(db, viewer.id, work.creatorUserIds))) {
    throw new KudosError(403, "The creator of this work has blocked you, so you can't leave kudos on it.");
  }
  const fingerprint = viewer ? null : await guestFingerprint(db, address, now.toISOString().slice(0, 10));
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('kudos')
      .values({ work_id: workId, user_id: viewer?.id ?? null, guest_fingerprint: fingerprint })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return 'already' as const;
    await trx.updateTable('works').set({ kudos_count: sql`kudos_count + 1` }).where('id', '=', workId).execute();
    // One summary per work per day, written when the day ends (AO3 sends kudos as a daily digest).
    const day = now.toISOString().slice(0, 10);
    await enqueueJob(trx, {
      kind: KUDOS_SUMMARY_JOB,
      payload: { workId, day },
      runAt: endOfDay(now),
      dedupeKey: `kudos-summary:${workId}:${day}`,
    });
    return 'given' as const;
  });
}

export interface KudosGivers {
  users: { login: string }[];
  guests: number;
  total: number;
}

/** Who left kudos (named users, most recent first, then a count of guests). */
export async function findKudosGivers(db: Kysely<Database>, workId: number, limit = 200): Promise<KudosGivers> {
  const users = await db
    .selectFrom('kudos')
    .innerJoin('users', 'users.id', 'kudos.user_id')
    .select('users.login')
    .where('kudos.work_id', '=', workId)
    .orderBy('kudos.id', 'desc')
    .limit(limit)
    .execute();
  const counts = await db
    .selectFrom('kudos')
    .select([(eb) => eb.fn.countAll<string>().as('total'), sql<string>`count(*) filter (where user_id is null)`.as('guests')])
    .where('work_id', '=', workId)
    .executeTakeFirstOrThrow();
  return { users, guests: Number(counts.guests), total: Number(counts.total) };
}

/** Whether this viewer (or guest) has already left kudos. */
/** When the kudos panel differs from other readers': the viewer gave kudos here, or a creator blocked them. */
export function kudosPersonalSql(args: ViewerFactArgs): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from kudos where work_id = ${args.workId} and user_id = ${args.viewerId}) or ${blockedByCreatorSql(args)}`;
}

export async function hasGivenKudos(db: Kysely<Database>, viewer: Viewer, workId: number): Promise<boolean> {
  const row = await db.selectFrom('kudos').select('id').where('work_id', '=', workId).where('user_id', '=', viewer.id).executeTakeFirst();
  return row !== undefined;
}

/** The daily job: one inbox item per creator summarising the day's kudos on one work. */
export async function writeKudosSummary(db: Kysely<Database>, payload: unknown): Promise<void> {
  const p = payload as { workId?: unknown; day?: unknown };
  if (typeof p.workId !== 'number' || typeof p.day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(p.day)) return;
  const { workId, day } = { workId: p.workId, day: p.day };
  const work = await loadInteractionWork(db, workId);
  if (!work) return;
  const start = new Date(`${day}T00:00:00Z`);
  const end = new Date(start.getTime() + 86_400_000);
  const rows = await db
    .selectFrom('kudos')
    .leftJoin('users', 'users.id', 'kudos.user_id')
    .select(['users.login', 'kudos.user_id'])
    .where('kudos.work_id', '=', workId)
    .where('kudos.created_at', '>=', start)
    .where('kudos.created_at', '<', end)
    .orderBy('kudos.id')
    .execute();
  if (rows.length === 0) return;
  const names = rows.filter((r) => r.login !== null).map((r) => r.login as string);
  const guests = rows.length - names.length;
  const parts = [...names.slice(0, 10)];
  if (names.length > 10) parts.push(`${names.length - 10} more users`);
  if (guests > 0) parts.push(guests === 1 ? '1 guest' : `${guests} guests`);
  const who = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0]!;
  await db.transaction().execute(async (trx) => {
    for (const creatorId of work.creatorUserIds) {
      await addInboxItem(trx, {
        userId: creatorId,
        kind: 'kudos',
        workId,
        text: `${who} left kudos on ${work.title} (${day}).`,
        url: `/works/${workId}#kudos`,
        dedupeKey: `kudos:${workId}:${day}`,
      });
    }
  });
}

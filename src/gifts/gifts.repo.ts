import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Every gift of a work, refused ones too (the edit form keeps them from being given again). */
export function findGiftsOfWork(db: Db, workId: number) {
  return db
    .selectFrom('work_gifts')
    .leftJoin('users', 'users.id', 'work_gifts.recipient_user_id')
    .select([
      'work_gifts.id',
      'work_gifts.recipient_user_id',
      'work_gifts.recipient_pseud_id',
      'work_gifts.recipient_name',
      'work_gifts.refused_at',
      'users.login as recipient_login',
    ])
    .where('work_gifts.work_id', '=', workId)
    .orderBy('work_gifts.id')
    .execute();
}

export type GiftRow = Awaited<ReturnType<typeof findGiftsOfWork>>[number];

/** The pseuds of that name (several accounts may share one). */
export function findPseudsByName(db: Db, name: string) {
  return db
    .selectFrom('pseuds')
    .innerJoin('users', 'users.id', 'pseuds.user_id')
    .select(['users.id', 'users.login', 'pseuds.id as pseud_id', 'pseuds.name as pseud_name'])
    .where((eb) => eb(eb.fn('lower', ['pseuds.name']), '=', name.toLowerCase()))
    .limit(5)
    .execute();
}

export async function hasBlocked(db: Db, userId: number, blockedUserId: number): Promise<boolean> {
  const row = await db
    .selectFrom('blocks')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('blocked_user_id', '=', blockedUserId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertGift(
  db: Db,
  gift: { workId: number; userId: number | null; pseudId: number | null; name: string },
): Promise<void> {
  await db
    .insertInto('work_gifts')
    .values({ work_id: gift.workId, recipient_user_id: gift.userId, recipient_pseud_id: gift.pseudId, recipient_name: gift.name })
    .execute();
}

export async function deleteGifts(db: Db, workId: number, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('work_gifts').where('work_id', '=', workId).where('id', 'in', ids).execute();
}

/** Refuses one of the user's own gifts; the work id when it was theirs and not refused already. */
export async function refuseGift(db: Db, userId: number, giftId: number): Promise<number | undefined> {
  const row = await db
    .updateTable('work_gifts')
    .set({ refused_at: new Date() })
    .where('id', '=', giftId)
    .where('recipient_user_id', '=', userId)
    .where('refused_at', 'is', null)
    .returning('work_id')
    .executeTakeFirst();
  return row?.work_id;
}

export function findGift(db: Db, giftId: number) {
  return db.selectFrom('work_gifts').selectAll().where('id', '=', giftId).executeTakeFirst();
}

/** The names a work is "for" on its page: gifts not refused, in the order given. */
export function findShownRecipients(db: Db, workId: number) {
  return db
    .selectFrom('work_gifts')
    .leftJoin('users', 'users.id', 'work_gifts.recipient_user_id')
    .select(['work_gifts.recipient_name', 'users.login as recipient_login'])
    .where('work_gifts.work_id', '=', workId)
    .where('work_gifts.refused_at', 'is', null)
    .orderBy('work_gifts.id')
    .execute();
}

/**
 * The user's gifts on works this viewer may see: never drafts; hidden works only for staff;
 * restricted works only for signed-in viewers (the same rule as canReadWork, which the service
 * applies again to each row).
 */
export function findGiftsForUser(
  db: Db,
  userId: number,
  viewer: { signedIn: boolean; staff: boolean },
  page: { limit: number; offset: number },
) {
  let query = db
    .selectFrom('work_gifts')
    .innerJoin('works', 'works.id', 'work_gifts.work_id')
    .selectAll('works')
    .select((eb) => [
      'work_gifts.id as gift_id',
      'work_gifts.recipient_name',
      eb.selectFrom('hidden_works').select('hidden_works.reason').whereRef('hidden_works.work_id', '=', 'works.id').as('hidden_reason'),
    ])
    .where('work_gifts.recipient_user_id', '=', userId)
    .where('work_gifts.refused_at', 'is', null)
    .where('works.is_draft', '=', false);
  if (!viewer.staff)
    query = query.where((eb) =>
      eb.not(eb.exists(eb.selectFrom('hidden_works').select('work_id').whereRef('hidden_works.work_id', '=', 'works.id'))),
    );
  if (!viewer.signedIn) query = query.where('works.is_restricted', '=', false);
  return query.orderBy('work_gifts.id', 'desc').limit(page.limit).offset(page.offset).execute();
}

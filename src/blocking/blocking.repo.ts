import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Whether `userId` has blocked any of `blockerIds` (e.g. a work's creators). */
export async function isBlockedByAny(db: Db, userId: number, blockerIds: readonly number[]): Promise<boolean> {
  if (blockerIds.length === 0) return false;
  const row = await db
    .selectFrom('blocks')
    .select('user_id')
    .where('blocked_user_id', '=', userId)
    .where('user_id', 'in', blockerIds)
    .executeTakeFirst();
  return row !== undefined;
}

export async function mutedUserIds(db: Db, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('mutes').select('muted_user_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.muted_user_id);
}

export function listMuted(db: Db, userId: number) {
  return db
    .selectFrom('mutes')
    .innerJoin('users', 'users.id', 'mutes.muted_user_id')
    .select(['users.login', 'mutes.created_at'])
    .where('mutes.user_id', '=', userId)
    .orderBy('users.login')
    .execute();
}

export function listBlocked(db: Db, userId: number) {
  return db
    .selectFrom('blocks')
    .innerJoin('users', 'users.id', 'blocks.blocked_user_id')
    .select(['users.login', 'blocks.created_at'])
    .where('blocks.user_id', '=', userId)
    .orderBy('users.login')
    .execute();
}

export async function insertMute(db: Db, userId: number, mutedUserId: number): Promise<void> {
  await db
    .insertInto('mutes')
    .values({ user_id: userId, muted_user_id: mutedUserId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteMute(db: Db, userId: number, mutedUserId: number): Promise<void> {
  await db.deleteFrom('mutes').where('user_id', '=', userId).where('muted_user_id', '=', mutedUserId).execute();
}

export async function insertBlock(db: Db, userId: number, blockedUserId: number): Promise<void> {
  await db
    .insertInto('blocks')
    .values({ user_id: userId, blocked_user_id: blockedUserId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteBlock(db: Db, userId: number, blockedUserId: number): Promise<void> {
  await db.deleteFrom('blocks').where('user_id', '=', userId).where('blocked_user_id', '=', blockedUserId).execute();
}

import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function findAccountContact(db: Db, userId: number) {
  return db.selectFrom('users').select(['id', 'login', 'email']).where('id', '=', userId).executeTakeFirst();
}

/** Whether the address the account has now is the one it verified. */
export async function hasVerifiedCurrentEmail(db: Db, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .innerJoin('user_email_verifications as v', 'v.user_id', 'users.id')
    .select('v.user_id')
    .where('users.id', '=', userId)
    .whereRef('v.email', '=', 'users.email')
    .executeTakeFirst();
  return row !== undefined;
}

export async function recordVerifiedEmail(db: Db, userId: number, email: string, at: Date): Promise<void> {
  await db
    .insertInto('user_email_verifications')
    .values({ user_id: userId, email, verified_at: at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ email, verified_at: at }))
    .execute();
}

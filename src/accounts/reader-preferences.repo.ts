import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function findReaderPreferencesRow(db: Db, userId: number) {
  return db.selectFrom('reader_preferences').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export type ReaderPreferencesRow = NonNullable<Awaited<ReturnType<typeof findReaderPreferencesRow>>>;

export async function upsertReaderPreferencesRow(db: Db, row: Omit<ReaderPreferencesRow, 'updated_at'>): Promise<void> {
  const { user_id, ...values } = row;
  await db
    .insertInto('reader_preferences')
    .values({ ...row, updated_at: new Date() })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...values, updated_at: new Date() }))
    .execute();
}

import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { MailChoice } from '../db/tables/work-skins-and-mail.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type PreferenceRow = { comments: MailChoice; replies: MailChoice; kudos: MailChoice; gifts: MailChoice; related_works: MailChoice };

export function findPreferences(db: Db, userId: number): Promise<PreferenceRow | undefined> {
  return db
    .selectFrom('notification_preferences')
    .select(['comments', 'replies', 'kudos', 'gifts', 'related_works'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function upsertPreferences(db: Db, userId: number, prefs: PreferenceRow): Promise<void> {
  await db
    .insertInto('notification_preferences')
    .values({ user_id: userId, ...prefs, updated_at: new Date() })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...prefs, updated_at: new Date() }))
    .execute();
}

export function findRecipient(db: Db, userId: number) {
  return db.selectFrom('users').select(['id', 'login', 'email']).where('id', '=', userId).executeTakeFirst();
}

export async function hasMuted(db: Db, userId: number, actorUserId: number): Promise<boolean> {
  const row = await db
    .selectFrom('mutes')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('muted_user_id', '=', actorUserId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertDigestItem(db: Db, item: { userId: number; kind: string; text: string; url: string }): Promise<void> {
  await db
    .insertInto('notification_digest_items')
    .values({ user_id: item.userId, kind: item.kind, text: item.text, url: item.url })
    .execute();
}

export function findDigestItems(db: Db, userId: number, limit: number) {
  return db
    .selectFrom('notification_digest_items')
    .select(['id', 'kind', 'text', 'url'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Removes the user's digest items up to and including `lastId` (the ones just mailed). */
export async function deleteDigestItems(db: Db, userId: number, lastId: number): Promise<void> {
  await db.deleteFrom('notification_digest_items').where('user_id', '=', userId).where('id', '<=', lastId).execute();
}

/** The words of the comment a mail reports, unless it was deleted or hidden by a moderator since. */
export async function findMailableCommentHtml(db: Db, commentId: number): Promise<string | null> {
  const row = await db
    .selectFrom('comments')
    .select('body_html')
    .where('id', '=', commentId)
    .where('deleted_at', 'is', null)
    .where('is_hidden', '=', false)
    .executeTakeFirst();
  return row?.body_html ?? null;
}

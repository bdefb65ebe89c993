import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EmailMode } from '../db/tables/collections.ts';
import type { SubscriptionTarget } from './subscriptions.schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

const COLUMN = { work: 'work_id', creator: 'creator_user_id', series: 'series_id' } as const;

export async function findSubscriptionId(db: Db, userId: number, target: SubscriptionTarget): Promise<number | undefined> {
  const row = await db
    .selectFrom('subscriptions')
    .select('id')
    .where('user_id', '=', userId)
    .where(COLUMN[target.kind], '=', target.id)
    .executeTakeFirst();
  return row?.id;
}

/** Adds the subscription unless it exists (a double click subscribes once). */
export async function insertSubscription(db: Db, userId: number, target: SubscriptionTarget): Promise<void> {
  await sql`
    insert into subscriptions (user_id, ${sql.ref(COLUMN[target.kind])}) values (${userId}, ${target.id})
    on conflict do nothing
  `.execute(db);
}

export async function deleteSubscription(db: Db, userId: number, target: SubscriptionTarget): Promise<boolean> {
  const result = await db
    .deleteFrom('subscriptions')
    .where('user_id', '=', userId)
    .where(COLUMN[target.kind], '=', target.id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export function findSubscriptionsOfUser(db: Db, userId: number) {
  return db
    .selectFrom('subscriptions')
    .leftJoin('users as creator', 'creator.id', 'subscriptions.creator_user_id')
    .leftJoin('series', 'series.id', 'subscriptions.series_id')
    .select([
      'subscriptions.id',
      'subscriptions.work_id',
      'subscriptions.creator_user_id',
      'subscriptions.series_id',
      'subscriptions.created_at',
      'creator.login as creator_login',
      'series.title as series_title',
    ])
    .where('subscriptions.user_id', '=', userId)
    .orderBy('subscriptions.created_at', 'desc')
    .orderBy('subscriptions.id', 'desc')
    .execute();
}

export async function findEmailMode(db: Db, userId: number): Promise<EmailMode> {
  const row = await db.selectFrom('subscription_preferences').select('email_mode').where('user_id', '=', userId).executeTakeFirst();
  return row?.email_mode ?? 'each';
}

export async function upsertEmailMode(db: Db, userId: number, mode: EmailMode): Promise<void> {
  await db
    .insertInto('subscription_preferences')
    .values({ user_id: userId, email_mode: mode })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ email_mode: mode }))
    .execute();
}

/**
 * The subscribers an event reaches: subscribers of the work (a new chapter), or of its creators
 * and of the series holding it (a new work), never its own creators nor anyone who muted one.
 */
export async function findRecipients(
  db: Db,
  query: { workIds?: number[]; creatorUserIds?: number[]; seriesIds?: number[]; excludeUserIds: number[] },
): Promise<number[]> {
  const workIds = query.workIds ?? [];
  const creatorIds = query.creatorUserIds ?? [];
  const seriesIds = query.seriesIds ?? [];
  const exclude = query.excludeUserIds;
  const result = await sql<{ user_id: number }>`
    select distinct s.user_id from subscriptions s
    where (s.work_id = any(${workIds}::int[]) or s.creator_user_id = any(${creatorIds}::int[]) or s.series_id = any(${seriesIds}::int[]))
      and not (s.user_id = any(${exclude}::int[]))
      and not exists (select 1 from mutes m where m.user_id = s.user_id and m.muted_user_id = any(${exclude}::int[]))
    order by s.user_id
  `.execute(db);
  return result.rows.map((r) => r.user_id);
}

export interface NewNotification {
  eventKey: string;
  workId: number;
  subject: string;
  text: string;
  url: string;
}

/**
 * Records the event for each user who has not had it yet, with their email choice at this
 * moment; returns only the rows it added, so a retried fan-out adds nothing twice.
 */
export async function insertNotifications(db: Db, userIds: readonly number[], n: NewNotification) {
  if (userIds.length === 0) return [];
  const result = await sql<{ id: number; user_id: number; email_mode: EmailMode }>`
    insert into subscription_notifications (user_id, event_key, work_id, subject, text, url, email_mode)
    select u.id, ${n.eventKey}, ${n.workId}, ${n.subject}, ${n.text}, ${n.url}, coalesce(p.email_mode, 'each')
    from unnest(${userIds as number[]}::int[]) as u(id)
    left join subscription_preferences p on p.user_id = u.id
    on conflict (user_id, event_key) do nothing
    returning id, user_id, email_mode
  `.execute(db);
  return result.rows;
}

export function findNotificationForEmail(db: Db, notificationId: number) {
  return db
    .selectFrom('subscription_notifications')
    .innerJoin('users', 'users.id', 'subscription_notifications.user_id')
    .select([
      'subscription_notifications.id',
      'subscription_notifications.user_id',
      'subscription_notifications.event_key',
      'subscription_notifications.subject',
      'subscription_notifications.text',
      'subscription_notifications.url',
      'subscription_notifications.emailed_at',
      'users.email',
      'users.login',
    ])
    .where('subscription_notifications.id', '=', notificationId)
    .executeTakeFirst();
}

export function findPendingDigest(db: Db, userId: number, limit: number) {
  return db
    .selectFrom('subscription_notifications')
    .select(['id', 'subject', 'text', 'url', 'created_at'])
    .where('user_id', '=', userId)
    .where('email_mode', '=', 'digest')
    .where('emailed_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function markEmailed(db: Db, ids: readonly number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('subscription_notifications')
    .set({ emailed_at: at })
    .where('id', 'in', ids)
    .where('emailed_at', 'is', null)
    .execute();
}

export function findUserContact(db: Db, userId: number) {
  return db.selectFrom('users').select(['id', 'login', 'email']).where('id', '=', userId).executeTakeFirst();
}

/**
 * The inbox items of a batch of new notifications, in one statement. The same row
 * `addInboxItem` (src/inbox/inbox.service.ts) writes, for many users at once; an item with the
 * same dedupe key is left as it is (a retry must not mark it unread again).
 */
export async function insertInboxItems(
  db: Db,
  userIds: readonly number[],
  item: { kind: string; workId: number; text: string; url: string; dedupeKey: string },
): Promise<void> {
  if (userIds.length === 0) return;
  await sql`
    insert into inbox_items (user_id, kind, work_id, text, url, dedupe_key)
    select u.id, ${item.kind}, ${item.workId}, ${item.text.slice(0, 1000)}, ${item.url}, ${item.dedupeKey}
    from unnest(${userIds as number[]}::int[]) as u(id)
    on conflict (user_id, dedupe_key) where dedupe_key is not null do nothing
  `.execute(db);
}

/** One job per (payload, dedupe key), in one statement; keys already taken are skipped (enqueueJob's rule). */
export async function enqueueJobs(
  db: Db,
  kind: string,
  jobs: ReadonlyArray<{ payload: unknown; dedupeKey: string }>,
  runAt: Date,
): Promise<void> {
  if (jobs.length === 0) return;
  await sql`
    insert into jobs (kind, payload, run_at, dedupe_key)
    select ${kind}, j.payload::jsonb, ${runAt}, j.key
    from unnest(${jobs.map((j) => JSON.stringify(j.payload))}::text[], ${jobs.map((j) => j.dedupeKey)}::text[]) as j(payload, key)
    on conflict (dedupe_key) where dedupe_key is not null do nothing
  `.execute(db);
}

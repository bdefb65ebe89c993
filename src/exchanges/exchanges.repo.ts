// Rows of gift exchanges, their sign-ups and assignments. Every function takes the handle first.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function findCollectionByName(db: Db, name: string) {
  return db
    .selectFrom('collections')
    .select(['id', 'name', 'title', 'is_anonymous', 'is_unrevealed', 'is_closed'])
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .executeTakeFirst();
}

export function findParticipants(db: Db, collectionId: number) {
  return db
    .selectFrom('collection_participants')
    .innerJoin('users', 'users.id', 'collection_participants.user_id')
    .select(['collection_participants.user_id as userId', 'collection_participants.role', 'users.login'])
    .where('collection_participants.collection_id', '=', collectionId)
    .execute();
}

export function findExchangeOfCollection(db: Db, collectionId: number, lock = false) {
  let query = db.selectFrom('gift_exchanges').selectAll().where('collection_id', '=', collectionId);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function findExchangeById(db: Db, id: number) {
  return db.selectFrom('gift_exchanges').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertExchange(
  db: Db,
  row: {
    collectionId: number;
    opensAt: Date;
    closesAt: Date;
    dueAt: Date | null;
    rules: unknown;
    tagSet: unknown;
    nominationLimits: unknown;
    nominationsOpenAt: Date | null;
    nominationsCloseAt: Date | null;
  },
): Promise<number> {
  const inserted = await db
    .insertInto('gift_exchanges')
    .values({
      collection_id: row.collectionId,
      signups_open_at: row.opensAt,
      signups_close_at: row.closesAt,
      due_at: row.dueAt,
      rules: JSON.stringify(row.rules),
      tag_set: JSON.stringify(row.tagSet),
      nomination_limits: JSON.stringify(row.nominationLimits),
      nominations_open_at: row.nominationsOpenAt,
      nominations_close_at: row.nominationsCloseAt,
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateExchangeSettings(
  db: Db,
  id: number,
  row: {
    opensAt: Date;
    closesAt: Date;
    dueAt: Date | null;
    rules: unknown;
    tagSet: unknown;
    nominationLimits: unknown;
    nominationsOpenAt: Date | null;
    nominationsCloseAt: Date | null;
  },
): Promise<void> {
  await db
    .updateTable('gift_exchanges')
    .set({
      signups_open_at: row.opensAt,
      signups_close_at: row.closesAt,
      due_at: row.dueAt,
      rules: JSON.stringify(row.rules),
      tag_set: JSON.stringify(row.tagSet),
      nomination_limits: JSON.stringify(row.nominationLimits),
      nominations_open_at: row.nominationsOpenAt,
      nominations_close_at: row.nominationsCloseAt,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function setExchangeStatus(
  db: Db,
  id: number,
  status: 'signups' | 'matching' | 'matched' | 'sent',
  extra: { summary?: unknown; error?: string | null } = {},
): Promise<void> {
  await db
    .updateTable('gift_exchanges')
    .set({
      status,
      updated_at: new Date(),
      ...(extra.summary !== undefined ? { match_summary: JSON.stringify(extra.summary) } : {}),
      ...(extra.error !== undefined ? { match_error: extra.error } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Tag names of one type that exist on the archive (whatever their case), as the archive spells them. */
export async function findExistingTags(db: Db, type: string, names: readonly string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await sql<{ name: string }>`
    select name from tags where type = ${type} and lower(name) = any(${names.map((n) => n.toLowerCase())}::text[])`.execute(db);
  return new Map(rows.rows.map((r) => [r.name.toLowerCase(), r.name]));
}

export function findSignUps(db: Db, exchangeId: number) {
  return db
    .selectFrom('exchange_signups')
    .innerJoin('users', 'users.id', 'exchange_signups.user_id')
    .select([
      'exchange_signups.id',
      'exchange_signups.user_id',
      'users.login',
      'exchange_signups.requests',
      'exchange_signups.offers',
      'exchange_signups.updated_at',
    ])
    .where('exchange_signups.exchange_id', '=', exchangeId)
    .orderBy('users.login')
    .execute();
}

export function findSignUpOf(db: Db, exchangeId: number, userId: number) {
  return db
    .selectFrom('exchange_signups')
    .selectAll()
    .where('exchange_id', '=', exchangeId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function upsertSignUp(db: Db, exchangeId: number, userId: number, requests: unknown, offers: unknown): Promise<boolean> {
  const existing = await findSignUpOf(db, exchangeId, userId);
  if (existing) {
    await db
      .updateTable('exchange_signups')
      .set({ requests: JSON.stringify(requests), offers: JSON.stringify(offers), updated_at: new Date() })
      .where('id', '=', existing.id)
      .execute();
    return false;
  }
  await db
    .insertInto('exchange_signups')
    .values({
      exchange_id: exchangeId,
      user_id: userId,
      requests: JSON.stringify(requests),
      offers: JSON.stringify(offers),
      updated_at: new Date(),
    })
    .execute();
  return true;
}

export async function deleteSignUp(db: Db, exchangeId: number, userId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('exchange_signups')
    .where('exchange_id', '=', exchangeId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Assignments with the giver's and recipient's logins. */
export function findAssignments(db: Db, exchangeId: number) {
  return db
    .selectFrom('exchange_assignments as a')
    .innerJoin('exchange_signups as r', 'r.id', 'a.recipient_signup_id')
    .innerJoin('users as ru', 'ru.id', 'r.user_id')
    .leftJoin('users as gu', 'gu.id', 'a.giver_user_id')
    .select([
      'a.id',
      'a.giver_user_id',
      'gu.login as giver_login',
      'r.user_id as recipient_user_id',
      'ru.login as recipient_login',
      'r.requests as recipient_requests',
      'a.weight',
      'a.pinch_hit',
      'a.sent_at',
      'a.defaulted_user_ids',
      'a.work_id',
      'a.fulfilled_at',
    ])
    .where('a.exchange_id', '=', exchangeId)
    .orderBy('ru.login')
    .execute();
}

export type AssignmentRow = Awaited<ReturnType<typeof findAssignments>>[number];

export function findAssignmentById(db: Db, id: number) {
  return db
    .selectFrom('exchange_assignments as a')
    .innerJoin('gift_exchanges as e', 'e.id', 'a.exchange_id')
    .innerJoin('collections as c', 'c.id', 'e.collection_id')
    .innerJoin('exchange_signups as r', 'r.id', 'a.recipient_signup_id')
    .innerJoin('users as ru', 'ru.id', 'r.user_id')
    .select([
      'a.id',
      'a.exchange_id',
      'a.giver_user_id',
      'a.sent_at',
      'a.work_id',
      'a.fulfilled_at',
      'a.defaulted_user_ids',
      'a.pinch_hit',
      'r.user_id as recipient_user_id',
      'ru.login as recipient_login',
      'r.requests as recipient_requests',
      'e.collection_id',
      'e.due_at',
      'c.name as collection_name',
      'c.title as collection_title',
    ])
    .where('a.id', '=', id)
    .executeTakeFirst();
}

/** Replaces the draft (unsent) assignments with these. */
export async function replaceDraftAssignments(
  db: Db,
  exchangeId: number,
  rows: ReadonlyArray<{ recipientSignUpId: number; giverUserId: number; weight: number }>,
): Promise<void> {
  await db.deleteFrom('exchange_assignments').where('exchange_id', '=', exchangeId).execute();
  if (rows.length === 0) return;
  await db
    .insertInto('exchange_assignments')
    .values(
      rows.map((r) => ({
        exchange_id: exchangeId,
        recipient_signup_id: r.recipientSignUpId,
        giver_user_id: r.giverUserId,
        weight: r.weight,
      })),
    )
    .execute();
}

export function markAssignmentsSent(db: Db, exchangeId: number) {
  return db
    .updateTable('exchange_assignments')
    .set({ sent_at: new Date() })
    .where('exchange_id', '=', exchangeId)
    .where('giver_user_id', 'is not', null)
    .returning(['id', 'giver_user_id'])
    .execute();
}

export async function setAssignmentGiver(
  db: Db,
  id: number,
  change: { giverUserId: number | null; defaulted?: number[]; pinchHit?: boolean },
): Promise<void> {
  await db
    .updateTable('exchange_assignments')
    .set({
      giver_user_id: change.giverUserId,
      sent_at: change.giverUserId === null ? null : new Date(),
      ...(change.defaulted ? { defaulted_user_ids: change.defaulted } : {}),
      ...(change.pinchHit !== undefined ? { pinch_hit: change.pinchHit } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function setAssignmentWork(db: Db, id: number, workId: number): Promise<void> {
  await db.updateTable('exchange_assignments').set({ work_id: workId, fulfilled_at: new Date() }).where('id', '=', id).execute();
}

/** The viewer's posted works, newest first: what they can post for an assignment. */
export function findPostedWorksOf(db: Db, userId: number) {
  return db
    .selectFrom('works')
    .innerJoin('work_creators', 'work_creators.work_id', 'works.id')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select(['works.id', 'works.title'])
    .where('pseuds.user_id', '=', userId)
    .where('works.is_draft', '=', false)
    .orderBy('works.id', 'desc')
    .limit(200)
    .execute();
}

export async function isCreatorOfPostedWork(db: Db, userId: number, workId: number): Promise<boolean> {
  const row = await db
    .selectFrom('works')
    .innerJoin('work_creators', 'work_creators.work_id', 'works.id')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select('works.id')
    .where('works.id', '=', workId)
    .where('pseuds.user_id', '=', userId)
    .where('works.is_draft', '=', false)
    .executeTakeFirst();
  return row !== undefined;
}

/** Puts the work in the collection, approved on both sides (the exchange asked for it; its creator posts it). */
export async function putWorkInCollection(db: Db, collectionId: number, workId: number, userId: number): Promise<void> {
  const existing = await db
    .selectFrom('collection_items')
    .select(['id'])
    .where('collection_id', '=', collectionId)
    .where('work_id', '=', workId)
    .executeTakeFirst();
  if (existing) {
    await db
      .updateTable('collection_items')
      .set({ collection_approval: 'approved', creator_approval: 'approved' })
      .where('id', '=', existing.id)
      .execute();
    return;
  }
  await db
    .insertInto('collection_items')
    .values({
      collection_id: collectionId,
      work_id: workId,
      collection_approval: 'approved',
      creator_approval: 'approved',
      added_by: userId,
    })
    .execute();
}

export async function insertPinchHitAssignment(
  db: Db,
  exchangeId: number,
  recipientSignUpId: number,
  giverUserId: number,
): Promise<number> {
  const row = await db
    .insertInto('exchange_assignments')
    .values({
      exchange_id: exchangeId,
      recipient_signup_id: recipientSignUpId,
      giver_user_id: giverUserId,
      pinch_hit: true,
      sent_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setTagSet(db: Db, exchangeId: number, tagSet: unknown): Promise<void> {
  await db
    .updateTable('gift_exchanges')
    .set({ tag_set: JSON.stringify(tagSet), updated_at: new Date() })
    .where('id', '=', exchangeId)
    .execute();
}

/** An exchange's nominations with their nominators, the pending first, then by type and name. */
export function findNominations(db: Db, exchangeId: number, userId?: number) {
  let query = db
    .selectFrom('exchange_tag_nominations as n')
    .innerJoin('users', 'users.id', 'n.user_id')
    .select(['n.id', 'n.user_id', 'users.login', 'n.tag_type', 'n.tag_name', 'n.status', 'n.created_at', 'n.decided_at'])
    .where('n.exchange_id', '=', exchangeId);
  if (userId !== undefined) query = query.where('n.user_id', '=', userId);
  return query
    .orderBy(sql`case when n.status = 'pending' then 0 else 1 end`)
    .orderBy('n.tag_type')
    .orderBy('n.tag_name')
    .orderBy('n.id')
    .execute();
}
export type NominationRow = Awaited<ReturnType<typeof findNominations>>[number];

export function findNominationById(db: Db, exchangeId: number, id: number) {
  return db
    .selectFrom('exchange_tag_nominations')
    .selectAll()
    .where('exchange_id', '=', exchangeId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Adds one person's nominations; a tag they nominated before is left as it was. */
export async function insertNominations(
  db: Db,
  exchangeId: number,
  userId: number,
  rows: ReadonlyArray<{ type: string; name: string }>,
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await sql<{ id: number }>`
    insert into exchange_tag_nominations (exchange_id, user_id, tag_type, tag_name)
    select ${exchangeId}, ${userId}, t.type, t.name
      from unnest(${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.name)}::text[]) as t(type, name)
    on conflict do nothing
    returning id`.execute(db);
  return inserted.rows.length;
}

/** A nomination a review decided, with its nominator: whom to tell. */
export interface NominationDecisionRow {
  id: number;
  user_id: number;
  tag_type: string;
  tag_name: string;
  status: 'pending' | 'approved' | 'rejected';
}

/** Decides every pending nomination of one tag (approving one approves its repeats by others too); returns those decided. */
export function decideNominationsOfTag(
  db: Db,
  exchangeId: number,
  type: string,
  name: string,
  status: 'approved' | 'rejected',
  deciderId: number,
  onlyId?: number,
): Promise<NominationDecisionRow[]> {
  let query = db
    .updateTable('exchange_tag_nominations')
    .set({ status, decided_by_user_id: deciderId, decided_at: new Date() })
    .where('exchange_id', '=', exchangeId)
    .where('status', '=', 'pending');
  query =
    onlyId !== undefined
      ? query.where('id', '=', onlyId)
      : query.where('tag_type', '=', type).where(sql<boolean>`lower(tag_name) = lower(${name})`);
  return query.returning(['id', 'user_id', 'tag_type', 'tag_name', 'status']).execute();
}

/** Deletes a nomination (its nominator withdrew it while it waited). */
export async function deleteNomination(db: Db, id: number): Promise<void> {
  await db.deleteFrom('exchange_tag_nominations').where('id', '=', id).where('status', '=', 'pending').execute();
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** What an invitation is for: one work or one series. */
export type CreditTarget = { kind: 'work'; id: number } | { kind: 'series'; id: number };

export interface PseudMatch {
  pseud_id: number;
  pseud_name: string;
  user_id: number;
  login: string;
}

/**
 * The pseuds a typed name can mean: "name (login)" names one exactly; a bare name is any pseud of
 * that name, or the default pseud of the user with that login.
 */
export async function findPseudsByByline(db: Db, byline: string): Promise<PseudMatch[]> {
  const base = db
    .selectFrom('pseuds')
    .innerJoin('users', 'users.id', 'pseuds.user_id')
    .select(['pseuds.id as pseud_id', 'pseuds.name as pseud_name', 'users.id as user_id', 'users.login as login']);
  const qualified = /^(.+?)\s*\(([^()]+)\)$/.exec(byline);
  if (qualified) {
    return base
      .where(sql`lower(pseuds.name)`, '=', qualified[1]!.trim().toLowerCase())
      .where(sql`lower(users.login)`, '=', qualified[2]!.trim().toLowerCase())
      .execute();
  }
  const key = byline.toLowerCase();
  const byName = await base.where(sql`lower(pseuds.name)`, '=', key).orderBy('users.login').limit(10).execute();
  if (byName.length > 0) return byName;
  return base.where(sql`lower(users.login)`, '=', key).where('pseuds.is_default', '=', true).execute();
}

export function findPseudOfUser(db: Db, userId: number, pseudId: number) {
  return db.selectFrom('pseuds').select(['id', 'name']).where('id', '=', pseudId).where('user_id', '=', userId).executeTakeFirst();
}

/** Whether the user accepts co-creator invitations (yes unless they said no). */
export async function allowsInvitations(db: Db, userId: number): Promise<boolean> {
  const row = await db.selectFrom('co_creator_preferences').select('allows_invitations').where('user_id', '=', userId).executeTakeFirst();
  return row?.allows_invitations ?? true;
}

export async function saveAllowsInvitations(db: Db, userId: number, allows: boolean): Promise<void> {
  await db
    .insertInto('co_creator_preferences')
    .values({ user_id: userId, allows_invitations: allows })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ allows_invitations: allows }))
    .execute();
}

/** Whether `userId` blocked `blockedUserId`. */
export async function hasBlocked(db: Db, userId: number, blockedUserId: number): Promise<boolean> {
  const row = await db
    .selectFrom('blocks')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('blocked_user_id', '=', blockedUserId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The series row, locked until the transaction ends, with its creators' user ids. */
export async function lockSeries(db: Db, seriesId: number) {
  const series = await db.selectFrom('series').select(['id', 'title']).where('id', '=', seriesId).forUpdate().executeTakeFirst();
  if (!series) return undefined;
  const creators = await db
    .selectFrom('series_creators')
    .innerJoin('users', 'users.id', 'series_creators.user_id')
    .select(['users.id as user_id', 'users.login as login'])
    .where('series_creators.series_id', '=', seriesId)
    .orderBy('users.login')
    .execute();
  return { series, creators };
}

export function findSeriesTitle(db: Db, seriesId: number) {
  return db.selectFrom('series').select(['id', 'title']).where('id', '=', seriesId).executeTakeFirst();
}

/** The pending invitations of a work or series, with the invited pseuds. */
export function findInvitationsOf(db: Db, target: CreditTarget) {
  return db
    .selectFrom('co_creator_invitations as i')
    .innerJoin('pseuds', 'pseuds.id', 'i.pseud_id')
    .innerJoin('users', 'users.id', 'pseuds.user_id')
    .select(['i.id', 'i.pseud_id', 'pseuds.name as pseud_name', 'users.id as user_id', 'users.login as login', 'i.created_at'])
    .where(target.kind === 'work' ? 'i.work_id' : 'i.series_id', '=', target.id)
    .orderBy('i.id')
    .execute();
}

export async function insertInvitation(db: Db, target: CreditTarget, pseudId: number, invitedBy: number): Promise<number> {
  const row = await db
    .insertInto('co_creator_invitations')
    .values({
      work_id: target.kind === 'work' ? target.id : null,
      series_id: target.kind === 'series' ? target.id : null,
      pseud_id: pseudId,
      invited_by_user_id: invitedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The user's pending invitations, newest first, with what they are for and who sent them. */
export function findInvitationsForUser(db: Db, userId: number) {
  return db
    .selectFrom('co_creator_invitations as i')
    .innerJoin('pseuds', 'pseuds.id', 'i.pseud_id')
    .leftJoin('works', 'works.id', 'i.work_id')
    .leftJoin('series', 'series.id', 'i.series_id')
    .leftJoin('users as inviter', 'inviter.id', 'i.invited_by_user_id')
    .select([
      'i.id',
      'i.work_id',
      'i.series_id',
      'i.created_at',
      'pseuds.name as pseud_name',
      'works.title as work_title',
      'series.title as series_title',
      'inviter.login as inviter_login',
    ])
    .where('pseuds.user_id', '=', userId)
    .orderBy('i.id', 'desc')
    .limit(500)
    .execute();
}

/** One invitation, locked, when it was sent to one of the user's pseuds. */
export function lockInvitationForUser(db: Db, userId: number, invitationId: number) {
  return db
    .selectFrom('co_creator_invitations as i')
    .innerJoin('pseuds', 'pseuds.id', 'i.pseud_id')
    .select(['i.id', 'i.work_id', 'i.series_id', 'i.pseud_id', 'i.invited_by_user_id', 'pseuds.name as pseud_name'])
    .where('i.id', '=', invitationId)
    .where('pseuds.user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

export async function deleteInvitation(db: Db, invitationId: number): Promise<void> {
  await db.deleteFrom('co_creator_invitations').where('id', '=', invitationId).execute();
}

/** Credits the pseud after the work's other creators. */
export async function appendWorkCreator(db: Db, workId: number, pseudId: number): Promise<void> {
  await sql`
    insert into work_creators (work_id, pseud_id, position)
    values (${workId}, ${pseudId}, (select coalesce(max(position), -1) + 1 from work_creators where work_id = ${workId}))
    on conflict (work_id, pseud_id) do nothing
  `.execute(db);
}

export async function insertSeriesCreator(db: Db, seriesId: number, userId: number): Promise<void> {
  await db
    .insertInto('series_creators')
    .values({ series_id: seriesId, user_id: userId })
    .onConflict((oc) => oc.columns(['series_id', 'user_id']).doNothing())
    .execute();
}

/** Takes every credit of the user's pseuds off the work; returns the pseuds and positions removed. */
export async function deleteWorkCreditsOfUser(db: Db, workId: number, userId: number) {
  return db
    .deleteFrom('work_creators')
    .where('work_id', '=', workId)
    .where('pseud_id', 'in', db.selectFrom('pseuds').select('id').where('user_id', '=', userId))
    .returning(['pseud_id', 'position'])
    .execute();
}

export async function deleteSeriesCreator(db: Db, seriesId: number, userId: number): Promise<boolean> {
  const result = await db.deleteFrom('series_creators').where('series_id', '=', seriesId).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The series the user is a creator of, oldest first. */
export function findSeriesOfUser(db: Db, userId: number) {
  return db
    .selectFrom('series_creators')
    .innerJoin('series', 'series.id', 'series_creators.series_id')
    .select(['series.id', 'series.title'])
    .where('series_creators.user_id', '=', userId)
    .orderBy('series.id')
    .execute();
}

/** The works credited to the user, posted ones apart from drafts. */
export function findWorksOfUser(db: Db, userId: number) {
  return db
    .selectFrom('work_creators')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .innerJoin('works', 'works.id', 'work_creators.work_id')
    .select(['works.id', 'works.title', 'works.is_draft'])
    .distinct()
    .where('pseuds.user_id', '=', userId)
    .orderBy('works.id')
    .execute();
}

/** The orphan account's pseud of this name, made when first needed. */
export async function ensureOrphanPseud(db: Db, orphanUserId: number, name: string): Promise<number> {
  const existing = await db
    .selectFrom('pseuds')
    .select('id')
    .where('user_id', '=', orphanUserId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  if (existing) return existing.id;
  const row = await db
    .insertInto('pseuds')
    .values({ user_id: orphanUserId, name, is_default: false })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findUserIdOfPseud(db: Db, pseudId: number): Promise<number> {
  const row = await db.selectFrom('pseuds').select('user_id').where('id', '=', pseudId).executeTakeFirstOrThrow();
  return row.user_id;
}

export function findPseudNames(db: Db, pseudIds: readonly number[]) {
  if (pseudIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('pseuds').select(['id', 'name']).where('id', 'in', pseudIds).execute();
}

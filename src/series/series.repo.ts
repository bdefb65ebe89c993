import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface SeriesFields {
  title: string;
  summary_html: string;
  notes_html: string;
  is_complete: boolean;
}

export async function insertSeries(db: Db, fields: SeriesFields, creatorUserId: number): Promise<number> {
  const row = await db.insertInto('series').values(fields).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('series_creators').values({ series_id: row.id, user_id: creatorUserId }).execute();
  return row.id;
}

export async function updateSeriesFields(db: Db, seriesId: number, fields: SeriesFields): Promise<void> {
  await db
    .updateTable('series')
    .set({ ...fields, updated_at: new Date() })
    .where('id', '=', seriesId)
    .execute();
}

export async function deleteSeriesRow(db: Db, seriesId: number): Promise<void> {
  await db.deleteFrom('series').where('id', '=', seriesId).execute();
}

export function findSeriesRow(db: Db, seriesId: number) {
  return db.selectFrom('series').selectAll().where('id', '=', seriesId).executeTakeFirst();
}

/** Locks the series row for the rest of the transaction (two creators adding works at once). */
export function lockSeriesRow(db: Db, seriesId: number) {
  return db.selectFrom('series').selectAll().where('id', '=', seriesId).forUpdate().executeTakeFirst();
}

export function findSeriesCreators(db: Db, seriesId: number) {
  return db
    .selectFrom('series_creators')
    .innerJoin('users', 'users.id', 'series_creators.user_id')
    .select(['users.id as user_id', 'users.login as login'])
    .where('series_creators.series_id', '=', seriesId)
    .orderBy('users.login')
    .execute();
}

/** The works of a series in order (every work, readable or not). */
export function findSeriesWorkIds(db: Db, seriesId: number) {
  return db.selectFrom('series_works').select(['work_id', 'position']).where('series_id', '=', seriesId).orderBy('position').execute();
}

export async function appendWorkToSeries(db: Db, seriesId: number, workId: number): Promise<boolean> {
  const result = await sql<{ work_id: number }>`
    insert into series_works (series_id, work_id, position)
    values (${seriesId}, ${workId}, (select coalesce(max(position), 0) + 1 from series_works where series_id = ${seriesId}))
    on conflict (series_id, work_id) do nothing
    returning work_id
  `.execute(db);
  return result.rows.length > 0;
}

export async function removeWorkFromSeries(db: Db, seriesId: number, workId: number): Promise<boolean> {
  const result = await db.deleteFrom('series_works').where('series_id', '=', seriesId).where('work_id', '=', workId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Sets positions 1..n in the given order (the unique constraint is checked at commit). */
export async function setSeriesOrder(db: Db, seriesId: number, workIds: readonly number[]): Promise<void> {
  for (const [index, workId] of workIds.entries()) {
    await db
      .updateTable('series_works')
      .set({ position: index + 1 })
      .where('series_id', '=', seriesId)
      .where('work_id', '=', workId)
      .execute();
  }
}

/** Every series a work is part of, with the work's position. */
export function findSeriesOfWork(db: Db, workId: number) {
  return db
    .selectFrom('series_works')
    .innerJoin('series', 'series.id', 'series_works.series_id')
    .select(['series.id as id', 'series.title as title'])
    .where('series_works.work_id', '=', workId)
    .orderBy('series.id')
    .execute();
}

/** Series a user created, newest first. */
export function findSeriesOfCreator(db: Db, userId: number) {
  return db
    .selectFrom('series')
    .innerJoin('series_creators', 'series_creators.series_id', 'series.id')
    .select(['series.id', 'series.title', 'series.updated_at'])
    .where('series_creators.user_id', '=', userId)
    .orderBy('series.updated_at', 'desc')
    .orderBy('series.id', 'desc')
    .execute();
}

/** A creator's works (posted or draft) with their titles, for the "add a work" form. */
export function findWorksOfCreator(db: Db, userId: number) {
  return db
    .selectFrom('works')
    .innerJoin('work_creators', 'work_creators.work_id', 'works.id')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select(['works.id', 'works.title', 'works.is_draft'])
    .where('pseuds.user_id', '=', userId)
    .groupBy(['works.id', 'works.title', 'works.is_draft'])
    .orderBy('works.title')
    .execute();
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, TagType } from '../db/schema.ts';
import { toSortableName } from '../tags/relationship-names.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface WorkFields {
  title: string;
  summary_html: string;
  notes_html: string;
  end_notes_html: string;
  language: string;
  expected_chapters: number | null;
  is_restricted: boolean;
  /** Undefined leaves it as it is (Kysely skips undefined values). */
  show_next_chapter_date?: boolean | undefined;
}

export async function insertWork(db: Db, fields: WorkFields & { is_draft: boolean; published_at: Date | null }): Promise<number> {
  const row = await db.insertInto('works').values(fields).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateWorkFields(db: Db, workId: number, fields: Partial<WorkFields>): Promise<void> {
  await db
    .updateTable('works')
    .set({ ...fields, version: sql`version + 1`, updated_at: new Date() })
    .where('id', '=', workId)
    .execute();
}

export async function insertCreator(db: Db, workId: number, pseudId: number, position: number): Promise<void> {
  await db.insertInto('work_creators').values({ work_id: workId, pseud_id: pseudId, position }).execute();
}

export interface ChapterFields {
  title: string;
  summary_html: string;
  notes_html: string;
  end_notes_html: string;
  body_html: string;
  word_count: number;
}

/** Inserts a chapter; with `scheduledAt` it stays unposted (seen only by the creators) until a job posts it. */
export async function insertChapter(db: Db, workId: number, position: number, fields: ChapterFields, scheduledAt?: Date): Promise<number> {
  const row = await db
    .insertInto('chapters')
    .values({ work_id: workId, position, ...fields, ...(scheduledAt ? { posted: false, scheduled_at: scheduledAt } : {}) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateChapter(db: Db, chapterId: number, fields: ChapterFields): Promise<void> {
  await db
    .updateTable('chapters')
    .set({ ...fields, updated_at: new Date() })
    .where('id', '=', chapterId)
    .execute();
}

export async function deleteChapterRow(db: Db, chapterId: number): Promise<void> {
  await db.deleteFrom('chapters').where('id', '=', chapterId).execute();
}

/** Sets chapter positions 1..n in the given order (the unique constraint is deferred to commit). */
export async function setChapterOrder(db: Db, workId: number, chapterIds: readonly number[]): Promise<void> {
  for (const [index, id] of chapterIds.entries()) {
    await db
      .updateTable('chapters')
      .set({ position: index + 1 })
      .where('id', '=', id)
      .where('work_id', '=', workId)
      .execute();
  }
}

/** Recomputes the work's word and chapter counts from its posted chapters (what readers see), and marks it changed. */
export async function refreshWorkCounts(db: Db, workId: number, options: { touchUpdatedAt: boolean }): Promise<void> {
  await db
    .updateTable('works')
    .set({
      word_count: sql`(select coalesce(sum(word_count), 0) from chapters where work_id = ${workId} and posted)`,
      chapter_count: sql`(select count(*) from chapters where work_id = ${workId} and posted)`,
      version: sql`version + 1`,
      ...(options.touchUpdatedAt ? { updated_at: new Date() } : {}),
    })
    .where('id', '=', workId)
    .execute();
  // AO3's rule: a work is complete when it has as many chapters as it expects.
  await db
    .updateTable('works')
    .set({ is_complete: sql`expected_chapters is not null and chapter_count >= expected_chapters` })
    .where('id', '=', workId)
    .execute();
}

export async function publishWork(db: Db, workId: number, at: Date): Promise<void> {
  await db
    .updateTable('works')
    .set({ is_draft: false, published_at: at, updated_at: at, version: sql`version + 1` })
    .where('id', '=', workId)
    .execute();
  await db.updateTable('chapters').set({ published_at: at }).where('work_id', '=', workId).where('posted', '=', true).execute();
}

export async function deleteWorkRow(db: Db, workId: number): Promise<void> {
  await db.deleteFrom('works').where('id', '=', workId).execute();
}

/** Finds or creates each tag of a type by name (case-insensitive), returning their ids in order. */
export async function ensureTags(db: Db, type: TagType, names: readonly string[]): Promise<number[]> {
  if (names.length === 0) return [];
  await db
    .insertInto('tags')
    .values(names.map((name) => ({ type, name, sortable_name: toSortableName(name) })))
    .onConflict((oc) => oc.expression(sql`type, lower(name)`).doNothing())
    .execute();
  const rows = await db
    .selectFrom('tags')
    .select(['id', 'name'])
    .where('type', '=', type)
    .where(
      sql`lower(name)`,
      'in',
      names.map((n) => n.toLowerCase()),
    )
    .execute();
  const byName = new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
  return names.map((n) => byName.get(n.toLowerCase())!).filter((id) => id !== undefined);
}

/** Replaces the work's tags with the given ids. */
export async function replaceWorkTags(db: Db, workId: number, tagIds: readonly number[]): Promise<void> {
  await db.deleteFrom('work_tags').where('work_id', '=', workId).execute();
  const unique = [...new Set(tagIds)];
  if (unique.length > 0) {
    await db
      .insertInto('work_tags')
      .values(unique.map((tag_id, position) => ({ work_id: workId, tag_id, position })))
      .execute();
  }
}

/**
 * Locks the work's row until the transaction ends. Everything that renumbers or counts a work's
 * chapters (adding, deleting, reordering, posting a waiting one) takes it first, so two of them
 * on one work take turns instead of colliding on chapter positions or deadlocking.
 */
export async function lockWorkRow(trx: Db, workId: number): Promise<void> {
  await trx.selectFrom('works').select('id').where('id', '=', workId).forUpdate().execute();
}

export function findWorkRow(db: Db, workId: number) {
  return db
    .selectFrom('works')
    .selectAll('works')
    .select((eb) =>
      eb.selectFrom('hidden_works').select('hidden_works.reason').whereRef('hidden_works.work_id', '=', 'works.id').as('hidden_reason'),
    )
    .where('id', '=', workId)
    .executeTakeFirst();
}

/** The chapters readers see (posted ones), or with 'all' also those not posted yet (for the creators). */
export function findChaptersOfWork(db: Db, workId: number, which: 'posted' | 'all' = 'posted') {
  return db
    .selectFrom('chapters')
    .selectAll()
    .where('work_id', '=', workId)
    .$if(which === 'posted', (qb) => qb.where('posted', '=', true))
    .orderBy('position')
    .execute();
}

/** Every chapter, posted or not (for the creators' edits). */
export function findChapterHeadings(db: Db, workId: number) {
  return db
    .selectFrom('chapters')
    .select(['id', 'position', 'title', 'word_count', 'published_at', 'posted'])
    .where('work_id', '=', workId)
    .orderBy('position')
    .execute();
}

export interface CreatorRow {
  work_id: number;
  pseud_id: number;
  pseud_name: string;
  user_id: number;
  login: string;
}

/** The credited pseuds (with their users) of each work, in credit order. */
export function findCreatorsOfWorks(db: Db, workIds: readonly number[]): Promise<CreatorRow[]> {
  if (workIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('work_creators')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .innerJoin('users', 'users.id', 'pseuds.user_id')
    .select([
      'work_creators.work_id as work_id',
      'pseuds.id as pseud_id',
      'pseuds.name as pseud_name',
      'users.id as user_id',
      'users.login as login',
    ])
    .where('work_creators.work_id', 'in', workIds)
    .orderBy('work_creators.work_id')
    .orderBy('work_creators.position')
    .execute();
}

export interface WorkTagRow {
  work_id: number;
  id: number;
  type: TagType;
  name: string;
}

/** The tags of each work, by type then name. */
export function findTagsOfWorks(db: Db, workIds: readonly number[]): Promise<WorkTagRow[]> {
  if (workIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('work_tags')
    .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
    .select(['work_tags.work_id as work_id', 'tags.id as id', 'tags.type as type', 'tags.name as name'])
    .where('work_tags.work_id', 'in', workIds)
    .orderBy('work_tags.position')
    .execute();
}

/** Adds buffered hits to works in one statement. */
export async function addHits(db: Db, hits: ReadonlyMap<number, number>): Promise<void> {
  if (hits.size === 0) return;
  const ids = [...hits.keys()];
  const counts = ids.map((id) => hits.get(id)!);
  await sql`
    update works set hits = works.hits + h.n
    from (select unnest(${ids}::int[]) as id, unnest(${counts}::int[]) as n) as h
    where works.id = h.id
  `.execute(db);
}

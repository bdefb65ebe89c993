import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const COMMENT_COLUMNS = [
  'comments.id',
  'comments.work_id',
  'comments.chapter_id',
  'comments.paragraph',
  'comments.parent_id',
  'comments.user_id',
  'comments.pseud_name',
  'comments.guest_name',
  'comments.body_html',
  'comments.is_approved',
  'comments.is_hidden',
  'comments.is_frozen',
  'comments.deleted_at',
  'comments.edited_at',
  'comments.created_at',
] as const;

export function findComment(db: Db, commentId: number) {
  return db
    .selectFrom('comments')
    .leftJoin('users', 'users.id', 'comments.user_id')
    .select([...COMMENT_COLUMNS, 'users.login'])
    .where('comments.id', '=', commentId)
    .executeTakeFirst();
}

export type CommentRow = NonNullable<Awaited<ReturnType<typeof findComment>>>;

/** Comments of a work, oldest first; a chapter's only when chapterId is given. */
export function findCommentsOfWork(db: Db, workId: number, options: { chapterId?: number | undefined; paragraph?: number | undefined; limit?: number } = {}) {
  let query = db
    .selectFrom('comments')
    .leftJoin('users', 'users.id', 'comments.user_id')
    .select([...COMMENT_COLUMNS, 'users.login'])
    .where('comments.work_id', '=', workId);
  if (options.chapterId !== undefined) query = query.where('comments.chapter_id', '=', options.chapterId);
  if (options.paragraph !== undefined) query = query.where('comments.paragraph', '=', options.paragraph);
  return query.orderBy('comments.id').limit(options.limit ?? 2000).execute();
}

/** Shown comments per paragraph of a chapter. */
export async function countParagraphComments(db: Db, chapterId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('comments')
    .select(['paragraph', (eb) => eb.fn.countAll<string>().as('n')])
    .where('chapter_id', '=', chapterId)
    .where('paragraph', 'is not', null)
    .where('is_approved', '=', true)
    .where('is_hidden', '=', false)
    .where('deleted_at', 'is', null)
    .groupBy('paragraph')
    .execute();
  return new Map(rows.map((r) => [r.paragraph as number, Number(r.n)]));
}

export async function countRecentComments(db: Db, by: { userId?: number; addressHash?: string }, since: Date): Promise<number> {
  let query = db.selectFrom('comments').select((eb) => eb.fn.countAll<string>().as('n')).where('created_at', '>', since);
  if (by.userId !== undefined) query = query.where('user_id', '=', by.userId);
  if (by.addressHash !== undefined) query = query.where('address_hash', '=', by.addressHash);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Locks the work row (NO KEY UPDATE: the insert already holds the foreign key's KEY SHARE lock,
 * which FOR UPDATE would wait on, deadlocking two writers), then recounts its shown comments:
 * exact however many write at once.
 */
export async function recountComments(db: Transaction<Database>, workId: number): Promise<void> {
  await db.selectFrom('works').select('id').where('id', '=', workId).forNoKeyUpdate().execute();
  await sql`update works set comments_count = (
      select count(*) from comments
      where work_id = ${workId} and is_approved and not is_hidden and deleted_at is null
    ) where id = ${workId}`.execute(db);
}

export async function hasReplies(db: Db, commentId: number): Promise<boolean> {
  const row = await db.selectFrom('comments').select('id').where('parent_id', '=', commentId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Sets is_frozen on a comment and every reply below it. */
export async function setThreadFrozen(db: Db, commentId: number, frozen: boolean): Promise<void> {
  await sql`with recursive thread(id) as (
      select id from comments where id = ${commentId}
      union all
      select c.id from comments c join thread t on c.parent_id = t.id
    ) update comments set is_frozen = ${frozen} where id in (select id from thread)`.execute(db);
}

export async function chapterOfWork(db: Db, workId: number, chapterId: number) {
  return db.selectFrom('chapters').select(['id', 'position', 'title', 'body_html']).where('work_id', '=', workId).where('id', '=', chapterId).executeTakeFirst();
}

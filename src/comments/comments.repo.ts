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

/**
 * Every comment of a work (capped at `limit`), oldest first. Pages use findCommentThreads; this
 * remains for /api/v1/works/:id/comments (src/api), which has no pagination of its own yet.
 */
export function findCommentsOfWork(
  db: Db,
  workId: number,
  options: { chapterId?: number | undefined; paragraph?: number | undefined; limit?: number } = {},
) {
  let query = db
    .selectFrom('comments')
    .leftJoin('users', 'users.id', 'comments.user_id')
    .select([...COMMENT_COLUMNS, 'users.login'])
    .where('comments.work_id', '=', workId);
  if (options.chapterId !== undefined) query = query.where('comments.chapter_id', '=', options.chapterId);
  if (options.paragraph !== undefined) query = query.where('comments.paragraph', '=', options.paragraph);
  return query
    .orderBy('comments.id')
    .limit(options.limit ?? 2000)
    .execute();
}

/** Top-level comments (threads) per page, as on AO3. */
export const THREADS_PER_PAGE = 50;

export interface ThreadPageOptions {
  chapterId?: number | undefined;
  paragraph?: number | undefined;
  page: number;
  perPage?: number;
  /** Pending comments count toward a page only for the work's creators and their own authors. */
  viewerId: number | null;
  isCreator: boolean;
}

/** Which threads a listing holds: the work's (or a chapter's, or a paragraph's) top-level comments this viewer is given a place for. */
export type ThreadFilter = Omit<ThreadPageOptions, 'page' | 'perPage'>;

function threadRoots(db: Db, workId: number, options: ThreadFilter) {
  let roots = db
    .selectFrom('comments')
    .select('comments.id')
    .where('comments.work_id', '=', workId)
    .where('comments.parent_id', 'is', null);
  if (options.chapterId !== undefined) roots = roots.where('comments.chapter_id', '=', options.chapterId);
  if (options.paragraph !== undefined) roots = roots.where('comments.paragraph', '=', options.paragraph);
  if (!options.isCreator) {
    const viewerId = options.viewerId;
    roots = roots.where((eb) =>
      eb.or([eb('comments.is_approved', '=', true), ...(viewerId === null ? [] : [eb('comments.user_id', '=', viewerId)])]),
    );
  }
  return roots;
}

/**
 * One page of a work's comment threads, oldest first: the page's top-level comments (a
 * chapter's or a paragraph's only when given) with every reply below them, and whether a next
 * page exists. The number of replies in a thread is not limited.
 */
export async function findCommentThreads(
  db: Db,
  workId: number,
  options: ThreadPageOptions,
): Promise<{ rows: CommentRow[]; hasNext: boolean }> {
  const perPage = options.perPage ?? THREADS_PER_PAGE;
  const page = await threadRoots(db, workId, options)
    .orderBy('comments.id')
    .limit(perPage + 1)
    .offset((options.page - 1) * perPage)
    .execute();
  const rootIds = page.slice(0, perPage).map((r) => r.id);
  return { rows: await findThreadRows(db, rootIds), hasNext: page.length > perPage };
}

/**
 * The page of findCommentThreads (same filter, same order) that holds this top-level comment:
 * the threads listed before it, divided by the page size.
 */
export async function findThreadPage(
  db: Db,
  workId: number,
  rootId: number,
  options: ThreadFilter & { perPage?: number },
): Promise<number> {
  const row = await threadRoots(db, workId, options)
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('comments.id', '<', rootId)
    .executeTakeFirstOrThrow();
  return Math.floor(Number(row.n) / (options.perPage ?? THREADS_PER_PAGE)) + 1;
}

/** The given top-level comments and every reply below them, oldest first. */
export async function findThreadRows(db: Db, rootIds: readonly number[]): Promise<CommentRow[]> {
  if (rootIds.length === 0) return [];
  const ids = await sql<{ id: number }>`with recursive thread(id) as (
      select id from comments where id = any(${[...rootIds]}::int[])
      union all
      select c.id from comments c join thread t on c.parent_id = t.id
    ) select id from thread`.execute(db);
  if (ids.rows.length === 0) return [];
  return db
    .selectFrom('comments')
    .leftJoin('users', 'users.id', 'comments.user_id')
    .select([...COMMENT_COLUMNS, 'users.login'])
    .where(
      'comments.id',
      'in',
      ids.rows.map((r) => r.id),
    )
    .orderBy('comments.id')
    .execute();
}

/** The top-level comment whose thread holds this comment. */
export async function findThreadRootId(db: Db, commentId: number): Promise<number | undefined> {
  const result = await sql<{ id: number }>`with recursive up(id, parent_id) as (
      select id, parent_id from comments where id = ${commentId}
      union all
      select c.id, c.parent_id from comments c join up on c.id = up.parent_id
    ) select id from up where parent_id is null`.execute(db);
  return result.rows[0]?.id;
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
  let query = db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('created_at', '>', since);
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
  return db
    .selectFrom('chapters')
    .select(['id', 'position', 'title', 'body_html'])
    .where('work_id', '=', workId)
    .where('id', '=', chapterId)
    .where('posted', '=', true)
    .executeTakeFirst();
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { BookmarkFilter } from './bookmarks.schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function findBookmarkOfWork(db: Db, userId: number, workId: number) {
  return db.selectFrom('bookmarks').selectAll().where('user_id', '=', userId).where('work_id', '=', workId).executeTakeFirst();
}

export function findBookmark(db: Db, bookmarkId: number) {
  return db.selectFrom('bookmarks').selectAll().where('id', '=', bookmarkId).executeTakeFirst();
}

/** Locks the work row, then recounts its public bookmarks: exact under concurrent writes. */
export async function recountBookmarks(db: Transaction<Database>, workId: number): Promise<void> {
  await db.selectFrom('works').select('id').where('id', '=', workId).forNoKeyUpdate().execute();
  await sql`update works set bookmarks_count = (
      select count(*) from bookmarks where work_id = ${workId} and not is_private
    ) where id = ${workId}`.execute(db);
}

/**
 * A user's bookmarks, newest first. Others see only public bookmarks of works they may read
 * (and external ones); muted creators' works stay out of the viewer's sight.
 */
export async function listBookmarks(
  db: Db,
  ownerId: number,
  filter: BookmarkFilter,
  options: { self: boolean; signedIn: boolean; viewerId: number | null; perPage: number },
) {
  let q = db
    .selectFrom('bookmarks')
    .leftJoin('works', 'works.id', 'bookmarks.work_id')
    .select([
      'bookmarks.id',
      'bookmarks.work_id',
      'bookmarks.external_url',
      'bookmarks.external_title',
      'bookmarks.external_creator',
      'bookmarks.external_fandom',
      'bookmarks.external_summary_html',
      'bookmarks.notes_html',
      'bookmarks.tags',
      'bookmarks.is_private',
      'bookmarks.is_rec',
      'bookmarks.updated_at',
      'works.title as work_title',
      'works.summary_html as work_summary_html',
      'works.is_draft',
      'works.is_restricted',
    ])
    .where('bookmarks.user_id', '=', ownerId)
    .where('bookmarks.series_id', 'is', null);
  if (!options.self) q = q.where('bookmarks.is_private', '=', false);
  if (options.self && filter.privacy) q = q.where('bookmarks.is_private', '=', filter.privacy === 'private');
  if (filter.rec) q = q.where('bookmarks.is_rec', '=', true);
  if (filter.type === 'external') q = q.where('bookmarks.external_url', 'is not', null);
  if (filter.type === 'internal') q = q.where('bookmarks.work_id', 'is not', null);
  if (filter.tag) q = q.where(sql<boolean>`lower(${filter.tag}) = any (select lower(t) from unnest(bookmarks.tags) as t)`);
  // Internal bookmarks only of works this viewer may read.
  q = q.where((eb) =>
    eb.or([
      eb('bookmarks.work_id', 'is', null),
      eb.and([
        eb('works.is_draft', '=', false),
        ...(options.signedIn ? [] : [eb('works.is_restricted', '=', false)]),
      ]),
    ]),
  );
  if (options.viewerId !== null) {
    const viewerId = options.viewerId;
    q = q.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('work_creators')
            .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
            .innerJoin('mutes', 'mutes.muted_user_id', 'pseuds.user_id')
            .select('mutes.user_id')
            .whereRef('work_creators.work_id', '=', 'bookmarks.work_id')
            .where('mutes.user_id', '=', viewerId),
        ),
      ),
    );
  }
  const rows = await q
    .orderBy('bookmarks.updated_at', 'desc')
    .orderBy('bookmarks.id', 'desc')
    .limit(options.perPage + 1)
    .offset((filter.page - 1) * options.perPage)
    .execute();
  return { rows: rows.slice(0, options.perPage), hasNext: rows.length > options.perPage };
}

export async function findReading(db: Db, userId: number, workId: number) {
  return db.selectFrom('readings').selectAll().where('user_id', '=', userId).where('work_id', '=', workId).executeTakeFirst();
}

export async function historyEnabled(db: Db, userId: number): Promise<boolean> {
  const row = await db.selectFrom('interaction_preferences').select('history_enabled').where('user_id', '=', userId).executeTakeFirst();
  return row?.history_enabled ?? false;
}

export function listReadings(db: Db, userId: number, show: 'to-read' | 'history', page: number, perPage: number) {
  let q = db
    .selectFrom('readings')
    .innerJoin('works', 'works.id', 'readings.work_id')
    .select(['readings.work_id', 'readings.to_read', 'readings.visits', 'readings.last_read_at', 'readings.created_at', 'works.title', 'works.is_draft'])
    .where('readings.user_id', '=', userId)
    .where('works.is_draft', '=', false);
  q = show === 'to-read' ? q.where('readings.to_read', '=', true) : q.where('readings.last_read_at', 'is not', null);
  return q
    .orderBy(show === 'to-read' ? 'readings.created_at' : 'readings.last_read_at', 'desc')
    .orderBy('readings.work_id', 'desc')
    .limit(perPage + 1)
    .offset((page - 1) * perPage)
    .execute();
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { BookmarkFilter } from './bookmarks.schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function findBookmarkOfWork(db: Db, userId: number, workId: number) {
  return db.selectFrom('bookmarks').selectAll().where('user_id', '=', userId).where('work_id', '=', workId).executeTakeFirst();
}

export function findBookmarkOfSeries(db: Db, userId: number, seriesId: number) {
  return db.selectFrom('bookmarks').selectAll().where('user_id', '=', userId).where('series_id', '=', seriesId).executeTakeFirst();
}

/** The logins credited on each of the given series. */
export function findCreatorsOfSeries(db: Db, seriesIds: readonly number[]) {
  if (seriesIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('series_creators')
    .innerJoin('users', 'users.id', 'series_creators.user_id')
    .select(['series_creators.series_id', 'users.login'])
    .where('series_creators.series_id', 'in', seriesIds)
    .orderBy('users.login')
    .execute();
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
 * A user's bookmarks, newest first. Others see only public bookmarks of works they may read, of
 * series holding a work they may read (or that they created), and external ones; muted creators'
 * works and series stay out of the viewer's sight.
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
    .leftJoin('series', 'series.id', 'bookmarks.series_id')
    .select([
      'bookmarks.series_id',
      'series.title as series_title',
      'series.summary_html as series_summary_html',
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
    .where('bookmarks.user_id', '=', ownerId);
  if (!options.self) q = q.where('bookmarks.is_private', '=', false);
  if (options.self && filter.privacy) q = q.where('bookmarks.is_private', '=', filter.privacy === 'private');
  if (filter.rec) q = q.where('bookmarks.is_rec', '=', true);
  if (filter.type === 'external') q = q.where('bookmarks.external_url', 'is not', null);
  if (filter.type === 'internal') q = q.where('bookmarks.work_id', 'is not', null);
  if (filter.type === 'series') q = q.where('bookmarks.series_id', 'is not', null);
  if (filter.tag) q = q.where(sql<boolean>`lower(${filter.tag}) = any (select lower(t) from unnest(bookmarks.tags) as t)`);
  // Internal bookmarks only of works this viewer may read; series only when they hold such a work
  // (or the viewer created the series), as on the series page.
  const creatorId = options.viewerId ?? -1;
  const readableWorkInSeries = sql<boolean>`(exists (
      select 1 from series_works sw join works w on w.id = sw.work_id
      where sw.series_id = bookmarks.series_id and not w.is_draft
        and (cast(${options.signedIn} as boolean) or not w.is_restricted)
        and not exists (select 1 from hidden_works hw where hw.work_id = w.id)
    ) or exists (select 1 from series_creators sc where sc.series_id = bookmarks.series_id and sc.user_id = ${creatorId}))`;
  q = q.where((eb) =>
    eb.or([
      eb.and([eb('bookmarks.work_id', 'is', null), eb('bookmarks.series_id', 'is', null)]),
      eb.and([
        eb('bookmarks.work_id', 'is not', null),
        eb('works.is_draft', '=', false),
        ...(options.signedIn ? [] : [eb('works.is_restricted', '=', false)]),
      ]),
      eb.and([eb('bookmarks.series_id', 'is not', null), readableWorkInSeries]),
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
    q = q.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('series_creators')
            .innerJoin('mutes', 'mutes.muted_user_id', 'series_creators.user_id')
            .select('mutes.user_id')
            .whereRef('series_creators.series_id', '=', 'bookmarks.series_id')
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
    .select([
      'readings.work_id',
      'readings.to_read',
      'readings.visits',
      'readings.last_read_at',
      'readings.created_at',
      'works.title',
      'works.is_draft',
    ])
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

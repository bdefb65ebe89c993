import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ViewerFactArgs } from '../works/work-panels.ts';
import type { Database } from '../db/schema.ts';
import { loadInteractionWork } from '../comments/work-access.ts';
import { loadSeriesForViewer, SeriesNotFoundError } from '../series/series.service.ts';
import type { Viewer } from '../web/viewer.ts';
import { KEEPS_PANEL_ANSWERS } from '../web/viewer-cache.ts';
import { toFieldHtml } from '../works/text/index.ts';
import { canReadWork } from '../works/works.policy.ts';
import * as repo from './bookmarks.repo.ts';
import type { BookmarkFormInput, ExternalBookmarkInput } from './bookmarks.schema.ts';

export class BookmarkError extends Error {
  constructor(
    readonly status: 401 | 403 | 404 | 422,
    message: string,
  ) {
    super(message);
  }
}

/** The work a viewer may bookmark or mark for later (readable and posted). */
export async function authorizeWork(db: Kysely<Database>, viewer: Viewer, workId: number) {
  const work = await loadInteractionWork(db, workId);
  if (!work) throw new BookmarkError(404, 'There is no work with this id. It may have been deleted.');
  const read = canReadWork(viewer, work);
  if (!read.allowed) throw new BookmarkError(read.status, read.reason);
  if (work.isDraft) throw new BookmarkError(422, 'Drafts cannot be bookmarked. Post the work first.');
  return work;
}

/** Creates or updates the viewer's bookmark of a work; the public count moves in the same transaction. */
export async function saveWorkBookmark(
  db: Kysely<Database>,
  viewer: Viewer,
  workId: number,
  input: BookmarkFormInput,
): Promise<'created' | 'updated'> {
  await authorizeWork(db, viewer, workId);
  const fields = {
    notes_html: toFieldHtml(input.notes),
    tags: input.tags,
    is_private: input.private,
    is_rec: input.rec,
    updated_at: new Date(),
  };
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('bookmarks')
      .values({ user_id: viewer.id, work_id: workId, ...fields })
      .onConflict((oc) => oc.columns(['user_id', 'work_id']).where('work_id', 'is not', null).doUpdateSet(fields))
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .executeTakeFirstOrThrow();
    await repo.recountBookmarks(trx, workId);
    return inserted.inserted ? 'created' : 'updated';
  });
}

/**
 * The series a viewer may bookmark: one they may see (its creators always; others once it holds
 * a work they may read; an empty or draft-only series is "not found", as on the series page).
 */
export async function authorizeSeries(db: Kysely<Database>, viewer: Viewer, seriesId: number) {
  try {
    const { series } = await loadSeriesForViewer(db, viewer, seriesId);
    return { id: series.id, title: series.title };
  } catch (error) {
    if (error instanceof SeriesNotFoundError) throw new BookmarkError(404, error.message);
    throw error;
  }
}

/** Creates or updates the viewer's bookmark of a series (one per user per series). */
export async function saveSeriesBookmark(
  db: Kysely<Database>,
  viewer: Viewer,
  seriesId: number,
  input: BookmarkFormInput,
): Promise<'created' | 'updated'> {
  await authorizeSeries(db, viewer, seriesId);
  const fields = {
    notes_html: toFieldHtml(input.notes),
    tags: input.tags,
    is_private: input.private,
    is_rec: input.rec,
    updated_at: new Date(),
  };
  const row = await db
    .insertInto('bookmarks')
    .values({ user_id: viewer.id, series_id: seriesId, ...fields })
    .onConflict((oc) => oc.columns(['user_id', 'series_id']).where('series_id', 'is not', null).doUpdateSet(fields))
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .executeTakeFirstOrThrow();
  return row.inserted ? 'created' : 'updated';
}

export async function saveExternalBookmark(db: Kysely<Database>, viewer: Viewer, input: ExternalBookmarkInput): Promise<number> {
  const row = await db
    .insertInto('bookmarks')
    .values({
      user_id: viewer.id,
      external_url: input.url,
      external_title: input.title,
      external_creator: input.creator,
      external_fandom: input.fandom,
      external_summary_html: toFieldHtml(input.summary),
      notes_html: toFieldHtml(input.notes),
      tags: input.tags,
      is_private: input.private,
      is_rec: input.rec,
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Deletes one of the viewer's own bookmarks (of a work, a series or an external work); returns the work it was of, if any. */
export async function deleteBookmark(db: Kysely<Database>, viewer: Viewer, bookmarkId: number): Promise<number | null> {
  const bookmark = await repo.findBookmark(db, bookmarkId);
  if (!bookmark) throw new BookmarkError(404, 'There is no such bookmark. It may have been deleted already.');
  if (bookmark.user_id !== viewer.id) throw new BookmarkError(403, 'You can only delete your own bookmarks.');
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('bookmarks').where('id', '=', bookmarkId).execute();
    if (bookmark.work_id !== null) await repo.recountBookmarks(trx, bookmark.work_id);
  });
  return bookmark.work_id;
}

/** "Mark for later" (a private reading list), or take the work off it. */
/** When the bookmark buttons differ from other readers': the viewer bookmarked the work or marked it for later. */
export function bookmarkPersonalSql(args: ViewerFactArgs): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from bookmarks where user_id = ${args.viewerId} and work_id = ${args.workId})
    or exists (select 1 from readings where user_id = ${args.viewerId} and work_id = ${args.workId} and to_read)`;
}

export async function setToRead(db: Kysely<Database>, viewer: Viewer, workId: number, toRead: boolean): Promise<void> {
  await authorizeWork(db, viewer, workId);
  await db
    .insertInto('readings')
    .values({ user_id: viewer.id, work_id: workId, to_read: toRead })
    .onConflict((oc) => oc.columns(['user_id', 'work_id']).doUpdateSet({ to_read: toRead }))
    .execute();
}

/** Records a visit in the reading history, when the reader has turned history on. */
export async function recordReading(db: Kysely<Database>, userId: number, workId: number, now = new Date()): Promise<void> {
  if (!(await repo.historyEnabled(db, userId))) return;
  await db
    .insertInto('readings')
    .values({ user_id: userId, work_id: workId, visits: 1, last_read_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'work_id']).doUpdateSet({ visits: sql`readings.visits + 1`, last_read_at: now }))
    .execute();
}

const FLUSH_MS = 1_000;

/** Every buffer of this process, so a read of the history first writes what is pending. */
const historyBuffers = new Set<ReadingHistoryBuffer>();

/**
 * Reading history's visits, buffered in memory and written in one statement a second (like hit
 * counts), so a signed-in reader's work page makes no query for it (docs/decisions/045). Whether
 * the reader keeps a history is checked in that statement. Reads and changes of the history
 * write what is pending first, so a reader's history page already shows the visit just made.
 */
export class ReadingHistoryBuffer {
  private pending = new Map<string, { userId: number; workId: number; visits: number; at: Date }>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Kysely<Database>) {
    historyBuffers.add(this);
  }

  record(userId: number, workId: number, now = new Date()): void {
    const key = `${userId}:${workId}`;
    const visit = this.pending.get(key);
    if (visit) {
      visit.visits++;
      visit.at = now;
    } else this.pending.set(key, { userId, workId, visits: 1, at: now });
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
  }

  /** Writes the buffered visits now (on a timer, before the history is read or changed, and when the app closes). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    // One write at a time, in order: a reader of the history waits for the one under way too.
    this.writing = this.writing.then(async () => {
      if (batch.length === 0) return;
      try {
        const rows = batch.map((v) => sql`(${v.userId}::int, ${v.workId}::int, ${v.visits}::int, ${v.at}::timestamptz)`);
        // Visits only: a new row's to_read is false, and a known row keeps its own.
        await sql`${sql.raw(KEEPS_PANEL_ANSWERS)}
          insert into readings (user_id, work_id, visits, last_read_at)
          select v.user_id, v.work_id, v.visits, v.at
          from (values ${sql.join(rows)}) as v(user_id, work_id, visits, at)
          join interaction_preferences ip on ip.user_id = v.user_id and ip.history_enabled
          join works w on w.id = v.work_id
          on conflict (user_id, work_id) do update
          set visits = readings.visits + excluded.visits, last_read_at = greatest(readings.last_read_at, excluded.last_read_at)`.execute(
          this.db,
        );
      } catch {
        // History is a convenience: losing one batch on a database hiccup beats failing a page.
      }
    });
    return this.writing;
  }

  close(): Promise<void> {
    historyBuffers.delete(this);
    return this.flush();
  }
}

/** Writes every buffer's pending visits (before the history is read or changed). */
export async function flushReadingHistory(): Promise<void> {
  await Promise.all([...historyBuffers].map((buffer) => buffer.flush()));
}

/** A page of the reader's history or marked-for-later list, with the visits made until now. */
export async function listReadings(...args: Parameters<typeof repo.listReadings>): ReturnType<typeof repo.listReadings> {
  await flushReadingHistory();
  return repo.listReadings(...args);
}

export async function setHistoryEnabled(db: Kysely<Database>, userId: number, enabled: boolean): Promise<void> {
  await flushReadingHistory();
  await db
    .insertInto('interaction_preferences')
    .values({ user_id: userId, history_enabled: enabled })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ history_enabled: enabled }))
    .execute();
}

/** Forgets the reading history (visits and dates); works marked for later stay on the list. */
export async function clearHistory(db: Kysely<Database>, userId: number): Promise<void> {
  // Pending visits are older than the clearing: written first, then forgotten with the rest.
  await flushReadingHistory();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('readings').where('user_id', '=', userId).where('to_read', '=', false).execute();
    await trx.updateTable('readings').set({ visits: 0, last_read_at: null }).where('user_id', '=', userId).execute();
  });
}

export {
  findBookmarkOfSeries,
  findBookmarkOfWork,
  findCreatorsOfSeries,
  findReading,
  historyEnabled,
  listBookmarks,
} from './bookmarks.repo.ts';

import { sql, type Kysely, type Transaction } from 'kysely';
import { findViewerByUserId } from '../accounts/accounts.service.ts';
import type { Database } from '../db/schema.ts';
import { addInboxItem } from '../inbox/inbox.service.ts';
import { enqueueJob } from '../jobs/jobs.service.ts';
import * as works from '../works/works.service.ts';
import type { Viewer } from '../web/viewer.ts';
import { notifySubscribers } from '../subscriptions/events.ts';
import { chapterHeading } from '../works/reading.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

export const POST_SCHEDULED_WORK = 'scheduling.post_work';
export const POST_SCHEDULED_CHAPTER = 'scheduling.post_chapter';
/** How far ahead a work may be scheduled. */
export const MAX_DAYS_AHEAD = 366;

export class ScheduleError extends Error {}

/** Schedules a draft to be posted at `postAt` by a job; scheduling again moves the time. */
function checkTime(postAt: Date, now: Date, what: 'work' | 'chapter'): void {
  if (postAt.getTime() <= now.getTime() + 60_000)
    throw new ScheduleError(`Choose a time at least a minute from now (or post the ${what} now).`);
  if (postAt.getTime() > now.getTime() + MAX_DAYS_AHEAD * 24 * 3600 * 1000)
    throw new ScheduleError(`Choose a time within ${MAX_DAYS_AHEAD} days.`);
}

export async function scheduleWork(db: Db, viewer: Viewer, workId: number, postAt: Date, now = new Date()): Promise<void> {
  checkTime(postAt, now, 'work');
  const { work } = await works.authorizeEdit(db, viewer, workId);
  if (!work.is_draft) throw new ScheduleError('This work is already posted.');
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('scheduled_posts')
      .values({ work_id: workId, post_at: postAt })
      .onConflict((oc) => oc.column('work_id').doUpdateSet({ post_at: postAt }))
      .execute();
    await enqueueJob(trx, {
      kind: POST_SCHEDULED_WORK,
      payload: { workId },
      runAt: postAt,
      dedupeKey: `${POST_SCHEDULED_WORK}:${workId}:${postAt.toISOString()}`,
    });
  });
}

export async function cancelSchedule(db: Db, viewer: Viewer, workId: number): Promise<boolean> {
  await works.authorizeEdit(db, viewer, workId);
  const result = await db.deleteFrom('scheduled_posts').where('work_id', '=', workId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function findSchedule(db: Db, workId: number): Promise<Date | undefined> {
  const row = await db.selectFrom('scheduled_posts').select('post_at').where('work_id', '=', workId).executeTakeFirst();
  return row?.post_at;
}

/**
 * The job: posts the work if it is still scheduled for now or earlier (a cancelled or moved
 * schedule leaves an old job that does nothing), then tells its creators in their inbox.
 * Returns whether it posted.
 */
export async function runScheduledPost(db: Db, workId: number, now = new Date()): Promise<boolean> {
  const postAt = await findSchedule(db, workId);
  if (!postAt || postAt.getTime() > now.getTime()) return false;
  const creators = await works.findCreatorsOfWorks(db, [workId]);
  const first = creators[0];
  const viewer = first ? await findViewerByUserId(db, first.user_id) : undefined;
  if (!viewer) {
    await db.deleteFrom('scheduled_posts').where('work_id', '=', workId).execute();
    return false;
  }
  // postDraft runs whatever posting does (its own transaction); then the schedule and the notices.
  await works.postDraft(db, viewer, workId);
  const work = await works.findWorkRow(db, workId);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('scheduled_posts').where('work_id', '=', workId).execute();
    for (const userId of new Set(creators.map((c) => c.user_id))) {
      await addInboxItem(trx, {
        userId,
        kind: 'scheduled.posted',
        workId,
        text: `Your scheduled work “${work?.title ?? workId}” has been posted.`,
        url: `/works/${workId}`,
        dedupeKey: `scheduled.posted:${workId}`,
      });
    }
  });
  return true;
}

/**
 * Adds a chapter that stays unposted (seen only by the work's creators) until `postAt`, when
 * the job posts it. Returns the chapter's id.
 */
export async function scheduleChapter(
  db: Db,
  viewer: Viewer,
  workId: number,
  chapter: works.ChapterInput,
  postAt: Date,
  now = new Date(),
): Promise<number> {
  checkTime(postAt, now, 'chapter');
  return works.addChapter(db, viewer, workId, chapter, {
    postAt,
    enqueue: (trx, chapterId) =>
      enqueueJob(trx, {
        kind: POST_SCHEDULED_CHAPTER,
        payload: { chapterId },
        runAt: postAt,
        dedupeKey: `${POST_SCHEDULED_CHAPTER}:${chapterId}`,
      }),
  });
}

/** The chapter's row, locked until the transaction ends: the job, "change the time" and "post now" take turns on it. */
function lockChapter(trx: Trx, chapterId: number) {
  return trx
    .selectFrom('chapters')
    .select(['id', 'work_id', 'posted', 'scheduled_at'])
    .where('id', '=', chapterId)
    .forUpdate()
    .executeTakeFirst();
}

/** Locks a chapter of this work that the viewer may change (and the work, for posting it); throws when the work or chapter is not theirs or not there. */
async function lockEditableChapter(trx: Trx, viewer: Viewer, workId: number, chapterId: number, options: { toPost: boolean }) {
  await works.loadEditable(trx, viewer, workId);
  // Posting renumbers the work's chapters: it takes turns with other postings and chapter edits on the work's row.
  if (options.toPost) await works.lockWorkRow(trx, workId);
  const chapter = await lockChapter(trx, chapterId);
  if (!chapter || chapter.work_id !== workId) throw new works.WorkNotFoundError('This work has no such chapter.');
  return chapter;
}

/**
 * Removes the chapter's pending post jobs (a job already running waits on the chapter's row
 * lock, then finds nothing to do; its row is gone, so marking it done changes nothing).
 */
async function cancelChapterJobs(trx: Trx, chapterId: number): Promise<void> {
  await trx
    .deleteFrom('jobs')
    .where('kind', '=', POST_SCHEDULED_CHAPTER)
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .where(sql<string>`payload->>'chapterId'`, '=', String(chapterId))
    .execute();
}

export class ChapterPostedError extends Error {
  constructor() {
    super('This chapter is already posted, so it has no time to change.');
  }
}

/** A chapter with what its schedule page shows, or undefined when the work has no such chapter. */
export function findChapterSchedule(db: Db, workId: number, chapterId: number) {
  return db
    .selectFrom('chapters')
    .select(['id', 'position', 'title', 'posted', 'scheduled_at'])
    .where('id', '=', chapterId)
    .where('work_id', '=', workId)
    .executeTakeFirst();
}

/**
 * Moves a chapter that is not posted yet to `postAt`: its time and its job change together.
 * The pending job is replaced rather than moved, so a job that is running right now (and will
 * find the chapter not due) cannot leave the chapter without one; no dedupe key, because the
 * chapter's row lock already makes two moves take turns, and an old key (a failed job's) must
 * not swallow the new job. Whatever job runs, it posts only once `scheduled_at` has passed.
 */
export async function rescheduleChapter(
  db: Db,
  viewer: Viewer,
  workId: number,
  chapterId: number,
  postAt: Date,
  now = new Date(),
): Promise<void> {
  checkTime(postAt, now, 'chapter');
  await db.transaction().execute(async (trx) => {
    const chapter = await lockEditableChapter(trx, viewer, workId, chapterId, { toPost: false });
    if (chapter.posted) throw new ChapterPostedError();
    await trx.updateTable('chapters').set({ scheduled_at: postAt }).where('id', '=', chapterId).execute();
    await cancelChapterJobs(trx, chapterId);
    await enqueueJob(trx, { kind: POST_SCHEDULED_CHAPTER, payload: { chapterId }, runAt: postAt });
  });
}

/**
 * "Post now": posts a waiting chapter at once, exactly as its job would, and cancels the job
 * (one that still runs finds the chapter posted and does nothing). Returns false when the
 * chapter was posted already.
 */
export async function postChapterNow(db: Db, viewer: Viewer, workId: number, chapterId: number, now = new Date()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const chapter = await lockEditableChapter(trx, viewer, workId, chapterId, { toPost: true });
    if (chapter.posted) return false;
    await postWaitingChapter(trx, chapter, now);
    await cancelChapterJobs(trx, chapterId);
    return true;
  });
}

/**
 * The job: posts a scheduled chapter whose time has come, in one transaction (see
 * postWaitingChapter). Returns the work's id when it posted, undefined when there was nothing
 * to do (the chapter was deleted, is posted already, or is not due: a job left from before
 * the time was moved never posts early). "Now" is the database's clock unless given, the
 * clock that made the job due: a worker whose own clock runs behind would otherwise find the
 * chapter not due yet and end its job with the chapter still waiting.
 */
export async function runScheduledChapter(db: Db, chapterId: number, givenNow?: Date): Promise<number | undefined> {
  return db.transaction().execute(async (trx) => {
    const now = givenNow ?? (await sql<{ now: Date }>`select now() as now`.execute(trx)).rows[0]!.now;
    const found = await trx.selectFrom('chapters').select('work_id').where('id', '=', chapterId).executeTakeFirst();
    if (!found) return undefined;
    await works.lockWorkRow(trx, found.work_id);
    const chapter = await lockChapter(trx, chapterId);
    if (!chapter || chapter.posted || !chapter.scheduled_at || chapter.scheduled_at.getTime() > now.getTime()) return undefined;
    return postWaitingChapter(trx, chapter, now);
  });
}

/**
 * Posts a chapter that is not posted yet (the caller holds its row lock). It goes right after
 * the posted chapters (so readers' chapter numbers have no gaps), the work's counts and date
 * move on as for any new chapter, subscribers hear of it, and the creators get a notice.
 * Returns the work's id, or undefined when the work is gone.
 */
async function postWaitingChapter(trx: Trx, chapter: { id: number; work_id: number }, now: Date): Promise<number | undefined> {
  const chapterId = chapter.id;
  const workId = chapter.work_id;
  const work = await works.findWorkRow(trx, workId);
  if (!work) return undefined;
  const chapters = await works.findChapterHeadings(trx, workId);
  const posted = chapters.filter((c) => c.posted);
  const waiting = chapters.filter((c) => !c.posted && c.id !== chapterId);
  await trx.updateTable('chapters').set({ posted: true, scheduled_at: null, published_at: now }).where('id', '=', chapterId).execute();
  await works.setChapterOrder(trx, workId, [...posted.map((c) => c.id), chapterId, ...waiting.map((c) => c.id)]);
  const position = posted.length + 1;
  if (work.expected_chapters !== null && position > work.expected_chapters) {
    await works.updateWorkFields(trx, workId, { expected_chapters: position });
  }
  await works.refreshWorkCounts(trx, workId, { touchUpdatedAt: !work.is_draft });
  if (!work.is_draft) await notifySubscribers(trx, { event: 'chapter', workId, chapterId });
  const title = (await trx.selectFrom('chapters').select('title').where('id', '=', chapterId).executeTakeFirstOrThrow()).title;
  const creators = await works.findCreatorsOfWorks(trx, [workId]);
  for (const userId of new Set(creators.map((c) => c.user_id))) {
    await addInboxItem(trx, {
      userId,
      kind: 'scheduled.chapter_posted',
      workId,
      text: `Your scheduled ${chapterHeading(position, title)} of “${work.title}” has been posted.`,
      url: `/works/${workId}/chapters/${chapterId}`,
      dedupeKey: `scheduled.chapter_posted:${chapterId}`,
    });
  }
  return workId;
}

import type { Kysely } from 'kysely';
import { findViewerByUserId } from '../accounts/accounts.repo.ts';
import type { Database } from '../db/schema.ts';
import { addInboxItem } from '../inbox/inbox.service.ts';
import { enqueueJob } from '../jobs/jobs.repo.ts';
import * as worksRepo from '../works/works.repo.ts';
import * as works from '../works/works.service.ts';
import type { Viewer } from '../web/viewer.ts';

type Db = Kysely<Database>;

export const POST_SCHEDULED_WORK = 'scheduling.post_work';
/** How far ahead a work may be scheduled. */
export const MAX_DAYS_AHEAD = 366;

export class ScheduleError extends Error {}

/** Schedules a draft to be posted at `postAt` by a job; scheduling again moves the time. */
export async function scheduleWork(db: Db, viewer: Viewer, workId: number, postAt: Date, now = new Date()): Promise<void> {
  if (postAt.getTime() <= now.getTime() + 60_000) throw new ScheduleError('Choose a time at least a minute from now (or post the work now).');
  if (postAt.getTime() > now.getTime() + MAX_DAYS_AHEAD * 24 * 3600 * 1000) throw new ScheduleError(`Choose a time within ${MAX_DAYS_AHEAD} days.`);
  const { work } = await works.authorizeEdit(db, viewer, workId);
  if (!work.is_draft) throw new ScheduleError('This work is already posted.');
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('scheduled_posts')
      .values({ work_id: workId, post_at: postAt })
      .onConflict((oc) => oc.column('work_id').doUpdateSet({ post_at: postAt }))
      .execute();
    await enqueueJob(trx, { kind: POST_SCHEDULED_WORK, payload: { workId }, runAt: postAt, dedupeKey: `${POST_SCHEDULED_WORK}:${workId}:${postAt.toISOString()}` });
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
  const creators = await worksRepo.findCreatorsOfWorks(db, [workId]);
  const first = creators[0];
  const viewer = first ? await findViewerByUserId(db, first.user_id) : undefined;
  if (!viewer) {
    await db.deleteFrom('scheduled_posts').where('work_id', '=', workId).execute();
    return false;
  }
  // postDraft runs whatever posting does (its own transaction); then the schedule and the notices.
  await works.postDraft(db, viewer, workId);
  const work = await worksRepo.findWorkRow(db, workId);
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

import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * When the work's next scheduled chapter is due, if its creators chose to show readers
 * (works.show_next_chapter_date); null otherwise, or when no chapter is waiting. The time is the
 * chapter's own scheduled_at (decision 019/023), so moving it or posting it now moves this too.
 */
export async function findShownNextChapterAt(db: Db, workId: number): Promise<Date | null> {
  const row = await db
    .selectFrom('chapters')
    .innerJoin('works', 'works.id', 'chapters.work_id')
    .select((eb) => eb.fn.min('chapters.scheduled_at').as('next_at'))
    .where('chapters.work_id', '=', workId)
    .where('works.show_next_chapter_date', '=', true)
    .where('chapters.posted', '=', false)
    .where('chapters.scheduled_at', 'is not', null)
    .executeTakeFirst();
  const at = row?.next_at as Date | string | null | undefined;
  return at ? new Date(at) : null;
}

import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Saves the reader's place in the work, replacing the one before (last write wins across devices). */
export async function upsertPosition(
  db: Db,
  p: { userId: number; workId: number; chapterId: number; paragraph: number | null; fraction: number | null },
): Promise<void> {
  const values = {
    user_id: p.userId,
    work_id: p.workId,
    chapter_id: p.chapterId,
    paragraph: p.paragraph,
    fraction: p.fraction,
    updated_at: new Date(),
  };
  await db
    .insertInto('reading_positions')
    .values(values)
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'work_id'])
        .doUpdateSet({ chapter_id: p.chapterId, paragraph: p.paragraph, fraction: p.fraction, updated_at: values.updated_at }),
    )
    .execute();
}

export function findPosition(db: Db, userId: number, workId: number) {
  return db
    .selectFrom('reading_positions')
    .innerJoin('chapters', 'chapters.id', 'reading_positions.chapter_id')
    .select([
      'reading_positions.chapter_id',
      'reading_positions.paragraph',
      'reading_positions.fraction',
      'reading_positions.updated_at',
      'chapters.position',
      'chapters.title',
    ])
    .where('reading_positions.user_id', '=', userId)
    .where('reading_positions.work_id', '=', workId)
    .executeTakeFirst();
}

export function findChapterOfWork(db: Db, workId: number, chapterId: number) {
  return db
    .selectFrom('chapters')
    .select(['id', 'position', 'title'])
    .where('id', '=', chapterId)
    .where('work_id', '=', workId)
    .where('posted', '=', true)
    .executeTakeFirst();
}

export function findChapterList(db: Db, workId: number) {
  return db
    .selectFrom('chapters')
    .select(['id', 'position', 'title'])
    .where('work_id', '=', workId)
    .where('posted', '=', true)
    .orderBy('position')
    .execute();
}

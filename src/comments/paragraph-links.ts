import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { countParagraphComments } from './comments.repo.ts';

/** The comments panel's way to paragraph comments: the annotated chapter page and each commented paragraph. */
export interface ParagraphLinks {
  annotatedHref: string;
  counts: Array<{ n: number; count: number; href: string }>;
}

/**
 * Paragraph comments belong to a chapter. On a chapter's page that is the chapter; on the work
 * page it is the work's only posted chapter, since a one-chapter work's text is read there and
 * its chapter page is never linked. A work page showing several chapters offers none.
 */
export async function findParagraphLinks(
  db: Kysely<Database>,
  workId: number,
  chapterId: number | undefined,
): Promise<ParagraphLinks | null> {
  const id = chapterId ?? (await findOnlyPostedChapterId(db, workId));
  if (id === undefined) return null;
  const counts = await countParagraphComments(db, id);
  const base = `/works/${workId}/chapters/${id}/paragraphs`;
  return {
    annotatedHref: base,
    counts: [...counts].sort((a, b) => a[0] - b[0]).map(([n, count]) => ({ n, count, href: `${base}/${n}/comments` })),
  };
}

async function findOnlyPostedChapterId(db: Kysely<Database>, workId: number): Promise<number | undefined> {
  const rows = await db.selectFrom('chapters').select('id').where('work_id', '=', workId).where('posted', '=', true).limit(2).execute();
  return rows.length === 1 ? rows[0]!.id : undefined;
}

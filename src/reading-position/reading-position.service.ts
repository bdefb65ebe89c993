import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ViewerFactArgs } from '../works/work-panels.ts';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../web/viewer.ts';
import { chapterHeading } from '../works/reading.ts';
import { authorizeRead, WorkNotFoundError } from '../works/works.service.ts';
import * as repo from './reading-position.repo.ts';
import type { PositionInput } from './reading-position.schema.ts';

export class PositionRefusedError extends Error {
  constructor(
    readonly status: 401 | 404,
    message: string,
  ) {
    super(message);
  }
}

/** Saves where a signed-in reader is in a work they may read; returns the chapter's URL. */
export async function savePosition(db: Kysely<Database>, viewer: Viewer, workId: number, input: PositionInput): Promise<string> {
  const decision = await authorizeRead(db, viewer, workId).catch((error: unknown) => {
    if (error instanceof WorkNotFoundError) throw new PositionRefusedError(404, error.message);
    throw error;
  });
  if (!decision.allowed) throw new PositionRefusedError(decision.status, decision.reason);
  const chapter = await repo.findChapterOfWork(db, workId, input.chapter_id);
  if (!chapter) throw new PositionRefusedError(404, 'This work has no such chapter.');
  await repo.upsertPosition(db, {
    userId: viewer.id,
    workId,
    chapterId: chapter.id,
    paragraph: input.paragraph ?? null,
    fraction: input.fraction ?? null,
  });
  return `/works/${workId}/chapters/${chapter.id}`;
}

export interface SavedPositionView {
  chapterId: number;
  heading: string;
  /** The chapter's address, with #position-N when a paragraph is known (the script scrolls there). */
  href: string;
  paragraph: number | null;
}

export async function findSavedPosition(db: Kysely<Database>, userId: number, workId: number): Promise<SavedPositionView | undefined> {
  const row = await repo.findPosition(db, userId, workId);
  if (!row) return undefined;
  const base = `/works/${workId}/chapters/${row.chapter_id}`;
  return {
    chapterId: row.chapter_id,
    heading: chapterHeading(row.position, row.title),
    href: row.paragraph ? `${base}#position-${row.paragraph}` : base,
    paragraph: row.paragraph,
  };
}

/** When the reading-position head differs from other readers': the viewer has a saved place in the work. */
export function savedPositionPersonalSql(args: ViewerFactArgs): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from reading_positions where user_id = ${args.viewerId} and work_id = ${args.workId})`;
}

export function listChapters(db: Kysely<Database>, workId: number) {
  return repo.findChapterList(db, workId);
}

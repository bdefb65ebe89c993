import type { Kysely } from 'kysely';
import type { ChapterRow, Database } from '../db/schema.ts';
import { trustHtml } from '../lib/safe-html.ts';
import type { Viewer } from '../web/viewer.ts';
import * as repo from './works.repo.ts';
import { concealCreators, findMystery } from '../collections/anonymity.ts';
import { toWorkSummaryView, type WorkSummaryView } from './works.presenter.ts';
import type { ChapterView, WorkPageView } from './works.views.tsx';

/** "Chapter 2: The Storm", or "Chapter 2" when untitled. */
export function chapterHeading(position: number, title: string): string {
  return title ? `Chapter ${position}: ${title}` : `Chapter ${position}`;
}

/** What the creators see beside a chapter not posted yet. */
function notPostedNote(c: ChapterRow): string {
  const at = c.scheduled_at ? ` (scheduled for ${c.scheduled_at.toISOString().slice(0, 16).replace('T', ' ')} UTC)` : '';
  return ` — not posted yet${at}`;
}

export function toChapterView(workId: number, c: ChapterRow): ChapterView {
  return {
    id: c.id,
    position: c.position,
    title: c.title,
    heading: chapterHeading(c.position, c.title) + (c.posted ? '' : notPostedNote(c)),
    summaryHtml: trustHtml(c.summary_html),
    notesHtml: trustHtml(c.notes_html),
    endNotesHtml: trustHtml(c.end_notes_html),
    bodyHtml: trustHtml(c.body_html),
    words: c.word_count,
    href: `/works/${workId}/chapters/${c.id}`,
  };
}

/**
 * Everything a work page shows, loaded in four queries. Chapters not posted yet (scheduled)
 * are there only when `viewer` is one of the work's creators; everyone else, and every caller
 * that names no viewer (downloads, feeds, the API), gets the posted chapters only.
 */
export async function loadWorkForReading(db: Kysely<Database>, workId: number, viewer: Viewer | null = null) {
  const work = await repo.findWorkRow(db, workId);
  if (!work) return undefined;
  const [creators, tags, allChapters] = await Promise.all([
    repo.findCreatorsOfWorks(db, [workId]),
    repo.findTagsOfWorks(db, [workId]),
    repo.findChaptersOfWork(db, workId, 'all'),
  ]);
  const isCreator = viewer !== null && creators.some((c) => c.user_id === viewer.id);
  const chapters = isCreator ? allChapters : allChapters.filter((c) => c.posted);
  // `creators` decide who may do what; `shownCreators` are the ones to display (decision 043:
  // none while the work is anonymous, but to its own creators). `mystery`: unrevealed to the viewer.
  const [shownCreators, mystery] = await Promise.all([concealCreators(db, viewer, creators), findMystery(db, viewer, workId)]);
  return { work, creators, shownCreators, mystery, tags, chapters };
}

export type LoadedWork = NonNullable<Awaited<ReturnType<typeof loadWorkForReading>>>;

/** Builds the work page's view: one chapter, or all of them for the entire-work view. */
export function toWorkPageView(
  loaded: LoadedWork,
  options: { chapterId?: number | undefined; entireWork: boolean; canEdit: boolean },
): WorkPageView | undefined {
  const summary: WorkSummaryView = toWorkSummaryView(loaded.work, loaded.shownCreators, loaded.tags);
  const chapters = loaded.chapters.map((c) => toChapterView(loaded.work.id, c));
  let shown = chapters;
  if (options.chapterId !== undefined) {
    const one = chapters.find((c) => c.id === options.chapterId);
    if (!one) return undefined;
    shown = [one];
  } else if (!options.entireWork && chapters.length > 1) {
    shown = chapters.slice(0, 1);
  }
  return {
    work: summary,
    notesHtml: trustHtml(loaded.work.notes_html),
    endNotesHtml: trustHtml(loaded.work.end_notes_html),
    chapters,
    shown,
    entireWork: options.entireWork || chapters.length <= 1,
    canEdit: options.canEdit,
  };
}

// The works slice's interface for other slices: they import from here, never from works.repo.ts.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../web/viewer.ts';
import { convertChapterText } from './chapter-text.ts';
import { toFieldHtml, type TextFormat } from './text/index.ts';

export { ChapterTextError } from './chapter-text.ts';
export {
  deleteWorkRow,
  ensureTags,
  findChapterHeadings,
  findChaptersOfWork,
  findCreatorsOfWorks,
  findTagsOfWorks,
  findWorkRow,
  lockWorkRow,
  refreshWorkCounts,
  setChapterOrder,
  updateWorkFields,
  type CreatorRow,
  type WorkTagRow,
} from './works.repo.ts';
import * as repo from './works.repo.ts';
import { canReadWork, decideWorkEdit, type ReadDecision, type WorkAccessFacts } from './works.policy.ts';
import type { WorkMetadataInput } from './works.schema.ts';
import { FREE_TAG_FIELDS } from './vocabulary.ts';
import { applyTagModelToWork } from '../tags/posting.ts';
import { notifySubscribers } from '../subscriptions/events.ts';
import { enqueueChapterAnalysis, enqueueWorkAnalysis } from '../story-intelligence/enqueue.ts';
import { announceGifts } from '../gifts/gifts-events.ts';
import { announceRelatedWorks } from '../related-works/related-works-events.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** A chapter as the author gave it: text in some format plus its own fields. */
export interface ChapterInput {
  title: string;
  summary: string;
  notes: string;
  endNotes: string;
  text: string;
  format: TextFormat;
}

export class WorkNotFoundError extends Error {
  constructor(message = 'There is no work with this id. It may have been deleted.') {
    super(message);
  }
}

export class WorkForbiddenError extends Error {
  constructor(message = 'Only the creators of this work can change it.') {
    super(message);
  }
}

/**
 * A refusal about one field of the work form from a slice that saves with the work (gifts, related
 * works: `alsoSave`), shown beside that field; it rolls the whole save back.
 */
export class WorkFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** What other slices save in the same transaction as the work (its gifts, its related works). */
export type AlsoSave = (trx: Trx, workId: number) => Promise<void>;

/** The chapter's stored fields; its text is converted off the event loop when long (throws ChapterTextError). */
async function toChapterFields(input: ChapterInput): Promise<repo.ChapterFields> {
  const body = await convertChapterText(input.text, input.format);
  return {
    title: input.title.trim(),
    summary_html: toFieldHtml(input.summary),
    notes_html: toFieldHtml(input.notes),
    end_notes_html: toFieldHtml(input.endNotes),
    body_html: body.bodyHtml,
    word_count: body.words,
  };
}

function toWorkFields(meta: WorkMetadataInput): repo.WorkFields {
  return {
    title: meta.title,
    summary_html: toFieldHtml(meta.summary),
    notes_html: toFieldHtml(meta.notes),
    end_notes_html: toFieldHtml(meta.end_notes),
    language: meta.language,
    expected_chapters: meta.expected_chapters,
    is_restricted: meta.restricted,
    show_next_chapter_date: meta.show_next_chapter_date,
  };
}

/** Creates the tags the metadata names and attaches them, replacing any earlier ones. */
async function saveTags(trx: Trx, workId: number, meta: WorkMetadataInput): Promise<void> {
  const ids = [
    ...(await repo.ensureTags(trx, 'rating', [meta.rating])),
    ...(await repo.ensureTags(trx, 'warning', meta.warnings)),
    ...(await repo.ensureTags(trx, 'category', meta.categories)),
  ];
  for (const [field, type] of Object.entries(FREE_TAG_FIELDS) as Array<
    [keyof typeof FREE_TAG_FIELDS, (typeof FREE_TAG_FIELDS)[keyof typeof FREE_TAG_FIELDS]]
  >) {
    ids.push(...(await repo.ensureTags(trx, type, meta[field])));
  }
  await repo.replaceWorkTags(trx, workId, ids);
  // Relationship → character links, then works.filter_tag_ids (what search filters on).
  await applyTagModelToWork(trx, workId, meta.relationships);
}

/** Posts a new work (or saves it as a draft) with its first chapter, in one transaction. */
export async function createWork(
  db: Db,
  viewer: Viewer,
  input: {
    meta: WorkMetadataInput;
    chapter: ChapterInput;
    draft: boolean;
    pseudId?: number /** Chapters 2..n in the same transaction (imports). */;
    moreChapters?: readonly ChapterInput[];
    alsoSave?: AlsoSave;
  },
): Promise<number> {
  const chapter = await toChapterFields(input.chapter);
  const more: repo.ChapterFields[] = [];
  for (const c of input.moreChapters ?? []) more.push(await toChapterFields(c));
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    const pseudId = input.pseudId ?? viewer.defaultPseudId;
    const pseud = await trx.selectFrom('pseuds').select('id').where('id', '=', pseudId).where('user_id', '=', viewer.id).executeTakeFirst();
    if (!pseud) throw new WorkForbiddenError('You can only credit a work to one of your own pseuds.');
    const workId = await repo.insertWork(trx, {
      ...toWorkFields(input.meta),
      is_draft: input.draft,
      published_at: input.draft ? null : now,
    });
    await repo.insertCreator(trx, workId, pseudId, 0);
    await repo.insertChapter(trx, workId, 1, chapter);
    for (const [i, extra] of more.entries()) await repo.insertChapter(trx, workId, i + 2, extra);
    await saveTags(trx, workId, input.meta);
    await repo.refreshWorkCounts(trx, workId, { touchUpdatedAt: false });
    await input.alsoSave?.(trx, workId);
    if (!input.draft) await notifySubscribers(trx, { event: 'work', workId });
    await enqueueWorkAnalysis(trx, workId);
    return workId;
  });
}

/** The work's row and who created it, for policy decisions; throws when missing. */
export async function loadWorkAccess(db: Db | Trx, workId: number) {
  const work = await repo.findWorkRow(db, workId);
  if (!work) throw new WorkNotFoundError();
  const creators = await repo.findCreatorsOfWorks(db, [workId]);
  const facts: WorkAccessFacts = {
    isDraft: work.is_draft,
    isRestricted: work.is_restricted,
    isHidden: work.hidden_reason != null,
    creatorUserIds: creators.map((c) => c.user_id),
  };
  return { work, creators, facts };
}

/**
 * Inside the caller's transaction (or, for a read-only check, on the handle): the work's row and
 * creators when the viewer may edit it; throws
 * otherwise: WorkNotFoundError when they may not even read it (someone else's draft, a hidden work),
 * so the edit pages do not confirm what the work page hides; WorkForbiddenError when it is not theirs.
 */
export async function loadEditable(trx: Db | Trx, viewer: Viewer | null, workId: number) {
  const loaded = await loadWorkAccess(trx, workId);
  const decision = decideWorkEdit(viewer, loaded.facts);
  if (!decision.allowed) throw decision.status === 404 ? new WorkNotFoundError(decision.reason) : new WorkForbiddenError(decision.reason);
  return loaded;
}

/** Checks that the viewer may edit the work; returns its row and creators. */
export function authorizeEdit(db: Db, viewer: Viewer, workId: number) {
  return db.transaction().execute((trx) => loadEditable(trx, viewer, workId));
}

/** Whether the viewer may read the work, with the row for rendering when they may. */
export async function authorizeRead(
  db: Db,
  viewer: Viewer | null,
  workId: number,
): Promise<ReadDecision & { loaded?: Awaited<ReturnType<typeof loadWorkAccess>> }> {
  const loaded = await loadWorkAccess(db, workId);
  const decision = canReadWork(viewer, loaded.facts);
  return decision.allowed ? { ...decision, loaded } : decision;
}

/** Changes a work's metadata and tags. */
export async function updateWorkMetadata(
  db: Db,
  viewer: Viewer,
  workId: number,
  meta: WorkMetadataInput,
  alsoSave?: AlsoSave,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await loadEditable(trx, viewer, workId);
    await repo.updateWorkFields(trx, workId, toWorkFields(meta));
    await saveTags(trx, workId, meta);
    await repo.refreshWorkCounts(trx, workId, { touchUpdatedAt: true });
    await alsoSave?.(trx, workId);
  });
}

/** Posts a draft: it becomes visible with today's date. */
export async function postDraft(db: Db, viewer: Viewer, workId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { work } = await loadEditable(trx, viewer, workId);
    if (!work.is_draft) return;
    await repo.publishWork(trx, workId, new Date());
    await notifySubscribers(trx, { event: 'work', workId });
    // A draft's gift recipients and parent works' creators are told once readers can open it.
    await announceGifts(trx, workId);
    await announceRelatedWorks(trx, workId);
  });
}

export async function deleteWork(db: Db, viewer: Viewer, workId: number): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { work } = await loadEditable(trx, viewer, workId);
    await repo.deleteWorkRow(trx, workId);
    return work.title;
  });
}

/**
 * Adds a chapter after the posted ones (chapters not posted yet stay after every posted one);
 * returns its id. With `schedule` the chapter stays unposted, seen only by the creators, and
 * `schedule.enqueue` (src/scheduling) queues the job that posts it, in the same transaction.
 */
export async function addChapter(
  db: Db,
  viewer: Viewer,
  workId: number,
  chapter: ChapterInput,
  schedule?: { postAt: Date; enqueue: (trx: Trx, chapterId: number) => Promise<void> },
): Promise<number> {
  const fields = await toChapterFields(chapter);
  return db.transaction().execute(async (trx) => {
    await repo.lockWorkRow(trx, workId);
    const { work } = await loadEditable(trx, viewer, workId);
    const chapters = await repo.findChapterHeadings(trx, workId);
    const id = await repo.insertChapter(trx, workId, chapters.length + 1, fields, schedule?.postAt);
    if (schedule) {
      await schedule.enqueue(trx, id);
    } else {
      const unposted = chapters.filter((c) => !c.posted);
      if (unposted.length > 0)
        await repo.setChapterOrder(trx, workId, [...chapters.filter((c) => c.posted).map((c) => c.id), id, ...unposted.map((c) => c.id)]);
      // A new chapter past the expected count moves the count on, as on AO3.
      const position = chapters.length - unposted.length + 1;
      if (work.expected_chapters !== null && position > work.expected_chapters) {
        await repo.updateWorkFields(trx, workId, { expected_chapters: position });
      }
    }
    await repo.refreshWorkCounts(trx, workId, { touchUpdatedAt: !work.is_draft && !schedule });
    if (!work.is_draft && !schedule) await notifySubscribers(trx, { event: 'chapter', workId, chapterId: id });
    await enqueueChapterAnalysis(trx, id, fields.body_html);
    return id;
  });
}

async function findChapterOf(trx: Trx, workId: number, chapterId: number) {
  const chapters = await repo.findChapterHeadings(trx, workId);
  const chapter = chapters.find((c) => c.id === chapterId);
  if (!chapter) throw new WorkNotFoundError('This work has no such chapter.');
  return { chapter, chapters };
}

export async function editChapter(db: Db, viewer: Viewer, workId: number, chapterId: number, chapter: ChapterInput): Promise<void> {
  const fields = await toChapterFields(chapter);
  await db.transaction().execute(async (trx) => {
    const { work } = await loadEditable(trx, viewer, workId);
    const { chapter: existing } = await findChapterOf(trx, workId, chapterId);
    await repo.updateChapter(trx, chapterId, fields);
    await enqueueChapterAnalysis(trx, chapterId, fields.body_html);
    await repo.refreshWorkCounts(trx, workId, { touchUpdatedAt: !work.is_draft && existing.posted });
  });
}

export class LastChapterError extends Error {
  constructor() {
    super('A work needs at least one chapter. Delete the whole work instead.');
  }
}

export async function deleteChapter(db: Db, viewer: Viewer, workId: number, chapterId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.lockWorkRow(trx, workId);
    const { work } = await loadEditable(trx, viewer, workId);
    const { chapter, chapters } = await findChapterOf(trx, workId, chapterId);
    // Readers must keep a chapter: the last posted one goes only with the work.
    if (chapters.length <= 1 || (chapter.posted && chapters.filter((c) => c.posted).length <= 1)) throw new LastChapterError();
    await repo.deleteChapterRow(trx, chapterId);
    await repo.setChapterOrder(
      trx,
      workId,
      chapters.filter((c) => c.id !== chapterId).map((c) => c.id),
    );
    await repo.refreshWorkCounts(trx, workId, { touchUpdatedAt: !work.is_draft });
  });
}

export class ChapterOrderError extends Error {}

/** Puts the chapters in the given order; the list must name each chapter exactly once. */
export async function reorderChapters(db: Db, viewer: Viewer, workId: number, order: readonly number[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.lockWorkRow(trx, workId);
    await loadEditable(trx, viewer, workId);
    const chapters = await repo.findChapterHeadings(trx, workId);
    const known = new Set(chapters.map((c) => c.id));
    if (order.length !== known.size || new Set(order).size !== order.length || !order.every((id) => known.has(id))) {
      throw new ChapterOrderError('Give each chapter a different position from 1 to the number of chapters.');
    }
    // Chapters not posted yet stay after the posted ones, so readers' chapter numbers have no gaps.
    const posted = new Set(chapters.filter((c) => c.posted).map((c) => c.id));
    await repo.setChapterOrder(trx, workId, [...order.filter((id) => posted.has(id)), ...order.filter((id) => !posted.has(id))]);
    await repo.refreshWorkCounts(trx, workId, { touchUpdatedAt: false });
  });
}

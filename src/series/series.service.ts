// The series slice's interface for other slices: they import from here, never from series.repo.ts.
import type { Kysely } from 'kysely';
import type { Database, WorkRow } from '../db/schema.ts';
import { toFieldHtml } from '../works/text/index.ts';
import { findCreatorsOfWorks } from '../works/works.service.ts';
import type { Viewer } from '../web/viewer.ts';
import { notifySubscribers } from '../subscriptions/events.ts';
import { mutedUserIds } from '../blocking/blocking.service.ts';
import * as repo from './series.repo.ts';
import { canAddWorkToSeries, canEditSeries, canSeeSeries } from './series.policy.ts';
import type { SeriesFormInput } from './series.schema.ts';
import { findReadableWorks } from './visible-works.ts';
import { findConcealments } from '../collections/anonymity.ts';

export { findSeriesCreators, findSeriesOfWork, findSeriesRow, findSeriesWorkIds } from './series.repo.ts';

type Db = Kysely<Database>;

export class SeriesNotFoundError extends Error {
  constructor(message = 'There is no series with this id. It may have been deleted.') {
    super(message);
  }
}

export class SeriesForbiddenError extends Error {
  constructor(message = 'Only the creators of this series can change it.') {
    super(message);
  }
}

/** A refusal about the work being added or removed, shown beside the form's field. */
export class SeriesWorkError extends Error {}

function toSeriesFields(input: SeriesFormInput): repo.SeriesFields {
  return {
    title: input.title,
    summary_html: toFieldHtml(input.summary),
    notes_html: toFieldHtml(input.notes),
    is_complete: input.complete,
  };
}

async function loadSeries(db: Db | Parameters<typeof repo.findSeriesRow>[0], seriesId: number, lock = false) {
  const series = lock ? await repo.lockSeriesRow(db, seriesId) : await repo.findSeriesRow(db, seriesId);
  if (!series) throw new SeriesNotFoundError();
  const creators = await repo.findSeriesCreators(db, seriesId);
  return { series, creators, facts: { creatorUserIds: creators.map((c) => c.user_id) } };
}

/** Creates a series credited to the viewer, optionally with a first work of theirs. */
export async function createSeries(db: Db, viewer: Viewer, input: SeriesFormInput, firstWorkId?: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const seriesId = await repo.insertSeries(trx, toSeriesFields(input), viewer.id);
    if (firstWorkId !== undefined) await addOwnWork(trx, viewer, seriesId, firstWorkId);
    return seriesId;
  });
}

async function addOwnWork(
  trx: Parameters<typeof repo.appendWorkToSeries>[0],
  viewer: Viewer,
  seriesId: number,
  workId: number,
): Promise<WorkRow | undefined> {
  const work = await trx.selectFrom('works').selectAll().where('id', '=', workId).executeTakeFirst();
  const creators = work ? await findCreatorsOfWorks(trx, [workId]) : [];
  const { facts } = await loadSeries(trx, seriesId);
  if (
    !work ||
    !canAddWorkToSeries(
      viewer,
      facts,
      creators.map((c) => c.user_id),
    )
  ) {
    throw new SeriesWorkError('You can only add works you created to your own series.');
  }
  const added = await repo.appendWorkToSeries(trx, seriesId, workId);
  if (!added) throw new SeriesWorkError('This work is already in the series.');
  await trx.updateTable('series').set({ updated_at: new Date() }).where('id', '=', seriesId).execute();
  // Subscribers of the series hear about a posted work joining it; a draft is announced when posted.
  if (!work.is_draft) await notifySubscribers(trx, { event: 'series', workId, seriesId });
  return work;
}

/** Checks that the viewer may edit the series; returns it with its creators. */
export async function authorizeSeriesEdit(db: Db, viewer: Viewer, seriesId: number) {
  const loaded = await loadSeries(db, seriesId);
  if (!canEditSeries(viewer, loaded.facts)) throw new SeriesForbiddenError();
  return loaded;
}

export async function updateSeries(db: Db, viewer: Viewer, seriesId: number, input: SeriesFormInput): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const { facts } = await loadSeries(trx, seriesId, true);
    if (!canEditSeries(viewer, facts)) throw new SeriesForbiddenError();
    await repo.updateSeriesFields(trx, seriesId, toSeriesFields(input));
    return (await repo.findSeriesWorkIds(trx, seriesId)).map((w) => w.work_id);
  });
}

/** Deletes the series (its works stay); returns the ids of the works that were in it. */
export async function deleteSeries(db: Db, viewer: Viewer, seriesId: number): Promise<{ title: string; workIds: number[] }> {
  return db.transaction().execute(async (trx) => {
    const { series, facts } = await loadSeries(trx, seriesId, true);
    if (!canEditSeries(viewer, facts)) throw new SeriesForbiddenError();
    const workIds = (await repo.findSeriesWorkIds(trx, seriesId)).map((w) => w.work_id);
    await repo.deleteSeriesRow(trx, seriesId);
    return { title: series.title, workIds };
  });
}

/** Adds one of the viewer's works at the end of the series. */
export async function addWorkToSeries(db: Db, viewer: Viewer, seriesId: number, workId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { facts } = await loadSeries(trx, seriesId, true);
    if (!canEditSeries(viewer, facts)) throw new SeriesForbiddenError();
    await addOwnWork(trx, viewer, seriesId, workId);
  });
}

/** Takes a work out of the series and closes the gap in the positions. */
export async function removeWorkFromSeries(db: Db, viewer: Viewer, seriesId: number, workId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { facts } = await loadSeries(trx, seriesId, true);
    if (!canEditSeries(viewer, facts)) throw new SeriesForbiddenError();
    if (!(await repo.removeWorkFromSeries(trx, seriesId, workId))) throw new SeriesWorkError('This work is not in the series.');
    const rest = await repo.findSeriesWorkIds(trx, seriesId);
    await repo.setSeriesOrder(
      trx,
      seriesId,
      rest.map((w) => w.work_id),
    );
    await trx.updateTable('series').set({ updated_at: new Date() }).where('id', '=', seriesId).execute();
  });
}

/** Puts the works in the given order; the list must name each work of the series exactly once. */
export async function reorderSeries(db: Db, viewer: Viewer, seriesId: number, order: readonly number[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { facts } = await loadSeries(trx, seriesId, true);
    if (!canEditSeries(viewer, facts)) throw new SeriesForbiddenError();
    const known = new Set((await repo.findSeriesWorkIds(trx, seriesId)).map((w) => w.work_id));
    if (order.length !== known.size || new Set(order).size !== order.length || !order.every((id) => known.has(id))) {
      throw new SeriesWorkError('Give each work a different position from 1 to the number of works.');
    }
    await repo.setSeriesOrder(trx, seriesId, order);
    await trx.updateTable('series').set({ updated_at: new Date() }).where('id', '=', seriesId).execute();
  });
}

/**
 * The series with the works this viewer may read, in order; 404 when they may see none of it.
 * Works by creators the viewer muted are left out of the list (the series itself stays visible).
 */
export async function loadSeriesForViewer(db: Db, viewer: Viewer | null, seriesId: number) {
  const { series, creators, facts } = await loadSeries(db, seriesId);
  const entries = await repo.findSeriesWorkIds(db, seriesId);
  // A series names its creators: its anonymous or unrevealed works are left out for all but its own creators (decision 043).
  const readable = await withoutConcealed(
    db,
    canEditSeries(viewer, facts),
    await findReadableWorks(
      db,
      viewer,
      entries.map((e) => e.work_id),
    ),
  );
  if (!canSeeSeries(viewer, facts, readable.length)) throw new SeriesNotFoundError();
  const muted = new Set(viewer ? await mutedUserIds(db, viewer.id) : []);
  let works = readable;
  if (muted.size > 0) {
    const workCreators = await findCreatorsOfWorks(
      db,
      readable.map((w) => w.id),
    );
    works = readable.filter((w) => !workCreators.some((c) => c.work_id === w.id && muted.has(c.user_id)));
  }
  return { series, creators, works, totalWorks: entries.length, canEdit: canEditSeries(viewer, facts) };
}

/** For the manage page: every work of the series (the creator sees drafts too) and the creator's works to add. */
export async function loadSeriesForManaging(db: Db, viewer: Viewer, seriesId: number) {
  const { series } = await authorizeSeriesEdit(db, viewer, seriesId);
  const entries = await repo.findSeriesWorkIds(db, seriesId);
  const inSeries = await findReadableWorks(
    db,
    viewer,
    entries.map((e) => e.work_id),
  );
  const ids = new Set(entries.map((e) => e.work_id));
  const own = (await repo.findWorksOfCreator(db, viewer.id)).filter((w) => !ids.has(w.id));
  return { series, inSeries, addable: own };
}

export interface SeriesNavigation {
  seriesId: number;
  title: string;
  part: number;
  previous: { id: number; title: string } | undefined;
  next: { id: number; title: string } | undefined;
}

/**
 * "Part 2 of the Series X": for each series holding the work, its place among the works this
 * viewer may read, and the readable works before and after it.
 */
export async function findSeriesNavigation(
  db: Db,
  viewer: Viewer | null,
  workId: number,
  /** The work's creators' user ids, when the caller has them (the work page does). */
  knownCreatorUserIds?: readonly number[],
): Promise<SeriesNavigation[]> {
  const memberships = await repo.findSeriesOfWork(db, workId);
  const result: SeriesNavigation[] = [];
  if (memberships.length === 0) return result;
  // "Part 2 of <someone's series>" would name a concealed work's creator: only its creators see it (decision 043).
  const creatorUserIds = knownCreatorUserIds ?? (await findCreatorsOfWorks(db, [workId])).map((c) => c.user_id);
  const own = viewer !== null && creatorUserIds.includes(viewer.id);
  for (const s of memberships) {
    const entries = await repo.findSeriesWorkIds(db, s.id);
    const readable = await withoutConcealed(
      db,
      own,
      await findReadableWorks(
        db,
        viewer,
        entries.map((e) => e.work_id),
      ),
    );
    const index = readable.findIndex((w) => w.id === workId);
    if (index < 0) continue;
    const around = (w: WorkRow | undefined) => (w ? { id: w.id, title: w.title } : undefined);
    result.push({
      seriesId: s.id,
      title: s.title,
      part: index + 1,
      previous: around(readable[index - 1]),
      next: around(readable[index + 1]),
    });
  }
  return result;
}

/** The works without the concealed ones, unless the viewer created them (`keep`). */
async function withoutConcealed(db: Db, keep: boolean, works: WorkRow[]): Promise<WorkRow[]> {
  if (keep || works.length === 0) return works;
  const concealed = await findConcealments(
    db,
    works.map((w) => w.id),
  );
  return works.filter((w) => !concealed.has(w.id));
}

/** Series the user created, for their list and the "add to series" choices. */
export function listSeriesOfCreator(db: Db, userId: number) {
  return repo.findSeriesOfCreator(db, userId);
}

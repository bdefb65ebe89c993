// Orphaning: a creator gives up a work, all their works, or a series for good. The credit moves to
// the orphan account (the one account deletion uses), under the creator's pseud name when they
// keep it (shown "name (orphan_account)") or as orphan_account. The works stay as they were:
// text, kudos, comments, bookmarks and stats are the work's, not the creator's. Audited.
import type { Kysely, Transaction } from 'kysely';
import { orphanPseudId } from '../accounts/account-deletion.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../web/viewer.ts';
import { loadEditable, lockWorkRow } from '../works/works.service.ts';
import * as repo from './co-creators.repo.ts';
import { CoCreatorInputError, loadEditableCreditTarget } from './co-creators.service.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** Moves the viewer's credits on one work to the orphan account, in the caller's transaction. */
async function orphanOneWork(trx: Trx, viewer: Viewer, workId: number, keepPseud: boolean, orphanPseud: number): Promise<void> {
  await lockWorkRow(trx, workId);
  await loadEditable(trx, viewer, workId);
  const removed = await repo.deleteWorkCreditsOfUser(trx, workId, viewer.id);
  const orphanUserId = await repo.findUserIdOfPseud(trx, orphanPseud);
  const names = await repo.findPseudNames(
    trx,
    removed.map((r) => r.pseud_id),
  );
  for (const credit of removed) {
    const name = names.find((n) => n.id === credit.pseud_id)?.name;
    const pseudId = keepPseud && name ? await repo.ensureOrphanPseud(trx, orphanUserId, name) : orphanPseud;
    await trx
      .insertInto('work_creators')
      .values({ work_id: workId, pseud_id: pseudId, position: credit.position })
      .onConflict((oc) => oc.columns(['work_id', 'pseud_id']).doNothing())
      .execute();
  }
  await recordAudit(trx, {
    actor: { id: viewer.id, login: viewer.login },
    action: 'work.orphan',
    targetType: 'work',
    targetId: workId,
    details: { pseuds: names.map((n) => n.name), keepPseud },
  });
}

const draftRefusal = 'Drafts cannot be orphaned: nobody could post or edit them afterwards. Post the draft first, or delete it.';

/** Orphans one work (it must be posted). */
export async function orphanWork(db: Db, viewer: Viewer, workId: number, keepPseud: boolean): Promise<{ title: string }> {
  return db.transaction().execute(async (trx) => {
    const { work } = await loadEditable(trx, viewer, workId);
    if (work.is_draft) throw new CoCreatorInputError('confirm', draftRefusal);
    await orphanOneWork(trx, viewer, workId, keepPseud, await orphanPseudId(trx));
    return { title: work.title };
  });
}

/** The viewer's works that orphaning all would orphan, and the drafts it leaves. */
export async function findOrphanableWorks(db: Db, viewer: Viewer) {
  const works = await repo.findWorksOfUser(db, viewer.id);
  return { posted: works.filter((w) => !w.is_draft), drafts: works.filter((w) => w.is_draft) };
}

/** Orphans every posted work of the viewer's, in one transaction; drafts stay theirs. */
export async function orphanAllWorks(db: Db, viewer: Viewer, keepPseud: boolean): Promise<{ orphaned: number }> {
  return db.transaction().execute(async (trx) => {
    const works = (await repo.findWorksOfUser(trx, viewer.id)).filter((w) => !w.is_draft);
    if (works.length === 0) throw new CoCreatorInputError('confirm', 'You have no posted works to orphan.');
    const orphanPseud = await orphanPseudId(trx);
    for (const work of works) await orphanOneWork(trx, viewer, work.id, keepPseud, orphanPseud);
    return { orphaned: works.length };
  });
}

/** The orphan account takes the viewer's place among one series' creators, in the caller's transaction (audited). */
async function orphanOneSeries(trx: Trx, viewer: Viewer, seriesId: number, orphanUserId: number): Promise<string> {
  const loaded = await loadEditableCreditTarget(trx, viewer, { kind: 'series', id: seriesId }, true);
  await repo.deleteSeriesCreator(trx, seriesId, viewer.id);
  await repo.insertSeriesCreator(trx, seriesId, orphanUserId);
  await recordAudit(trx, {
    actor: { id: viewer.id, login: viewer.login },
    action: 'series.orphan',
    targetType: 'series',
    targetId: seriesId,
    details: { title: loaded.title },
  });
  return loaded.title;
}

/** Orphans a series: the orphan account takes the viewer's place among its creators. */
export async function orphanSeries(db: Db, viewer: Viewer, seriesId: number): Promise<{ title: string }> {
  return db.transaction().execute(async (trx) => {
    const orphanUserId = await repo.findUserIdOfPseud(trx, await orphanPseudId(trx));
    return { title: await orphanOneSeries(trx, viewer, seriesId, orphanUserId) };
  });
}

/** The series orphaning all would orphan (every series the viewer is a creator of). */
export async function findOrphanableSeries(db: Db, viewer: Viewer) {
  return repo.findSeriesOfUser(db, viewer.id);
}

/**
 * Orphans every series of the viewer's in one transaction, as orphaning all works does: audited
 * per series, and all or none (a series that cannot be orphaned rolls the others back).
 */
export async function orphanAllSeries(db: Db, viewer: Viewer): Promise<{ orphaned: number; seriesIds: number[] }> {
  return db.transaction().execute(async (trx) => {
    const series = await repo.findSeriesOfUser(trx, viewer.id);
    if (series.length === 0) throw new CoCreatorInputError('confirm', 'You have no series to orphan.');
    const orphanUserId = await repo.findUserIdOfPseud(trx, await orphanPseudId(trx));
    for (const s of series) await orphanOneSeries(trx, viewer, s.id, orphanUserId);
    return { orphaned: series.length, seriesIds: series.map((s) => s.id) };
  });
}

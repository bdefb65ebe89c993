import type { Kysely } from 'kysely';
import { findVisibleWorks } from '../browse/browse.service.ts';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../web/viewer.ts';
import { loadWorkForReading, type LoadedWork } from '../works/reading.ts';
import { canReadWork, type ReadDecision } from '../works/works.policy.ts';
import { findCreatorsOfWorks, findTagsOfWorks } from '../works/works.service.ts';
import { toApiWork, type ApiWork } from './api.presenter.ts';
import { concealCreators, findMystery, withoutUnrevealed } from '../collections/anonymity.ts';

type Db = Kysely<Database>;

/** One page of the works the caller may see, with creators and tags in two batched queries. */
export async function listVisibleWorks(
  db: Db,
  baseUrl: string,
  viewer: Viewer | null,
  page: number,
  perPage: number,
): Promise<{ works: ApiWork[]; hasNext: boolean }> {
  const { rows: listed, hasNext } = await findVisibleWorks(db, { signedIn: viewer !== null }, page, perPage);
  const rows = await withoutUnrevealed(db, listed);
  const ids = rows.map((r) => r.id);
  const [creators, tags] = await Promise.all([
    findCreatorsOfWorks(db, ids).then((c) => concealCreators(db, null, c)),
    findTagsOfWorks(db, ids),
  ]);
  const works = rows.map((row) =>
    toApiWork(
      baseUrl,
      row,
      creators.filter((c) => c.work_id === row.id),
      tags.filter((t) => t.work_id === row.id),
    ),
  );
  return { works, hasNext };
}

/** The work with everything the API shows, when the viewer may read it (the pages' policy). */
export async function loadReadableWork(
  db: Db,
  viewer: Viewer | null,
  workId: number,
): Promise<{ allowed: true; loaded: LoadedWork } | Extract<ReadDecision, { allowed: false }>> {
  const loaded = await loadWorkForReading(db, workId);
  if (!loaded) return { allowed: false, status: 404, reason: 'There is no work with this id. It may have been deleted.' };
  // An unrevealed collection's work is read through the API only by its creators (decision 043).
  if (loaded.mystery && (await findMystery(db, viewer, workId)))
    return { allowed: false, status: 404, reason: 'This work is unrevealed until its collection’s reveal.' };
  const decision = canReadWork(viewer, {
    isDraft: loaded.work.is_draft,
    isRestricted: loaded.work.is_restricted,
    isHidden: loaded.work.hidden_reason != null,
    creatorUserIds: loaded.creators.map((c) => c.user_id),
  });
  return decision.allowed ? { allowed: true, loaded } : decision;
}

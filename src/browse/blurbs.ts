import type { Kysely } from 'kysely';
import type { Database, WorkRow } from '../db/schema.ts';
import { findCreatorsOfWorks, findTagsOfWorks } from '../works/works.service.ts';
import { toWorkSummaryView, type WorkSummaryView } from '../works/works.presenter.ts';
import { findWorkRowsByIds } from './browse.repo.ts';
import { findConcealments } from '../collections/anonymity.ts';
import { toConcealedSummary } from '../collections/anonymity.presenter.ts';

/** Blurb views for a page of works, with creators and tags loaded in two batched queries. */
export async function toBlurbs(db: Kysely<Database>, rows: readonly WorkRow[]): Promise<WorkSummaryView[]> {
  const ids = rows.map((r) => r.id);
  const [creators, tags, concealed] = await Promise.all([
    findCreatorsOfWorks(db, ids),
    findTagsOfWorks(db, ids),
    findConcealments(db, ids),
  ]);
  // Listings are shared by every reader (and cached), so anonymity applies to everyone here (decision 043).
  return rows.map((row) =>
    toConcealedSummary(
      toWorkSummaryView(
        row,
        creators.filter((c) => c.work_id === row.id),
        tags.filter((t) => t.work_id === row.id),
      ),
      concealed.get(row.id),
    ),
  );
}

/**
 * Blurbs of works already known to be readable by the viewer (a bookmark list checks that in its
 * query), by id: the same full blurb every listing shows.
 */
export async function toBlurbsOfIds(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, WorkSummaryView>> {
  const blurbs = await toBlurbs(db, await findWorkRowsByIds(db, ids));
  return new Map(blurbs.map((b) => [b.id, b]));
}

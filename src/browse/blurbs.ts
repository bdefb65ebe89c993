import type { Kysely } from 'kysely';
import type { Database, WorkRow } from '../db/schema.ts';
import { findCreatorsOfWorks, findTagsOfWorks } from '../works/works.service.ts';
import { toWorkSummaryView, type WorkSummaryView } from '../works/works.presenter.ts';

/** Blurb views for a page of works, with creators and tags loaded in two batched queries. */
export async function toBlurbs(db: Kysely<Database>, rows: readonly WorkRow[]): Promise<WorkSummaryView[]> {
  const ids = rows.map((r) => r.id);
  const [creators, tags] = await Promise.all([findCreatorsOfWorks(db, ids), findTagsOfWorks(db, ids)]);
  return rows.map((row) =>
    toWorkSummaryView(
      row,
      creators.filter((c) => c.work_id === row.id),
      tags.filter((t) => t.work_id === row.id),
    ),
  );
}

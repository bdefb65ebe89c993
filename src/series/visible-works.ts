import type { Kysely, Transaction } from 'kysely';
import type { Database, WorkRow } from '../db/schema.ts';
import { findCreatorsOfWorks } from '../works/works.service.ts';
import { canReadWork } from '../works/works.policy.ts';
import type { Viewer } from '../web/viewer.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The rows of the given works that this viewer may read (drafts, restricted and hidden works
 * filtered by canReadWork), in the order of the ids given.
 */
export async function findReadableWorks(db: Db, viewer: Viewer | null, workIds: readonly number[]): Promise<WorkRow[]> {
  if (workIds.length === 0) return [];
  const [rows, creators] = await Promise.all([
    db
      .selectFrom('works')
      .selectAll('works')
      .select((eb) =>
        eb
          .exists(eb.selectFrom('hidden_works').select('hidden_works.work_id').whereRef('hidden_works.work_id', '=', 'works.id'))
          .as('is_hidden'),
      )
      .where('id', 'in', workIds)
      .execute(),
    findCreatorsOfWorks(db, workIds),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const readable: WorkRow[] = [];
  for (const id of workIds) {
    const row = byId.get(id);
    if (!row) continue;
    const facts = {
      isDraft: row.is_draft,
      isRestricted: row.is_restricted,
      isHidden: Boolean(row.is_hidden),
      creatorUserIds: creators.filter((c) => c.work_id === id).map((c) => c.user_id),
    };
    if (canReadWork(viewer, facts).allowed) {
      const { is_hidden: _hidden, ...work } = row;
      readable.push(work);
    }
  }
  return readable;
}

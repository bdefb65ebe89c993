import type { Kysely } from 'kysely';
import type { Database, TagType } from '../db/schema.ts';
import { visibleTagCondition, type TagViewer } from '../tags/tags.policy.ts';

type Db = Kysely<Database>;

/**
 * Names of the tags a listing's filters name by id, among those the viewer may see: a tag id in
 * an address must not confirm a tag the viewer could not find (src/tags/tags.policy.ts).
 */
export function findVisibleTagsByIds(
  db: Db,
  ids: readonly number[],
  viewer: TagViewer,
): Promise<Array<{ id: number; name: string; type: TagType }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('tags')
    .select(['tags.id', 'tags.name', 'tags.type'])
    .where('tags.id', 'in', [...ids])
    .where(visibleTagCondition(viewer, 'tags'))
    .execute();
}

/** Every pseud of a user: their works page lists the works of all of them. */
export async function findPseudIdsOfUser(db: Db, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('pseuds').select('id').where('user_id', '=', userId).orderBy('id').execute();
  return rows.map((r) => r.id);
}

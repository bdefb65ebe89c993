// The search filter `collection` (decision 043): the works a collection and its sub-collections
// hold, both sides approved, as ids the search intersects with its scope. The listing of a
// collection is the same set (collections.repo findApprovedWorkIds); this module imports nothing
// of the app so that the search service can ask it.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Approved works of the named collection (whatever the name's case) and of its children; [] when there is none. */
export async function findCollectionFilterWorkIds(db: Kysely<Database> | Transaction<Database>, name: string): Promise<number[]> {
  const result = await sql<{ work_id: number }>`
    select distinct ci.work_id from collection_items ci join collections c on c.id = ci.collection_id
    where (lower(c.name) = lower(${name}) or c.parent_id in (select p.id from collections p where lower(p.name) = lower(${name})))
      and ci.collection_approval = 'approved' and ci.creator_approval = 'approved'
    order by ci.work_id`.execute(db);
  return result.rows.map((r) => r.work_id);
}

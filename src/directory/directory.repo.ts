import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { readableWorkCondition, type TagViewer } from '../tags/tags.policy.ts';

type Db = Kysely<Database>;

/** A canonical fandom with the works this viewer may read in it, and one media it belongs to (null: none). */
export interface FandomCountRow {
  id: number;
  name: string;
  sortable_name: string;
  works: number;
  media_id: number | null;
  media_name: string | null;
}

/**
 * Works per canonical fandom among those this viewer may read (canReadWork as SQL, the tag
 * visibility rule of src/tags), fandoms with none left out. Counted over works.filter_tag_ids, so a
 * work tagged with a synonym counts for its canonical and a sub tag's works for its meta fandom, as
 * the fandom's own works listing counts them. One pass over every work: callers cache it.
 */
export async function countFandomWorks(db: Db, viewer: TagViewer): Promise<Map<number, number>> {
  const result = await sql<{ id: number; works: number }>`
    select u.tag_id as id, count(*)::int as works
    from works w cross join lateral unnest(w.filter_tag_ids) as u(tag_id)
    where ${readableWorkCondition(viewer, 'w')}
      and u.tag_id in (select id from tags where type = 'fandom' and canonical)
    group by u.tag_id
  `.execute(db);
  return new Map(result.rows.map((r) => [Number(r.id), Number(r.works)]));
}

/** Every canonical fandom, once per media it is filed under or once with none (works: 0, to be filled in). */
export async function findCanonicalFandoms(db: Db): Promise<FandomCountRow[]> {
  const result = await sql<FandomCountRow>`
    select f.id, f.name, f.sortable_name, 0 as works, m.id as media_id, m.name as media_name
    from tags f
    left join (tag_parents tp join tags m on m.id = tp.parent_id and m.type = 'media' and m.canonical)
      on tp.child_id = f.id and tp.kind = 'media'
    where f.type = 'fandom' and f.canonical
  `.execute(db);
  return result.rows;
}

/** The canonical media tags, every one (a media with no fandom yet still has its page). */
export function findMediaTags(db: Db): Promise<Array<{ id: number; name: string; sortable_name: string }>> {
  return db
    .selectFrom('tags')
    .select(['id', 'name', 'sortable_name'])
    .where('type', '=', 'media')
    .where('canonical', '=', true)
    .orderBy('sortable_name')
    .execute();
}

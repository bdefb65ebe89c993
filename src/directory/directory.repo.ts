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
 * Every canonical fandom holding at least one work this viewer may read (canReadWork as SQL, the
 * tag visibility rule of src/tags), with that count, once per media it is filed under (wrangling's
 * media → fandom links) or once with no media. Counted over works.filter_tag_ids, so a work tagged
 * with a synonym counts for its canonical and a sub tag's works for its meta fandom, as the
 * fandom's own works listing counts them. One pass over the works: callers cache it.
 */
export async function findFandomCounts(db: Db, viewer: TagViewer): Promise<FandomCountRow[]> {
  const result = await sql<FandomCountRow>`
    with counts as (
      select u.tag_id, count(*)::int as works
      from works w cross join lateral unnest(w.filter_tag_ids) as u(tag_id)
      where ${readableWorkCondition(viewer, 'w')}
      group by u.tag_id
    )
    select f.id, f.name, f.sortable_name, c.works, m.id as media_id, m.name as media_name
    from counts c
    join tags f on f.id = c.tag_id and f.type = 'fandom' and f.canonical
    left join (tag_parents tp join tags m on m.id = tp.parent_id and m.type = 'media' and m.canonical)
      on tp.child_id = f.id and tp.kind = 'media'
  `.execute(db);
  return result.rows.map((r) => ({ ...r, works: Number(r.works) }));
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

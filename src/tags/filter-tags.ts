import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, TagRow, TagType } from '../db/schema.ts';
import type { TagViewer } from './tags.policy.ts';
import { visibleTagCondition } from './tags.repo.ts';

type Db = Kysely<Database> | Transaction<Database>;

/*
 * works.filter_tag_ids is the one thing search reads to filter by tag (GIN, `@>` and `&&`). For each work it
 * holds: every tag on the work resolved to its canonical (a synonym → its merger; a tag that is neither → itself),
 * every meta-tag ancestor of those (transitively, each resolved too), and the rating/warning/category ids, which
 * are canonical from the start. Whoever changes how a tag resolves calls refreshFilterTags in the same transaction.
 * See docs/decisions (tag model) for why this is denormalized.
 */

/** The SQL that recomputes filter_tag_ids for the works matching `where` (a condition on `works`). */
function refreshStatement(where: ReturnType<typeof sql>) {
  return sql`
    with recursive scope as (
      select id as work_id from works where ${where}
    ), resolved as (
      select wt.work_id, coalesce(t.merger_id, t.id) as tag_id
      from work_tags wt join scope s on s.work_id = wt.work_id join tags t on t.id = wt.tag_id
    ), closure (work_id, tag_id) as (
      select work_id, tag_id from resolved
      union
      select c.work_id, coalesce(p.merger_id, p.id)
      from closure c
      join tag_parents tp on tp.child_id = c.tag_id and tp.kind = 'meta'
      join tags p on p.id = tp.parent_id
    ), agg as (
      select s.work_id, coalesce(array_agg(distinct c.tag_id order by c.tag_id) filter (where c.tag_id is not null), '{}') as ids
      from scope s left join closure c on c.work_id = s.work_id
      group by s.work_id
    )
    update works set filter_tag_ids = agg.ids
    from agg
    where works.id = agg.work_id and works.filter_tag_ids is distinct from agg.ids
  `;
}

/** Recomputes works.filter_tag_ids for these works in one statement. */
export async function refreshFilterTags(db: Db, workIds: readonly number[]): Promise<void> {
  const ids = [...new Set(workIds)];
  if (ids.length === 0) return;
  await refreshStatement(sql`id = any(${ids}::int[])`).execute(db);
}

/**
 * Recomputes filter_tag_ids for every work that carries one of these tags, any of their synonyms, or any
 * of their sub tags (transitively): the works whose resolution a wrangling change on these tags can move.
 * Pass the tags both before and after the change (e.g. the synonym and its new canonical).
 */
export async function refreshFilterTagsOfTags(db: Db, tagIds: readonly number[]): Promise<void> {
  const ids = [...new Set(tagIds)];
  if (ids.length === 0) return;
  const affected = sql`id in (
    with recursive family (tag_id) as (
      select unnest(${ids}::int[])
      union
      select next.id from family f cross join lateral (
        select t.id from tags t where t.merger_id = f.tag_id
        union all
        select tp.child_id from tag_parents tp where tp.parent_id = f.tag_id and tp.kind = 'meta'
      ) as next
    )
    select wt.work_id from work_tags wt join family f on f.tag_id = wt.tag_id
    union
    select w.id from works w join family f on w.filter_tag_ids @> array[f.tag_id]
  )`;
  await refreshStatement(affected).execute(db);
}

/** A tag by name, case-insensitive; with a type, only of that type (names are unique per type). */
export function findTagByName(db: Db, name: string, type?: TagType): Promise<TagRow | undefined> {
  let query = db.selectFrom('tags').selectAll().where(sql`lower(name)`, '=', name.trim().toLowerCase());
  if (type !== undefined) query = query.where('type', '=', type);
  // Without a type, prefer a canonical tag, then the oldest (AO3 tag names are unique across types).
  return query.orderBy('canonical', 'desc').orderBy('id').executeTakeFirst();
}

/**
 * Names → the ids of their canonical tags (a synonym gives its merger), case-insensitive, in the order of
 * the names, without duplicates; names that match no tag the viewer may see (tags.policy.ts) are left out,
 * so a search or a filter cannot confirm a name typed on someone's draft.
 */
export async function resolveTagNames(db: Db, type: TagType, names: readonly string[], viewer: TagViewer): Promise<number[]> {
  const lowered = [...new Set(names.map((n) => n.trim().toLowerCase()).filter((n) => n !== ''))];
  if (lowered.length === 0) return [];
  const rows = await db
    .selectFrom('tags')
    .select(['id', 'merger_id', sql<string>`lower(name)`.as('lname')])
    .where('type', '=', type)
    .where(sql`lower(name)`, 'in', lowered)
    .where(visibleTagCondition(viewer, 'tags'))
    .execute();
  const byName = new Map(rows.map((r) => [r.lname, r.merger_id ?? r.id]));
  const out: number[] = [];
  for (const name of lowered) {
    const id = byName.get(name);
    if (id !== undefined && !out.includes(id)) out.push(id);
  }
  return out;
}

import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { TAG_TYPES, type Database, type TagRow, type TagType } from '../db/schema.ts';
import type { TagParentKind } from '../db/tables/tags.ts';
import type { TagViewer } from './tags.policy.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const WRANGLER_ROLE = 'tag_wrangler';

// ---- which tags a viewer may see (the rule is written out in tags.policy.ts) -------------------

/**
 * The viewer's roles, read from the database by account id (as the session reads them, src/accounts),
 * so that a caller that knows only the account (a saved search's owner) gets the same answer; each is an
 * uncorrelated subquery, evaluated once per statement.
 */
function accountIs(viewerId: number, role: 'staff' | 'wrangler'): RawBuilder<boolean> {
  const admin = sql`exists (select 1 from users va where va.id = ${viewerId} and va.is_admin)`;
  // 'moderator' as in accounts.repo.ts (the session's isModerator) and the moderation slice's roles.
  const roleName = role === 'staff' ? 'moderator' : WRANGLER_ROLE;
  return sql<boolean>`(${admin} or exists (select 1 from user_roles vro where vro.user_id = ${viewerId} and vro.role = ${roleName}))`;
}

/**
 * The works (table alias `w`) this viewer may read: canReadWork (src/works/works.policy.ts) as SQL,
 * so a tag check is one query. tag-visibility.db.test.ts checks it against canReadWork for every kind of
 * work and viewer.
 */
export function readableWorkCondition(viewer: TagViewer, w: string): RawBuilder<boolean> {
  const col = (name: string) => sql.ref(`${w}.${name}`);
  const notHidden = sql`not exists (select 1 from hidden_works hw where hw.work_id = ${col('id')})`;
  if (viewer === null) return sql<boolean>`(not ${col('is_draft')} and not ${col('is_restricted')} and ${notHidden})`;
  // Moderators and admins read hidden works; only creators read drafts.
  const ownWork = sql`exists (select 1 from work_creators wc join pseuds p on p.id = wc.pseud_id where wc.work_id = ${col('id')} and p.user_id = ${viewer.id})`;
  return sql<boolean>`((not ${col('is_draft')} and (${accountIs(viewer.id, 'staff')} or ${notHidden})) or ${ownWork})`;
}

/**
 * Whether the tag (table alias `t`) is visible to this viewer: canonical, used on a work they may read,
 * a character named by a relationship used on such a work (posting "A/B" makes the characters A and B,
 * linked to it: their names are on the work already), or the viewer wrangles tags (tag wranglers and
 * admins). A canonical tag (the hot tag pages) is settled without a subquery; for any other the EXISTS
 * walks work_tags_tag_idx (tag_id, work_id), or the tag_parents key (parent_id, child_id), and stops at
 * the first readable work.
 */
export function visibleTagCondition(viewer: TagViewer, t: string): RawBuilder<boolean> {
  const col = (name: string) => sql.ref(`${t}.${name}`);
  const wrangles = viewer === null ? sql`false` : accountIs(viewer.id, 'wrangler');
  // Only a link whose relationship spells the character's name: a wrangler's merge copies a synonym's
  // character links onto its canonical, and those must not publish the names of a draft's characters.
  return sql<boolean>`(${col('canonical')} or ${wrangles} or exists (
    select 1 from work_tags vt join works vw on vw.id = vt.work_id where vt.tag_id = ${col('id')} and ${readableWorkCondition(viewer, 'vw')}
  ) or (${col('type')} = 'character' and exists (
    select 1 from tag_parents vp join tags vr on vr.id = vp.child_id join work_tags vt on vt.tag_id = vp.child_id join works vw on vw.id = vt.work_id
    where vp.parent_id = ${col('id')} and vp.kind = 'character' and strpos(lower(vr.name), lower(${col('name')})) > 0 and ${readableWorkCondition(viewer, 'vw')}
  )))`;
}

/** A tag by name, case-insensitive, of any type, that the viewer may see: a canonical one first, then the oldest. */
export function findVisibleTagByName(db: Db, name: string, viewer: TagViewer): Promise<TagRow | undefined> {
  return (
    db
      .selectFrom('tags')
      .selectAll()
      // Every type named, so the (type, lower(name)) index is probed once a type instead of read whole.
      .where('type', 'in', [...TAG_TYPES])
      .where(sql`lower(name)`, '=', name.trim().toLowerCase())
      .where(visibleTagCondition(viewer, 'tags'))
      .orderBy('canonical', 'desc')
      .orderBy('id')
      .executeTakeFirst()
  );
}

export function findTagById(db: Db, id: number): Promise<TagRow | undefined> {
  return db.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findTagsByIds(db: Db, ids: readonly number[]): Promise<TagRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('tags').selectAll().where('id', 'in', ids).orderBy('sortable_name').orderBy('id').execute();
}

/** Tags of a type by names (case-insensitive), with the canonical each resolves to. */
export function findTagsByNames(db: Db, type: TagType, names: readonly string[]): Promise<TagRow[]> {
  const lowered = [...new Set(names.map((n) => n.trim().toLowerCase()).filter((n) => n !== ''))];
  if (lowered.length === 0) return Promise.resolve([]);
  return db.selectFrom('tags').selectAll().where('type', '=', type).where(sql`lower(name)`, 'in', lowered).execute();
}

/** The tag's synonyms the viewer may see. */
export function findSynonymsOf(db: Db, tagId: number, viewer: TagViewer) {
  return db
    .selectFrom('tags')
    .select(['id', 'name', 'type'])
    .where('merger_id', '=', tagId)
    .where(visibleTagCondition(viewer, 'tags'))
    .orderBy('sortable_name')
    .execute();
}

export interface RelatedTagRow {
  id: number;
  name: string;
  type: TagType;
  kind: TagParentKind;
  canonical: boolean;
}

/** The tag's parents (fandoms, media, characters it names, meta tags) the viewer may see. */
export function findParentsOf(db: Db, tagId: number, viewer: TagViewer): Promise<RelatedTagRow[]> {
  return db
    .selectFrom('tag_parents')
    .innerJoin('tags', 'tags.id', 'tag_parents.parent_id')
    .select(['tags.id', 'tags.name', 'tags.type', 'tag_parents.kind', 'tags.canonical'])
    .where('tag_parents.child_id', '=', tagId)
    .where(visibleTagCondition(viewer, 'tags'))
    .orderBy('tags.sortable_name')
    .execute();
}

/** The tag's children the viewer may see (a fandom's characters..., a media's fandoms, sub tags), at most `limit` of each kind and type. */
export function findChildrenOf(db: Db, tagId: number, limit: number, viewer: TagViewer): Promise<RelatedTagRow[]> {
  return sql<RelatedTagRow>`
    select id, name, type, kind, canonical from (
      select t.id, t.name, t.type, tp.kind, t.canonical, t.sortable_name,
             row_number() over (partition by tp.kind, t.type order by t.sortable_name, t.id) as n
      from tag_parents tp join tags t on t.id = tp.child_id
      where tp.parent_id = ${tagId} and ${visibleTagCondition(viewer, 't')}
    ) ranked
    where n <= ${limit}
    order by sortable_name, id
  `
    .execute(db)
    .then((r) => r.rows);
}

/** How many children of each kind and type the tag has that the viewer may see (for "and N more"). */
export async function countChildrenOf(db: Db, tagId: number, viewer: TagViewer): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('tag_parents')
    .innerJoin('tags', 'tags.id', 'tag_parents.child_id')
    .select(['tag_parents.kind', 'tags.type', (eb) => eb.fn.countAll<string>().as('n')])
    .where('tag_parents.parent_id', '=', tagId)
    .where(visibleTagCondition(viewer, 'tags'))
    .groupBy(['tag_parents.kind', 'tags.type'])
    .execute();
  return new Map(rows.map((r) => [`${r.kind}:${r.type}`, Number(r.n)]));
}

export async function findRolesOfUser(db: Db, userId: number): Promise<string[]> {
  const rows = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
  return rows.map((r) => r.role);
}

export function findUsersWithRole(db: Db, role: string) {
  return db
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select(['users.id', 'users.login', 'user_roles.granted_at'])
    .where('user_roles.role', '=', role)
    .orderBy(sql`lower(users.login)`)
    .execute();
}

export async function grantRole(db: Db, userId: number, role: string, grantedBy: number): Promise<void> {
  await db
    .insertInto('user_roles')
    .values({ user_id: userId, role, granted_by: grantedBy })
    .onConflict((oc) => oc.columns(['user_id', 'role']).doNothing())
    .execute();
}

export async function revokeRole(db: Db, userId: number, role: string): Promise<void> {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).where('role', '=', role).execute();
}

export type WranglingStatus = 'unwrangled' | 'canonical' | 'synonym' | 'all';

export interface WranglingListFilter {
  type: TagType;
  status: WranglingStatus;
  /** Only tags used on works in this (canonical) fandom, or children of it. */
  fandomId?: number;
  /** Name contains this text. */
  nameContains?: string;
}

export interface WranglingRow {
  id: number;
  name: string;
  type: TagType;
  canonical: boolean;
  unwrangled: boolean;
  merger_name: string | null;
  uses: number;
  fandoms: string | null;
}

/** One page of tags for the wrangling list, by sortable name, with their use counts and fandoms. */
export async function listTagsForWrangling(db: Db, filter: WranglingListFilter, page: number, perPage: number) {
  const status =
    filter.status === 'unwrangled'
      ? sql`t.unwrangled`
      : filter.status === 'canonical'
        ? sql`t.canonical`
        : filter.status === 'synonym'
          ? sql`t.merger_id is not null`
          : sql`true`;
  const fandom =
    filter.fandomId === undefined
      ? sql`true`
      : sql`(t.id in (select wt.tag_id from work_tags wt join works w on w.id = wt.work_id where w.filter_tag_ids @> array[${filter.fandomId}]::int[])
             or t.id in (select child_id from tag_parents where parent_id = ${filter.fandomId} and kind = 'fandom'))`;
  const name = filter.nameContains ? sql`strpos(lower(t.name), ${filter.nameContains.toLowerCase()}) > 0` : sql`true`;
  const result = await sql<WranglingRow>`
    select t.id, t.name, t.type, t.canonical, t.unwrangled, m.name as merger_name,
      (select count(*)::int from work_tags wt where wt.tag_id = t.id) as uses,
      (select string_agg(f.name, ', ' order by f.sortable_name) from tag_parents tp join tags f on f.id = tp.parent_id
        where tp.child_id = t.id and tp.kind in ('fandom', 'media')) as fandoms
    from tags t left join tags m on m.id = t.merger_id
    where t.type = ${filter.type} and ${status} and ${fandom} and ${name}
    order by t.sortable_name, t.id
    limit ${perPage + 1} offset ${(page - 1) * perPage}
  `.execute(db);
  return { rows: result.rows.slice(0, perPage), hasNext: result.rows.length > perPage };
}

export async function makeCanonical(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('tags').set({ canonical: true, merger_id: null, unwrangled: false }).where('id', 'in', ids).execute();
}

/** Makes the tags synonyms of the target; their own synonyms follow, and their relations move to the target. */
export async function makeSynonyms(db: Db, ids: readonly number[], targetId: number, options: { moveParents: boolean }): Promise<void> {
  if (ids.length === 0) return;
  const list = sql`${sql.join(ids.map((id) => sql`${id}`))}`;
  await db.updateTable('tags').set({ merger_id: targetId }).where('merger_id', 'in', ids).execute();
  // Children (sub tags, a fandom's characters) belong to the canonical: move them to the target.
  await sql`insert into tag_parents (parent_id, child_id, kind)
    select ${targetId}, child_id, kind from tag_parents where parent_id in (${list}) and child_id <> ${targetId}
    on conflict (parent_id, child_id) do nothing`.execute(db);
  await sql`delete from tag_parents where parent_id in (${list})`.execute(db);
  // Parents (fandoms, meta tags) are copied onto the target when merging; a synonym itself keeps none.
  if (options.moveParents) {
    await sql`insert into tag_parents (parent_id, child_id, kind)
      select parent_id, ${targetId}, kind from tag_parents where child_id in (${list}) and parent_id <> ${targetId}
      on conflict (parent_id, child_id) do nothing`.execute(db);
  }
  await sql`delete from tag_parents where child_id in (${list}) and kind = 'meta'`.execute(db);
  await db.updateTable('tags').set({ merger_id: targetId, canonical: false, unwrangled: false }).where('id', 'in', ids).execute();
}

/** Moves the works tagged with these tags onto the target tag; returns the works touched. */
export async function moveWorkTags(db: Db, ids: readonly number[], targetId: number): Promise<number[]> {
  if (ids.length === 0) return [];
  const moved = await db.selectFrom('work_tags').select('work_id').distinct().where('tag_id', 'in', ids).execute();
  const list = sql`${sql.join(ids.map((id) => sql`${id}`))}`;
  await sql`insert into work_tags (work_id, tag_id, position)
    select work_id, ${targetId}, min(position) from work_tags where tag_id in (${list}) group by work_id
    on conflict (work_id, tag_id) do nothing`.execute(db);
  await db.deleteFrom('work_tags').where('tag_id', 'in', ids).execute();
  const workIds = moved.map((r) => r.work_id);
  // The works show other tags now: a new version, so downloads and caches keyed by version are rebuilt.
  if (workIds.length > 0) await db.updateTable('works').set({ version: sql`version + 1` }).where('id', 'in', workIds).execute();
  return workIds;
}

export async function addParents(db: Db, childIds: readonly number[], parentIds: readonly number[], kind: TagParentKind): Promise<void> {
  const values = childIds.flatMap((child_id) =>
    parentIds.filter((p) => p !== child_id).map((parent_id) => ({ parent_id, child_id, kind })),
  );
  if (values.length === 0) return;
  await db
    .insertInto('tag_parents')
    .values(values)
    .onConflict((oc) => oc.columns(['parent_id', 'child_id']).doNothing())
    .execute();
}

export async function removeParents(db: Db, childIds: readonly number[], parentIds: readonly number[], kind: TagParentKind): Promise<void> {
  if (childIds.length === 0 || parentIds.length === 0) return;
  await db
    .deleteFrom('tag_parents')
    .where('child_id', 'in', childIds)
    .where('parent_id', 'in', parentIds)
    .where('kind', '=', kind)
    .execute();
}

export async function markWrangled(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('tags').set({ unwrangled: false }).where('id', 'in', ids).execute();
}

/** The ids of the tag and its sub tags, transitively (to refuse a meta tag that would make a cycle). */
export async function findSubTagIds(db: Db, tagId: number): Promise<number[]> {
  const result = await sql<{ id: number }>`
    with recursive subs (id) as (
      select ${tagId}::int
      union
      select tp.child_id from tag_parents tp join subs s on tp.parent_id = s.id and tp.kind = 'meta'
    )
    select id from subs
  `.execute(db);
  return result.rows.map((r) => r.id);
}

export interface AutocompleteRow {
  id: number;
  name: string;
  canonical: boolean;
  merger_id: number | null;
  merger_name: string | null;
}

/**
 * Tags of a type the viewer may see whose name starts with the term (`prefix`, served by the (type,
 * lower(name) text_pattern_ops) index) or has a later word starting with it (`word`, a scan of the type's
 * tags: asked only when prefix matches fall short): canonical tags first, then synonyms, then tags not
 * wrangled yet; at most `limit`.
 */
export async function findAutocompleteTags(
  db: Db,
  type: TagType,
  term: string,
  match: 'prefix' | 'word',
  limit: number,
  viewer: TagViewer,
  excludeIds: readonly number[] = [],
): Promise<AutocompleteRow[]> {
  const escaped = term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  const condition =
    match === 'prefix'
      ? sql`lower(t.name) like ${`${escaped}%`}`
      : sql`(lower(t.name) like ${`% ${escaped}%`} or lower(t.name) like ${`%/${escaped}%`}) and not t.id = any(${[...excludeIds]}::int[])`;
  // The matches are sorted first (offset 0 keeps the planner from pulling the visibility check inside),
  // then checked in that order until `limit` pass: canonical tags come first and pass without a
  // subquery, so a short prefix matching a thousand tags costs a few EXISTS probes, not a thousand;
  // the canonical names of synonyms are looked up for the rows returned only.
  const result = await sql<AutocompleteRow>`
    select c.id, c.name, c.canonical, c.merger_id, (select m.name from tags m where m.id = c.merger_id) as merger_name from (
      select t.id, t.name, t.type, t.canonical, t.merger_id, t.sortable_name,
        case when t.canonical then 0 when t.merger_id is not null then 1 else 2 end as rank
      from tags t
      where t.type = ${type} and ${condition}
      order by rank, t.sortable_name, t.id
      offset 0
    ) c
    where ${visibleTagCondition(viewer, 'c')}
    order by c.rank, c.sortable_name, c.id
    limit ${limit}
  `.execute(db);
  return result.rows;
}

import { sql, type Kysely } from 'kysely';

// AO3's tag model: canonical tags and synonyms, parents (fandom, media, meta, character),
// wrangling state, the tag wrangler role, and the denormalized filter tag ids of works.
export async function up(db: Kysely<any>): Promise<void> {
  // One statement a call: the extended protocol (PGlite, pg with parameters) takes one at a time.
  const statements = [
    sql`alter table tags drop constraint tags_type_check`,
    sql`alter table tags add constraint tags_type_check check (type in ('rating', 'warning', 'category', 'media', 'fandom', 'relationship', 'character', 'freeform'))`,
    sql`alter table tags add column canonical boolean not null default false`,
    sql`alter table tags add column merger_id integer references tags (id) on delete set null`,
    sql`alter table tags add column unwrangled boolean not null default true`,
    sql`alter table tags add column sortable_name text not null default ''`,
    sql`alter table tags add constraint tags_merger_not_self check (merger_id is null or merger_id <> id)`,
    sql`alter table tags add constraint tags_canonical_not_synonym check (not (canonical and merger_id is not null))`,
    sql`update tags set canonical = true, unwrangled = false where type in ('rating', 'warning', 'category')`,
    sql`update tags set sortable_name = regexp_replace(lower(name), '^(the|a|an) ', '')`,
    sql`create index tags_merger_idx on tags (merger_id) where merger_id is not null`,
    // Autocomplete: prefix matches on the lowered name use this index whatever the collation.
    sql`create index tags_name_prefix_idx on tags (type, lower(name) text_pattern_ops)`,
    sql`create index tags_unwrangled_idx on tags (type) where unwrangled`,
    // kind: 'fandom' (fandom → character/relationship/freeform), 'media' (media → fandom),
    // 'meta' (meta tag → sub tag), 'character' (character → relationship naming it).
    sql`create table tag_parents (
    parent_id integer not null references tags (id) on delete cascade,
    child_id integer not null references tags (id) on delete cascade,
    kind text not null check (kind in ('fandom', 'media', 'meta', 'character')),
    created_at timestamptz not null default now(),
    primary key (parent_id, child_id),
    check (parent_id <> child_id)
  )`,
    sql`create index tag_parents_child_idx on tag_parents (child_id, kind, parent_id)`,
    sql`create table user_roles (
    user_id integer not null references users (id) on delete cascade,
    role text not null,
    granted_by integer references users (id) on delete set null,
    granted_at timestamptz not null default now(),
    primary key (user_id, role)
  )`,
    sql`create index user_roles_role_idx on user_roles (role, user_id)`,
    // For each work: its tags resolved to canonicals, their meta ancestors, rating/warnings/categories.
    sql`alter table works add column filter_tag_ids integer[] not null default '{}'`,
    sql`create index works_filter_tag_ids_idx on works using gin (filter_tag_ids)`,
  ];
  for (const statement of statements) await statement.execute(db);

  const media = [
    'TV Shows',
    'Books & Literature',
    'Movies',
    'Anime & Manga',
    'Video Games',
    'Music & Bands',
    'Cartoons & Comics & Graphic Novels',
    'Celebrities & Real People',
    'Theater',
    'Other Media',
  ];
  await db
    .insertInto('tags')
    .values(media.map((name) => ({ type: 'media', name, canonical: true, unwrangled: false, sortable_name: name.toLowerCase() })))
    .execute();

  // Existing works: tags as posted are their own canonicals until wrangled.
  await sql`update works set filter_tag_ids = coalesce((select array_agg(distinct tag_id order by tag_id) from work_tags where work_tags.work_id = works.id), '{}')`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Collections (issue 14, part 1): named groups of works run by owners and moderators, open or
// closed, moderated or not, one level of sub-collections. An item is in a collection once both
// sides agree: the collection (a maintainer, or nobody when it is unmoderated) and the work's
// creator (who agrees by adding it, or later when a maintainer invited it).
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table collections (
      id integer generated always as identity primary key,
      name text not null,
      title text not null,
      description_html text not null default '',
      rules_html text not null default '',
      faq_html text not null default '',
      parent_id integer references collections (id) on delete set null,
      is_closed boolean not null default false,
      is_moderated boolean not null default false,
      is_anonymous boolean not null default false,
      is_unrevealed boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint collections_name_format check (name ~ '^[A-Za-z0-9_]{3,64}$'),
      constraint collections_not_own_parent check (parent_id is null or parent_id <> id)
    )`,
    // Names are unique whatever their case: "Yuletide" and "yuletide" would be one collection to a reader.
    sql`create unique index collections_name_key on collections (lower(name))`,
    sql`create index collections_parent_idx on collections (parent_id) where parent_id is not null`,
    sql`create table collection_participants (
      collection_id integer not null references collections (id) on delete cascade,
      user_id integer not null references users (id) on delete cascade,
      role text not null check (role in ('owner', 'moderator')),
      created_at timestamptz not null default now(),
      primary key (collection_id, user_id)
    )`,
    sql`create index collection_participants_user_idx on collection_participants (user_id)`,
    sql`create table collection_items (
      id integer generated always as identity primary key,
      collection_id integer not null references collections (id) on delete cascade,
      work_id integer not null references works (id) on delete cascade,
      collection_approval text not null check (collection_approval in ('pending', 'approved', 'rejected')),
      creator_approval text not null check (creator_approval in ('pending', 'approved', 'rejected')),
      added_by integer references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint collection_items_once unique (collection_id, work_id)
    )`,
    sql`create index collection_items_work_idx on collection_items (work_id)`,
    sql`create index collection_items_approved_idx on collection_items (collection_id, work_id)
      where collection_approval = 'approved' and creator_approval = 'approved'`,
  ];
  for (const statement of statements) await statement.execute(db);
}

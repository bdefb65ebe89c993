import { sql, type Kysely } from 'kysely';

// Kudos, comments (threaded, per chapter and per paragraph), bookmarks and reading lists,
// the inbox, muting and blocking (issue 5, first half). Counters on works stay exact: each
// write updates them in its own transaction.
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    // A per-installation secret for the privacy-preserving fingerprints of guests (kudos, rate limits).
    sql`create table interaction_secrets (
      name text primary key,
      value text not null
    )`,
    sql`insert into interaction_secrets (name, value)
      values ('fingerprint', encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || clock_timestamp()::text, 'UTF8')), 'hex'))`,
    sql`alter table works add column guest_comments_allowed boolean not null default true`,
    sql`alter table works add column comments_moderated boolean not null default false`,
    sql`create table kudos (
      id integer generated always as identity primary key,
      work_id integer not null references works (id) on delete cascade,
      user_id integer references users (id) on delete cascade,
      guest_fingerprint text,
      created_at timestamptz not null default now(),
      constraint kudos_giver check ((user_id is null) <> (guest_fingerprint is null)),
      constraint kudos_user_once unique (work_id, user_id),
      constraint kudos_guest_once unique (work_id, guest_fingerprint)
    )`,
    sql`create index kudos_work_day_idx on kudos (work_id, created_at)`,
    sql`create table comments (
      id integer generated always as identity primary key,
      work_id integer not null references works (id) on delete cascade,
      chapter_id integer references chapters (id) on delete cascade,
      paragraph integer check (paragraph is null or paragraph >= 1),
      parent_id integer references comments (id) on delete cascade,
      user_id integer references users (id) on delete set null,
      pseud_name text,
      guest_name text,
      guest_email text,
      body_html text not null,
      address_hash text not null,
      is_approved boolean not null default true,
      is_hidden boolean not null default false,
      is_frozen boolean not null default false,
      deleted_at timestamptz,
      edited_at timestamptz,
      created_at timestamptz not null default now(),
      constraint comments_paragraph_needs_chapter check (paragraph is null or chapter_id is not null)
    )`,
    sql`create index comments_work_idx on comments (work_id, id)`,
    sql`create index comments_parent_idx on comments (parent_id) where parent_id is not null`,
    sql`create index comments_user_recent_idx on comments (user_id, created_at) where user_id is not null`,
    sql`create index comments_address_recent_idx on comments (address_hash, created_at)`,
    sql`create table bookmarks (
      id integer generated always as identity primary key,
      user_id integer not null references users (id) on delete cascade,
      work_id integer references works (id) on delete cascade,
      series_id integer,
      external_url text,
      external_title text,
      external_creator text,
      external_fandom text,
      external_summary_html text,
      notes_html text not null default '',
      tags text[] not null default '{}',
      is_private boolean not null default false,
      is_rec boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint bookmarks_one_target check (num_nonnulls(work_id, series_id, external_url) = 1),
      constraint bookmarks_external_url check (external_url is null or external_url ~* '^https?://')
    )`,
    sql`create unique index bookmarks_user_work_key on bookmarks (user_id, work_id) where work_id is not null`,
    sql`create unique index bookmarks_user_series_key on bookmarks (user_id, series_id) where series_id is not null`,
    sql`create index bookmarks_user_idx on bookmarks (user_id, updated_at desc, id desc)`,
    sql`create index bookmarks_work_idx on bookmarks (work_id) where work_id is not null`,
    sql`create table readings (
      user_id integer not null references users (id) on delete cascade,
      work_id integer not null references works (id) on delete cascade,
      to_read boolean not null default false,
      visits integer not null default 0,
      last_read_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (user_id, work_id)
    )`,
    sql`create table interaction_preferences (
      user_id integer primary key references users (id) on delete cascade,
      history_enabled boolean not null default false
    )`,
    sql`create table inbox_items (
      id integer generated always as identity primary key,
      user_id integer not null references users (id) on delete cascade,
      kind text not null,
      work_id integer references works (id) on delete cascade,
      comment_id integer references comments (id) on delete cascade,
      actor_user_id integer references users (id) on delete set null,
      text text not null,
      url text not null,
      dedupe_key text,
      read_at timestamptz,
      created_at timestamptz not null default now()
    )`,
    sql`create index inbox_items_user_idx on inbox_items (user_id, id desc)`,
    sql`create unique index inbox_items_dedupe_key on inbox_items (user_id, dedupe_key) where dedupe_key is not null`,
    sql`create table mutes (
      user_id integer not null references users (id) on delete cascade,
      muted_user_id integer not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (user_id, muted_user_id),
      constraint mutes_not_self check (user_id <> muted_user_id)
    )`,
    sql`create table blocks (
      user_id integer not null references users (id) on delete cascade,
      blocked_user_id integer not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (user_id, blocked_user_id),
      constraint blocks_not_self check (user_id <> blocked_user_id)
    )`,
    sql`create index blocks_blocked_idx on blocks (blocked_user_id)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

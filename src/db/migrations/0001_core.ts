import { sql, type Kysely } from 'kysely';

// Accounts, pseuds, sessions, API tokens, works, chapters and free-text tags.
export async function up(db: Kysely<any>): Promise<void> {
  // One statement a call: the extended protocol (PGlite, pg with parameters) takes one at a time.
  const statements = [
    sql`create table users (
    id integer generated always as identity primary key,
    login text not null,
    email text not null,
    password_hash text not null,
    is_admin boolean not null default false,
    created_at timestamptz not null default now()
  )`,
    sql`create unique index users_login_key on users (lower(login))`,
    sql`create unique index users_email_key on users (lower(email))`,
    sql`create table pseuds (
    id integer generated always as identity primary key,
    user_id integer not null references users (id) on delete cascade,
    name text not null,
    is_default boolean not null default false,
    description text not null default '',
    created_at timestamptz not null default now()
  )`,
    sql`create unique index pseuds_user_name_key on pseuds (user_id, lower(name))`,
    sql`create unique index pseuds_one_default_key on pseuds (user_id) where is_default`,
    sql`create table sessions (
    token_hash text primary key,
    user_id integer not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
  )`,
    sql`create index sessions_user_idx on sessions (user_id)`,
    sql`create table api_tokens (
    id integer generated always as identity primary key,
    user_id integer not null references users (id) on delete cascade,
    name text not null,
    token_hash text not null unique,
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at timestamptz
  )`,
    sql`create table works (
    id integer generated always as identity primary key,
    title text not null,
    summary_html text not null default '',
    notes_html text not null default '',
    end_notes_html text not null default '',
    language text not null default 'en',
    is_complete boolean not null default false,
    expected_chapters integer check (expected_chapters is null or expected_chapters > 0),
    is_draft boolean not null default true,
    is_restricted boolean not null default false,
    word_count integer not null default 0,
    chapter_count integer not null default 0,
    hits integer not null default 0,
    kudos_count integer not null default 0,
    comments_count integer not null default 0,
    bookmarks_count integer not null default 0,
    version integer not null default 1,
    published_at timestamptz,
    updated_at timestamptz not null default now(),
    created_at timestamptz not null default now()
  )`,
    sql`create index works_listing_idx on works (updated_at desc, id desc) where not is_draft`,
    sql`create table work_creators (
    work_id integer not null references works (id) on delete cascade,
    pseud_id integer not null references pseuds (id) on delete cascade,
    position integer not null default 0,
    primary key (work_id, pseud_id)
  )`,
    sql`create index work_creators_pseud_idx on work_creators (pseud_id, work_id)`,
    sql`create table chapters (
    id integer generated always as identity primary key,
    work_id integer not null references works (id) on delete cascade,
    position integer not null,
    title text not null default '',
    summary_html text not null default '',
    notes_html text not null default '',
    end_notes_html text not null default '',
    body_html text not null,
    word_count integer not null default 0,
    published_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint chapters_work_position_key unique (work_id, position) deferrable initially deferred
  )`,
    sql`create table tags (
    id integer generated always as identity primary key,
    type text not null check (type in ('rating', 'warning', 'category', 'fandom', 'relationship', 'character', 'freeform')),
    name text not null,
    created_at timestamptz not null default now()
  )`,
    sql`create unique index tags_type_name_key on tags (type, lower(name))`,
    sql`create table work_tags (
    work_id integer not null references works (id) on delete cascade,
    tag_id integer not null references tags (id) on delete cascade,
    position integer not null default 0,
    primary key (work_id, tag_id)
  )`,
    sql`create index work_tags_tag_idx on work_tags (tag_id, work_id)`,
  ];
  for (const statement of statements) await statement.execute(db);

  // The fixed AO3 vocabularies exist from the start so forms and filters can list them.
  const fixed: Array<[string, string]> = [
    ['rating', 'Not Rated'],
    ['rating', 'General Audiences'],
    ['rating', 'Teen And Up Audiences'],
    ['rating', 'Mature'],
    ['rating', 'Explicit'],
    ['warning', 'Creator Chose Not To Use Archive Warnings'],
    ['warning', 'Graphic Depictions Of Violence'],
    ['warning', 'Major Character Death'],
    ['warning', 'No Archive Warnings Apply'],
    ['warning', 'Rape/Non-Con'],
    ['warning', 'Underage Sex'],
    ['category', 'F/F'],
    ['category', 'F/M'],
    ['category', 'Gen'],
    ['category', 'M/M'],
    ['category', 'Multi'],
    ['category', 'Other'],
  ];
  await db
    .insertInto('tags')
    .values(fixed.map(([type, name]) => ({ type, name })))
    .execute();
}

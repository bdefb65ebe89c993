import { sql, type Kysely } from 'kysely';

// Prompt memes (issue 14, part 4). A collection's maintainers turn one on (one meme a collection,
// its prompts open or closed); signed-in users post prompts (title, archive tags, a sanitized
// description, optionally anonymous); users claim prompts (several may claim one) and fill them
// with their own works, which join the collection through the collections slice.
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table prompt_memes (
      collection_id integer primary key references collections (id) on delete cascade,
      prompts_open boolean not null default true,
      created_at timestamptz not null default now()
    )`,
    sql`create table prompts (
      id integer generated always as identity primary key,
      collection_id integer not null references prompt_memes (collection_id) on delete cascade,
      user_id integer not null references users (id) on delete cascade,
      title text not null,
      description_html text not null default '',
      is_anonymous boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint prompts_title_length check (char_length(title) between 1 and 255)
    )`,
    sql`create index prompts_collection_newest_idx on prompts (collection_id, id desc)`,
    sql`create index prompts_user_idx on prompts (user_id)`,
    sql`create table prompt_tags (
      prompt_id integer not null references prompts (id) on delete cascade,
      tag_id integer not null references tags (id) on delete cascade,
      primary key (prompt_id, tag_id)
    )`,
    sql`create index prompt_tags_tag_idx on prompt_tags (tag_id)`,
    sql`create table prompt_claims (
      prompt_id integer not null references prompts (id) on delete cascade,
      user_id integer not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (prompt_id, user_id)
    )`,
    sql`create index prompt_claims_user_idx on prompt_claims (user_id)`,
    sql`create table prompt_fills (
      id integer generated always as identity primary key,
      prompt_id integer not null references prompts (id) on delete cascade,
      work_id integer not null references works (id) on delete cascade,
      user_id integer references users (id) on delete set null,
      created_at timestamptz not null default now(),
      constraint prompt_fills_once unique (prompt_id, work_id)
    )`,
    sql`create index prompt_fills_work_idx on prompt_fills (work_id)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

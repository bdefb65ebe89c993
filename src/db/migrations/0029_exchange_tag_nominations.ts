import { sql, type Kysely } from 'kysely';

// Tag nominations of gift exchanges (decision 046): the maintainers set how many tags of each type
// a participant may nominate (JSON on the exchange, read whole with its rules); each nomination
// waits for a maintainer to approve it (the tag joins the exchange's tag set) or reject it.
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`alter table gift_exchanges add column nomination_limits jsonb not null default '{}'`,
    sql`create table exchange_tag_nominations (
      id integer generated always as identity primary key,
      exchange_id integer not null references gift_exchanges (id) on delete cascade,
      user_id integer not null references users (id) on delete cascade,
      tag_type text not null,
      tag_name text not null,
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
      decided_by_user_id integer references users (id) on delete set null,
      decided_at timestamptz,
      created_at timestamptz not null default now()
    )`,
    sql`create unique index exchange_tag_nominations_once on exchange_tag_nominations (exchange_id, user_id, tag_type, lower(tag_name))`,
    sql`create index exchange_tag_nominations_pending on exchange_tag_nominations (exchange_id) where status = 'pending'`,
  ];
  for (const statement of statements) await statement.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Gift exchanges (issue 14, part 2; decision 046). An exchange belongs to one collection: its
// sign-up window, rules per tag type and tag set (JSON, read whole by the matcher), the matcher's
// last answer (explanations and potential matches, JSON, shown to maintainers). Sign-ups keep
// their requests and offers as JSON prompts; assignments are rows, one per recipient, with the
// giver null while a defaulted one waits for a pinch hitter.
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table gift_exchanges (
      id integer generated always as identity primary key,
      collection_id integer not null unique references collections (id) on delete cascade,
      signups_open_at timestamptz not null,
      signups_close_at timestamptz not null,
      due_at timestamptz,
      rules jsonb not null,
      tag_set jsonb not null,
      status text not null default 'signups' check (status in ('signups', 'matching', 'matched', 'sent')),
      match_summary jsonb,
      match_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint gift_exchanges_window check (signups_close_at > signups_open_at)
    )`,
    sql`create table exchange_signups (
      id integer generated always as identity primary key,
      exchange_id integer not null references gift_exchanges (id) on delete cascade,
      user_id integer not null references users (id) on delete cascade,
      requests jsonb not null,
      offers jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (exchange_id, user_id)
    )`,
    sql`create table exchange_assignments (
      id integer generated always as identity primary key,
      exchange_id integer not null references gift_exchanges (id) on delete cascade,
      recipient_signup_id integer not null references exchange_signups (id) on delete cascade,
      giver_user_id integer references users (id) on delete set null,
      weight integer not null default 0,
      pinch_hit boolean not null default false,
      sent_at timestamptz,
      defaulted_user_ids integer[] not null default '{}',
      work_id integer references works (id) on delete set null,
      fulfilled_at timestamptz,
      created_at timestamptz not null default now(),
      unique (exchange_id, recipient_signup_id)
    )`,
    sql`create index exchange_assignments_giver_idx on exchange_assignments (giver_user_id) where giver_user_id is not null`,
  ];
  for (const statement of statements) await statement.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Series, subscriptions with their notifications, daily hit counts for creators' stats, and
// readers' positions in long works (issue 5, second half).
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table series (
      id integer generated always as identity primary key,
      title text not null,
      summary_html text not null default '',
      notes_html text not null default '',
      is_complete boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    sql`create table series_creators (
      series_id integer not null references series (id) on delete cascade,
      user_id integer not null references users (id) on delete cascade,
      primary key (series_id, user_id)
    )`,
    sql`create index series_creators_user_idx on series_creators (user_id)`,
    // Positions are unique within a series; the constraint is checked at commit so a reorder can swap.
    sql`create table series_works (
      series_id integer not null references series (id) on delete cascade,
      work_id integer not null references works (id) on delete cascade,
      position integer not null check (position >= 1),
      primary key (series_id, work_id),
      constraint series_works_position_key unique (series_id, position) deferrable initially deferred
    )`,
    sql`create index series_works_work_idx on series_works (work_id)`,
    sql`create table subscriptions (
      id integer generated always as identity primary key,
      user_id integer not null references users (id) on delete cascade,
      work_id integer references works (id) on delete cascade,
      creator_user_id integer references users (id) on delete cascade,
      series_id integer references series (id) on delete cascade,
      created_at timestamptz not null default now(),
      constraint subscriptions_one_target check (num_nonnulls(work_id, creator_user_id, series_id) = 1),
      constraint subscriptions_not_self check (creator_user_id is null or creator_user_id <> user_id)
    )`,
    sql`create unique index subscriptions_user_work_key on subscriptions (user_id, work_id) where work_id is not null`,
    sql`create unique index subscriptions_user_creator_key on subscriptions (user_id, creator_user_id) where creator_user_id is not null`,
    sql`create unique index subscriptions_user_series_key on subscriptions (user_id, series_id) where series_id is not null`,
    sql`create index subscriptions_work_idx on subscriptions (work_id, created_at) where work_id is not null`,
    sql`create index subscriptions_creator_idx on subscriptions (creator_user_id) where creator_user_id is not null`,
    sql`create index subscriptions_series_idx on subscriptions (series_id) where series_id is not null`,
    sql`create table subscription_preferences (
      user_id integer primary key references users (id) on delete cascade,
      email_mode text not null default 'each' check (email_mode in ('each', 'digest', 'off'))
    )`,
    // One row per recipient per event: the record that makes a retried fan-out send nothing twice.
    sql`create table subscription_notifications (
      id integer generated always as identity primary key,
      user_id integer not null references users (id) on delete cascade,
      event_key text not null,
      work_id integer references works (id) on delete cascade,
      subject text not null,
      text text not null,
      url text not null,
      email_mode text not null check (email_mode in ('each', 'digest', 'off')),
      emailed_at timestamptz,
      created_at timestamptz not null default now(),
      constraint subscription_notifications_once unique (user_id, event_key)
    )`,
    sql`create index subscription_notifications_digest_idx on subscription_notifications (user_id) where email_mode = 'digest' and emailed_at is null`,
    sql`create table work_hits_daily (
      work_id integer not null references works (id) on delete cascade,
      day date not null,
      hits integer not null default 0,
      primary key (work_id, day)
    )`,
    sql`create table reading_positions (
      user_id integer not null references users (id) on delete cascade,
      work_id integer not null references works (id) on delete cascade,
      chapter_id integer not null references chapters (id) on delete cascade,
      paragraph integer check (paragraph is null or paragraph >= 1),
      fraction real check (fraction is null or (fraction >= 0 and fraction <= 1)),
      updated_at timestamptz not null default now(),
      primary key (user_id, work_id)
    )`,
  ];
  for (const statement of statements) await statement.execute(db);
}

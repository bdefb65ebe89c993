import { sql, type Kysely } from 'kysely';

// Work skins (a creator's scoped stylesheet, chosen per work), email notifications for comments,
// replies and kudos (each, daily digest or off, per kind), email verification at sign-up, and the
// secret that signs unsubscribe and verification links (issue 13).
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table work_skins (
      id integer generated always as identity primary key,
      user_id integer not null references users (id) on delete cascade,
      title text not null,
      source_css text not null,
      css text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    sql`create index work_skins_user_idx on work_skins (user_id)`,
    sql`create table work_skin_uses (
      work_id integer primary key references works (id) on delete cascade,
      skin_id integer not null references work_skins (id) on delete cascade
    )`,
    sql`create index work_skin_uses_skin_idx on work_skin_uses (skin_id)`,
    sql`create table notification_preferences (
      user_id integer primary key references users (id) on delete cascade,
      comments text not null default 'each' check (comments in ('each', 'digest', 'off')),
      replies text not null default 'each' check (replies in ('each', 'digest', 'off')),
      kudos text not null default 'each' check (kudos in ('each', 'digest', 'off')),
      updated_at timestamptz not null default now()
    )`,
    sql`create table notification_digest_items (
      id integer generated always as identity primary key,
      user_id integer not null references users (id) on delete cascade,
      kind text not null,
      text text not null,
      url text not null,
      created_at timestamptz not null default now()
    )`,
    sql`create index notification_digest_items_user_idx on notification_digest_items (user_id, id)`,
    // The address a user proved they read; a changed address is unverified again.
    sql`create table user_email_verifications (
      user_id integer primary key references users (id) on delete cascade,
      email text not null,
      verified_at timestamptz not null default now()
    )`,
    // Accounts made before verification existed are taken as they are.
    sql`insert into user_email_verifications (user_id, email, verified_at) select id, email, created_at from users`,
    // Null: on exactly when SMTP_URL is configured.
    sql`alter table site_settings add column email_verification boolean`,
    sql`create table signing_secrets (
      purpose text primary key,
      secret text not null
    )`,
    // gen_random_uuid draws on the server's strong random source: two give 244 random bits.
    sql`insert into signing_secrets (purpose, secret)
      values ('mail-links', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))`,
  ];
  for (const statement of statements) await statement.execute(db);
}

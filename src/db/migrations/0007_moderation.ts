import { sql, type Kysely } from 'kysely';

// Moderation (reports, hidden works, suspensions), the append-only audit log, site settings,
// invitations, admin news, hardened accounts (two-factor, password resets) and scheduled posts.
// user_roles (moderator, tag_wrangler) comes from 0003_tag_model.
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table reports (
    id integer generated always as identity primary key,
    reporter_id integer references users (id) on delete set null,
    target_type text not null check (target_type in ('work', 'comment', 'user')),
    target_id integer not null,
    reason text not null,
    details text not null default '',
    status text not null default 'open' check (status in ('open', 'handled')),
    handled_by integer references users (id) on delete set null,
    handled_at timestamptz,
    created_at timestamptz not null default now()
  )`,
    sql`create index reports_open_idx on reports (created_at) where status = 'open'`,
    // Who did what, when and why. Actor login is copied in, not referenced, so deleting an account
    // never has to change an audit row.
    sql`create table audit_log (
    id integer generated always as identity primary key,
    actor_id integer,
    actor_login text not null,
    action text not null,
    target_type text not null,
    target_id text not null,
    reason text not null default '',
    details jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now()
  )`,
    sql`create function audit_log_is_append_only() returns trigger language plpgsql as $$
  begin
    raise exception 'audit_log is append-only: % is not allowed', tg_op;
  end
  $$`,
    sql`create trigger audit_log_no_update_delete before update or delete on audit_log
    for each row execute function audit_log_is_append_only()`,
    sql`create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_is_append_only()`,
    sql`create table hidden_works (
    work_id integer primary key references works (id) on delete cascade,
    reason text not null,
    hidden_by integer references users (id) on delete set null,
    hidden_at timestamptz not null default now()
  )`,
    // Hiding or restoring a work changes search results: bump the search slice's generation (0004).
    sql`create trigger hidden_works_search_generation after insert or delete or update on hidden_works
    for each statement execute function fanfold_search_generation_bump()`,
    // until null = banned for good.
    sql`create table user_suspensions (
    user_id integer primary key references users (id) on delete cascade,
    until timestamptz,
    message text not null,
    created_by integer references users (id) on delete set null,
    created_at timestamptz not null default now()
  )`,
    sql`create table site_settings (
    id integer primary key check (id = 1),
    name text,
    description text not null default '',
    signup_mode text not null default 'open' check (signup_mode in ('open', 'invitations', 'closed')),
    guest_comments boolean not null default true,
    content_policy text not null default '',
    updated_at timestamptz not null default now()
  )`,
    sql`insert into site_settings (id) values (1)`,
    sql`create table invitation_requests (
    id integer generated always as identity primary key,
    email text not null,
    created_at timestamptz not null default now(),
    invited_at timestamptz
  )`,
    sql`create unique index invitation_requests_email_key on invitation_requests (lower(email))`,
    sql`create table invitations (
    id integer generated always as identity primary key,
    code_hash text not null unique,
    email text,
    created_by integer references users (id) on delete set null,
    created_at timestamptz not null default now(),
    used_at timestamptz,
    used_by integer references users (id) on delete set null
  )`,
    sql`create table admin_posts (
    id integer generated always as identity primary key,
    author_id integer references users (id) on delete set null,
    title text not null,
    body_html text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
    sql`create table admin_post_comments (
    id integer generated always as identity primary key,
    post_id integer not null references admin_posts (id) on delete cascade,
    user_id integer references users (id) on delete set null,
    body text not null,
    created_at timestamptz not null default now()
  )`,
    sql`create index admin_post_comments_post_idx on admin_post_comments (post_id, id)`,
    sql`create table user_two_factor (
    user_id integer primary key references users (id) on delete cascade,
    secret text not null,
    enabled_at timestamptz,
    last_step bigint not null default 0
  )`,
    sql`create table recovery_codes (
    user_id integer not null references users (id) on delete cascade,
    code_hash text not null,
    used_at timestamptz,
    primary key (user_id, code_hash)
  )`,
    sql`create table pending_logins (
    token_hash text primary key,
    user_id integer not null references users (id) on delete cascade,
    expires_at timestamptz not null
  )`,
    sql`create table password_resets (
    token_hash text primary key,
    user_id integer not null references users (id) on delete cascade,
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now()
  )`,
    sql`create table scheduled_posts (
    work_id integer primary key references works (id) on delete cascade,
    post_at timestamptz not null,
    created_at timestamptz not null default now()
  )`,
  ];
  for (const statement of statements) await statement.execute(db);
}

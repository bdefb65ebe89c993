import { sql, type Kysely } from 'kysely';

// Idempotency keys of the API's POSTs, shared by every server process (they were kept in each
// process's memory, so a retry that reached another process posted twice). One row per account,
// method, path and key: `status` is null while the first request runs, then holds its answer for
// replay until `expires_at` (a day), when the row is purged.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table api_idempotency_keys (
    user_id integer not null references users (id) on delete cascade,
    method text not null,
    path text not null,
    key text not null,
    fingerprint text not null,
    status integer,
    content_type text,
    location text,
    body text,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    primary key (user_id, method, path, key)
  )`.execute(db);
  await sql`create index api_idempotency_keys_expires_idx on api_idempotency_keys (expires_at)`.execute(db);
}

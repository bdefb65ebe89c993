import { sql, type Kysely } from 'kysely';

// The jobs table: background work (downloads, analysis, notifications, scheduled posts)
// claimed with FOR UPDATE SKIP LOCKED, so any number of workers can share it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table jobs (
    id integer generated always as identity primary key,
    kind text not null,
    payload jsonb not null default '{}'::jsonb,
    run_at timestamptz not null default now(),
    attempts integer not null default 0,
    max_attempts integer not null default 5,
    locked_at timestamptz,
    locked_by text,
    last_error text,
    done_at timestamptz,
    failed_at timestamptz,
    dedupe_key text,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index jobs_ready_idx on jobs (run_at) where done_at is null and failed_at is null`.execute(db);
  // A dedupe key makes "enqueue once" safe under retries and races (e.g. one email per event).
  await sql`create unique index jobs_dedupe_key on jobs (dedupe_key) where dedupe_key is not null`.execute(db);
}

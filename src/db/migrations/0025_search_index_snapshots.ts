import { sql, type Kysely } from 'kysely';

// A serialized facet index (decision 040), built by one process and loaded by every other one at
// start, which then catches up from the change log (migration 0013) instead of reading every work.
// Stored in the database, where every app process can reach it, in a schema of its own: it is a
// cache derived from the archive, which backups (public tables) leave out and restores start
// without. In parts, since one bytea value is limited to 1 GB and a large one is slow to ship
// whole; a snapshot's row and its parts are written in one transaction.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create schema if not exists search_cache`.execute(db);
  await sql`create table search_cache.index_snapshots (
    id serial primary key,
    -- The search generation the index was built at: catch-ups read the change log after it.
    generation bigint not null,
    format integer not null,
    works integer not null,
    bytes bigint not null,
    parts integer not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create table search_cache.index_snapshot_parts (
    snapshot_id integer not null,
    part integer not null,
    data bytea not null,
    primary key (snapshot_id, part)
  )`.execute(db);
  // Stored as is: the arrays hardly compress, and pglz would cost time on every write and read.
  await sql`alter table search_cache.index_snapshot_parts alter column data set storage external`.execute(db);
  // Who builds the next snapshot: one process at a time holds the lease, renewing it while it
  // reads the archive; the others wait for the snapshot (a lease that lapses is taken over).
  await sql`create table search_cache.build_lease (
    id integer primary key check (id = 1),
    holder text not null,
    expires_at timestamptz not null
  )`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Story intelligence (issue 4): a chapter version whose analysis job failed for good, so the
// creator's panel and /works/:id/analysis_status can say so instead of "reading" forever.
// Keyed like chapter_analyses (chapter id + sha256 of body_html); a stored analysis of the same
// version wins over a failure row, and "Try again" deletes the row.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table chapter_analysis_failures (
    chapter_id integer not null references chapters (id) on delete cascade,
    content_hash text not null,
    error text not null,
    failed_at timestamptz not null default now(),
    primary key (chapter_id, content_hash)
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table chapter_analysis_failures`.execute(db);
}

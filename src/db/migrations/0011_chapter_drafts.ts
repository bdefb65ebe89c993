import { sql, type Kysely } from 'kysely';

// Chapters that are not posted yet (issue 7): a chapter scheduled for a future time stays
// unposted, seen only by the work's creators, until a job posts it at `scheduled_at`.
// Every existing chapter is posted.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table chapters add column posted boolean not null default true`.execute(db);
  await sql`alter table chapters add column scheduled_at timestamptz`.execute(db);
}

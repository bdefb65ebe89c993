import { sql, type Kysely } from 'kysely';

// Story intelligence in the archive (issue 4): the analysis of each chapter version, and the
// proposals an author dismissed.
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    // One row per chapter version: content_hash is the sha256 (hex) of the chapter's body_html,
    // so `encode(sha256(convert_to(body_html, 'UTF8')), 'hex')` finds the current version's row.
    sql`create table chapter_analyses (
      chapter_id integer not null references chapters (id) on delete cascade,
      content_hash text not null,
      result jsonb not null,
      analyzed_at timestamptz not null default now(),
      primary key (chapter_id, content_hash)
    )`,
    // A proposal the author dismissed stays dismissed for the work (value_key: lower-cased tag name).
    sql`create table analysis_dismissals (
      work_id integer not null references works (id) on delete cascade,
      kind text not null,
      value_key text not null,
      dismissed_at timestamptz not null default now(),
      primary key (work_id, kind, value_key)
    )`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table analysis_dismissals`.execute(db);
  await sql`drop table chapter_analyses`.execute(db);
}

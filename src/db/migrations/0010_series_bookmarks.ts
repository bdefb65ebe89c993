import { sql, type Kysely } from 'kysely';

// Bookmarks of series (issue 5): bookmarks.series_id, reserved in 0005 before the series table
// existed (0009), now refers to it; deleting a series deletes its bookmarks.
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`alter table bookmarks add constraint bookmarks_series_fk foreign key (series_id) references series (id) on delete cascade`,
    sql`create index bookmarks_series_idx on bookmarks (series_id) where series_id is not null`,
  ];
  for (const statement of statements) await statement.execute(db);
}

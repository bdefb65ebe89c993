import { sql, type Kysely } from 'kysely';

// Every signed-in page counts the reader's unread inbox items (at most 100) in the session lookup.
// Through inbox_items_user_idx that walks all of a reader's items, read ones included, until it
// finds 100 unread: thousands of rows for someone who keeps a long, read inbox. The partial index
// holds only unread rows, so the count reads at most 100 entries.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index inbox_items_unread_idx on inbox_items (user_id) where read_at is null`.execute(db);
}

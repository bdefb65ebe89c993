import { sql, type Kysely } from 'kysely';

// The creator filter looks pseuds up by name alone (any user's pseud of that name); the unique
// index is on (user_id, lower(name)), which a lookup by name cannot use.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index pseuds_lower_name_idx on pseuds (lower(name))`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Gift notices get their own mail preference (decision 041) instead of riding on "comments on your
// works": each time, a daily digest or none, each time by default as the other kinds.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table notification_preferences add column gifts text not null default 'each' check (gifts in ('each', 'digest', 'off'))`.execute(
    db,
  );
}

import { sql, type Kysely } from 'kysely';

// Two changes under the one number this work was given.
//
// Related-work notices get their own mail preference (decision 041) instead of riding on "comments
// on your works". New rows default to each time, as every kind does; existing rows take the choice
// their comment mail had, which is the choice their related-work mail followed until now, so nobody's
// mail changes (add and fill in one step: the column has a default, so there is nothing to tighten).
//
// A bookmark invited into a collection by its maintainers waits for its owner (decision 043):
// owner_approval, approved for every row so far, since each was added by the bookmark's owner.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table notification_preferences add column related_works text not null default 'each' check (related_works in ('each', 'digest', 'off'))`.execute(
    db,
  );
  await sql`update notification_preferences set related_works = comments`.execute(db);
  await sql`alter table collection_bookmarks add column owner_approval text not null default 'approved' check (owner_approval in ('pending', 'approved', 'rejected'))`.execute(
    db,
  );
}

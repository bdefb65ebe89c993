import { sql, type Kysely } from 'kysely';

// Co-creators and orphaning (issue 14, part 7). An invitation names a pseud and one work or one
// series; it is deleted when answered (accepting adds the credit in the same transaction), so only
// pending invitations are stored. A user may refuse invitations altogether (AO3's preference).
//
// Credits changing are work changes to search: the facet index's change log (migration 0013) gets
// work_creators' inserts and deletes, so a catch-up re-reads the works whose creators changed.
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table co_creator_invitations (
      id integer generated always as identity primary key,
      work_id integer references works (id) on delete cascade,
      series_id integer references series (id) on delete cascade,
      pseud_id integer not null references pseuds (id) on delete cascade,
      invited_by_user_id integer references users (id) on delete set null,
      created_at timestamptz not null default now(),
      constraint co_creator_invitations_one_target check ((work_id is null) <> (series_id is null))
    )`,
    sql`create unique index co_creator_invitations_work_key on co_creator_invitations (work_id, pseud_id) where work_id is not null`,
    sql`create unique index co_creator_invitations_series_key on co_creator_invitations (series_id, pseud_id) where series_id is not null`,
    sql`create index co_creator_invitations_pseud_idx on co_creator_invitations (pseud_id)`,
    sql`create table co_creator_preferences (
      user_id integer primary key references users (id) on delete cascade,
      allows_invitations boolean not null default true
    )`,
    sql`create trigger work_creators_search_log_insert after insert on work_creators
      referencing new table as new_rows for each statement execute function fanfold_search_log_work_id_new()`,
    sql`create trigger work_creators_search_log_delete after delete on work_creators
      referencing old table as old_rows for each statement execute function fanfold_search_log_work_id_old()`,
    sql`create trigger work_creators_search_log_update after update on work_creators
      referencing new table as new_rows old table as old_rows for each statement execute function fanfold_search_log_hidden_update()`,
  ];
  for (const statement of statements) await statement.execute(db);
}

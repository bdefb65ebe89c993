import { sql, type Kysely } from 'kysely';

// App processes keep signed-in viewers (session, roles, unread count, reading preferences) in
// memory (src/web/viewer-cache.ts). A change to any row behind them notifies every process on
// channel fanfold_viewers with the user's id; NOTIFY is delivered at commit, so a process drops
// its copy once the change is visible, whichever process, job or command made it.
const WATCHED: ReadonlyArray<[table: string, userColumn: string, events: string]> = [
  ['sessions', 'user_id', 'update or delete'],
  ['users', 'id', 'update or delete'],
  ['pseuds', 'user_id', 'insert or update or delete'],
  ['user_roles', 'user_id', 'insert or update or delete'],
  ['user_suspensions', 'user_id', 'insert or update or delete'],
  ['reader_preferences', 'user_id', 'insert or update or delete'],
  ['inbox_items', 'user_id', 'insert or update or delete'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function fanfold_notify_viewer() returns trigger language plpgsql as $$
    begin
      perform pg_notify('fanfold_viewers', (case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end) ->> tg_argv[0]);
      return null;
    end
    $$`.execute(db);
  for (const [table, userColumn, events] of WATCHED) {
    await sql`create trigger ${sql.raw(`${table}_notify_viewer`)} after ${sql.raw(events)} on ${sql.table(table)}
      for each row execute function fanfold_notify_viewer(${sql.lit(userColumn)})`.execute(db);
  }
}

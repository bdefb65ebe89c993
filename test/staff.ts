import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema.ts';

/** Makes an existing account an admin. */
export async function makeAdmin(db: Kysely<Database>, login: string): Promise<void> {
  await db.updateTable('users').set({ is_admin: true }).where('login', '=', login).execute();
}

/** Gives an existing account the moderator role (user_roles, migration 0003). */
export async function makeModerator(db: Kysely<Database>, login: string): Promise<void> {
  await sql`insert into user_roles (user_id, role) select id, 'moderator' from users where login = ${login} on conflict do nothing`.execute(
    db,
  );
}

/** The id of the work a posting redirect points at. */
export function workIdOf(location: unknown): number {
  const match = /^\/works\/(\d+)/.exec(String(location));
  if (!match) throw new Error(`expected a redirect to a work, got ${String(location)}`);
  return Number(match[1]);
}

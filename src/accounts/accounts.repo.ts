import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../web/viewer.ts';

type Db = Kysely<Database>;

export async function insertUser(db: Db, user: { login: string; email: string; passwordHash: string; isAdmin: boolean }): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({ login: user.login, email: user.email, password_hash: user.passwordHash, is_admin: user.isAdmin })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertPseud(db: Db, pseud: { userId: number; name: string; isDefault: boolean }): Promise<number> {
  const row = await db
    .insertInto('pseuds')
    .values({ user_id: pseud.userId, name: pseud.name, is_default: pseud.isDefault })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findUserIdsTaken(db: Db, login: string, email: string) {
  const rows = await db
    .selectFrom('users')
    .select([sql<boolean>`lower(login) = lower(${login})`.as('loginTaken'), sql<boolean>`lower(email) = lower(${email})`.as('emailTaken')])
    .where((eb) => eb.or([eb(sql`lower(login)`, '=', login.toLowerCase()), eb(sql`lower(email)`, '=', email.toLowerCase())]))
    .execute();
  return { loginTaken: rows.some((r) => r.loginTaken), emailTaken: rows.some((r) => r.emailTaken) };
}

export function findUserByLoginOrEmail(db: Db, loginOrEmail: string) {
  const key = loginOrEmail.toLowerCase();
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.or([eb(sql`lower(login)`, '=', key), eb(sql`lower(email)`, '=', key)]))
    .executeTakeFirst();
}

/** Logins are unique whatever their case, so every lookup by login ignores it. */
const loginIs = (login: string) => sql<boolean>`lower(users.login) = ${login.toLowerCase()}`;

/** A user with their default pseud: whom a login names when something is given or credited to them. */
export interface UserWithDefaultPseud {
  id: number;
  login: string;
  pseud_id: number;
  pseud_name: string;
}

/** A user by login, whatever its case; with `withDefaultPseud`, only their id, login and default pseud. */
export function findUserByLogin(db: Db, login: string): Promise<Selectable<Database['users']> | undefined>;
export function findUserByLogin(db: Db, login: string, options: { withDefaultPseud: true }): Promise<UserWithDefaultPseud | undefined>;
export function findUserByLogin(db: Db, login: string, options?: { withDefaultPseud: true }) {
  if (options?.withDefaultPseud)
    return db
      .selectFrom('users')
      .innerJoin('pseuds', (join) => join.onRef('pseuds.user_id', '=', 'users.id').on('pseuds.is_default', '=', true))
      .select(['users.id', 'users.login', 'pseuds.id as pseud_id', 'pseuds.name as pseud_name'])
      .where(loginIs(login))
      .executeTakeFirst();
  return db.selectFrom('users').selectAll().where(loginIs(login)).executeTakeFirst();
}

export function findUserById(db: Db, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updatePasswordHash(db: Db, userId: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

export async function setAdmin(db: Db, userId: number, isAdmin: boolean): Promise<void> {
  await db.updateTable('users').set({ is_admin: isAdmin }).where('id', '=', userId).execute();
}

export function findPseudsOfUser(db: Db, userId: number) {
  return db.selectFrom('pseuds').selectAll().where('user_id', '=', userId).orderBy('is_default', 'desc').orderBy('name').execute();
}

export async function insertSession(db: Db, session: { tokenHash: string; userId: number; expiresAt: Date }) {
  await db
    .insertInto('sessions')
    .values({ token_hash: session.tokenHash, user_id: session.userId, expires_at: session.expiresAt })
    .execute();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteOtherSessions(db: Db, userId: number, keepTokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', '!=', keepTokenHash).execute();
}

const viewerColumns = (db: Db) =>
  db
    .selectFrom('users')
    .innerJoin('pseuds', (join) => join.onRef('pseuds.user_id', '=', 'users.id').on('pseuds.is_default', '=', true))
    .select([
      'users.id as id',
      'users.login as login',
      'users.is_admin as isAdmin',
      'pseuds.id as defaultPseudId',
      'pseuds.name as defaultPseudName',
      sql<boolean>`exists (select 1 from user_roles r where r.user_id = users.id and r.role = 'moderator')`.as('isModerator'),
    ]);

/** Suspended and banned users have no live sessions or tokens (src/moderation). */
const notSuspended = sql<boolean>`not exists (select 1 from user_suspensions s where s.user_id = users.id and (s.until is null or s.until > now()))`;

/**
 * The header's unread badge, folded into the session lookup every signed-in page makes anyway:
 * at most 100 rows read through inbox_items_unread_idx (migration 0020), so a long inbox costs no more
 * than a short one (the badge shows 99+).
 */
const unreadInboxCount =
  sql<number>`(select count(*)::int from (select 1 from inbox_items i where i.user_id = users.id and i.read_at is null limit 100) unread)`.as(
    'unreadInbox',
  );

/** The viewer behind a live session, or undefined when the session is unknown or expired. */
export function findViewerBySession(db: Db, tokenHash: string): Promise<Viewer | undefined> {
  return viewerColumns(db)
    .select(unreadInboxCount)
    .innerJoin('sessions', 'sessions.user_id', 'users.id')
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', new Date())
    .where(notSuspended)
    .executeTakeFirst();
}

/** The viewer owning a live API token, or undefined. */
export function findViewerByApiToken(db: Db, tokenHash: string): Promise<Viewer | undefined> {
  return viewerColumns(db)
    .innerJoin('api_tokens', 'api_tokens.user_id', 'users.id')
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where(notSuspended)
    .executeTakeFirst();
}

/** The viewer of an account that may act now (not suspended): for OAuth tokens, which live outside this slice. */
export function findActiveViewerByUserId(db: Db, userId: number): Promise<Viewer | undefined> {
  return viewerColumns(db).where('users.id', '=', userId).where(notSuspended).executeTakeFirst();
}

export function findViewerByUserId(db: Db, userId: number): Promise<Viewer | undefined> {
  return viewerColumns(db).where('users.id', '=', userId).executeTakeFirst();
}

export async function insertApiToken(db: Db, token: { userId: number; name: string; tokenHash: string }) {
  return db
    .insertInto('api_tokens')
    .values({ user_id: token.userId, name: token.name, token_hash: token.tokenHash })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

export function findApiTokensOfUser(db: Db, userId: number) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
}

export async function revokeApiToken(db: Db, userId: number, tokenId: number): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

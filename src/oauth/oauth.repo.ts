import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database>;

export function insertApp(db: Db, app: { clientId: string; ownerUserId: number; name: string; redirectUri: string }) {
  return db
    .insertInto('oauth_apps')
    .values({ client_id: app.clientId, owner_user_id: app.ownerUserId, name: app.name, redirect_uri: app.redirectUri })
    .returning(['id', 'client_id'])
    .executeTakeFirstOrThrow();
}

export function findAppByClientId(db: Db, clientId: string) {
  return db.selectFrom('oauth_apps').selectAll().where('client_id', '=', clientId).executeTakeFirst();
}

export function findAppById(db: Db, id: number) {
  return db.selectFrom('oauth_apps').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAppsOwnedBy(db: Db, userId: number) {
  return db.selectFrom('oauth_apps').selectAll().where('owner_user_id', '=', userId).orderBy('id').execute();
}

export async function deleteOwnedApp(db: Db, userId: number, appId: number): Promise<boolean> {
  const result = await db.deleteFrom('oauth_apps').where('id', '=', appId).where('owner_user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertCode(
  db: Db,
  code: { codeHash: string; appId: number; userId: number; redirectUri: string; scopes: string[]; codeChallenge: string; expiresAt: Date },
) {
  await db
    .insertInto('oauth_codes')
    .values({
      code_hash: code.codeHash,
      app_id: code.appId,
      user_id: code.userId,
      redirect_uri: code.redirectUri,
      scopes: code.scopes,
      code_challenge: code.codeChallenge,
      expires_at: code.expiresAt,
    })
    .execute();
}

export function findCode(db: Db, codeHash: string) {
  return db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
}

/** Deletes a code; true when this call deleted it (so a code is exchanged at most once, even in a race). */
export async function deleteCode(db: Db, codeHash: string): Promise<boolean> {
  const result = await db.deleteFrom('oauth_codes').where('code_hash', '=', codeHash).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertToken(
  db: Db,
  token: {
    accessTokenHash: string;
    accessExpiresAt: Date;
    refreshTokenHash: string;
    refreshExpiresAt: Date;
    appId: number;
    userId: number;
    scopes: string[];
  },
) {
  await db
    .insertInto('oauth_tokens')
    .values({
      access_token_hash: token.accessTokenHash,
      access_expires_at: token.accessExpiresAt,
      refresh_token_hash: token.refreshTokenHash,
      refresh_expires_at: token.refreshExpiresAt,
      app_id: token.appId,
      user_id: token.userId,
      scopes: token.scopes,
    })
    .execute();
}

/** A live (unrevoked, unexpired) access token. */
export function findLiveAccessToken(db: Db, accessTokenHash: string, now = new Date()) {
  return db
    .selectFrom('oauth_tokens')
    .select(['id', 'user_id', 'app_id', 'scopes', 'access_expires_at'])
    .where('access_token_hash', '=', accessTokenHash)
    .where('revoked_at', 'is', null)
    .where('access_expires_at', '>', now)
    .executeTakeFirst();
}

export function findRefreshToken(db: Db, refreshTokenHash: string) {
  return db
    .selectFrom('oauth_tokens')
    .selectAll()
    .where('refresh_token_hash', '=', refreshTokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** Revokes one token pair; true when it was live (a refresh token is spent once, even in a race). */
export async function revokeTokenByRefreshHash(db: Db, refreshTokenHash: string, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('oauth_tokens')
    .set({ revoked_at: now })
    .where('refresh_token_hash', '=', refreshTokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Revokes a token pair named by either of its tokens' hashes, if it belongs to the app. */
export async function revokeTokenOfApp(db: Db, appId: number, tokenHash: string, now = new Date()): Promise<void> {
  await db
    .updateTable('oauth_tokens')
    .set({ revoked_at: now })
    .where('app_id', '=', appId)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('access_token_hash', '=', tokenHash), eb('refresh_token_hash', '=', tokenHash)]))
    .execute();
}

/** Everything a person allowed an app: all its live tokens for them end. */
export async function revokeAppForUser(db: Db, userId: number, appId: number, now = new Date()): Promise<number> {
  const result = await db
    .updateTable('oauth_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('app_id', '=', appId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  await db.deleteFrom('oauth_codes').where('user_id', '=', userId).where('app_id', '=', appId).execute();
  return Number(result.numUpdatedRows);
}

/** The apps a person has allowed and not revoked: one row an app, its scopes the union of its live grants. */
export async function findAuthorizedApps(db: Db, userId: number, now = new Date()) {
  const rows = await db
    .selectFrom('oauth_tokens')
    .innerJoin('oauth_apps', 'oauth_apps.id', 'oauth_tokens.app_id')
    .innerJoin('users', 'users.id', 'oauth_apps.owner_user_id')
    .select([
      'oauth_apps.id as appId',
      'oauth_apps.name as name',
      'oauth_apps.redirect_uri as redirectUri',
      'users.login as ownerLogin',
      'oauth_tokens.scopes as scopes',
      'oauth_tokens.created_at as createdAt',
    ])
    .where('oauth_tokens.user_id', '=', userId)
    .where('oauth_tokens.revoked_at', 'is', null)
    .where('oauth_tokens.refresh_expires_at', '>', now)
    .orderBy('oauth_tokens.created_at')
    .execute();
  const byApp = new Map<
    number,
    { appId: number; name: string; redirectUri: string; ownerLogin: string; scopes: Set<string>; since: Date }
  >();
  for (const row of rows) {
    const entry = byApp.get(row.appId) ?? { ...row, scopes: new Set<string>(), since: new Date(row.createdAt) };
    for (const scope of row.scopes) entry.scopes.add(scope);
    byApp.set(row.appId, entry);
  }
  return [...byApp.values()].map((a) => ({ ...a, scopes: [...a.scopes].sort() }));
}

import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as OTPAuth from 'otpauth';
import type { Database } from '../db/schema.ts';
import { hashToken, newToken } from '../lib/tokens.ts';

type Db = Kysely<Database>;

const PERIOD = 30;
export const RECOVERY_CODE_COUNT = 10;
/** Minutes a half-finished login (password right, code not yet given) stays valid. */
export const PENDING_LOGIN_MINUTES = 10;

function totpFor(secret: string, label: string, issuer: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** The current code for a secret (tests and the setup page's self-check use it). */
export function currentCode(secret: string, at = Date.now()): string {
  return totpFor(secret, 'x', 'x').generate({ timestamp: at });
}

export async function findTwoFactor(db: Db, userId: number) {
  return db.selectFrom('user_two_factor').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function isTwoFactorEnabled(db: Db, userId: number): Promise<boolean> {
  const row = await findTwoFactor(db, userId);
  return Boolean(row?.enabled_at);
}

/** A secret waiting for its first code (made once, kept until confirmed), with the otpauth:// URI for apps. */
export async function startSetup(db: Db, user: { id: number; login: string }, issuer: string): Promise<{ secret: string; uri: string }> {
  let row = await findTwoFactor(db, user.id);
  if (!row) {
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    await db
      .insertInto('user_two_factor')
      .values({ user_id: user.id, secret })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
    row = (await findTwoFactor(db, user.id))!;
  }
  return { secret: row.secret, uri: totpFor(row.secret, user.login, issuer).toString() };
}

/**
 * Accepts a code once: the time step it belongs to must be newer than the last one accepted, so
 * a code seen over someone's shoulder cannot be replayed within its 30 seconds.
 */
async function acceptCode(db: Db, userId: number, secret: string, code: string): Promise<boolean> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  const now = Date.now();
  const delta = totpFor(secret, 'x', 'x').validate({ token, timestamp: now, window: 1 });
  if (delta === null) return false;
  const step = Math.floor(now / 1000 / PERIOD) + delta;
  const result = await db
    .updateTable('user_two_factor')
    .set({ last_step: step })
    .where('user_id', '=', userId)
    .where('last_step', '<', String(step))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Turns two-factor sign-in on after a first good code; returns the recovery codes, shown once. */
export async function confirmSetup(db: Db, userId: number, code: string): Promise<string[] | null> {
  const row = await findTwoFactor(db, userId);
  if (!row || row.enabled_at) return null;
  if (!(await acceptCode(db, userId, row.secret, code))) return null;
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('user_two_factor').set({ enabled_at: new Date() }).where('user_id', '=', userId).execute();
    return replaceRecoveryCodes(trx, userId);
  });
}

/** Fresh recovery codes (the old ones stop working); only their hashes are kept. */
export async function replaceRecoveryCodes(db: Db, userId: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = randomBytes(5).toString('hex');
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_codes')
    .values(codes.map((c) => ({ user_id: userId, code_hash: hashToken(c) })))
    .execute();
  return codes;
}

export async function disableTwoFactor(db: Db, userId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('user_two_factor').where('user_id', '=', userId).execute();
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  });
}

/** Checks a TOTP code or an unused recovery code (which is then used up). */
export async function verifySecondFactor(db: Db, userId: number, code: string): Promise<boolean> {
  const row = await findTwoFactor(db, userId);
  if (!row?.enabled_at) return false;
  if (await acceptCode(db, userId, row.secret, code)) return true;
  const recovery = code.trim().toLowerCase();
  if (!/^[0-9a-f]{5}-[0-9a-f]{5}$/.test(recovery)) return false;
  const used = await db
    .updateTable('recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashToken(recovery))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) > 0;
}

export async function countUnusedRecoveryCodes(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** After the password: a short-lived ticket for the second step; the plain token goes in a cookie. */
export async function startPendingLogin(db: Db, userId: number): Promise<string> {
  const token = newToken();
  await db
    .insertInto('pending_logins')
    .values({ token_hash: hashToken(token), user_id: userId, expires_at: new Date(Date.now() + PENDING_LOGIN_MINUTES * 60_000) })
    .execute();
  return token;
}

export async function findPendingLogin(db: Db, token: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('pending_logins')
    .select('user_id')
    .where('token_hash', '=', hashToken(token))
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return row?.user_id;
}

export async function endPendingLogin(db: Db, token: string): Promise<void> {
  await db.deleteFrom('pending_logins').where('token_hash', '=', hashToken(token)).execute();
}

import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { hashToken, newToken } from '../lib/tokens.ts';
import * as repo from './accounts.repo.ts';
import { hashPassword } from './passwords.ts';
import type { Mailer } from './mailer.ts';

type Db = Kysely<Database>;

/** A reset link works for an hour, once. */
export const RESET_MINUTES = 60;

/**
 * Mails a reset link when the address belongs to an account. Says nothing either way to the
 * caller's visitor, so the form cannot be used to find out who has an account.
 */
export async function requestPasswordReset(
  db: Db,
  mailer: Mailer,
  input: { email: string; baseUrl: string; siteName: string },
): Promise<void> {
  const user = await repo.findUserByLoginOrEmail(db, input.email);
  if (!user || user.email.toLowerCase() !== input.email.toLowerCase()) return;
  const token = newToken();
  await db
    .insertInto('password_resets')
    .values({ token_hash: hashToken(token), user_id: user.id, expires_at: new Date(Date.now() + RESET_MINUTES * 60_000) })
    .execute();
  await mailer.send({
    to: user.email,
    subject: `Reset your ${input.siteName} password`,
    text:
      `Someone (hopefully you) asked to reset the password of ${user.login} on ${input.siteName}.\n\n` +
      `Choose a new password here within ${RESET_MINUTES} minutes:\n${input.baseUrl}/password/reset/${token}\n\n` +
      'If it was not you, ignore this message: your password stays as it is.',
  });
}

/** The user a live, unused reset token belongs to. */
export async function findResetUser(db: Db, token: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('password_resets')
    .select('user_id')
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return row?.user_id;
}

/** Sets the new password, uses the token up and ends every session of the account, in one transaction. */
export async function completePasswordReset(db: Db, token: string, newPassword: string): Promise<boolean> {
  const passwordHash = await hashPassword(newPassword);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('password_resets')
      .set({ used_at: new Date() })
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date())
      .returning('user_id')
      .executeTakeFirst();
    if (!row) return false;
    await repo.updatePasswordHash(trx, row.user_id, passwordHash);
    await trx.deleteFrom('sessions').where('user_id', '=', row.user_id).execute();
    return true;
  });
}

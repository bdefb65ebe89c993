// The accounts slice's interface for other slices: they import from here, never from accounts.repo.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { hashToken, newToken } from '../lib/tokens.ts';
import type { Viewer } from '../web/viewer.ts';
import * as repo from './accounts.repo.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { FieldErrors } from '../web/form.ts';

type Db = Kysely<Database>;

export {
  findActiveViewerByUserId,
  findPseudsOfUser,
  findUserById,
  findUserByLogin,
  findViewerByApiToken,
  findViewerBySession,
  findViewerByUserId,
} from './accounts.repo.ts';

export const SESSION_DAYS = 30;

/** A rule the input broke that only the database can tell (a taken name), per field. */
export class AccountConflictError extends Error {
  constructor(readonly fieldErrors: FieldErrors) {
    super(Object.values(fieldErrors).join(' '));
  }
}

/** Creates a user and their default pseud (named after the login) in one transaction. */
export async function createAccount(db: Db, input: { login: string; email: string; password: string; isAdmin?: boolean }): Promise<Viewer> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const taken = await repo.findUserIdsTaken(trx, input.login, input.email);
    const errors: FieldErrors = {};
    if (taken.loginTaken) errors.login = `The user name ${input.login} is taken. Choose another.`;
    if (taken.emailTaken) errors.email = 'An account with this email already exists. Log in instead.';
    if (Object.keys(errors).length > 0) throw new AccountConflictError(errors);
    const userId = await repo.insertUser(trx, {
      login: input.login,
      email: input.email,
      passwordHash,
      isAdmin: input.isAdmin ?? false,
    });
    const pseudId = await repo.insertPseud(trx, { userId, name: input.login, isDefault: true });
    return {
      id: userId,
      login: input.login,
      isAdmin: input.isAdmin ?? false,
      defaultPseudId: pseudId,
      defaultPseudName: input.login,
    };
  });
}

/** The user for a login (or email) and password, or null when either is wrong. */
export async function authenticate(db: Db, loginOrEmail: string, password: string): Promise<Viewer | null> {
  const user = await repo.findUserByLoginOrEmail(db, loginOrEmail);
  if (!user) {
    // Spend the same time as a real check so response times do not reveal which logins exist.
    await verifyPassword(DUMMY_HASH, password);
    return null;
  }
  if (!(await verifyPassword(user.password_hash, password))) return null;
  return (await repo.findViewerByUserId(db, user.id)) ?? null;
}

const DUMMY_HASH = await hashPassword('not a real password, only for timing');

/** Starts a session; returns the token for the cookie (only its hash is stored). */
export async function startSession(db: Db, userId: number): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000);
  await repo.insertSession(db, { tokenHash: hashToken(token), userId, expiresAt });
  return { token, expiresAt };
}

export async function endSession(db: Db, token: string): Promise<void> {
  await repo.deleteSession(db, hashToken(token));
}

/** Changes the password after checking the current one; ends the user's other sessions. */
export async function changePassword(
  db: Db,
  input: { userId: number; currentPassword: string; newPassword: string; keepSessionToken: string | undefined },
): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
  const user = await repo.findUserById(db, input.userId);
  if (!user || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    return { ok: false, errors: { current_password: 'That is not your current password.' } };
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await repo.updatePasswordHash(trx, user.id, passwordHash);
    await repo.deleteOtherSessions(trx, user.id, input.keepSessionToken ? hashToken(input.keepSessionToken) : '');
  });
  return { ok: true };
}

/** Issues a personal API token; the plain token is shown once and only its hash kept. */
export async function issueApiToken(db: Db, userId: number, name: string): Promise<{ id: number; token: string }> {
  const token = `ff_${newToken()}`;
  const row = await repo.insertApiToken(db, { userId, name, tokenHash: hashToken(token) });
  return { id: row.id, token };
}

/** Adds a pseud to the user's account; the name must be new for this user. */
export async function addPseud(
  db: Db,
  userId: number,
  name: string,
): Promise<{ ok: true; id: number } | { ok: false; errors: FieldErrors }> {
  return db.transaction().execute(async (trx) => {
    const existing = await repo.findPseudsOfUser(trx, userId);
    if (existing.some((p) => p.name.toLowerCase() === name.toLowerCase())) {
      return { ok: false as const, errors: { name: `You already have a pseud called ${name}.` } };
    }
    const id = await repo.insertPseud(trx, { userId, name, isDefault: false });
    return { ok: true as const, id };
  });
}

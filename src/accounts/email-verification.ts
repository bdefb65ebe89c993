import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { enqueueJob } from '../jobs/jobs.service.ts';
import { readLink, signLink } from '../notifications/signed-links.ts';
import type { SiteSettings } from '../admin/site-settings.ts';
import * as repo from './email-verification.repo.ts';
import type { Mailer } from './mailer.ts';

type Db = Kysely<Database>;

/** A verification link works for two days; a new one can be sent at any time. */
export const VERIFY_HOURS = 48;

export const VERIFY_EMAIL_JOB = 'accounts.verify-email';
const PURPOSE = 'verify-email';

/**
 * Whether new accounts must verify their address before posting: the admin's choice, else on
 * exactly when mail reaches people. `json:` and `stream:` (src/lib/mail-transport.ts) only render
 * mail for development and tests: nobody could follow a link, so they do not turn it on.
 */
export function isVerificationRequired(settings: Pick<SiteSettings, 'emailVerification'>, config: Pick<Config, 'smtpUrl'>): boolean {
  return settings.emailVerification ?? (config.smtpUrl !== undefined && config.smtpUrl !== 'json:' && config.smtpUrl !== 'stream:');
}

/** Whether the account's current address is the one it verified (a changed address needs verifying again). */
export function isEmailVerified(db: Db, userId: number): Promise<boolean> {
  return repo.hasVerifiedCurrentEmail(db, userId);
}

/** The account's address, for the pages that say where the link went. */
export async function findAccountEmail(db: Db, userId: number): Promise<string | undefined> {
  return (await repo.findAccountContact(db, userId))?.email;
}

/** Queues the verification mail (sent by a job, so sign-up never waits on a mail server). */
export async function requestVerificationMail(db: Db, userId: number, now = new Date()): Promise<void> {
  // One mail a minute at most, however often the resend button is pressed.
  const minute = Math.floor(now.getTime() / 60_000);
  await enqueueJob(db, { kind: VERIFY_EMAIL_JOB, payload: { userId }, dedupeKey: `verify-email:${userId}:${minute}` });
}

export interface VerificationMailContext {
  mailer: Mailer;
  baseUrl: string;
  siteName: () => string;
}

/** The job: mails a signed link naming the account and its address, valid for VERIFY_HOURS. */
export async function sendVerificationMail(db: Db, ctx: VerificationMailContext, payload: unknown, now = new Date()): Promise<void> {
  const userId = (payload as { userId?: unknown })?.userId;
  if (typeof userId !== 'number') return;
  const user = await repo.findAccountContact(db, userId);
  if (!user || (await isEmailVerified(db, user.id))) return;
  const token = await signLink(db, {
    purpose: PURPOSE,
    userId: user.id,
    subject: user.email.toLowerCase(),
    expiresAt: Math.floor(now.getTime() / 1000) + VERIFY_HOURS * 3600,
  });
  const site = ctx.siteName();
  await ctx.mailer.send({
    to: user.email,
    subject: `Confirm your email address for ${site}`,
    text:
      `Welcome to ${site}, ${user.login}!\n\n` +
      `Open this link within ${VERIFY_HOURS} hours to confirm that this address is yours; then you can post works and comments:\n` +
      `${ctx.baseUrl}/verify-email/${token}\n\n` +
      'If you did not sign up, ignore this message: nothing happens without the link.',
  });
}

export type VerifyOutcome = { status: 'verified'; login: string } | { status: 'expired' } | { status: 'invalid' };

/**
 * Checks a link and records the address as verified. The link names the address it was sent to,
 * so a link for an address the account no longer has does nothing.
 */
export async function verifyEmailLink(db: Db, token: string, now = new Date()): Promise<VerifyOutcome> {
  const claims = await readLink(db, token, PURPOSE, now);
  if (claims === 'expired') return { status: 'expired' };
  if (!claims) return { status: 'invalid' };
  return db.transaction().execute(async (trx) => {
    const user = await repo.findAccountContact(trx, claims.userId);
    if (!user || user.email.toLowerCase() !== claims.subject) return { status: 'invalid' as const };
    await repo.recordVerifiedEmail(trx, user.id, user.email, now);
    return { status: 'verified' as const, login: user.login };
  });
}

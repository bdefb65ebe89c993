import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { sameToken } from '../lib/tokens.ts';

/** What a mailed link carries: what it is for, whose it is, and when it stops working. */
export interface LinkClaims {
  /** 'unsubscribe', 'verify-email'... a token for one purpose never works for another. */
  purpose: string;
  userId: number;
  /** Purpose-specific detail (the kind of mail, the address being verified). */
  subject: string;
  /** Seconds since the epoch; absent: no end. */
  expiresAt?: number;
}

const secrets = new WeakMap<object, Promise<string>>();

/**
 * The archive's key for mailed links, made by migration 0016 and kept in the database, so every
 * process (and a restored backup) signs and checks links alike without another setting.
 */
function secretOf(db: Kysely<Database>): Promise<string> {
  let secret = secrets.get(db);
  if (!secret) {
    secret = db
      .selectFrom('signing_secrets')
      .select('secret')
      .where('purpose', '=', 'mail-links')
      .executeTakeFirstOrThrow()
      .then((row) => row.secret);
    secret.catch(() => secrets.delete(db));
    secrets.set(db, secret);
  }
  return secret;
}

function mac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

/** A URL-safe token stating the claims, signed with the archive's key (no database row). */
export async function signLink(db: Kysely<Database>, claims: LinkClaims): Promise<string> {
  const body = Buffer.from(JSON.stringify([claims.purpose, claims.userId, claims.subject, claims.expiresAt ?? 0]), 'utf8').toString(
    'base64url',
  );
  return `${body}.${mac(await secretOf(db), body)}`;
}

/**
 * The claims of a token signed for `purpose`; 'expired' for a genuine one past its time (so the
 * page can offer a new one); undefined when it is forged, altered or for another purpose.
 */
export async function readLink(
  db: Kysely<Database>,
  token: string,
  purpose: string,
  now = new Date(),
): Promise<LinkClaims | 'expired' | undefined> {
  if (token.length > 2000) return undefined;
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return undefined;
  if (!sameToken(signature, mac(await secretOf(db), body))) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
  const [p, userId, subject, expiresAt] = parsed as unknown[];
  if (p !== purpose || typeof userId !== 'number' || typeof subject !== 'string' || typeof expiresAt !== 'number') return undefined;
  if (expiresAt !== 0 && expiresAt * 1000 < now.getTime()) return 'expired';
  return { purpose, userId, subject, ...(expiresAt !== 0 ? { expiresAt } : {}) };
}

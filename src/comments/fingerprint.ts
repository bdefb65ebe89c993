import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

const secrets = new WeakMap<object, Promise<string>>();

/** The installation's fingerprint secret (made by the migration), read once per database handle. */
function secretOf(db: Kysely<Database>): Promise<string> {
  let secret = secrets.get(db);
  if (!secret) {
    secret = db
      .selectFrom('interaction_secrets')
      .select('value')
      .where('name', '=', 'fingerprint')
      .executeTakeFirstOrThrow()
      .then((r) => r.value);
    secret.catch(() => secrets.delete(db));
    secrets.set(db, secret);
  }
  return secret;
}

/**
 * A guest's privacy-preserving fingerprint: sha256 of the address, the UTC day and the
 * installation secret. The address is never stored, and the same guest gets a new
 * fingerprint each day, so fingerprints cannot be joined across days.
 */
export async function guestFingerprint(
  db: Kysely<Database>,
  address: string,
  day = new Date().toISOString().slice(0, 10),
): Promise<string> {
  const secret = await secretOf(db);
  return createHash('sha256').update(`${secret}|${day}|${address}`).digest('base64url');
}

/** A stable hash of an address (no day), for rate limits over the last minutes. */
export async function addressHash(db: Kysely<Database>, address: string): Promise<string> {
  const secret = await secretOf(db);
  return createHash('sha256').update(`${secret}|address|${address}`).digest('base64url');
}

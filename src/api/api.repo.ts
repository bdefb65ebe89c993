import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database>;

/**
 * Records that a token was used, unless that was recorded less than `everyMs` ago (by any
 * process): the date is for the owner's token list ("last used"), and a write on every API read
 * would serialise reads on PGlite and send every read to the primary.
 */
export async function touchApiToken(db: Db, tokenHash: string, now: Date = new Date(), everyMs = 60_000): Promise<void> {
  const aMinuteAgo = new Date(now.getTime() - everyMs);
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', aMinuteAgo)]))
    .execute();
}

import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/schema.ts';
import { newToken } from '../lib/tokens.ts';
import * as repo from './accounts.repo.ts';
import { hashPassword } from './passwords.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** AO3's name for the account orphaned works are credited to. */
export const ORPHAN_LOGIN = 'orphan_account';

/** The orphan account's pseud, made on first use; no one can log in to it (a random password never shown). */
export async function orphanPseudId(trx: Trx): Promise<number> {
  const existing = await repo.findUserByLogin(trx, ORPHAN_LOGIN);
  if (existing) {
    const pseud = await trx
      .selectFrom('pseuds')
      .select('id')
      .where('user_id', '=', existing.id)
      .where('is_default', '=', true)
      .executeTakeFirstOrThrow();
    return pseud.id;
  }
  const userId = await repo.insertUser(trx, {
    login: ORPHAN_LOGIN,
    email: 'orphan_account@invalid',
    passwordHash: await hashPassword(newToken()),
    isAdmin: false,
  });
  return repo.insertPseud(trx, { userId, name: ORPHAN_LOGIN, isDefault: true });
}

export type WorksChoice = 'orphan' | 'delete';

/**
 * Deletes an account. Its works are either orphaned (credit moves to orphan_account, the works
 * stay) or deleted; a work with other creators keeps them and only loses this one's credit.
 */
export async function deleteAccount(
  db: Db,
  user: { id: number; login: string },
  works: WorksChoice,
): Promise<{ orphaned: number; deleted: number }> {
  return db.transaction().execute(async (trx) => {
    const credits = await trx
      .selectFrom('work_creators')
      .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
      .select(['work_creators.work_id', 'work_creators.pseud_id', 'work_creators.position'])
      .where('pseuds.user_id', '=', user.id)
      .execute();
    const workIds = [...new Set(credits.map((c) => c.work_id))];
    const others =
      workIds.length === 0
        ? []
        : await trx
            .selectFrom('work_creators')
            .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
            .select('work_creators.work_id')
            .where('work_creators.work_id', 'in', workIds)
            .where('pseuds.user_id', '!=', user.id)
            .execute();
    const shared = new Set(others.map((o) => o.work_id));
    let orphaned = 0;
    let deleted = 0;
    if (works === 'orphan' && credits.length > 0) {
      const orphan = await orphanPseudId(trx);
      for (const workId of workIds) {
        const mine = credits.filter((c) => c.work_id === workId);
        await trx
          .deleteFrom('work_creators')
          .where('work_id', '=', workId)
          .where(
            'pseud_id',
            'in',
            mine.map((c) => c.pseud_id),
          )
          .execute();
        await trx
          .insertInto('work_creators')
          .values({ work_id: workId, pseud_id: orphan, position: Math.min(...mine.map((c) => c.position)) })
          .onConflict((oc) => oc.columns(['work_id', 'pseud_id']).doNothing())
          .execute();
        orphaned++;
      }
    } else if (works === 'delete') {
      const sole = workIds.filter((id) => !shared.has(id));
      if (sole.length > 0) await trx.deleteFrom('works').where('id', 'in', sole).execute();
      deleted = sole.length;
    }
    await trx.deleteFrom('users').where('id', '=', user.id).execute();
    await recordAudit(trx, {
      actor: null,
      action: 'delete_account',
      targetType: 'user',
      targetId: user.id,
      details: { login: user.login, works, orphaned, deleted },
    });
    return { orphaned, deleted };
  });
}

/** The account's sessions, newest first; `id` is a prefix of the stored hash, enough to name one. */
export async function listSessions(db: Db, userId: number) {
  const rows = await db
    .selectFrom('sessions')
    .select(['token_hash', 'created_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.token_hash.slice(0, 16), tokenHash: r.token_hash, createdAt: r.created_at, expiresAt: r.expires_at }));
}

export async function endSessionById(db: Db, userId: number, id: string): Promise<boolean> {
  if (!/^[0-9a-f]{16}$/.test(id)) return false;
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', 'like', `${id}%`).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

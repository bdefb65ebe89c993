import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findUserByLogin } from '../accounts/accounts.service.ts';
import * as repo from './blocking.repo.ts';

export class BlockingError extends Error {
  constructor(
    readonly status: 404 | 422,
    message: string,
  ) {
    super(message);
  }
}

export type Relation = 'mute' | 'block';

/** Mutes or blocks the user called `login` (idempotent). */
export async function addRelation(db: Kysely<Database>, userId: number, relation: Relation, login: string): Promise<string> {
  const target = await findUserByLogin(db, login.trim());
  if (!target)
    throw new BlockingError(422, `There is no user called “${login.trim().slice(0, 60)}”. Check the spelling of their user name.`);
  if (target.id === userId) throw new BlockingError(422, relation === 'mute' ? 'You cannot mute yourself.' : 'You cannot block yourself.');
  if (relation === 'mute') await repo.insertMute(db, userId, target.id);
  else await repo.insertBlock(db, userId, target.id);
  return target.login;
}

/** Unmutes or unblocks (idempotent). */
export async function removeRelation(db: Kysely<Database>, userId: number, relation: Relation, login: string): Promise<void> {
  const target = await findUserByLogin(db, login.trim());
  if (!target) return;
  if (relation === 'mute') await repo.deleteMute(db, userId, target.id);
  else await repo.deleteBlock(db, userId, target.id);
}

export { isBlockedByAny, listBlocked, listMuted, mutedUserIds } from './blocking.repo.ts';

/** A listing's hidden creators plus the users this viewer muted (their works vanish from every listing). */
export async function withMutedCreators<T extends { userIds: number[] }>(
  db: Kysely<Database>,
  viewerId: number | null,
  hidden: T,
): Promise<T> {
  if (viewerId === null) return hidden;
  const muted = await repo.mutedUserIds(db, viewerId);
  return muted.length === 0 ? hidden : { ...hidden, userIds: [...new Set([...hidden.userIds, ...muted])] };
}

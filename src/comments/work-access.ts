import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findCreatorsOfWorks } from '../works/works.repo.ts';
import type { WorkAccessFacts } from '../works/works.policy.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** What interactions need to know about a work: visibility facts, settings, title. */
export interface InteractionWork extends WorkAccessFacts {
  id: number;
  title: string;
  guestCommentsAllowed: boolean;
  commentsModerated: boolean;
}

export async function loadInteractionWork(db: Db, workId: number): Promise<InteractionWork | undefined> {
  const row = await db
    .selectFrom('works')
    .select(['id', 'title', 'is_draft', 'is_restricted', 'guest_comments_allowed', 'comments_moderated'])
    .where('id', '=', workId)
    .executeTakeFirst();
  if (!row) return undefined;
  const creators = await findCreatorsOfWorks(db, [workId]);
  return {
    id: row.id,
    title: row.title,
    isDraft: row.is_draft,
    isRestricted: row.is_restricted,
    creatorUserIds: [...new Set(creators.map((c) => c.user_id))],
    guestCommentsAllowed: row.guest_comments_allowed,
    commentsModerated: row.comments_moderated,
  };
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findCreatorsOfWorks } from '../works/works.service.ts';
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
    .select(['id', 'title', 'is_draft', 'is_restricted', 'comments_moderated'])
    // Guests may comment only where both the creator and the site settings allow it.
    .select(
      sql<boolean>`guest_comments_allowed and coalesce((select guest_comments from site_settings where id = 1), true)`.as(
        'guest_comments_allowed',
      ),
    )
    .select(sql<boolean>`exists (select 1 from hidden_works h where h.work_id = works.id)`.as('is_hidden'))
    .where('id', '=', workId)
    .executeTakeFirst();
  if (!row) return undefined;
  const creators = await findCreatorsOfWorks(db, [workId]);
  return {
    id: row.id,
    title: row.title,
    isDraft: row.is_draft,
    isRestricted: row.is_restricted,
    isHidden: row.is_hidden,
    creatorUserIds: [...new Set(creators.map((c) => c.user_id))],
    guestCommentsAllowed: row.guest_comments_allowed,
    commentsModerated: row.comments_moderated,
  };
}

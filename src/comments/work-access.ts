import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findCreatorsOfWorks } from '../works/works.service.ts';
import { isCreator, type WorkAccessFacts } from '../works/works.policy.ts';
import type { ViewerFactArgs, WorkPanelContext } from '../works/work-panels.ts';
import { isBlockedByAny } from '../blocking/blocking.service.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** What interactions need to know about a work: visibility facts, settings, title. */
export interface InteractionWork extends WorkAccessFacts {
  id: number;
  title: string;
  guestCommentsAllowed: boolean;
  commentsModerated: boolean;
}

/**
 * The work as interactions see it. `knownCreatorUserIds`, when the caller already loaded the
 * creators (the work page has), saves reading them again.
 */
export async function loadInteractionWork(
  db: Db,
  workId: number,
  knownCreatorUserIds?: readonly number[],
): Promise<InteractionWork | undefined> {
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
  const creatorUserIds = knownCreatorUserIds ?? (await findCreatorsOfWorks(db, [workId])).map((c) => c.user_id);
  return {
    id: row.id,
    title: row.title,
    isDraft: row.is_draft,
    isRestricted: row.is_restricted,
    isHidden: row.is_hidden,
    creatorUserIds: [...new Set(creatorUserIds)],
    guestCommentsAllowed: row.guest_comments_allowed,
    commentsModerated: row.comments_moderated,
  };
}

/** The work page's interaction facts, read once per render however many panels ask. */
export function sharedInteractionWork(panel: WorkPanelContext): Promise<InteractionWork | undefined> {
  return panel.shared('interaction-work', () => loadInteractionWork(panel.db, panel.work.id, panel.creatorUserIds));
}

/** Whether one of the work's creators blocked the viewer, read once per render (kudos and comments both ask). */
export function sharedBlockedByCreator(panel: WorkPanelContext, work: InteractionWork): Promise<boolean> {
  const viewer = panel.viewer;
  if (viewer === null || isCreator(viewer, work)) return Promise.resolve(false);
  return panel.shared('blocked-by-creator', () => isBlockedByAny(panel.db, viewer.id, work.creatorUserIds));
}

/** True when one of the work's creators blocked the viewer (their kudos button and comment form differ). */
export function blockedByCreatorSql(args: ViewerFactArgs): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from blocks where blocked_user_id = ${args.viewerId} and user_id = any(${[...args.creatorUserIds]}::int[]))`;
}

/**
 * When the comments panel differs from other readers': the viewer commented on the work (their
 * pending comments and edit links), mutes someone who did, or is blocked by a creator.
 */
export function commentsPersonalSql(args: ViewerFactArgs): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from comments where work_id = ${args.workId} and user_id = ${args.viewerId})
    or exists (select 1 from mutes m join comments c on c.user_id = m.muted_user_id where m.user_id = ${args.viewerId} and c.work_id = ${args.workId})
    or ${blockedByCreatorSql(args)}`;
}

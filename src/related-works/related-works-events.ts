// Telling a parent work's creators that a posted work names it: called by the works slice when a
// work is posted, and by the related-works service when a posted work's links change. It imports
// nothing of the works slice, so the works service can call it without an import cycle.
import type { Kysely, Transaction } from 'kysely';
import { findConcealments } from '../collections/anonymity.ts';
import type { Database } from '../db/schema.ts';
import type { Relation } from '../db/tables/gifts-and-related-works.ts';
import { addInboxItem } from '../inbox/inbox.service.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** "A translation of", as read after the child's title. */
export const RELATION_PHRASES: Record<Relation, string> = {
  inspired_by: 'inspired by',
  translation_of: 'a translation of',
  remix_of: 'a remix of',
  podfic_of: 'a podfic of',
};

/**
 * Tells the creators of each archive parent not yet told, once the child is posted: one inbox item
 * each, pointing at their related-works page where they approve or remove the link, and an email
 * under their own "related works" mail choice (decision 041), which the inbox item's kind selects.
 */
export async function announceRelatedWorks(trx: Db, workId: number): Promise<number> {
  const child = await trx.selectFrom('works').select(['title', 'is_draft']).where('id', '=', workId).executeTakeFirst();
  if (!child || child.is_draft) return 0;
  const links = await trx
    .updateTable('related_works')
    .set({ announced_at: new Date() })
    .where('work_id', '=', workId)
    .where('announced_at', 'is', null)
    .where('parent_work_id', 'is not', null)
    .returning(['parent_work_id', 'relation'])
    .execute();
  if (links.length === 0) return 0;
  const childCreators = await trx
    .selectFrom('work_creators')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select(['pseuds.name', 'pseuds.user_id'])
    .where('work_creators.work_id', '=', workId)
    .orderBy('work_creators.position')
    .execute();
  const childUserIds = new Set(childCreators.map((c) => c.user_id));
  // A child in an anonymous collection does not name its creator; an unrevealed one not even its title.
  const concealment = (await findConcealments(trx, [workId])).get(workId);
  const who = concealment ? 'An anonymous creator' : (childCreators[0]?.name ?? 'Someone');
  const what = concealment?.unrevealed ? 'a work (shown once its collection is revealed)' : `“${child.title}”`;
  let told = 0;
  for (const link of links) {
    const parent = await trx.selectFrom('works').select('title').where('id', '=', link.parent_work_id!).executeTakeFirst();
    const owners = await trx
      .selectFrom('work_creators')
      .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
      .innerJoin('users', 'users.id', 'pseuds.user_id')
      .select(['users.id', 'users.login'])
      .where('work_creators.work_id', '=', link.parent_work_id!)
      .execute();
    for (const owner of new Map(owners.map((o) => [o.id, o])).values()) {
      // A creator linking two of their own works is not told about it.
      if (childUserIds.has(owner.id)) continue;
      const item = {
        userId: owner.id,
        kind: 'related_work',
        workId,
        actorUserId: concealment ? null : (childCreators[0]?.user_id ?? null),
        text: `${who} posted ${what}, ${RELATION_PHRASES[link.relation]} your work “${parent?.title ?? ''}”. Approve the link to show it on your work, or remove it.`,
        url: `/users/${encodeURIComponent(owner.login)}/related_works`,
      };
      await addInboxItem(trx, item);
      told += 1;
    }
  }
  return told;
}

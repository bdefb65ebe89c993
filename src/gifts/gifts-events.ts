// Telling recipients about gifts: called by the works slice when a work is posted, and by the gifts
// service when a posted work's gifts change. It imports nothing of the works slice, so the works
// service can call it without an import cycle.
import type { Kysely, Transaction } from 'kysely';
import { findConcealments } from '../collections/anonymity.ts';
import type { Database } from '../db/schema.ts';
import { addInboxItem } from '../inbox/inbox.service.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Tells each archive recipient not yet told, once the work is posted (a draft's gifts wait: the
 * recipient could not open it). One inbox item each, and an email under the recipient's
 * "comments on your works" mail choice (decision 041: there is no gift preference yet).
 */
export async function announceGifts(trx: Db, workId: number): Promise<number> {
  const work = await trx.selectFrom('works').select(['title', 'is_draft']).where('id', '=', workId).executeTakeFirst();
  if (!work || work.is_draft) return 0;
  const pending = await trx
    .updateTable('work_gifts')
    .set({ announced_at: new Date() })
    .where('work_id', '=', workId)
    .where('announced_at', 'is', null)
    .where('refused_at', 'is', null)
    .where('recipient_user_id', 'is not', null)
    .returning(['recipient_user_id', 'recipient_name'])
    .execute();
  if (pending.length === 0) return 0;
  const giver = await trx
    .selectFrom('work_creators')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select(['pseuds.name', 'pseuds.user_id'])
    .where('work_creators.work_id', '=', workId)
    .orderBy('work_creators.position')
    .executeTakeFirst();
  // A work in an anonymous or unrevealed collection does not name its creator, even to its recipients.
  const concealed = (await findConcealments(trx, [workId])).has(workId);
  const giverName = concealed ? 'An anonymous creator' : (giver?.name ?? 'Someone');
  for (const gift of pending) {
    const userId = gift.recipient_user_id!;
    const item = {
      userId,
      kind: 'gift',
      workId,
      actorUserId: concealed ? null : (giver?.user_id ?? null),
      text: `${giverName} gave you a gift: “${work.title}”. You can keep it or refuse it on your gifts page.`,
      url: `/works/${workId}`,
    };
    // Mailed under the recipient's own "gifts" preference (src/notifications), through the inbox item.
    await addInboxItem(trx, item);
  }
  return pending.length;
}

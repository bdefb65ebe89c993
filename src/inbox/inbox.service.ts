import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { enqueueNotificationMail } from '../notifications/notifications.service.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * One notification for one user. Any slice adds its own kinds (comment, reply, kudos summary,
 * subscription updates...): the inbox renders every kind the same way, as text and a link.
 */
export interface NewInboxItem {
  userId: number;
  /** A short machine name: 'comment', 'reply', 'kudos', 'subscription.chapter'... */
  kind: string;
  workId?: number | null;
  commentId?: number | null;
  actorUserId?: number | null;
  /** Plain text (escaped when shown). */
  text: string;
  /** A same-site path ("/works/1", or a comment's permalink "/comments/2"). */
  url: string;
  /** When set, a second item with the same key for the same user replaces the first's text and marks it unread. */
  dedupeKey?: string;
}

/**
 * Adds an inbox item, and queues its email for the kinds users may get by mail (comments,
 * replies, kudos: src/notifications). Call it inside the transaction of the change it reports.
 */
export async function addInboxItem(db: Db, item: NewInboxItem): Promise<void> {
  await enqueueNotificationMail(db, item);
  const values = {
    user_id: item.userId,
    kind: item.kind,
    work_id: item.workId ?? null,
    comment_id: item.commentId ?? null,
    actor_user_id: item.actorUserId ?? null,
    text: item.text.slice(0, 1000),
    url: item.url.startsWith('/') && !item.url.startsWith('//') ? item.url : '/',
    dedupe_key: item.dedupeKey ?? null,
  };
  if (item.dedupeKey === undefined) {
    await db.insertInto('inbox_items').values(values).execute();
    return;
  }
  await db
    .insertInto('inbox_items')
    .values(values)
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'dedupe_key'])
        .where('dedupe_key', 'is not', null)
        .doUpdateSet((eb) => ({ text: eb.ref('excluded.text'), url: eb.ref('excluded.url'), read_at: null })),
    )
    .execute();
}

export const INBOX_PER_PAGE = 50;

export const InboxFilterSchema = z.object({
  filter: z.enum(['all', 'unread', 'read']).catch('all'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type InboxFilter = z.infer<typeof InboxFilterSchema>;

export async function listInbox(db: Db, userId: number, filter: InboxFilter) {
  let query = db
    .selectFrom('inbox_items')
    .leftJoin('users as actor', 'actor.id', 'inbox_items.actor_user_id')
    // The comment an item reports, for its text and a reply form (null for other kinds, or once deleted).
    .leftJoin('comments', 'comments.id', 'inbox_items.comment_id')
    .select([
      'inbox_items.id',
      'inbox_items.kind',
      'inbox_items.text',
      'inbox_items.url',
      'inbox_items.read_at',
      'inbox_items.created_at',
      'inbox_items.actor_user_id',
      'comments.id as comment_id',
      'comments.work_id as comment_work_id',
      'comments.body_html as comment_html',
      'comments.is_approved as comment_approved',
      'comments.is_hidden as comment_hidden',
      'comments.is_frozen as comment_frozen',
      'comments.deleted_at as comment_deleted_at',
    ])
    .where('inbox_items.user_id', '=', userId);
  if (filter.filter === 'unread') query = query.where('inbox_items.read_at', 'is', null);
  if (filter.filter === 'read') query = query.where('inbox_items.read_at', 'is not', null);
  // Items whose actor the reader has muted stay out of sight.
  query = query.where((eb) =>
    eb.or([
      eb('inbox_items.actor_user_id', 'is', null),
      eb.not(
        eb.exists(
          eb
            .selectFrom('mutes')
            .select('mutes.user_id')
            .where('mutes.user_id', '=', userId)
            .whereRef('mutes.muted_user_id', '=', 'inbox_items.actor_user_id'),
        ),
      ),
    ]),
  );
  const rows = await query
    .orderBy('inbox_items.id', 'desc')
    .limit(INBOX_PER_PAGE + 1)
    .offset((filter.page - 1) * INBOX_PER_PAGE)
    .execute();
  const unread = await db
    .selectFrom('inbox_items')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { rows: rows.slice(0, INBOX_PER_PAGE), hasNext: rows.length > INBOX_PER_PAGE, unread: Number(unread.n) };
}

export type InboxRow = Awaited<ReturnType<typeof listInbox>>['rows'][number];

export const InboxActionSchema = z.object({
  action: z.enum(['read', 'unread', 'delete'], { error: 'Choose what to do with the selected items: mark read, mark unread or delete.' }),
  ids: z.array(z.coerce.number().int().positive()).min(1, 'Select at least one item first.').max(500),
});
export type InboxAction = z.infer<typeof InboxActionSchema>;

/** Applies a bulk action to the user's own items (ids of other users' items are ignored). */
export async function applyInboxAction(db: Kysely<Database>, userId: number, input: InboxAction): Promise<number> {
  if (input.action === 'delete') {
    const result = await db.deleteFrom('inbox_items').where('user_id', '=', userId).where('id', 'in', input.ids).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
  const result = await db
    .updateTable('inbox_items')
    .set({ read_at: input.action === 'read' ? new Date() : null })
    .where('user_id', '=', userId)
    .where('id', 'in', input.ids)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Opens one item: marks it read and gives its link. An item about a comment opens the comment's
 * permalink (GET /comments/:id finds the page it is on now), also for items stored before
 * permalinks, whose url points at the first page of comments.
 */
export async function openInboxItem(db: Kysely<Database>, userId: number, itemId: number): Promise<string | undefined> {
  const row = await db
    .updateTable('inbox_items')
    .set({ read_at: new Date() })
    .where('user_id', '=', userId)
    .where('id', '=', itemId)
    .returning(['url', 'comment_id'])
    .executeTakeFirst();
  if (row?.comment_id != null && /#comment-\d+$/.test(row.url)) return `/comments/${row.comment_id}`;
  return row?.url;
}

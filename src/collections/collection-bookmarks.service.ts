// Bookmarks in collections (issue 14, point 1): a bookmark's owner adds it; the collection approves
// it as it approves works (at once when unmoderated or when the owner maintains it, else in the
// maintainers' queue). One approval only: a bookmark has one owner, who agreed by adding it.
// Private bookmarks never join: a collection's page is public.
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/schema.ts';
import type { ApprovalStatus } from '../db/tables/collections.ts';
import type { Viewer } from '../web/viewer.ts';
import { findConcealments } from './anonymity.ts';
import { canAddToCollection, isCollectionMaintainer } from './collections.policy.ts';
import { CollectionFieldError, CollectionForbiddenError, CollectionNotFoundError } from './collections.service.ts';

type Db = Kysely<Database>;

async function loadFacts(db: Db | Transaction<Database>, name: string, lock: boolean) {
  let query = db.selectFrom('collections').selectAll().where(sql<boolean>`lower(name) = lower(${name})`);
  if (lock) query = query.forUpdate();
  const collection = await query.executeTakeFirst();
  if (!collection) throw new CollectionNotFoundError();
  const participants = await db
    .selectFrom('collection_participants')
    .select(['user_id as userId', 'role'])
    .where('collection_id', '=', collection.id)
    .execute();
  return { collection, facts: { participants, isClosed: collection.is_closed } };
}

export type BookmarkOutcome = 'approved' | 'awaiting-collection';

/** Puts the viewer's own public bookmark into a collection. */
export async function addBookmarkToCollection(
  db: Db,
  viewer: Viewer,
  input: { collection: string; bookmark_id: number },
): Promise<{ outcome: BookmarkOutcome; name: string }> {
  return db.transaction().execute(async (trx) => {
    const { collection, facts } = await loadFacts(trx, input.collection, true).catch((error: unknown) => {
      throw error instanceof CollectionNotFoundError
        ? new CollectionFieldError('collection', `There is no collection called ${input.collection}. Check its name in its address.`)
        : error;
    });
    const bookmark = await trx
      .selectFrom('bookmarks')
      .select(['id', 'user_id', 'is_private'])
      .where('id', '=', input.bookmark_id)
      .executeTakeFirst();
    if (!bookmark || bookmark.user_id !== viewer.id)
      throw new CollectionFieldError('bookmark_id', 'You can add only your own bookmarks; choose one from the list.');
    if (bookmark.is_private)
      throw new CollectionFieldError(
        'bookmark_id',
        'This bookmark is private, and a collection’s page is public: make the bookmark public first.',
      );
    const maintainer = isCollectionMaintainer(viewer, facts);
    if (!canAddToCollection(viewer, facts))
      throw new CollectionFieldError(
        'collection',
        `${collection.title} is closed: it takes no new bookmarks. Its maintainers may reopen it.`,
      );
    const existing = await trx
      .selectFrom('collection_bookmarks')
      .select('collection_approval')
      .where('collection_id', '=', collection.id)
      .where('bookmark_id', '=', bookmark.id)
      .executeTakeFirst();
    if (existing)
      throw new CollectionFieldError(
        'bookmark_id',
        existing.collection_approval === 'rejected'
          ? `This bookmark was declined by ${collection.title}.`
          : `This bookmark is already ${existing.collection_approval === 'approved' ? 'in' : 'waiting for approval in'} ${collection.title}.`,
      );
    const approval: ApprovalStatus = maintainer || !collection.is_moderated ? 'approved' : 'pending';
    await trx
      .insertInto('collection_bookmarks')
      .values({ collection_id: collection.id, bookmark_id: bookmark.id, collection_approval: approval, added_by: viewer.id })
      .execute();
    return { outcome: approval === 'approved' ? 'approved' : 'awaiting-collection', name: collection.name };
  });
}

/** A maintainer approves, rejects or removes a bookmark (audited); its owner may remove it. */
export async function decideCollectionBookmark(
  db: Db,
  viewer: Viewer,
  id: number,
  action: 'approve' | 'reject' | 'remove',
): Promise<{ name: string }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('collection_bookmarks as cb')
      .innerJoin('bookmarks as b', 'b.id', 'cb.bookmark_id')
      .innerJoin('collections as c', 'c.id', 'cb.collection_id')
      .select(['cb.id', 'cb.collection_approval', 'b.user_id', 'c.name'])
      .where('cb.id', '=', id)
      .executeTakeFirst();
    if (!row) throw new CollectionNotFoundError('There is no such bookmark in a collection: it may have been removed already.');
    const { facts } = await loadFacts(trx, row.name, true);
    const maintainer = isCollectionMaintainer(viewer, facts);
    const owner = row.user_id === viewer.id;
    if (!maintainer && !(owner && action === 'remove'))
      throw new CollectionForbiddenError(
        action === 'remove'
          ? 'Only the collection’s maintainers and the bookmark’s owner can remove it.'
          : 'Only the owners and moderators of this collection approve or reject bookmarks.',
      );
    if (action === 'remove') await trx.deleteFrom('collection_bookmarks').where('id', '=', id).execute();
    else {
      const status: ApprovalStatus = action === 'approve' ? 'approved' : 'rejected';
      if (row.collection_approval === status) throw new CollectionFieldError('item', `This bookmark is already ${status}.`);
      await trx.updateTable('collection_bookmarks').set({ collection_approval: status }).where('id', '=', id).execute();
    }
    if (maintainer && !owner)
      await recordAudit(trx, {
        actor: { id: viewer.id, login: viewer.login },
        action: `collection.bookmark.${action}`,
        targetType: 'collection_bookmark',
        targetId: id,
        details: { collection: row.name },
      });
    return { name: row.name };
  });
}

export interface CollectionBookmarkView {
  id: number;
  owner: string;
  notesHtml: string;
  target: { title: string; href: string; external: boolean };
  pending: boolean;
  canRemove: boolean;
}

/**
 * The collection's bookmarks as the viewer may see them: public ones only; a bookmarked work only
 * when it is posted, not hidden and (for guests) not restricted; an unrevealed one as "Mystery work".
 * Maintainers also get the ones waiting for approval.
 */
export async function listCollectionBookmarks(db: Db, viewer: Viewer | null, collectionName: string): Promise<CollectionBookmarkView[]> {
  const { collection, facts } = await loadFacts(db, collectionName, false);
  const maintainer = isCollectionMaintainer(viewer, facts);
  let query = db
    .selectFrom('collection_bookmarks as cb')
    .innerJoin('bookmarks as b', 'b.id', 'cb.bookmark_id')
    .innerJoin('users as u', 'u.id', 'b.user_id')
    .leftJoin('works as w', 'w.id', 'b.work_id')
    .leftJoin('series as s', 's.id', 'b.series_id')
    .select([
      'cb.id',
      'cb.collection_approval',
      'b.user_id',
      'b.work_id',
      'b.series_id',
      'b.external_url',
      'b.external_title',
      'b.notes_html',
      'u.login',
      'w.title as work_title',
      's.title as series_title',
    ])
    .where('cb.collection_id', '=', collection.id)
    .where('b.is_private', '=', false)
    .where((eb) =>
      eb.or([
        eb('b.work_id', 'is', null),
        eb.and([
          eb('w.is_draft', '=', false),
          eb.not(eb.exists(eb.selectFrom('hidden_works as hw').select('hw.work_id').whereRef('hw.work_id', '=', 'b.work_id'))),
          ...(viewer ? [] : [eb('w.is_restricted', '=', false)]),
        ]),
      ]),
    )
    .orderBy('cb.created_at', 'desc')
    .orderBy('cb.id', 'desc')
    .limit(200);
  query = maintainer ? query.where('cb.collection_approval', '!=', 'rejected') : query.where('cb.collection_approval', '=', 'approved');
  const rows = await query.execute();
  const concealed = await findConcealments(
    db,
    rows.flatMap((r) => (r.work_id === null ? [] : [r.work_id])),
  );
  return rows.map((r) => ({
    id: r.id,
    owner: r.login,
    // Sanitized on the way in by the bookmarks slice.
    notesHtml: r.notes_html,
    target:
      r.work_id !== null
        ? {
            title: concealed.get(r.work_id)?.unrevealed ? 'Mystery work' : (r.work_title ?? ''),
            href: `/works/${r.work_id}`,
            external: false,
          }
        : r.series_id !== null
          ? { title: r.series_title ?? 'A series', href: `/series/${r.series_id}`, external: false }
          : { title: r.external_title ?? r.external_url ?? '', href: r.external_url ?? '#', external: true },
    pending: r.collection_approval === 'pending',
    canRemove: maintainer || (viewer !== null && viewer.id === r.user_id),
  }));
}

/** The viewer's public bookmarks, newest first, for the "add a bookmark" choices. */
export async function listOwnPublicBookmarks(db: Db, viewer: Viewer): Promise<Array<{ id: number; title: string }>> {
  const rows = await db
    .selectFrom('bookmarks as b')
    .leftJoin('works as w', 'w.id', 'b.work_id')
    .leftJoin('series as s', 's.id', 'b.series_id')
    .select(['b.id', 'w.title as work_title', 's.title as series_title', 'b.external_title', 'b.external_url'])
    .where('b.user_id', '=', viewer.id)
    .where('b.is_private', '=', false)
    .orderBy('b.updated_at', 'desc')
    .orderBy('b.id', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.work_title ?? (r.series_title ? `Series: ${r.series_title}` : (r.external_title ?? r.external_url ?? `Bookmark ${r.id}`)),
  }));
}

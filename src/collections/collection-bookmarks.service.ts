// Bookmarks in collections (issue 14, point 1): a bookmark's owner adds it; the collection approves
// it as it approves works (at once when unmoderated or when the owner maintains it, else in the
// maintainers' queue). Or a maintainer invites someone's bookmark, as they invite works: the
// collection's side is approved, the owner's waits until they accept it (told in their inbox).
// A bookmark is in the collection when both sides are approved. Private bookmarks never join: a
// collection's page is public.
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import { isBlockedByAny } from '../blocking/blocking.service.ts';
import type { Database } from '../db/schema.ts';
import type { ApprovalStatus } from '../db/tables/collections.ts';
import { addInboxItem } from '../inbox/inbox.service.ts';
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

/** A bookmark already in the collection, waiting, or declined by either side cannot be added or invited again. */
async function refuseExisting(
  trx: Transaction<Database>,
  collection: { id: number; title: string },
  bookmarkId: number,
  field: string,
): Promise<void> {
  const existing = await trx
    .selectFrom('collection_bookmarks')
    .select(['collection_approval', 'owner_approval'])
    .where('collection_id', '=', collection.id)
    .where('bookmark_id', '=', bookmarkId)
    .executeTakeFirst();
  if (!existing) return;
  const sides = [existing.collection_approval, existing.owner_approval];
  throw new CollectionFieldError(
    field,
    existing.owner_approval === 'rejected'
      ? `Its owner declined the invitation of this bookmark to ${collection.title}.`
      : existing.collection_approval === 'rejected'
        ? `This bookmark was declined by ${collection.title}.`
        : sides.every((side) => side === 'approved')
          ? `This bookmark is already in ${collection.title}.`
          : existing.owner_approval === 'pending'
            ? `This bookmark is already invited to ${collection.title}: it joins once its owner accepts.`
            : `This bookmark is already waiting for approval in ${collection.title}.`,
  );
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
    await refuseExisting(trx, collection, bookmark.id, 'bookmark_id');
    const approval: ApprovalStatus = maintainer || !collection.is_moderated ? 'approved' : 'pending';
    await trx
      .insertInto('collection_bookmarks')
      .values({ collection_id: collection.id, bookmark_id: bookmark.id, collection_approval: approval, added_by: viewer.id })
      .execute();
    return { outcome: approval === 'approved' ? 'approved' : 'awaiting-collection', name: collection.name };
  });
}

/** The collection, when the viewer maintains it: who may invite bookmarks (404 or 403 otherwise). */
export async function authorizeBookmarkInvitation(db: Db, viewer: Viewer, collectionName: string): Promise<{ name: string }> {
  const { collection, facts } = await loadFacts(db, collectionName, false);
  if (!isCollectionMaintainer(viewer, facts))
    throw new CollectionForbiddenError('Only the owners and moderators of this collection invite bookmarks into it.');
  return { name: collection.name };
}

/**
 * A maintainer invites someone's public bookmark, as they invite works: the collection's side is
 * approved, the owner's waits until they accept it from their inbox. Audited. A private bookmark,
 * or one of a work the maintainer may not read (a draft, a hidden work), is answered as one that
 * does not exist, so its existence does not leak.
 */
export async function inviteBookmarkToCollection(
  db: Db,
  viewer: Viewer,
  input: { collection: string; bookmark_id: number },
): Promise<{ name: string; id: number; owner: string }> {
  return db.transaction().execute(async (trx) => {
    const { collection, facts } = await loadFacts(trx, input.collection, true);
    if (!isCollectionMaintainer(viewer, facts))
      throw new CollectionForbiddenError('Only the owners and moderators of this collection invite bookmarks into it.');
    const bookmark = await trx
      .selectFrom('bookmarks as b')
      .innerJoin('users as u', 'u.id', 'b.user_id')
      .leftJoin('works as w', 'w.id', 'b.work_id')
      .leftJoin('series as s', 's.id', 'b.series_id')
      .select([
        'b.id',
        'b.user_id',
        'b.is_private',
        'b.work_id',
        'b.series_id',
        'b.external_title',
        'b.external_url',
        'u.login',
        'w.title as work_title',
        'w.is_draft',
        's.title as series_title',
        (eb) => eb.exists(eb.selectFrom('hidden_works as hw').select('hw.work_id').whereRef('hw.work_id', '=', 'b.work_id')).as('hidden'),
      ])
      .where('b.id', '=', input.bookmark_id)
      .executeTakeFirst();
    if (!bookmark || bookmark.is_private || (bookmark.work_id !== null && (bookmark.is_draft !== false || bookmark.hidden)))
      throw new CollectionFieldError(
        'bookmark',
        `There is no public bookmark ${input.bookmark_id} that you can see. Copy its link from the bookmarker’s bookmarks page.`,
      );
    if (bookmark.user_id === viewer.id)
      throw new CollectionFieldError('bookmark', 'This is your own bookmark: add it with the “Your bookmark” form instead.');
    if (await isBlockedByAny(trx, viewer.id, [bookmark.user_id]))
      throw new CollectionFieldError('bookmark', `You cannot invite ${bookmark.login}’s bookmarks.`);
    await refuseExisting(trx, collection, bookmark.id, 'bookmark');
    const { id } = await trx
      .insertInto('collection_bookmarks')
      .values({
        collection_id: collection.id,
        bookmark_id: bookmark.id,
        collection_approval: 'approved',
        owner_approval: 'pending',
        added_by: viewer.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: { id: viewer.id, login: viewer.login },
      action: 'collection.bookmark.invite',
      targetType: 'collection_bookmark',
      targetId: id,
      details: { collection: collection.name, bookmarkId: bookmark.id, owner: bookmark.login },
    });
    const unrevealed = bookmark.work_id !== null && (await findConcealments(trx, [bookmark.work_id])).get(bookmark.work_id)?.unrevealed;
    const what =
      bookmark.work_id !== null
        ? `“${unrevealed ? 'Mystery work' : (bookmark.work_title ?? '')}”`
        : bookmark.series_id !== null
          ? `the series “${bookmark.series_title ?? ''}”`
          : `“${bookmark.external_title ?? bookmark.external_url ?? ''}”`;
    await addInboxItem(trx, {
      userId: bookmark.user_id,
      kind: 'collection_bookmark.invitation',
      actorUserId: viewer.id,
      text: `${viewer.login} invited your bookmark of ${what} into the collection ${collection.title}. Accept or decline it on your page of bookmarks in collections.`,
      url: `/users/${encodeURIComponent(bookmark.login)}/collection_bookmarks`,
    });
    return { name: collection.name, id, owner: bookmark.login };
  });
}

/**
 * A maintainer approves, rejects or removes a bookmark (audited); its owner accepts or declines an
 * invitation of it, and may remove it. Someone who is both decides both sides.
 */
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
      .select(['cb.id', 'cb.collection_approval', 'cb.owner_approval', 'b.user_id', 'b.is_private', 'c.name'])
      .where('cb.id', '=', id)
      .executeTakeFirst();
    if (!row) throw new CollectionNotFoundError('There is no such bookmark in a collection: it may have been removed already.');
    const { facts } = await loadFacts(trx, row.name, true);
    const maintainer = isCollectionMaintainer(viewer, facts);
    const owner = row.user_id === viewer.id;
    // The owner's side is theirs to decide only while it is not agreed: once in, they remove it instead.
    const ownerDecides = owner && action !== 'remove' && row.owner_approval !== 'approved';
    if (!maintainer && !(owner && action === 'remove') && !ownerDecides)
      throw new CollectionForbiddenError(
        action === 'remove'
          ? 'Only the collection’s maintainers and the bookmark’s owner can remove it.'
          : owner
            ? 'You agreed to this bookmark being in the collection already: its maintainers decide the rest. To take it out, remove it.'
            : 'Only the owners and moderators of this collection approve or reject bookmarks.',
      );
    let collectionSideChanged = false;
    if (action === 'remove') await trx.deleteFrom('collection_bookmarks').where('id', '=', id).execute();
    else {
      const status: ApprovalStatus = action === 'approve' ? 'approved' : 'rejected';
      if (ownerDecides && status === 'approved' && row.is_private)
        throw new CollectionFieldError(
          'bookmark',
          'This bookmark is private, and a collection’s page is public: make the bookmark public first, then accept.',
        );
      collectionSideChanged = maintainer && row.collection_approval !== status;
      const ownerSideChanged = ownerDecides && row.owner_approval !== status;
      if (!collectionSideChanged && !ownerSideChanged) throw new CollectionFieldError('item', `This bookmark is already ${status}.`);
      await trx
        .updateTable('collection_bookmarks')
        .set({
          ...(collectionSideChanged ? { collection_approval: status } : {}),
          ...(ownerSideChanged ? { owner_approval: status } : {}),
        })
        .where('id', '=', id)
        .execute();
    }
    if (maintainer && !owner && (action === 'remove' || collectionSideChanged))
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
  /** Waiting for a maintainer's approval (only maintainers see these). */
  pending: boolean;
  /** Invited by a maintainer, waiting for its owner to accept (only maintainers see these). */
  invited: boolean;
  canRemove: boolean;
}

/**
 * The collection's bookmarks as the viewer may see them: public ones only; a bookmarked work only
 * when it is posted, not hidden and (for guests) not restricted; an unrevealed one as "Mystery work".
 * Maintainers also get the ones waiting for approval, and those they invited that wait for their owners.
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
      'cb.owner_approval',
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
  query = maintainer
    ? query.where('cb.collection_approval', '!=', 'rejected').where('cb.owner_approval', '!=', 'rejected')
    : query.where('cb.collection_approval', '=', 'approved').where('cb.owner_approval', '=', 'approved');
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
    invited: r.owner_approval === 'pending',
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

export interface OwnCollectionBookmarkView {
  id: number;
  collection: { name: string; title: string };
  title: string;
  href: string;
  external: boolean;
  collectionApproval: ApprovalStatus;
  ownerApproval: ApprovalStatus;
}

/**
 * The viewer's bookmarks in collections, newest first: invitations to accept or decline, and where
 * the others stand. A bookmarked work that is no longer posted, or hidden, is not named.
 */
export async function listOwnCollectionBookmarks(db: Db, viewer: Viewer): Promise<OwnCollectionBookmarkView[]> {
  const rows = await db
    .selectFrom('collection_bookmarks as cb')
    .innerJoin('bookmarks as b', 'b.id', 'cb.bookmark_id')
    .innerJoin('collections as c', 'c.id', 'cb.collection_id')
    .leftJoin('works as w', 'w.id', 'b.work_id')
    .leftJoin('series as s', 's.id', 'b.series_id')
    .select([
      'cb.id',
      'cb.collection_approval',
      'cb.owner_approval',
      'c.name',
      'c.title as collection_title',
      'b.work_id',
      'b.series_id',
      'b.external_url',
      'b.external_title',
      'w.title as work_title',
      'w.is_draft',
      's.title as series_title',
      (eb) => eb.exists(eb.selectFrom('hidden_works as hw').select('hw.work_id').whereRef('hw.work_id', '=', 'b.work_id')).as('hidden'),
    ])
    .where('b.user_id', '=', viewer.id)
    .orderBy('cb.created_at', 'desc')
    .orderBy('cb.id', 'desc')
    .limit(500)
    .execute();
  const concealed = await findConcealments(
    db,
    rows.flatMap((r) => (r.work_id === null ? [] : [r.work_id])),
  );
  return rows.map((r) => {
    const target =
      r.work_id !== null
        ? {
            title:
              r.is_draft !== false || r.hidden
                ? 'A work that is not available'
                : concealed.get(r.work_id)?.unrevealed
                  ? 'Mystery work'
                  : (r.work_title ?? ''),
            href: `/works/${r.work_id}`,
            external: false,
          }
        : r.series_id !== null
          ? { title: `Series: ${r.series_title ?? ''}`, href: `/series/${r.series_id}`, external: false }
          : { title: r.external_title ?? r.external_url ?? '', href: r.external_url ?? '#', external: true };
    return {
      id: r.id,
      collection: { name: r.name, title: r.collection_title },
      ...target,
      collectionApproval: r.collection_approval,
      ownerApproval: r.owner_approval,
    };
  });
}

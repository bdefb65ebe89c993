// The collections slice's interface for other slices: they import from here, never from collections.repo.ts.
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/schema.ts';
import type { ApprovalStatus } from '../db/tables/collections.ts';
import type { Viewer } from '../web/viewer.ts';
import { toFieldHtml } from '../works/text/index.ts';
import { canReadWork, isCreator } from '../works/works.policy.ts';
import { loadWorkAccess, WorkNotFoundError } from '../works/works.service.ts';
import { canAddToCollection, isCollectionMaintainer, isCollectionOwner, type CollectionAccessFacts } from './collections.policy.ts';
import * as repo from './collections.repo.ts';
import { findConcealedWorksOf, scheduleReveal, sendWithheldNotices } from './reveal.service.ts';
import type { AddItemInput, CreateCollectionInput, ParticipantInput, UpdateCollectionInput } from './collections.schema.ts';

export { findCollectionsOfWork } from './collections.repo.ts';

type Db = Kysely<Database>;
type Trx = Kysely<Database> | Transaction<Database>;

export class CollectionNotFoundError extends Error {
  constructor(message = 'There is no collection with this name. It may have been deleted, or the address is mistyped.') {
    super(message);
  }
}

export class CollectionForbiddenError extends Error {
  constructor(message = 'Only the owners of this collection can change it.') {
    super(message);
  }
}

/** A refusal about what the form asked for, shown beside the field it names. */
export class CollectionFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export type CollectionRow = NonNullable<Awaited<ReturnType<typeof repo.findCollectionById>>>;

async function loadCollection(db: Trx, name: string, lock = false) {
  const found = await repo.findCollectionByName(db, name);
  const collection = found && lock ? await repo.lockCollection(db, found.id) : found;
  if (!collection) throw new CollectionNotFoundError();
  const participants = await repo.findParticipants(db, collection.id);
  const facts: CollectionAccessFacts = {
    participants: participants.map((p) => ({ userId: p.user_id, role: p.role })),
    isClosed: collection.is_closed,
  };
  return { collection, participants, facts };
}

const actorOf = (viewer: Viewer) => ({ id: viewer.id, login: viewer.login });

/**
 * The parent named in the form, checked: it exists, the viewer owns it, it is not itself a
 * sub-collection (one level, as on AO3), and the collection being edited has no children of its own.
 */
async function resolveParent(trx: Trx, viewer: Viewer, parentName: string, self: { id: number } | null): Promise<number | null> {
  if (parentName === '') return null;
  const parent = await repo.findCollectionByName(trx, parentName);
  if (!parent)
    throw new CollectionFieldError('parent', `There is no collection called ${parentName}. Check the name, or leave the field empty.`);
  if (self && parent.id === self.id) throw new CollectionFieldError('parent', 'A collection cannot be its own parent.');
  if (parent.parent_id !== null)
    throw new CollectionFieldError('parent', `${parent.name} is itself a sub-collection; choose a top-level collection as the parent.`);
  const owners = await repo.findParticipants(trx, parent.id);
  if (!owners.some((p) => p.user_id === viewer.id && p.role === 'owner'))
    throw new CollectionFieldError('parent', `Only the owners of ${parent.name} can add sub-collections to it.`);
  if (self && (await repo.findChildren(trx, self.id)).length > 0)
    throw new CollectionFieldError('parent', 'This collection has sub-collections of its own, so it cannot become a sub-collection.');
  return parent.id;
}

function toFields(input: UpdateCollectionInput, parentId: number | null): repo.CollectionFields {
  return {
    title: input.title,
    description_html: toFieldHtml(input.description),
    rules_html: toFieldHtml(input.rules),
    faq_html: toFieldHtml(input.faq),
    parent_id: parentId,
    is_closed: input.closed,
    is_moderated: input.moderated,
    is_anonymous: input.anonymous,
    is_unrevealed: input.unrevealed,
    reveal_at: input.anonymous || input.unrevealed ? input.reveal_at : null,
  };
}

/** A reveal date must reveal something and lie ahead (an unchanged date may have just passed: the job runs it). */
function checkRevealDate(input: UpdateCollectionInput, stored: Date | null): void {
  if (input.reveal_at === null) return;
  if (!input.anonymous && !input.unrevealed)
    throw new CollectionFieldError(
      'reveal_at',
      'A reveal date reveals an anonymous or unrevealed collection: tick one of those, or leave the date empty.',
    );
  if (input.reveal_at.getTime() !== stored?.getTime() && input.reveal_at.getTime() <= Date.now())
    throw new CollectionFieldError('reveal_at', 'Choose a reveal date in the future, or reveal now with the Reveal button.');
}

/** Creates a collection owned by the viewer; returns its name as stored. */
export async function createCollection(db: Db, viewer: Viewer, input: CreateCollectionInput): Promise<string> {
  return db.transaction().execute(async (trx) => {
    if (await repo.findCollectionByName(trx, input.name))
      throw new CollectionFieldError('name', `The name ${input.name} is taken by another collection; choose another.`);
    const parentId = await resolveParent(trx, viewer, input.parent, null);
    checkRevealDate(input, null);
    const fields = toFields(input, parentId);
    const id = await repo.insertCollection(trx, input.name, fields);
    await repo.upsertParticipant(trx, id, viewer.id, 'owner');
    await scheduleReveal(trx, id, fields.reveal_at);
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: 'collection.create',
      targetType: 'collection',
      targetId: id,
      details: { name: input.name },
    });
    return input.name;
  });
}

/** The collection for its settings form, when the viewer owns it. */
export async function authorizeCollectionEdit(db: Db, viewer: Viewer, name: string) {
  const loaded = await loadCollection(db, name);
  if (!isCollectionOwner(viewer, loaded.facts)) throw new CollectionForbiddenError();
  const parent = loaded.collection.parent_id === null ? undefined : await repo.findCollectionById(db, loaded.collection.parent_id);
  return { ...loaded, parentName: parent?.name ?? '' };
}

/** Saves the settings; returns the works in the collection (their pages name it). */
export async function updateCollection(db: Db, viewer: Viewer, name: string, input: UpdateCollectionInput): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const { collection, facts } = await loadCollection(trx, name, true);
    if (!isCollectionOwner(viewer, facts)) throw new CollectionForbiddenError();
    const parentId = await resolveParent(trx, viewer, input.parent, collection);
    checkRevealDate(input, collection.reveal_at);
    const fields = toFields(input, parentId);
    // Unticking "anonymous" or "unrevealed" is a reveal too: the held-back notices go out.
    const concealedBefore = await findConcealedWorksOf(trx, [collection.id]);
    await repo.updateCollection(trx, collection.id, fields);
    if (fields.reveal_at?.getTime() !== collection.reveal_at?.getTime()) await scheduleReveal(trx, collection.id, fields.reveal_at);
    await sendWithheldNotices(trx, concealedBefore, `${collection.id}:${Date.now()}`);
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: 'collection.update',
      targetType: 'collection',
      targetId: collection.id,
      details: {
        name: collection.name,
        closed: input.closed,
        moderated: input.moderated,
        anonymous: input.anonymous,
        unrevealed: input.unrevealed,
        revealAt: fields.reveal_at?.toISOString() ?? null,
        parentId,
      },
    });
    const concealedAfter = await findConcealedWorksOf(trx, [collection.id]);
    return [...new Set([...(await repo.findApprovedWorkIds(trx, [collection.id])), ...concealedBefore, ...concealedAfter])];
  });
}

/** Deletes the collection; its works stay posted, and its sub-collections become top-level. */
export async function deleteCollection(db: Db, viewer: Viewer, name: string): Promise<{ title: string; workIds: number[] }> {
  return db.transaction().execute(async (trx) => {
    const { collection, facts } = await loadCollection(trx, name, true);
    if (!isCollectionOwner(viewer, facts)) throw new CollectionForbiddenError('Only the owners of this collection can delete it.');
    const workIds = await repo.findApprovedWorkIds(trx, [collection.id]);
    await repo.deleteCollection(trx, collection.id);
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: 'collection.delete',
      targetType: 'collection',
      targetId: collection.id,
      details: { name: collection.name },
    });
    return { title: collection.title, workIds };
  });
}

/** Makes a user an owner or a moderator of the collection (owners only). */
export async function addParticipant(db: Db, viewer: Viewer, name: string, input: ParticipantInput): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { collection, facts } = await loadCollection(trx, name, true);
    if (!isCollectionOwner(viewer, facts))
      throw new CollectionForbiddenError('Only the owners of this collection can choose its maintainers.');
    const user = await repo.findUserIdByLogin(trx, input.login);
    if (!user) throw new CollectionFieldError('login', `There is no user called ${input.login}. Check the spelling of their user name.`);
    if (user.id === viewer.id && input.role !== 'owner' && facts.participants.filter((p) => p.role === 'owner').length === 1)
      throw new CollectionFieldError('login', 'You are the only owner: make someone else an owner first.');
    await repo.upsertParticipant(trx, collection.id, user.id, input.role);
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: 'collection.participant.add',
      targetType: 'collection',
      targetId: collection.id,
      details: { login: user.login, role: input.role },
    });
  });
}

/** Removes a maintainer; a collection always keeps at least one owner. */
export async function removeParticipant(db: Db, viewer: Viewer, name: string, login: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { collection, facts, participants } = await loadCollection(trx, name, true);
    const target = participants.find((p) => p.login === login);
    // Anyone may step down themselves; only owners remove others.
    const self = target !== undefined && target.user_id === viewer.id;
    if (!self && !isCollectionOwner(viewer, facts))
      throw new CollectionForbiddenError('Only the owners of this collection can choose its maintainers.');
    if (!target) throw new CollectionFieldError('login', `${login} is not a maintainer of this collection.`);
    if (target.role === 'owner' && participants.filter((p) => p.role === 'owner').length === 1)
      throw new CollectionFieldError('login', 'A collection needs an owner: make someone else an owner before removing the last one.');
    await repo.deleteParticipant(trx, collection.id, target.user_id);
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: 'collection.participant.remove',
      targetType: 'collection',
      targetId: collection.id,
      details: { login: target.login, role: target.role },
    });
  });
}

export type AddOutcome = 'approved' | 'awaiting-collection' | 'awaiting-creator';

/**
 * Puts a work into a collection. Its creator adding it agrees for the creator's side; the
 * collection's side is agreed at once when it is unmoderated or the creator maintains it, and
 * waits for a maintainer otherwise. A maintainer adding someone else's work invites it: the
 * creator's side waits. A work the viewer may not read does not exist for them.
 */
export async function addWorkToCollection(
  db: Db,
  viewer: Viewer,
  input: AddItemInput,
): Promise<{ outcome: AddOutcome; name: string; itemId: number }> {
  return db.transaction().execute((trx) => addWorkToCollectionIn(trx, viewer, input));
}

/** addWorkToCollection inside the caller's transaction (a prompt fill adds its work with the fill). */
export async function addWorkToCollectionIn(
  trx: Trx,
  viewer: Viewer,
  input: AddItemInput,
): Promise<{ outcome: AddOutcome; name: string; itemId: number }> {
  const { collection, facts } = await loadCollection(trx, input.collection, true).catch((error: unknown) => {
    throw error instanceof CollectionNotFoundError
      ? new CollectionFieldError('collection', `There is no collection called ${input.collection}. Check its name in its address.`)
      : error;
  });
  const missing = () =>
    new CollectionFieldError('work_id', `There is no work ${input.work_id} that you can see. Check the number in the work’s address.`);
  const access = await loadWorkAccess(trx, input.work_id).catch((error: unknown) => {
    throw error instanceof WorkNotFoundError ? missing() : error;
  });
  if (!canReadWork(viewer, access.facts).allowed) throw missing();
  const creator = isCreator(viewer, access.facts);
  const maintainer = isCollectionMaintainer(viewer, facts);
  if (!creator && !maintainer)
    throw new CollectionFieldError(
      'work_id',
      'You can add only your own works; a collection’s maintainers can invite other people’s works.',
    );
  if (!canAddToCollection(viewer, facts))
    throw new CollectionFieldError('collection', `${collection.title} is closed: it takes no new works. Its maintainers may reopen it.`);
  const existing = await repo.findItem(trx, collection.id, input.work_id);
  if (existing) {
    const state =
      existing.collection_approval === 'approved' && existing.creator_approval === 'approved'
        ? 'is already in'
        : existing.collection_approval === 'rejected' || existing.creator_approval === 'rejected'
          ? 'was declined by'
          : 'is already waiting for approval in';
    throw new CollectionFieldError('work_id', `This work ${state} ${collection.title}.`);
  }
  const collectionApproval: ApprovalStatus = maintainer || !collection.is_moderated ? 'approved' : 'pending';
  const creatorApproval: ApprovalStatus = creator ? 'approved' : 'pending';
  const itemId = await repo.insertItem(trx, {
    collectionId: collection.id,
    workId: input.work_id,
    collectionApproval,
    creatorApproval,
    addedBy: viewer.id,
  });
  if (maintainer && !creator)
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: 'collection.item.invite',
      targetType: 'collection_item',
      targetId: itemId,
      details: { collection: collection.name, workId: input.work_id },
    });
  const outcome: AddOutcome =
    creatorApproval === 'pending' ? 'awaiting-creator' : collectionApproval === 'pending' ? 'awaiting-collection' : 'approved';
  return { outcome, name: collection.name, itemId };
}

async function loadItemForDecision(trx: Trx, viewer: Viewer, itemId: number) {
  const item = await repo.findItemById(trx, itemId);
  if (!item) throw new CollectionNotFoundError('There is no such item: it may have been removed already.');
  const collection = await repo.lockCollection(trx, item.collection_id);
  if (!collection) throw new CollectionNotFoundError();
  const { facts } = await loadCollection(trx, collection.name);
  const access = await loadWorkAccess(trx, item.work_id);
  const maintainer = isCollectionMaintainer(viewer, facts);
  const creator = isCreator(viewer, access.facts);
  return { item, collection, maintainer, creator };
}

/**
 * A maintainer approves or rejects an item waiting for the collection; a creator accepts or
 * declines an invitation of their work. Someone who is both decides both sides.
 */
export async function decideItem(
  db: Db,
  viewer: Viewer,
  itemId: number,
  decision: 'approve' | 'reject',
): Promise<{ name: string; workId: number }> {
  return db.transaction().execute(async (trx) => {
    const { item, collection, maintainer, creator } = await loadItemForDecision(trx, viewer, itemId);
    if (!maintainer && !creator)
      throw new CollectionForbiddenError('Only the collection’s maintainers and the work’s creators can decide on this item.');
    const status: ApprovalStatus = decision === 'approve' ? 'approved' : 'rejected';
    const concealedBefore = await findConcealedWorksOf(trx, [collection.id]).then((ids) => ids.filter((id) => id === item.work_id));
    let changed = false;
    if (maintainer && item.collection_approval !== status) {
      await repo.setItemApproval(trx, item.id, 'collection_approval', status);
      await recordAudit(trx, {
        actor: actorOf(viewer),
        action: `collection.item.${decision}`,
        targetType: 'collection_item',
        targetId: item.id,
        details: { collection: collection.name, workId: item.work_id },
      });
      changed = true;
    }
    if (creator && item.creator_approval !== status) {
      await repo.setItemApproval(trx, item.id, 'creator_approval', status);
      changed = true;
    }
    if (!changed) throw new CollectionFieldError('item', `This item is already ${status}.`);
    // A rejected item no longer conceals its work: if nothing else does, its notices go out now.
    if (status === 'rejected') await sendWithheldNotices(trx, concealedBefore, `item:${item.id}`);
    return { name: collection.name, workId: item.work_id };
  });
}

/** Takes a work out of a collection: its maintainers or the work's creators. */
export async function removeItem(db: Db, viewer: Viewer, itemId: number): Promise<{ name: string; workId: number }> {
  return db.transaction().execute(async (trx) => {
    const { item, collection, maintainer, creator } = await loadItemForDecision(trx, viewer, itemId);
    if (!maintainer && !creator)
      throw new CollectionForbiddenError('Only the collection’s maintainers and the work’s creators can remove it.');
    const concealedBefore = await findConcealedWorksOf(trx, [collection.id]).then((ids) => ids.filter((id) => id === item.work_id));
    await repo.deleteItem(trx, item.id);
    await sendWithheldNotices(trx, concealedBefore, `item:${item.id}`);
    if (maintainer && !creator)
      await recordAudit(trx, {
        actor: actorOf(viewer),
        action: 'collection.item.remove',
        targetType: 'collection_item',
        targetId: item.id,
        details: { collection: collection.name, workId: item.work_id },
      });
    return { name: collection.name, workId: item.work_id };
  });
}

/** Everything the profile page shows. Collections are public; their works follow canReadWork in the listing. */
export async function loadCollectionProfile(db: Db, viewer: Viewer | null, name: string) {
  const { collection, participants, facts } = await loadCollection(db, name);
  const [parent, children] = await Promise.all([
    collection.parent_id === null ? undefined : repo.findCollectionById(db, collection.parent_id),
    repo.findChildren(db, collection.id),
  ]);
  const canAdd = canAddToCollection(viewer, facts);
  const [ownWorks, challenges] = await Promise.all([
    viewer && canAdd ? repo.findWorksOfUser(db, viewer.id) : [],
    repo.findChallenges(db, collection.id),
  ]);
  return {
    collection,
    participants,
    parent: parent ? { name: parent.name, title: parent.title } : undefined,
    children,
    isOwner: isCollectionOwner(viewer, facts),
    isMaintainer: isCollectionMaintainer(viewer, facts),
    canAdd,
    ownWorks,
    challenges,
  };
}

/** The works both sides approved, in the collection and its sub-collections: the listing's scope. */
export async function findListedWorkIds(db: Db, collection: { id: number }): Promise<number[]> {
  const children = await repo.findChildren(db, collection.id);
  return repo.findApprovedWorkIds(db, [collection.id, ...children.map((c) => c.id)]);
}

/** The collection as a listing needs it (404 when missing). */
export async function findCollectionForListing(db: Db, name: string) {
  const collection = await repo.findCollectionByName(db, name);
  if (!collection) throw new CollectionNotFoundError();
  return collection;
}

/**
 * The maintainers' queue: items not yet agreed by both sides. Items of works the maintainer may
 * not read (someone's draft, a hidden work) are left out: their titles are not the maintainer's to see.
 */
export async function loadQueue(db: Db, viewer: Viewer, name: string) {
  const { collection, facts } = await loadCollection(db, name);
  if (!isCollectionMaintainer(viewer, facts))
    throw new CollectionForbiddenError('Only the owners and moderators of this collection see its queue.');
  const items = await repo.findOpenItems(db, collection.id);
  const readable = [];
  for (const item of items) {
    const access = await loadWorkAccess(db, item.work_id);
    if (canReadWork(viewer, access.facts).allowed) readable.push(item);
  }
  // Maintainers see the truth (decision 043): the concealed works of the collection with their creators.
  const concealed = collection.is_anonymous || collection.is_unrevealed ? await repo.findItemCreators(db, collection.id) : [];
  return { collection, items: readable, concealed };
}

/** A creator's items in collections: invitations to accept, and where their works wait or stand. */
export function listItemsOfCreator(db: Db, userId: number) {
  return repo.findItemsOfCreator(db, userId);
}

export function listCollections(db: Db, page: number, perPage: number) {
  return repo.listCollections(db, perPage + 1, (page - 1) * perPage);
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ApprovalStatus, CollectionRole } from '../db/tables/collections.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface CollectionFields {
  title: string;
  description_html: string;
  rules_html: string;
  faq_html: string;
  parent_id: number | null;
  is_closed: boolean;
  is_moderated: boolean;
  is_anonymous: boolean;
  is_unrevealed: boolean;
  reveal_at: Date | null;
}

/** By name, whatever its case (names are unique case-insensitively). */
export function findCollectionByName(db: Db, name: string) {
  return db.selectFrom('collections').selectAll().where(sql<boolean>`lower(name) = lower(${name})`).executeTakeFirst();
}

export function findCollectionById(db: Db, id: number) {
  return db.selectFrom('collections').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The row, locked for the rest of the transaction: changes to one collection take turns. */
export function lockCollection(db: Db, id: number) {
  return db.selectFrom('collections').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findParticipants(db: Db, collectionId: number) {
  return db
    .selectFrom('collection_participants as cp')
    .innerJoin('users', 'users.id', 'cp.user_id')
    .select(['cp.user_id', 'cp.role', 'users.login'])
    .where('cp.collection_id', '=', collectionId)
    .orderBy('cp.role', 'desc')
    .orderBy('users.login')
    .execute();
}

export function findChildren(db: Db, collectionId: number) {
  return db.selectFrom('collections').select(['id', 'name', 'title']).where('parent_id', '=', collectionId).orderBy('title').execute();
}

export async function insertCollection(db: Db, name: string, fields: CollectionFields): Promise<number> {
  const row = await db
    .insertInto('collections')
    .values({ name, ...fields })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCollection(db: Db, id: number, fields: CollectionFields): Promise<void> {
  await db
    .updateTable('collections')
    .set({ ...fields, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function deleteCollection(db: Db, id: number): Promise<void> {
  await db.deleteFrom('collections').where('id', '=', id).execute();
}

export async function upsertParticipant(db: Db, collectionId: number, userId: number, role: CollectionRole): Promise<void> {
  await db
    .insertInto('collection_participants')
    .values({ collection_id: collectionId, user_id: userId, role })
    .onConflict((oc) => oc.columns(['collection_id', 'user_id']).doUpdateSet({ role }))
    .execute();
}

export async function deleteParticipant(db: Db, collectionId: number, userId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('collection_participants')
    .where('collection_id', '=', collectionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Newest first, a page of them, with how many items each has approved. */
export function listCollections(db: Db, limit: number, offset: number) {
  return db
    .selectFrom('collections')
    .select(['id', 'name', 'title', 'description_html', 'is_closed', 'is_moderated', 'parent_id', 'created_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export function findItem(db: Db, collectionId: number, workId: number) {
  return db
    .selectFrom('collection_items')
    .selectAll()
    .where('collection_id', '=', collectionId)
    .where('work_id', '=', workId)
    .executeTakeFirst();
}

export function findItemById(db: Db, itemId: number) {
  return db.selectFrom('collection_items').selectAll().where('id', '=', itemId).executeTakeFirst();
}

export async function insertItem(
  db: Db,
  item: { collectionId: number; workId: number; collectionApproval: ApprovalStatus; creatorApproval: ApprovalStatus; addedBy: number },
): Promise<number> {
  const row = await db
    .insertInto('collection_items')
    .values({
      collection_id: item.collectionId,
      work_id: item.workId,
      collection_approval: item.collectionApproval,
      creator_approval: item.creatorApproval,
      added_by: item.addedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setItemApproval(
  db: Db,
  itemId: number,
  side: 'collection_approval' | 'creator_approval',
  status: ApprovalStatus,
): Promise<void> {
  await db
    .updateTable('collection_items')
    .set({ [side]: status, updated_at: new Date() })
    .where('id', '=', itemId)
    .execute();
}

export async function deleteItem(db: Db, itemId: number): Promise<void> {
  await db.deleteFrom('collection_items').where('id', '=', itemId).execute();
}

/** Works both sides approved, in the given collections (a parent's listing includes its children's). */
export async function findApprovedWorkIds(db: Db, collectionIds: readonly number[]): Promise<number[]> {
  if (collectionIds.length === 0) return [];
  const rows = await db
    .selectFrom('collection_items')
    .select('work_id')
    .distinct()
    .where('collection_id', 'in', [...collectionIds])
    .where('collection_approval', '=', 'approved')
    .where('creator_approval', '=', 'approved')
    .execute();
  return rows.map((r) => r.work_id);
}

/** Items of one collection that are not (yet) approved by both sides, oldest first. */
export function findOpenItems(db: Db, collectionId: number) {
  return db
    .selectFrom('collection_items as ci')
    .innerJoin('works', 'works.id', 'ci.work_id')
    .select(['ci.id', 'ci.work_id', 'ci.collection_approval', 'ci.creator_approval', 'ci.created_at', 'works.title'])
    .where('ci.collection_id', '=', collectionId)
    .where((eb) => eb.or([eb('ci.collection_approval', '!=', 'approved'), eb('ci.creator_approval', '!=', 'approved')]))
    .orderBy('ci.created_at')
    .orderBy('ci.id')
    .execute();
}

/** Every item of a work the user created, in any collection, newest first. */
export function findItemsOfCreator(db: Db, userId: number) {
  return db
    .selectFrom('collection_items as ci')
    .innerJoin('collections as c', 'c.id', 'ci.collection_id')
    .innerJoin('works', 'works.id', 'ci.work_id')
    .select([
      'ci.id',
      'ci.work_id',
      'ci.collection_approval',
      'ci.creator_approval',
      'works.title as work_title',
      'c.name as collection_name',
      'c.title as collection_title',
    ])
    .where('ci.work_id', 'in', (eb) =>
      eb
        .selectFrom('work_creators as wc')
        .innerJoin('pseuds', 'pseuds.id', 'wc.pseud_id')
        .select('wc.work_id')
        .where('pseuds.user_id', '=', userId),
    )
    .orderBy('ci.created_at', 'desc')
    .orderBy('ci.id', 'desc')
    .execute();
}

/** The creators (pseud and login) of the works the creator agreed to put in the collection, by work, for its maintainers. */
export async function findItemCreators(db: Db, collectionId: number) {
  const rows = await db
    .selectFrom('collection_items as ci')
    .innerJoin('works', 'works.id', 'ci.work_id')
    .innerJoin('work_creators as wc', 'wc.work_id', 'ci.work_id')
    .innerJoin('pseuds', 'pseuds.id', 'wc.pseud_id')
    .innerJoin('users', 'users.id', 'pseuds.user_id')
    .select(['ci.work_id', 'works.title', 'pseuds.name as pseud', 'users.login'])
    .where('ci.collection_id', '=', collectionId)
    .where('ci.creator_approval', '=', 'approved')
    .where('ci.collection_approval', '!=', 'rejected')
    // Drafts and hidden works are their creators' (and staff's) alone, as in the queue.
    .where('works.is_draft', '=', false)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('hidden_works as hw').select('hw.work_id').whereRef('hw.work_id', '=', 'ci.work_id'))),
    )
    .orderBy('works.title')
    .orderBy('ci.work_id')
    .orderBy('wc.position')
    .execute();
  const byWork = new Map<number, { workId: number; title: string; creators: string[] }>();
  for (const r of rows) {
    const entry = byWork.get(r.work_id) ?? { workId: r.work_id, title: r.title, creators: [] };
    entry.creators.push(r.pseud === r.login ? r.login : `${r.pseud} (${r.login})`);
    byWork.set(r.work_id, entry);
  }
  return [...byWork.values()];
}

/** The collections a work is in (approved by both sides). */
export function findCollectionsOfWork(db: Db, workId: number) {
  return db
    .selectFrom('collection_items as ci')
    .innerJoin('collections as c', 'c.id', 'ci.collection_id')
    .select(['c.name', 'c.title'])
    .where('ci.work_id', '=', workId)
    .where('ci.collection_approval', '=', 'approved')
    .where('ci.creator_approval', '=', 'approved')
    .orderBy('c.title')
    .execute();
}

/** The user's works (drafts too), newest first, for the "add a work" choices. */
export function findWorksOfUser(db: Db, userId: number) {
  return db
    .selectFrom('works')
    .select(['works.id', 'works.title', 'works.is_draft'])
    .where('works.id', 'in', (eb) =>
      eb
        .selectFrom('work_creators as wc')
        .innerJoin('pseuds', 'pseuds.id', 'wc.pseud_id')
        .select('wc.work_id')
        .where('pseuds.user_id', '=', userId),
    )
    .orderBy('works.updated_at', 'desc')
    .orderBy('works.id', 'desc')
    .limit(500)
    .execute();
}

export function findUserIdByLogin(db: Db, login: string) {
  return db.selectFrom('users').select(['id', 'login']).where('login', '=', login).executeTakeFirst();
}

/**
 * Whether the collection runs a gift exchange or a prompt meme, for its profile's links. Those
 * slices build on this one, so their tables are read here rather than their services imported.
 */
export async function findChallenges(db: Db, collectionId: number): Promise<{ exchange: boolean; promptMeme: boolean }> {
  const row = await sql<{ exchange: boolean; prompt_meme: boolean }>`select
      exists (select 1 from gift_exchanges where collection_id = ${collectionId}) as exchange,
      exists (select 1 from prompt_memes where collection_id = ${collectionId}) as prompt_meme`.execute(db);
  return { exchange: row.rows[0]?.exchange === true, promptMeme: row.rows[0]?.prompt_meme === true };
}

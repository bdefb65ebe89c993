// The prompt-memes slice's queries. Every function takes the handle (a Kysely instance or a
// transaction) first and returns rows; the service decides who may see or change what.
import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import { unrevealedWorkIdsSql } from '../collections/anonymity.ts';
import type { Database } from '../db/schema.ts';
import type { TagType } from '../db/schema.ts';
import { toSortableName } from '../tags/relationship-names.ts';
import type { PromptState } from './prompt-memes.schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The collection by name (any case) and its meme, if turned on. */
export function findCollectionWithMeme(db: Db, name: string) {
  return db
    .selectFrom('collections')
    .leftJoin('prompt_memes', 'prompt_memes.collection_id', 'collections.id')
    .select([
      'collections.id',
      'collections.name',
      'collections.title',
      'prompt_memes.prompts_open',
      'prompt_memes.created_at as meme_since',
    ])
    .where(sql`lower(collections.name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

export function findParticipantIds(db: Db, collectionId: number) {
  return db.selectFrom('collection_participants').select(['user_id', 'role']).where('collection_id', '=', collectionId).execute();
}

export async function upsertMeme(db: Db, collectionId: number, promptsOpen: boolean): Promise<void> {
  await db
    .insertInto('prompt_memes')
    .values({ collection_id: collectionId, prompts_open: promptsOpen })
    .onConflict((oc) => oc.column('collection_id').doUpdateSet({ prompts_open: promptsOpen }))
    .execute();
}

/** Finds or creates each tag of a type by name (case-insensitive), as the work form does; ids in order. */
export async function ensureTags(db: Db, type: TagType, names: readonly string[]): Promise<number[]> {
  if (names.length === 0) return [];
  await db
    .insertInto('tags')
    .values(names.map((name) => ({ type, name, sortable_name: toSortableName(name) })))
    .onConflict((oc) => oc.expression(sql`type, lower(name)`).doNothing())
    .execute();
  const rows = await db
    .selectFrom('tags')
    .select(['id', 'name'])
    .where('type', '=', type)
    .where(
      sql`lower(name)`,
      'in',
      names.map((n) => n.toLowerCase()),
    )
    .execute();
  const byName = new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
  return names.map((n) => byName.get(n.toLowerCase())).filter((id): id is number => id !== undefined);
}

/**
 * The ids a filter's tag name stands for: the tag of that name (any type) and, through its
 * canonical tag, every synonym of it, so a filter on a canonical finds prompts tagged with a synonym.
 */
export async function findTagFamilyIds(db: Db, name: string): Promise<number[]> {
  const named = await db.selectFrom('tags').select(['id', 'merger_id']).where(sql`lower(name)`, '=', name.toLowerCase()).execute();
  if (named.length === 0) return [];
  const roots = [...new Set(named.map((t) => t.merger_id ?? t.id))];
  const family = await db
    .selectFrom('tags')
    .select('id')
    .where((eb) => eb.or([eb('id', 'in', roots), eb('merger_id', 'in', roots)]))
    .execute();
  return [...new Set([...named.map((t) => t.id), ...family.map((t) => t.id)])];
}

export async function insertPrompt(
  db: Db,
  values: { collectionId: number; userId: number; title: string; descriptionHtml: string; anonymous: boolean },
): Promise<number> {
  const row = await db
    .insertInto('prompts')
    .values({
      collection_id: values.collectionId,
      user_id: values.userId,
      title: values.title,
      description_html: values.descriptionHtml,
      is_anonymous: values.anonymous,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePrompt(db: Db, id: number, values: { title: string; descriptionHtml: string; anonymous: boolean }) {
  await db
    .updateTable('prompts')
    .set({ title: values.title, description_html: values.descriptionHtml, is_anonymous: values.anonymous, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function replacePromptTags(db: Db, promptId: number, tagIds: readonly number[]): Promise<void> {
  await db.deleteFrom('prompt_tags').where('prompt_id', '=', promptId).execute();
  const unique = [...new Set(tagIds)];
  if (unique.length > 0)
    await db
      .insertInto('prompt_tags')
      .values(unique.map((tag_id) => ({ prompt_id: promptId, tag_id })))
      .execute();
}

export async function deletePrompt(db: Db, id: number): Promise<void> {
  await db.deleteFrom('prompts').where('id', '=', id).execute();
}

/** One prompt with its collection and prompter. `forUpdate` locks it (claims and fills race deletes). */
export function findPrompt(db: Db, id: number, forUpdate = false) {
  let query = db
    .selectFrom('prompts')
    .innerJoin('collections', 'collections.id', 'prompts.collection_id')
    .innerJoin('users', 'users.id', 'prompts.user_id')
    .select([
      'prompts.id',
      'prompts.collection_id',
      'prompts.user_id',
      'prompts.title',
      'prompts.description_html',
      'prompts.is_anonymous',
      'prompts.created_at',
      'collections.name as collection_name',
      'collections.title as collection_title',
      'users.login',
    ])
    .where('prompts.id', '=', id);
  if (forUpdate) query = query.forUpdate(['prompts']);
  return query.executeTakeFirst();
}

export function findTagsOfPrompts(db: Db, promptIds: readonly number[]) {
  if (promptIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('prompt_tags')
    .innerJoin('tags', 'tags.id', 'prompt_tags.tag_id')
    .select(['prompt_tags.prompt_id', 'tags.id', 'tags.name', 'tags.type'])
    .where('prompt_tags.prompt_id', 'in', promptIds)
    .orderBy('tags.type')
    .orderBy('tags.sortable_name')
    .execute();
}

export function findClaimsOfPrompts(db: Db, promptIds: readonly number[]) {
  if (promptIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('prompt_claims')
    .innerJoin('users', 'users.id', 'prompt_claims.user_id')
    .select(['prompt_claims.prompt_id', 'prompt_claims.user_id', 'users.login', 'prompt_claims.created_at'])
    .where('prompt_claims.prompt_id', 'in', promptIds)
    .orderBy('prompt_claims.created_at')
    .execute();
}

/** Whether a fill's work may be shown: posted, not hidden by moderators, restricted ones only to the signed in. */
function visibleWork(signedIn: boolean) {
  return (eb: ExpressionBuilder<Database, 'works'>) =>
    eb.and([
      eb('works.is_draft', '=', false),
      eb.not(eb.exists(eb.selectFrom('hidden_works').select('hidden_works.work_id').whereRef('hidden_works.work_id', '=', 'works.id'))),
      ...(signedIn ? [] : [eb('works.is_restricted', '=', false)]),
    ]);
}

export function findFillsOfPrompts(db: Db, promptIds: readonly number[], signedIn: boolean) {
  if (promptIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('prompt_fills')
    .innerJoin('works', 'works.id', 'prompt_fills.work_id')
    .leftJoin('users', 'users.id', 'prompt_fills.user_id')
    .select(['prompt_fills.id as fill_id', 'prompt_fills.prompt_id', 'works.id', 'works.title', 'users.login', 'prompt_fills.user_id'])
    .where('prompt_fills.prompt_id', 'in', promptIds)
    .where(visibleWork(signedIn))
    .orderBy('prompt_fills.id')
    .execute();
}

/** The prompts a work answers, for its page's panel. */
export function findPromptsOfWork(db: Db, workId: number) {
  return db
    .selectFrom('prompt_fills')
    .innerJoin('prompts', 'prompts.id', 'prompt_fills.prompt_id')
    .innerJoin('users', 'users.id', 'prompts.user_id')
    .innerJoin('collections', 'collections.id', 'prompts.collection_id')
    .select([
      'prompts.id',
      'prompts.title',
      'prompts.is_anonymous',
      'users.login',
      'collections.name as collection_name',
      'collections.title as collection_title',
    ])
    .where('prompt_fills.work_id', '=', workId)
    .orderBy('prompts.id')
    .execute();
}

export async function insertClaim(db: Db, promptId: number, userId: number): Promise<boolean> {
  const rows = await db
    .insertInto('prompt_claims')
    .values({ prompt_id: promptId, user_id: userId })
    .onConflict((oc) => oc.columns(['prompt_id', 'user_id']).doNothing())
    .returning('prompt_id')
    .execute();
  return rows.length > 0;
}

export async function deleteClaim(db: Db, promptId: number, userId: number): Promise<boolean> {
  const rows = await db
    .deleteFrom('prompt_claims')
    .where('prompt_id', '=', promptId)
    .where('user_id', '=', userId)
    .returning('prompt_id')
    .execute();
  return rows.length > 0;
}

export async function hasClaim(db: Db, promptId: number, userId: number): Promise<boolean> {
  return (
    (await db
      .selectFrom('prompt_claims')
      .select('prompt_id')
      .where('prompt_id', '=', promptId)
      .where('user_id', '=', userId)
      .executeTakeFirst()) !== undefined
  );
}

export async function findFill(db: Db, promptId: number, workId: number) {
  return db.selectFrom('prompt_fills').select('id').where('prompt_id', '=', promptId).where('work_id', '=', workId).executeTakeFirst();
}

export async function insertFill(db: Db, promptId: number, workId: number, userId: number): Promise<number> {
  const row = await db
    .insertInto('prompt_fills')
    .values({ prompt_id: promptId, work_id: workId, user_id: userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The collection item of a work, if any (a fill of a work already in the collection adds nothing). */
export function findCollectionItem(db: Db, collectionId: number, workId: number) {
  return db
    .selectFrom('collection_items')
    .select(['id', 'collection_approval', 'creator_approval'])
    .where('collection_id', '=', collectionId)
    .where('work_id', '=', workId)
    .executeTakeFirst();
}

export interface ListFilter {
  includeTagIds: number[][];
  excludeTagIds: number[];
  state: PromptState | null;
  mine: 'prompts' | 'claims' | null;
  viewerId: number | null;
  signedIn: boolean;
}

/** A meme's prompts, newest first, with the filters; one more row than asked says there is a next page. */
export function listPrompts(db: Db, collectionId: number, filter: ListFilter, limit: number, offset: number) {
  let query = db
    .selectFrom('prompts')
    .innerJoin('users', 'users.id', 'prompts.user_id')
    .select([
      'prompts.id',
      'prompts.user_id',
      'prompts.title',
      'prompts.description_html',
      'prompts.is_anonymous',
      'prompts.created_at',
      'users.login',
    ])
    .where('prompts.collection_id', '=', collectionId);
  for (const ids of filter.includeTagIds)
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('prompt_tags')
          .select('prompt_tags.prompt_id')
          .whereRef('prompt_tags.prompt_id', '=', 'prompts.id')
          .where('prompt_tags.tag_id', 'in', ids.length > 0 ? ids : [0]),
      ),
    );
  if (filter.excludeTagIds.length > 0)
    query = query.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('prompt_tags')
            .select('prompt_tags.prompt_id')
            .whereRef('prompt_tags.prompt_id', '=', 'prompts.id')
            .where('prompt_tags.tag_id', 'in', filter.excludeTagIds),
        ),
      ),
    );
  const filled = (eb: ExpressionBuilder<Database, 'prompts' | 'users'>) =>
    eb.exists(
      eb
        .selectFrom('prompt_fills')
        .innerJoin('works', 'works.id', 'prompt_fills.work_id')
        .select('prompt_fills.id')
        .whereRef('prompt_fills.prompt_id', '=', 'prompts.id')
        .where(visibleWork(filter.signedIn))
        // As on the prompt page: an unrevealed fill counts only for the one who filled with it.
        .where((fb) =>
          fb.or([fb('prompt_fills.user_id', '=', filter.viewerId ?? 0), sql<boolean>`works.id not in (${unrevealedWorkIdsSql()})`]),
        ),
    );
  const claimed = (eb: ExpressionBuilder<Database, 'prompts' | 'users'>) =>
    eb.exists(eb.selectFrom('prompt_claims').select('prompt_claims.prompt_id').whereRef('prompt_claims.prompt_id', '=', 'prompts.id'));
  if (filter.state === 'filled') query = query.where(filled);
  if (filter.state === 'claimed') query = query.where((eb) => eb.and([eb.not(filled(eb)), claimed(eb)]));
  if (filter.state === 'unclaimed') query = query.where((eb) => eb.and([eb.not(filled(eb)), eb.not(claimed(eb))]));
  if (filter.mine === 'prompts') query = query.where('prompts.user_id', '=', filter.viewerId ?? 0);
  if (filter.mine === 'claims')
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('prompt_claims')
          .select('prompt_claims.prompt_id')
          .whereRef('prompt_claims.prompt_id', '=', 'prompts.id')
          .where('prompt_claims.user_id', '=', filter.viewerId ?? 0),
      ),
    );
  return query.orderBy('prompts.id', 'desc').limit(limit).offset(offset).execute();
}

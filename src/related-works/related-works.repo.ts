import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Relation, RelatedStatus } from '../db/tables/gifts-and-related-works.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function findLinksOfWork(db: Db, workId: number) {
  return db
    .selectFrom('related_works')
    .leftJoin('works as parent', 'parent.id', 'related_works.parent_work_id')
    .select([
      'related_works.id',
      'related_works.relation',
      'related_works.parent_work_id',
      'related_works.external_url',
      'related_works.external_title',
      'related_works.external_creator',
      'related_works.status',
      'parent.title as parent_title',
      'parent.is_draft as parent_is_draft',
      'parent.is_restricted as parent_is_restricted',
    ])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('hidden_works')
            .select('hidden_works.work_id')
            .whereRef('hidden_works.work_id', '=', 'related_works.parent_work_id'),
        )
        .as('parent_is_hidden'),
    )
    .where('related_works.work_id', '=', workId)
    .orderBy('related_works.id')
    .execute();
}

export type LinkRow = Awaited<ReturnType<typeof findLinksOfWork>>[number];

/** Approved links naming this work as their parent, with the child's visibility facts. */
export function findApprovedChildren(db: Db, parentWorkId: number) {
  return db
    .selectFrom('related_works')
    .innerJoin('works as child', 'child.id', 'related_works.work_id')
    .select([
      'related_works.id',
      'related_works.relation',
      'child.id as child_id',
      'child.title as child_title',
      'child.is_draft as child_is_draft',
      'child.is_restricted as child_is_restricted',
    ])
    .select((eb) =>
      eb
        .exists(eb.selectFrom('hidden_works').select('hidden_works.work_id').whereRef('hidden_works.work_id', '=', 'child.id'))
        .as('child_is_hidden'),
    )
    .where('related_works.parent_work_id', '=', parentWorkId)
    .where('related_works.status', '=', 'approved')
    .orderBy('related_works.id')
    .execute();
}

/** The links naming any of the user's works as parent, for their related-works page. */
export function findLinksToUsersWorks(db: Db, userId: number) {
  return db
    .selectFrom('related_works')
    .innerJoin('works as child', 'child.id', 'related_works.work_id')
    .innerJoin('works as parent', 'parent.id', 'related_works.parent_work_id')
    .select([
      'related_works.id',
      'related_works.relation',
      'related_works.status',
      'child.id as child_id',
      'child.title as child_title',
      'parent.id as parent_id',
      'parent.title as parent_title',
    ])
    .where('child.is_draft', '=', false)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('hidden_works').select('hidden_works.work_id').whereRef('hidden_works.work_id', '=', 'child.id'))),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('work_creators')
          .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
          .select('work_creators.work_id')
          .whereRef('work_creators.work_id', '=', 'parent.id')
          .where('pseuds.user_id', '=', userId),
      ),
    )
    .orderBy('related_works.id', 'desc')
    .limit(500)
    .execute();
}

export function findLink(db: Db, linkId: number) {
  return db.selectFrom('related_works').selectAll().where('id', '=', linkId).executeTakeFirst();
}

export async function insertLink(
  db: Db,
  link: {
    workId: number;
    relation: Relation;
    parentWorkId: number | null;
    externalUrl: string | null;
    externalTitle: string | null;
    externalCreator: string | null;
    status: RelatedStatus;
  },
): Promise<number> {
  const row = await db
    .insertInto('related_works')
    .values({
      work_id: link.workId,
      relation: link.relation,
      parent_work_id: link.parentWorkId,
      external_url: link.externalUrl,
      external_title: link.externalTitle,
      external_creator: link.externalCreator,
      status: link.status,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteLinks(db: Db, workId: number, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('related_works').where('work_id', '=', workId).where('id', 'in', ids).execute();
}

export async function setLinkStatus(db: Db, linkId: number, status: RelatedStatus): Promise<void> {
  await db.updateTable('related_works').set({ status, updated_at: new Date() }).where('id', '=', linkId).execute();
}

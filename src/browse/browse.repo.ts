import { sql, type Kysely } from 'kysely';
import type { Database, TagType } from '../db/schema.ts';

type Db = Kysely<Database>;

export interface ListingFilter {
  tagId?: number;
  pseudId?: number;
  userId?: number;
  /** Guests never see restricted works. */
  signedIn: boolean;
}

/** One page of visible works (posted, and unrestricted for guests), most recently updated first. */
export async function findVisibleWorks(db: Db, filter: ListingFilter, page: number, perPage: number) {
  let query = db.selectFrom('works').selectAll('works').where('works.is_draft', '=', false);
  if (!filter.signedIn) query = query.where('works.is_restricted', '=', false);
  if (filter.tagId !== undefined) {
    const tagId = filter.tagId;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('work_tags').select(sql`1`.as('one')).whereRef('work_tags.work_id', '=', 'works.id').where('work_tags.tag_id', '=', tagId)),
    );
  }
  if (filter.pseudId !== undefined) {
    const pseudId = filter.pseudId;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('work_creators').select(sql`1`.as('one')).whereRef('work_creators.work_id', '=', 'works.id').where('work_creators.pseud_id', '=', pseudId)),
    );
  }
  if (filter.userId !== undefined) {
    const userId = filter.userId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('work_creators')
          .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
          .select(sql`1`.as('one'))
          .whereRef('work_creators.work_id', '=', 'works.id')
          .where('pseuds.user_id', '=', userId),
      ),
    );
  }
  // One row more than a page tells whether there is a next page without counting them all.
  const rows = await query
    .orderBy('works.updated_at', 'desc')
    .orderBy('works.id', 'desc')
    .limit(perPage + 1)
    .offset((page - 1) * perPage)
    .execute();
  return { rows: rows.slice(0, perPage), hasNext: rows.length > perPage };
}

/** The count of visible works for a listing's heading. */
export async function countVisibleWorks(db: Db, filter: ListingFilter): Promise<number> {
  let query = db.selectFrom('works').select((eb) => eb.fn.countAll<string>().as('n')).where('works.is_draft', '=', false);
  if (!filter.signedIn) query = query.where('works.is_restricted', '=', false);
  if (filter.tagId !== undefined) {
    const tagId = filter.tagId;
    query = query.where('works.id', 'in', (eb) => eb.selectFrom('work_tags').select('work_id').where('tag_id', '=', tagId));
  }
  if (filter.pseudId !== undefined) {
    const pseudId = filter.pseudId;
    query = query.where('works.id', 'in', (eb) => eb.selectFrom('work_creators').select('work_id').where('pseud_id', '=', pseudId));
  }
  if (filter.userId !== undefined) {
    const userId = filter.userId;
    query = query.where('works.id', 'in', (eb) =>
      eb.selectFrom('work_creators').innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id').select('work_creators.work_id').where('pseuds.user_id', '=', userId),
    );
  }
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The user's drafts, for their own works page. */
export function findDraftsOfUser(db: Db, userId: number) {
  return db
    .selectFrom('works')
    .selectAll('works')
    .where('works.is_draft', '=', true)
    .where('works.id', 'in', (eb) =>
      eb.selectFrom('work_creators').innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id').select('work_creators.work_id').where('pseuds.user_id', '=', userId),
    )
    .orderBy('works.updated_at', 'desc')
    .execute();
}

export function findTagByName(db: Db, name: string) {
  return db.selectFrom('tags').selectAll().where(sql`lower(name)`, '=', name.toLowerCase()).orderBy('id').executeTakeFirst();
}

export function findPseud(db: Db, userId: number, name: string) {
  return db.selectFrom('pseuds').selectAll().where('user_id', '=', userId).where(sql`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
}

export const TAG_TYPE_LABELS: Record<TagType, string> = {
  rating: 'Rating',
  warning: 'Archive Warning',
  category: 'Category',
  fandom: 'Fandom',
  relationship: 'Relationship',
  character: 'Character',
  freeform: 'Additional Tag',
};

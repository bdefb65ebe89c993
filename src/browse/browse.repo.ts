import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { notHiddenCondition, type HiddenForViewer } from '../search/global-filters.ts';
import { concealedWorkIdsSql } from '../collections/anonymity.ts';

type Db = Kysely<Database>;

export interface ListingFilter {
  /** A canonical tag: works whose filter_tag_ids hold it (its synonyms' and sub tags' works included). */
  tagId?: number;
  pseudId?: number;
  userId?: number;
  /** Guests never see restricted works. */
  signedIn: boolean;
  /** The reader's personal global filters (src/search/global-filters.ts). */
  hidden?: HiddenForViewer;
}

/** Works hidden by moderators (src/moderation) are in no listing. */
const NOT_MODERATED_AWAY = sql<boolean>`not exists (select 1 from hidden_works hw where hw.work_id = works.id)`;

/** One page of visible works (posted, and unrestricted for guests), most recently updated first. */
export async function findVisibleWorks(db: Db, filter: ListingFilter, page: number, perPage: number) {
  let query = db.selectFrom('works').selectAll('works').where('works.is_draft', '=', false).where(NOT_MODERATED_AWAY);
  if (!filter.signedIn) query = query.where('works.is_restricted', '=', false);
  if (filter.hidden) query = query.where(notHiddenCondition(filter.hidden));
  if (filter.tagId !== undefined) {
    // Synonyms and sub tags resolved (src/tags/filter-tags.ts): pass a canonical tag's id.
    query = query.where(sql<boolean>`works.filter_tag_ids @> array[${filter.tagId}]::int[]`);
  }
  if (filter.pseudId !== undefined) {
    const pseudId = filter.pseudId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('work_creators')
          .select(sql`1`.as('one'))
          .whereRef('work_creators.work_id', '=', 'works.id')
          .where('work_creators.pseud_id', '=', pseudId),
      ),
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
  // A creator's listing never shows their anonymous or unrevealed works (decision 043).
  if (filter.pseudId !== undefined || filter.userId !== undefined)
    query = query.where(sql<boolean>`works.id not in (${concealedWorkIdsSql()})`);
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
  let query = db
    .selectFrom('works')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('works.is_draft', '=', false)
    .where(NOT_MODERATED_AWAY);
  if (!filter.signedIn) query = query.where('works.is_restricted', '=', false);
  if (filter.hidden) query = query.where(notHiddenCondition(filter.hidden));
  if (filter.tagId !== undefined) {
    // Synonyms and sub tags resolved (src/tags/filter-tags.ts): pass a canonical tag's id.
    query = query.where(sql<boolean>`works.filter_tag_ids @> array[${filter.tagId}]::int[]`);
  }
  if (filter.pseudId !== undefined) {
    const pseudId = filter.pseudId;
    query = query.where('works.id', 'in', (eb) => eb.selectFrom('work_creators').select('work_id').where('pseud_id', '=', pseudId));
  }
  if (filter.userId !== undefined) {
    const userId = filter.userId;
    query = query.where('works.id', 'in', (eb) =>
      eb
        .selectFrom('work_creators')
        .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
        .select('work_creators.work_id')
        .where('pseuds.user_id', '=', userId),
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
      eb
        .selectFrom('work_creators')
        .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
        .select('work_creators.work_id')
        .where('pseuds.user_id', '=', userId),
    )
    .orderBy('works.updated_at', 'desc')
    .execute();
}

export function findPseud(db: Db, userId: number, name: string) {
  return db
    .selectFrom('pseuds')
    .selectAll()
    .where('user_id', '=', userId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

/** Works by id, in the order given (ids with no row left out); callers have already checked who may read them. */
export async function findWorkRowsByIds(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('works')
    .selectAll('works')
    .where('works.id', 'in', [...ids])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

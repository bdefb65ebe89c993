import { sql, type Kysely } from 'kysely';
import type { Database, TagType } from '../db/schema.ts';
import { concealedWorkIdsSql } from '../collections/anonymity.ts';

type Db = Kysely<Database>;

/** Works hidden by moderators are in no catalogue. */
const NOT_HIDDEN = sql<boolean>`not exists (select 1 from hidden_works hw where hw.work_id = works.id)`;

/** Tags of some types with how many guest-visible works carry them, most used first. */
export async function findTagsWithCounts(db: Db, types: readonly TagType[], page: number, perPage: number) {
  const rows = await db
    .selectFrom('tags')
    .innerJoin('work_tags', 'work_tags.tag_id', 'tags.id')
    .innerJoin('works', 'works.id', 'work_tags.work_id')
    .select(['tags.id', 'tags.name', 'tags.type', (eb) => eb.fn.countAll<string>().as('works')])
    .where('tags.type', 'in', [...types])
    .where('works.is_draft', '=', false)
    .where('works.is_restricted', '=', false)
    .where(NOT_HIDDEN)
    .groupBy(['tags.id', 'tags.name', 'tags.type'])
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('tags.name')
    .limit(perPage + 1)
    .offset((page - 1) * perPage)
    .execute();
  return { rows: rows.slice(0, perPage).map((r) => ({ ...r, works: Number(r.works) })), hasNext: rows.length > perPage };
}

/** Users with guest-visible works and how many, most prolific first. */
export async function findCreatorsWithCounts(db: Db, page: number, perPage: number) {
  const rows = await db
    .selectFrom('users')
    .innerJoin('pseuds', 'pseuds.user_id', 'users.id')
    .innerJoin('work_creators', 'work_creators.pseud_id', 'pseuds.id')
    .innerJoin('works', 'works.id', 'work_creators.work_id')
    .select(['users.id', 'users.login', (eb) => eb.fn.count<string>('works.id').distinct().as('works')])
    .where('works.is_draft', '=', false)
    .where('works.is_restricted', '=', false)
    .where(NOT_HIDDEN)
    // Anonymous and unrevealed works count for nobody until the reveal (decision 043).
    .where(sql<boolean>`works.id not in (${concealedWorkIdsSql()})`)
    .groupBy(['users.id', 'users.login'])
    .orderBy(sql`count(distinct works.id)`, 'desc')
    .orderBy('users.login')
    .limit(perPage + 1)
    .offset((page - 1) * perPage)
    .execute();
  return { rows: rows.slice(0, perPage).map((r) => ({ ...r, works: Number(r.works) })), hasNext: rows.length > perPage };
}

/** Guest-visible works whose title or a tag contains the words, most recently updated first. */
export async function searchVisibleWorks(db: Db, query: string, page: number, perPage: number) {
  const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db
    .selectFrom('works')
    .selectAll('works')
    .where('works.is_draft', '=', false)
    .where('works.is_restricted', '=', false)
    .where(NOT_HIDDEN)
    .where((eb) =>
      eb.or([
        eb('works.title', 'ilike', pattern),
        eb.exists(
          eb
            .selectFrom('work_tags')
            .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
            .select(sql`1`.as('one'))
            .whereRef('work_tags.work_id', '=', 'works.id')
            .where('tags.name', 'ilike', pattern),
        ),
        eb.exists(
          eb
            .selectFrom('work_creators')
            .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
            .select(sql`1`.as('one'))
            .whereRef('work_creators.work_id', '=', 'works.id')
            .where('pseuds.name', 'ilike', pattern),
        ),
      ]),
    )
    .orderBy('works.updated_at', 'desc')
    .orderBy('works.id', 'desc')
    .limit(perPage + 1)
    .offset((page - 1) * perPage)
    .execute();
  return { rows: rows.slice(0, perPage), hasNext: rows.length > perPage };
}

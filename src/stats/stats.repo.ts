import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Adds buffered hits to the day's row of each work (one statement; src/works/hits.ts calls it). */
export async function addDailyHits(db: Db, day: string, hits: ReadonlyMap<number, number>): Promise<void> {
  if (hits.size === 0) return;
  const ids = [...hits.keys()];
  const counts = ids.map((id) => hits.get(id)!);
  await sql`
    insert into work_hits_daily (work_id, day, hits)
    select h.id, ${day}::date, h.n
    from (select unnest(${ids}::int[]) as id, unnest(${counts}::int[]) as n) as h
    where exists (select 1 from works where works.id = h.id)
    on conflict (work_id, day) do update set hits = work_hits_daily.hits + excluded.hits
  `.execute(db);
}

/** The user's posted works with their running totals and subscriber counts. */
export function findWorkTotals(db: Db, userId: number) {
  return db
    .selectFrom('works')
    .select([
      'works.id',
      'works.title',
      'works.hits',
      'works.kudos_count',
      'works.comments_count',
      'works.bookmarks_count',
      'works.word_count',
      (eb) =>
        eb
          .selectFrom('subscriptions')
          .select(eb.fn.countAll<string>().as('n'))
          .whereRef('subscriptions.work_id', '=', 'works.id')
          .as('subscriptions'),
    ])
    .where('works.is_draft', '=', false)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('work_creators')
          .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
          .select('work_creators.work_id')
          .whereRef('work_creators.work_id', '=', 'works.id')
          .where('pseuds.user_id', '=', userId),
      ),
    )
    .orderBy('works.published_at', 'desc')
    .orderBy('works.id', 'desc')
    .execute();
}

export interface DailyCountRow {
  work_id: number;
  day: string;
  metric: 'hits' | 'kudos' | 'comments' | 'bookmarks' | 'subscriptions';
  n: number;
}

/**
 * Per work and UTC day from `from` to `to` (inclusive, yyyy-mm-dd): hits from the daily table,
 * kudos, comments, bookmarks and subscriptions from their rows' creation times.
 */
export async function findDailyCounts(db: Db, workIds: readonly number[], from: string, to: string): Promise<DailyCountRow[]> {
  if (workIds.length === 0) return [];
  const ids = workIds as number[];
  const result = await sql<DailyCountRow>`
    select work_id, to_char(day, 'YYYY-MM-DD') as day, 'hits' as metric, hits as n
      from work_hits_daily where work_id = any(${ids}::int[]) and day between ${from}::date and ${to}::date
    union all
    select work_id, to_char((created_at at time zone 'UTC')::date, 'YYYY-MM-DD'), 'kudos', count(*)::int
      from kudos where work_id = any(${ids}::int[]) and (created_at at time zone 'UTC')::date between ${from}::date and ${to}::date
      group by 1, 2
    union all
    select work_id, to_char((created_at at time zone 'UTC')::date, 'YYYY-MM-DD'), 'comments', count(*)::int
      from comments where work_id = any(${ids}::int[]) and deleted_at is null and (created_at at time zone 'UTC')::date between ${from}::date and ${to}::date
      group by 1, 2
    union all
    select work_id, to_char((created_at at time zone 'UTC')::date, 'YYYY-MM-DD'), 'bookmarks', count(*)::int
      from bookmarks where work_id = any(${ids}::int[]) and (created_at at time zone 'UTC')::date between ${from}::date and ${to}::date
      group by 1, 2
    union all
    select work_id, to_char((created_at at time zone 'UTC')::date, 'YYYY-MM-DD'), 'subscriptions', count(*)::int
      from subscriptions where work_id = any(${ids}::int[]) and (created_at at time zone 'UTC')::date between ${from}::date and ${to}::date
      group by 1, 2
  `.execute(db);
  return result.rows.map((r) => ({ ...r, n: Number(r.n) }));
}

// Anonymous and unrevealed collections (decision 043): the one place that says whose creators a
// reader may see. Every surface that names a work's creators (pages, listings, search, feeds,
// OPDS, the API, downloads, comments, notifications) asks here, so the rule cannot drift.
// Other slices import this module; it imports nothing of theirs.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A work is concealed while it is in an anonymous or unrevealed collection: its creator agreed
 * (they added it, or accepted the invitation) and the collection has not refused it. A pending
 * submission counts: a writer who sends a work to an anonymous exchange is anonymous from then.
 */
const CONCEALING = sql`
  select ci.work_id, c.name, c.title, c.is_anonymous, c.is_unrevealed
  from collection_items ci join collections c on c.id = ci.collection_id
  where (c.is_anonymous or c.is_unrevealed) and ci.creator_approval = 'approved' and ci.collection_approval <> 'rejected'`;

/** SQL selecting the ids (column `id`) of every concealed work, for search conditions. */
export function concealedWorkIdsSql(): RawBuilder<unknown> {
  return sql`select x.work_id as id from (${CONCEALING}) as x`;
}

/** SQL selecting the ids (column `id`) of every unrevealed work ("Mystery work" to all but its creators). */
export function unrevealedWorkIdsSql(): RawBuilder<unknown> {
  return sql`select x.work_id as id from (${CONCEALING}) as x where x.is_unrevealed`;
}

export interface Concealment {
  /** Creators hidden ("Anonymous"). True for unrevealed works too: their creators are hidden as well. */
  anonymous: boolean;
  /** The work itself hidden ("Mystery work"). */
  unrevealed: boolean;
  /** The concealing collections (an unrevealed work's blurb names them, nothing else). */
  collections: Array<{ name: string; title: string }>;
}

/** The concealed ones among these works; a work missing from the map is shown as it is. */
export async function findConcealments(db: Db, workIds: readonly number[]): Promise<Map<number, Concealment>> {
  const out = new Map<number, Concealment>();
  if (workIds.length === 0) return out;
  const result = await sql<{ work_id: number; name: string; title: string; is_anonymous: boolean; is_unrevealed: boolean }>`
    select x.* from (${CONCEALING}) as x where x.work_id = any(${[...new Set(workIds)]}::int[]) order by x.title, x.name`.execute(db);
  for (const row of result.rows) {
    const entry = out.get(row.work_id) ?? { anonymous: true, unrevealed: false, collections: [] };
    entry.unrevealed ||= row.is_unrevealed;
    entry.collections.push({ name: row.name, title: row.title });
    out.set(row.work_id, entry);
  }
  return out;
}

/**
 * The creators a viewer may be shown: the rows of concealed works are dropped (a surface with no
 * creators says "Anonymous"), except for a viewer who is one of that work's creators. A null
 * viewer is everyone: shared caches, feeds, downloads and mail get the concealed list.
 */
export async function concealCreators<T extends { work_id: number; user_id: number }>(
  db: Db,
  viewer: { id: number } | null,
  creators: readonly T[],
): Promise<T[]> {
  const concealed = await findConcealments(
    db,
    creators.map((c) => c.work_id),
  );
  if (concealed.size === 0) return [...creators];
  const ownWorks = new Set(creators.filter((c) => viewer !== null && c.user_id === viewer.id).map((c) => c.work_id));
  return creators.filter((c) => !concealed.has(c.work_id) || ownWorks.has(c.work_id));
}

/** The creators' user ids of a concealed work (their comments are signed "Anonymous creator"); [] otherwise. */
export async function findConcealedCreatorIds(db: Db, workId: number): Promise<number[]> {
  const result = await sql<{ user_id: number }>`
    select distinct p.user_id from work_creators wc join pseuds p on p.id = wc.pseud_id
    where wc.work_id = ${workId} and wc.work_id in (${concealedWorkIdsSql()})`.execute(db);
  return result.rows.map((r) => r.user_id);
}

/** Whether the work is unrevealed to this viewer (its creators see it; everyone else a "Mystery work"). */
export async function findMystery(db: Db, viewer: { id: number } | null, workId: number): Promise<Concealment | undefined> {
  const concealment = (await findConcealments(db, [workId])).get(workId);
  if (!concealment?.unrevealed) return undefined;
  if (viewer) {
    const own = await sql<{ n: number }>`
      select count(*)::int as n from work_creators wc join pseuds p on p.id = wc.pseud_id
      where wc.work_id = ${workId} and p.user_id = ${viewer.id}`.execute(db);
    if ((own.rows[0]?.n ?? 0) > 0) return undefined;
  }
  return concealment;
}

/** What a concealed work's creators are called when they comment on it. */
export const ANONYMOUS_CREATOR = 'Anonymous creator';

/**
 * Comment rows of one work with its creators' own comments signed "Anonymous creator" and
 * unlinked while the work is concealed (a creator answering readers would name themselves).
 */
export async function concealCommentAuthors<T extends { user_id: number | null; pseud_name: string | null; login?: string | null }>(
  db: Db,
  workId: number,
  rows: readonly T[],
): Promise<T[]> {
  if (rows.length === 0) return [];
  const hidden = new Set(await findConcealedCreatorIds(db, workId));
  if (hidden.size === 0) return [...rows];
  return rows.map((r) => (r.user_id !== null && hidden.has(r.user_id) ? { ...r, pseud_name: ANONYMOUS_CREATOR, login: null } : r));
}

/** The rows without unrevealed works: for surfaces with no "Mystery work" form of a work (the API's lists). */
export async function withoutUnrevealed<T extends { id: number }>(db: Db, rows: readonly T[]): Promise<T[]> {
  const concealed = await findConcealments(
    db,
    rows.map((r) => r.id),
  );
  return rows.filter((r) => !concealed.get(r.id)?.unrevealed);
}

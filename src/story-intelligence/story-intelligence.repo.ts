import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { visibleTagCondition, type TagViewer } from '../tags/tags.policy.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** sha256 (hex) of body_html, computed by the database: the same as contentHash() in the service. */
const CURRENT_HASH = sql<string>`encode(sha256(convert_to(chapters.body_html, 'UTF8')), 'hex')`;

export function findChapterBody(db: Db, chapterId: number) {
  return db.selectFrom('chapters').select(['id', 'work_id', 'body_html']).where('id', '=', chapterId).executeTakeFirst();
}

export function findChapterIdsOfWork(db: Db, workId: number) {
  return db.selectFrom('chapters').select(['id', 'body_html']).where('work_id', '=', workId).orderBy('position').execute();
}

/** The stored format version of a chapter version's analysis, or undefined when there is none. */
export async function findAnalysisVersion(db: Db, chapterId: number, contentHash: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('chapter_analyses')
    .select(sql<string | null>`result->>'version'`.as('version'))
    .where('chapter_id', '=', chapterId)
    .where('content_hash', '=', contentHash)
    .executeTakeFirst();
  return row ? Number(row.version ?? 0) : undefined;
}

/** Stores a chapter version's analysis, replacing one of the same version (a newer stored format). */
export async function upsertAnalysis(db: Db, row: { chapterId: number; contentHash: string; result: unknown }): Promise<void> {
  await db
    .insertInto('chapter_analyses')
    .values({ chapter_id: row.chapterId, content_hash: row.contentHash, result: JSON.stringify(row.result) })
    .onConflict((oc) =>
      oc.columns(['chapter_id', 'content_hash']).doUpdateSet({ result: (eb) => eb.ref('excluded.result'), analyzed_at: new Date() }),
    )
    .execute();
}

/** Keeps the analyses of the `keep` most recent versions of a chapter. */
export async function pruneOldAnalyses(db: Db, chapterId: number, keep: number): Promise<void> {
  await db
    .deleteFrom('chapter_analyses')
    .where('chapter_id', '=', chapterId)
    .where('content_hash', 'not in', (eb) =>
      eb
        .selectFrom('chapter_analyses')
        .select('content_hash')
        .where('chapter_id', '=', chapterId)
        .orderBy('analyzed_at', 'desc')
        .limit(keep),
    )
    .execute();
}

/**
 * Each chapter of the work in order, with the stored analysis of its current version (null when
 * none yet) and when that version's analysis failed for good (null when it has not).
 */
export function findCurrentAnalyses(db: Db, workId: number) {
  return db
    .selectFrom('chapters')
    .leftJoin('chapter_analyses', (join) =>
      join.onRef('chapter_analyses.chapter_id', '=', 'chapters.id').on('chapter_analyses.content_hash', '=', CURRENT_HASH),
    )
    .leftJoin('chapter_analysis_failures', (join) =>
      join
        .onRef('chapter_analysis_failures.chapter_id', '=', 'chapters.id')
        .on('chapter_analysis_failures.content_hash', '=', CURRENT_HASH),
    )
    .select([
      'chapters.id as chapter_id',
      'chapters.position as position',
      'chapter_analyses.result as result',
      'chapter_analysis_failures.failed_at as failed_at',
      'chapter_analysis_failures.error as failure_reason',
    ])
    .where('chapters.work_id', '=', workId)
    .where('chapters.posted', '=', true) // a scheduled chapter's names stay out of the readers' story map until it is posted
    .orderBy('chapters.position')
    .execute();
}

/** Records that the analysis of a chapter version failed for good (again: the newest error wins). */
export async function upsertAnalysisFailure(db: Db, row: { chapterId: number; contentHash: string; error: string }): Promise<void> {
  await db
    .insertInto('chapter_analysis_failures')
    .values({ chapter_id: row.chapterId, content_hash: row.contentHash, error: row.error.slice(0, 2000) })
    .onConflict((oc) =>
      oc.columns(['chapter_id', 'content_hash']).doUpdateSet({ error: (eb) => eb.ref('excluded.error'), failed_at: new Date() }),
    )
    .execute();
}

/** Once the version `contentHash` of a chapter is analysed: forgets its failure and those of older versions (not one of a version saved since). */
export async function deleteAnalysisFailures(db: Db, chapterId: number, contentHash: string): Promise<void> {
  await db
    .deleteFrom('chapter_analysis_failures')
    .where('chapter_id', '=', chapterId)
    .where((eb) =>
      eb.or([
        eb('content_hash', '=', contentHash),
        // Older versions' failures no longer matter; the database's own hash of the current text
        // keeps a failure of a version saved since this job read the chapter.
        eb('content_hash', '<>', (sub) => sub.selectFrom('chapters').select(CURRENT_HASH.as('h')).where('chapters.id', '=', chapterId)),
      ]),
    )
    .execute();
}

/** The work's posted chapters whose current version's analysis failed for good, with their text (to enqueue them again). */
export function findFailedCurrentChapters(db: Db, workId: number) {
  return db
    .selectFrom('chapters')
    .innerJoin('chapter_analysis_failures', (join) =>
      join
        .onRef('chapter_analysis_failures.chapter_id', '=', 'chapters.id')
        .on('chapter_analysis_failures.content_hash', '=', CURRENT_HASH),
    )
    .select([
      'chapters.id as id',
      'chapters.body_html as body_html',
      'chapter_analysis_failures.content_hash as content_hash',
      'chapter_analysis_failures.failed_at as failed_at',
      'chapter_analysis_failures.error as failure_reason',
    ])
    .where('chapters.work_id', '=', workId)
    .where('chapters.posted', '=', true)
    .orderBy('chapters.position')
    .execute();
}

export async function deleteAnalysisFailure(db: Db, chapterId: number, contentHash: string): Promise<void> {
  await db.deleteFrom('chapter_analysis_failures').where('chapter_id', '=', chapterId).where('content_hash', '=', contentHash).execute();
}

export async function findDismissals(db: Db, workId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('analysis_dismissals').select(['kind', 'value_key']).where('work_id', '=', workId).execute();
  return new Set(rows.map((r) => `${r.kind}:${r.value_key}`));
}

export async function insertDismissal(db: Db, workId: number, kind: string, value: string): Promise<void> {
  await db
    .insertInto('analysis_dismissals')
    .values({ work_id: workId, kind, value_key: value.toLowerCase() })
    .onConflict((oc) => oc.columns(['work_id', 'kind', 'value_key']).doNothing())
    .execute();
}

export interface CharacterTagMatch {
  /** The matched tag (canonical, or a synonym of one). */
  name: string;
  /** The matched tag is a synonym (its canonical is `canonicalName`). */
  synonym: boolean;
  canonicalId: number;
  canonicalName: string;
}

/**
 * Character tags that are canonical or synonyms of canonical ones, whose name equals one of the
 * keys or contains it as a whole word ("Caroline" finds "Caroline Forbes"). Keys are lower-case.
 * Only tags the viewer may see (visibleTagCondition, src/tags/tags.policy.ts), the synonym and its
 * canonical both: a hidden synonym never leads to its canonical, so a proposal cannot betray it.
 */
export async function findCharacterTagsMatching(db: Db, keys: readonly string[], viewer: TagViewer): Promise<CharacterTagMatch[]> {
  const words = [...new Set(keys.map((k) => k.trim().toLowerCase()).filter((k) => k.length >= 2))].slice(0, 200);
  if (words.length === 0) return [];
  const like = (w: string) => w.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db
    .selectFrom('tags as t')
    .leftJoin('tags as c', 'c.id', 't.merger_id')
    .select([
      't.name as name',
      't.merger_id as merger_id',
      sql<number>`coalesce(c.id, t.id)`.as('canonical_id'),
      sql<string>`coalesce(c.name, t.name)`.as('canonical_name'),
    ])
    .where('t.type', '=', 'character')
    .where((eb) => eb.or([eb('t.canonical', '=', true), eb('c.canonical', '=', true)]))
    .where(visibleTagCondition(viewer, 't'))
    .where((eb) => eb.or([eb('c.id', 'is', null), visibleTagCondition(viewer, 'c')]))
    .where((eb) =>
      eb.or(
        words.flatMap((w) => [
          eb(sql`lower(t.name)`, '=', w),
          eb(sql`lower(t.name)`, 'like', `${like(w)} %`),
          eb(sql`lower(t.name)`, 'like', `% ${like(w)}`),
          eb(sql`lower(t.name)`, 'like', `% ${like(w)} %`),
        ]),
      ),
    )
    .limit(2000)
    .execute();
  return rows.map((r) => ({
    name: r.name,
    synonym: r.merger_id !== null,
    canonicalId: Number(r.canonical_id),
    canonicalName: r.canonical_name,
  }));
}

/** The canonical fandom tags of these fandom names (a synonym's canonical), as the work's fandoms. */
export async function findCanonicalFandoms(db: Db, names: readonly string[]): Promise<Array<{ id: number; name: string }>> {
  const keys = [...new Set(names.map((n) => n.trim().toLowerCase()).filter((n) => n !== ''))].slice(0, 75);
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('tags as t')
    .leftJoin('tags as c', 'c.id', 't.merger_id')
    .select([sql<number>`coalesce(c.id, t.id)`.as('id'), sql<string>`coalesce(c.name, t.name)`.as('name')])
    .where('t.type', '=', 'fandom')
    .where(sql`lower(t.name)`, 'in', keys)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), name: r.name }));
}

/**
 * Freeform tags named exactly one of `names` (lower-case) that are canonical, or visible synonyms of a
 * canonical one, with that canonical's name: the archive's own spelling of an additional tag.
 */
export async function findCanonicalFreeforms(
  db: Db,
  names: readonly string[],
  viewer: TagViewer,
): Promise<Array<{ key: string; canonicalName: string }>> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('tags as t')
    .leftJoin('tags as c', 'c.id', 't.merger_id')
    .select([sql<string>`lower(t.name)`.as('key'), sql<string>`coalesce(c.name, t.name)`.as('canonical_name')])
    .where('t.type', '=', 'freeform')
    .where(sql`lower(t.name)`, 'in', [...names])
    .where((eb) => eb.or([eb('t.canonical', '=', true), eb('c.canonical', '=', true)]))
    .where(visibleTagCondition(viewer, 't'))
    .where((eb) => eb.or([eb('c.id', 'is', null), visibleTagCondition(viewer, 'c')]))
    .execute();
  return rows.map((r) => ({ key: r.key, canonicalName: r.canonical_name }));
}

/** The fandoms (canonical) each of these canonical character tags belongs to, through tag_parents kind 'fandom'. */
export async function findFandomsOfCharacters(db: Db, characterIds: readonly number[]) {
  if (characterIds.length === 0) return [];
  const rows = await db
    .selectFrom('tag_parents as tp')
    .innerJoin('tags as f', 'f.id', 'tp.parent_id')
    .leftJoin('tags as fc', 'fc.id', 'f.merger_id')
    .select([
      'tp.child_id as character_id',
      sql<number>`coalesce(fc.id, f.id)`.as('fandom_id'),
      sql<string>`coalesce(fc.name, f.name)`.as('fandom_name'),
    ])
    .where('tp.kind', '=', 'fandom')
    .where('f.type', '=', 'fandom')
    .where('tp.child_id', 'in', [...new Set(characterIds)])
    .execute();
  return rows.map((r) => ({ characterId: r.character_id, fandomId: Number(r.fandom_id), fandomName: r.fandom_name }));
}

/** The work's tags with their types. */
export function findWorkTags(db: Db, workId: number) {
  return db
    .selectFrom('work_tags')
    .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
    .select(['tags.id as id', 'tags.type as type', 'tags.name as name', 'work_tags.position as position'])
    .where('work_tags.work_id', '=', workId)
    .execute();
}

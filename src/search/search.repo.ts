import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Database, TagType, WorkRow } from '../db/schema.ts';
import type { TagViewer } from '../tags/tags.policy.ts';
import { visibleTagCondition } from '../tags/tags.policy.ts';
import type { Comparison, NumberField, QueryNode } from './query-parser.ts';
import type { Crossover, SortKey } from './search.schema.ts';
import { concealedWorkIdsSql } from '../collections/anonymity.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Bool = RawBuilder<SqlBool>;

/** A search with every name resolved to ids: what the SQL is built from. */
export interface ResolvedSearch {
  signedIn: boolean;
  /** Every one of these tag ids (filter_tag_ids @> ...). */
  includeAll: number[];
  /** Each group: at least one of its ids (filter_tag_ids && ...). */
  includeAnyOf: number[][];
  /** None of these (not filter_tag_ids && ...). */
  excludeAny: number[];
  /** A named include that matches no tag: nothing can match. */
  impossible: boolean;
  crossover: Crossover;
  complete: 'any' | 'complete' | 'in_progress';
  wordsFrom: number | null;
  wordsTo: number | null;
  postedFrom: string | null;
  postedTo: string | null;
  updatedFrom: string | null;
  updatedTo: string | null;
  language: string;
  /** Lower-cased pseud name or login. */
  creator: string;
  /** Only works credited to one of these pseuds (a creator's own listing); absent: any creator. */
  creatorPseudIds?: readonly number[];
  /** Only these works (a reader's bookmarked works); absent: any work. */
  workIds?: readonly number[];
  /** The search box's query, with its tag names resolved in `tagIds`. */
  query: QueryNode | null;
  tagIds: ReadonlyMap<string, number[]>;
  /** The lexemes (English stemming, stop words dropped) of each free-text word of the query. */
  lexemes: ReadonlyMap<string, string[]>;
  /** The lexemes of the query's positive free-text terms: what best match ranks by. */
  rankLexemes: string[];
  /** Personal global filters of the viewer. */
  hiddenTagIds: number[];
  hiddenUserIds: number[];
  sort: SortKey;
  direction: 'asc' | 'desc';
}

/** The key of a query-language tag in ResolvedSearch.tagIds. */
export function tagKey(field: string, name: string): string {
  return `${field}\u0000${name.trim().toLowerCase()}`;
}

const NUMBER_COLUMNS: Record<NumberField, RawBuilder<number>> = {
  words: sql<number>`works.word_count`,
  kudos: sql<number>`works.kudos_count`,
  hits: sql<number>`works.hits`,
  comments: sql<number>`works.comments_count`,
  bookmarks: sql<number>`works.bookmarks_count`,
  chapters: sql<number>`works.chapter_count`,
};

const OPERATORS: Record<Comparison, RawBuilder<unknown>> = {
  '>': sql.raw('>'),
  '>=': sql.raw('>='),
  '<': sql.raw('<'),
  '<=': sql.raw('<='),
  '=': sql.raw('='),
};

function tsQuery(text: string, phrase: boolean): RawBuilder<unknown> {
  return phrase ? sql`phraseto_tsquery('english', ${text})` : sql`plainto_tsquery('english', ${text})`;
}

function and(parts: Bool[]): Bool {
  if (parts.length === 0) return sql<SqlBool>`true`;
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

function intArray(ids: readonly number[]): RawBuilder<unknown> {
  return sql`${[...ids]}::int[]`;
}

/** A tsquery of one lexeme, restricted to a weight or not ('librari':A). */
export function lexemeQuery(lexeme: string, weight = ''): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${weight === '' ? '' : `:${weight}`}`;
}

/** The works holding the lexeme in their title, tags, summary or a posted chapter. */
export function worksWithLexeme(lexeme: string): RawBuilder<unknown> {
  const q = sql`${lexemeQuery(lexeme)}::tsquery`;
  return sql`select w2.id from works w2 where w2.search_vector @@ ${q} union select c.work_id from chapters c where c.posted and c.body_vector @@ ${q}`;
}

/** The works (of `among`, if given) matching a quoted phrase: in their metadata or within one posted chapter. */
export function worksWithPhrase(text: string, among?: readonly number[]): RawBuilder<unknown> {
  const q = tsQuery(text, true);
  const onlyWorks = among ? sql`w2.id = any(${[...among]}::int[]) and` : sql``;
  const onlyChapters = among ? sql`c.work_id = any(${[...among]}::int[]) and` : sql``;
  return sql`select w2.id from works w2 where ${onlyWorks} w2.search_vector @@ ${q}
    union select c.work_id from chapters c where ${onlyChapters} c.posted and c.body_vector @@ ${q}`;
}

/**
 * Of the given works, those holding a quoted phrase: in their metadata (of `metaIds`) or within one
 * posted chapter (of `bodyIds`), each read by id. `offset 0` keeps the planner from intersecting
 * the ids with the text indexes: for common words their bitmap alone costs more than reading a few
 * thousand rows by id and checking them.
 */
export function worksWithPhraseAmong(text: string, metaIds: readonly number[], bodyIds: readonly number[]): RawBuilder<unknown> {
  const q = tsQuery(text, true);
  const parts: RawBuilder<unknown>[] = [];
  if (metaIds.length > 0)
    parts.push(sql`select w2.id from (select id, search_vector from works where id = any(${[...metaIds]}::int[]) offset 0) as w2
      where w2.search_vector @@ ${q}`);
  if (bodyIds.length > 0)
    parts.push(sql`select c.work_id as id from (select work_id, body_vector from chapters where work_id = any(${[...bodyIds]}::int[]) and posted offset 0) as c
      where c.body_vector @@ ${q}`);
  return parts.length > 0 ? sql.join(parts, sql` union `) : sql`select null::int as id where false`;
}

export type QueryContext = Pick<ResolvedSearch, 'tagIds' | 'lexemes'>;

/** The query-language tree as one SQL condition (every value a parameter). */
export function compileNode(node: QueryNode, ctx: QueryContext): Bool {
  switch (node.kind) {
    case 'and':
      return and(node.items.map((n) => compileNode(n, ctx)));
    case 'or':
      return sql<SqlBool>`(${sql.join(
        node.items.map((n) => compileNode(n, ctx)),
        sql` or `,
      )})`;
    case 'not':
      return sql<SqlBool>`(not ${compileNode(node.item, ctx)})`;
    case 'text': {
      if (node.phrase) {
        const q = tsQuery(node.text, true);
        // A phrase of stop words only ("the") has no lexemes: it constrains nothing.
        return sql<SqlBool>`(numnode(${q}) = 0 or works.id in (${worksWithPhrase(node.text)}))`;
      }
      // Every lexeme of the words somewhere in the work (title, tags, summary, any posted chapter).
      // Uncorrelated INs: the GIN indexes answer each once, hashed, whatever else the search holds.
      const lexemes = ctx.lexemes.get(node.text) ?? [];
      return and(lexemes.map((l) => sql<SqlBool>`works.id in (${worksWithLexeme(l)})`));
    }
    case 'field': {
      const needle = node.text.toLowerCase();
      if (node.field === 'title') return sql<SqlBool>`(strpos(lower(works.title), ${needle}) > 0)`;
      if (node.field === 'summary') return sql<SqlBool>`(strpos(lower(works.summary_html), ${needle}) > 0)`;
      return creatorIs(needle);
    }
    case 'tag': {
      const ids = ctx.tagIds.get(tagKey(node.field, node.name)) ?? [];
      return ids.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(works.filter_tag_ids && ${intArray(ids)})`;
    }
    case 'number':
      return sql<SqlBool>`(${NUMBER_COLUMNS[node.field]} ${OPERATORS[node.op]} ${node.value})`;
    case 'range':
      return sql<SqlBool>`(${NUMBER_COLUMNS[node.field]} between ${node.min} and ${node.max})`;
    case 'language':
      return sql<SqlBool>`(lower(works.language) = ${node.code.toLowerCase()})`;
    case 'complete':
      return sql<SqlBool>`(works.is_complete = ${node.value})`;
  }
}

/** The works credited to a pseud of that name or to any pseud of the user with that login. */
export function worksByCreator(lowerName: string): RawBuilder<unknown> {
  // Two index lookups (pseuds by name, users by login) instead of one OR over a join.
  // Anonymous and unrevealed works match no creator until the reveal (decision 043).
  return sql`select wc.work_id as id from work_creators wc where wc.pseud_id in (
    select p.id from pseuds p where lower(p.name) = ${lowerName}
    union select p.id from pseuds p join users u on u.id = p.user_id where lower(u.login) = ${lowerName}
  ) and wc.work_id not in (${concealedWorkIdsSql()})`;
}

/** The works credited to any of these pseuds. */
export function worksByPseuds(pseudIds: readonly number[]): RawBuilder<unknown> {
  return sql`select wc.work_id as id from work_creators wc where wc.pseud_id = any(${intArray(pseudIds)}) and wc.work_id not in (${concealedWorkIdsSql()})`;
}

function creatorIs(lowerName: string): Bool {
  return sql<SqlBool>`works.id in (${worksByCreator(lowerName)})`;
}

/** The positive free-text terms of a query (not under a "-"), for ranking and snippets. */
export function rankTerms(node: QueryNode | null): Array<{ text: string; phrase: boolean }> {
  const out: Array<{ text: string; phrase: boolean }> = [];
  const visit = (n: QueryNode, negated: boolean) => {
    if (n.kind === 'text' && !negated) out.push({ text: n.text, phrase: n.phrase });
    else if (n.kind === 'and' || n.kind === 'or') n.items.forEach((i) => visit(i, negated));
    else if (n.kind === 'not') visit(n.item, !negated);
  };
  if (node) visit(node, false);
  return out;
}

/** All positive terms as one tsquery (OR), or null. */
export function rankQuery(node: QueryNode | null): RawBuilder<unknown> | null {
  const terms = rankTerms(node);
  if (terms.length === 0) return null;
  return sql`(${sql.join(
    terms.map((t) => tsQuery(t.text, t.phrase)),
    sql` || `,
  )})`;
}

/**
 * Best match (decision 021): for each lexeme of the query, the strongest place the work holds it
 * — title 8, tags 4, summary 2, the text of a posted chapter 1 — summed. The facet index computes
 * the same score from its postings.
 */
export const BEST_MATCH_WEIGHTS = { A: 8, B: 4, C: 2, D: 1 } as const;

function bestMatchScore(lexemes: readonly string[]): RawBuilder<unknown> {
  const w = BEST_MATCH_WEIGHTS;
  return sql.join(
    lexemes.map(
      (l) => sql`(case when works.search_vector @@ ${lexemeQuery(l, 'A')}::tsquery then ${sql.lit(w.A)}
        when works.search_vector @@ ${lexemeQuery(l, 'B')}::tsquery then ${sql.lit(w.B)}
        when works.search_vector @@ ${lexemeQuery(l, 'C')}::tsquery then ${sql.lit(w.C)}
        when exists (select 1 from chapters c where c.work_id = works.id and c.posted and c.body_vector @@ ${lexemeQuery(l)}::tsquery) then ${sql.lit(w.D)}
        else 0 end)`,
    ),
    sql` + `,
  );
}

/** The WHERE condition of a search: visibility, filters, the query, the viewer's global filters. */
export function searchCondition(r: ResolvedSearch): Bool {
  if (r.impossible) return sql<SqlBool>`false`;
  // Works hidden by moderators (src/moderation) are never found.
  const parts: Bool[] = [
    sql<SqlBool>`not works.is_draft`,
    sql<SqlBool>`not exists (select 1 from hidden_works hw where hw.work_id = works.id)`,
  ];
  if (!r.signedIn) parts.push(sql<SqlBool>`not works.is_restricted`);
  if (r.includeAll.length > 0) parts.push(sql<SqlBool>`works.filter_tag_ids @> ${intArray(r.includeAll)}`);
  for (const group of r.includeAnyOf) {
    parts.push(group.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`works.filter_tag_ids && ${intArray(group)}`);
  }
  const excluded = [...new Set([...r.excludeAny, ...r.hiddenTagIds])];
  if (excluded.length > 0) parts.push(sql<SqlBool>`not (works.filter_tag_ids && ${intArray(excluded)})`);
  if (r.crossover === 'exclude') parts.push(sql<SqlBool>`works.fandom_count <= 1`);
  if (r.crossover === 'only') parts.push(sql<SqlBool>`works.fandom_count >= 2`);
  if (r.complete === 'complete') parts.push(sql<SqlBool>`works.is_complete`);
  if (r.complete === 'in_progress') parts.push(sql<SqlBool>`not works.is_complete`);
  if (r.wordsFrom !== null) parts.push(sql<SqlBool>`works.word_count >= ${r.wordsFrom}`);
  if (r.wordsTo !== null) parts.push(sql<SqlBool>`works.word_count <= ${r.wordsTo}`);
  // Dates are whole UTC days, both ends included.
  if (r.postedFrom !== null) parts.push(sql<SqlBool>`works.published_at >= ${`${r.postedFrom}T00:00:00Z`}::timestamptz`);
  if (r.postedTo !== null) parts.push(sql<SqlBool>`works.published_at < ${`${r.postedTo}T00:00:00Z`}::timestamptz + interval '1 day'`);
  if (r.updatedFrom !== null) parts.push(sql<SqlBool>`works.updated_at >= ${`${r.updatedFrom}T00:00:00Z`}::timestamptz`);
  if (r.updatedTo !== null) parts.push(sql<SqlBool>`works.updated_at < ${`${r.updatedTo}T00:00:00Z`}::timestamptz + interval '1 day'`);
  if (r.language !== '') parts.push(sql<SqlBool>`lower(works.language) = ${r.language.toLowerCase()}`);
  if (r.creator !== '') parts.push(creatorIs(r.creator));
  if (r.creatorPseudIds) parts.push(sql<SqlBool>`works.id in (${worksByPseuds(r.creatorPseudIds)})`);
  if (r.workIds) parts.push(sql<SqlBool>`works.id = any(${intArray(r.workIds)})`);
  if (r.hiddenUserIds.length > 0) {
    parts.push(sql<SqlBool>`not exists (
      select 1 from work_creators wc join pseuds p on p.id = wc.pseud_id
      where wc.work_id = works.id and p.user_id = any(${intArray(r.hiddenUserIds)}) and wc.work_id not in (${concealedWorkIdsSql()})
    )`);
  }
  if (r.query) parts.push(compileNode(r.query, r));
  return and(parts);
}

function orderBy(r: ResolvedSearch): RawBuilder<unknown> {
  const dir = sql.raw(r.direction === 'asc' ? 'asc' : 'desc');
  const then = sql`works.id ${dir}`;
  switch (r.sort) {
    case 'best':
      return r.rankLexemes.length > 0
        ? sql`(${bestMatchScore(r.rankLexemes)}) desc, works.updated_at desc, works.id desc`
        : sql`works.updated_at desc, works.id desc`;
    case 'creator':
      // A concealed work has no creator to sort by until the reveal (decision 043): it goes last, as an orphan would.
      return sql`(select min(lower(p.name) collate "C") from work_creators wc join pseuds p on p.id = wc.pseud_id
        where wc.work_id = works.id and wc.work_id not in (${concealedWorkIdsSql()})) ${dir} nulls last, ${then}`;
    case 'title':
      return sql`lower(works.title) collate "C" ${dir}, ${then}`;
    case 'posted':
      return sql`works.published_at ${dir}, ${then}`;
    case 'updated':
      return sql`works.updated_at ${dir}, ${then}`;
    case 'words':
      return sql`works.word_count ${dir}, ${then}`;
    case 'hits':
      return sql`works.hits ${dir}, ${then}`;
    case 'kudos':
      return sql`works.kudos_count ${dir}, ${then}`;
    case 'comments':
      return sql`works.comments_count ${dir}, ${then}`;
    case 'bookmarks':
      return sql`works.bookmarks_count ${dir}, ${then}`;
    case 'ratio':
      return sql`(works.kudos_count::float8 / greatest(works.hits, 1)) ${dir}, ${then}`;
  }
}

const WORK_COLUMNS = sql.raw(
  [
    'id',
    'title',
    'summary_html',
    'notes_html',
    'end_notes_html',
    'language',
    'is_complete',
    'expected_chapters',
    'is_draft',
    'is_restricted',
    'word_count',
    'chapter_count',
    'hits',
    'kudos_count',
    'comments_count',
    'bookmarks_count',
    'version',
    'published_at',
    'updated_at',
    'created_at',
    'filter_tag_ids',
  ]
    .map((c) => `works.${c}`)
    .join(', '),
);

/** One page of matching works in the search's order (one row more tells whether a next page exists). */
export async function findSearchPage(
  db: Db,
  r: ResolvedSearch,
  page: number,
  perPage: number,
): Promise<{ rows: WorkRow[]; hasNext: boolean }> {
  const result =
    await sql<WorkRow>`select ${WORK_COLUMNS} from works where ${searchCondition(r)} order by ${orderBy(r)} limit ${perPage + 1} offset ${(page - 1) * perPage}`.execute(
      db,
    );
  return { rows: result.rows.slice(0, perPage), hasNext: result.rows.length > perPage };
}

/** Works by id, in the order of the ids. */
export async function findWorksByIds(db: Db, ids: readonly number[]): Promise<WorkRow[]> {
  if (ids.length === 0) return [];
  const result = await sql<WorkRow>`select ${WORK_COLUMNS} from works where works.id = any(${intArray(ids)})`.execute(db);
  const byId = new Map(result.rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is WorkRow => r !== undefined);
}

export async function countSearch(db: Db, r: ResolvedSearch): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int as n from works where ${searchCondition(r)}`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

export interface FacetRow {
  id: number;
  name: string;
  type: TagType;
  n: number;
}

/**
 * The total and the sidebar (for each tag type, the `perType` tags most used over the whole
 * result set, exact counts) in one scan of the matching works.
 */
export async function findCountsAndFacets(db: Db, r: ResolvedSearch, perType: number): Promise<{ total: number; facets: FacetRow[] }> {
  const result = await sql<FacetRow & { total: number }>`
    with matching as materialized (
      select works.filter_tag_ids from works where ${searchCondition(r)}
    ), counts as (
      select tag_id, count(*)::int as n from matching cross join lateral unnest(matching.filter_tag_ids) as tag_id group by tag_id
    )
    select 0 as id, '' as name, 'total' as type, (select count(*)::int from matching) as n
    union all
    select id, name, type, n from (
      select t.id, t.name, t.type, c.n,
        row_number() over (partition by t.type order by c.n desc, t.name collate "C", t.id) as rank
      from counts c join tags t on t.id = c.tag_id
      where t.type <> 'media'
    ) ranked
    where rank <= ${perType}
  `.execute(db);
  let total = 0;
  const facets: FacetRow[] = [];
  for (const row of result.rows) {
    if ((row.type as string) === 'total') total = Number(row.n);
    else facets.push({ id: row.id, name: row.name, type: row.type, n: Number(row.n) });
  }
  facets.sort((a, b) =>
    a.type < b.type ? -1 : a.type > b.type ? 1 : b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id),
  );
  return { total, facets };
}

/** Highlighted excerpts (with sentinel markers) of the first matching chapter of each work, or of its summary. */
export async function findSnippets(
  db: Db,
  workIds: readonly number[],
  query: RawBuilder<unknown>,
  options: string,
): Promise<Map<number, string>> {
  if (workIds.length === 0) return new Map();
  const result = await sql<{ work_id: number; snippet: string }>`
    select distinct on (c.work_id) c.work_id,
      -- The first 30,000 characters: ts_headline reads the whole text it is given.
      ts_headline('english', translate(regexp_replace(left(c.body_html, 30000), '<[^>]*>', ' ', 'g'), ${'\u0001\u0002'}, ''), ${query}, ${options}) as snippet
    from chapters c
    where c.work_id = any(${intArray(workIds)}) and c.posted and c.body_vector @@ ${query}
    order by c.work_id, c.position
  `.execute(db);
  return new Map(result.rows.map((row) => [row.work_id, row.snippet]));
}

/** Canonical ids of tags of any type with this name (a synonym gives its canonical), among the tags the viewer may see (src/tags/tags.policy.ts). */
export async function findTagIdsAnyType(
  db: Db,
  names: readonly string[],
  viewer: TagViewer,
  types?: readonly TagType[],
): Promise<Map<string, number[]>> {
  const lowered = [...new Set(names.map((n) => n.trim().toLowerCase()).filter((n) => n !== ''))];
  const out = new Map<string, number[]>();
  if (lowered.length === 0) return out;
  let query = db
    .selectFrom('tags')
    .select([sql<string>`lower(name)`.as('lname'), sql<number>`coalesce(merger_id, id)`.as('cid')])
    .where(sql`lower(name)`, 'in', lowered)
    .where(visibleTagCondition(viewer, 'tags'));
  if (types) query = query.where('type', 'in', [...types]);
  for (const row of await query.execute()) {
    const list = out.get(row.lname) ?? [];
    if (!list.includes(row.cid)) list.push(row.cid);
    out.set(row.lname, list);
  }
  return out;
}

/**
 * Canonical ids (a synonym gives its canonical) of tags named by type, among the tags the viewer
 * may see, in one query: keyed by `tagKey(type, name)`.
 */
export async function findTagIdsByTypeAndName(
  db: Db,
  pairs: ReadonlyArray<{ type: TagType; name: string }>,
  viewer: TagViewer,
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  const names = [...new Set(pairs.map((p) => p.name.trim().toLowerCase()).filter((n) => n !== ''))];
  if (names.length === 0) return out;
  const types = [...new Set(pairs.map((p) => p.type))];
  const rows = await db
    .selectFrom('tags')
    .select(['type', sql<string>`lower(name)`.as('lname'), sql<number>`coalesce(merger_id, id)`.as('cid')])
    .where(sql`lower(name)`, 'in', names)
    .where('type', 'in', types)
    .where(visibleTagCondition(viewer, 'tags'))
    .execute();
  for (const row of rows) {
    const key = tagKey(row.type, row.lname);
    const list = out.get(key) ?? [];
    if (!list.includes(row.cid)) list.push(row.cid);
    out.set(key, list);
  }
  return out;
}

export async function findTagsByIds(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('tags')
    .select(['id', 'name', 'type'])
    .where('id', 'in', [...ids])
    .execute();
}

/** Each text's lexemes as English full-text search sees it (stemmed, stop words dropped, sorted). */
export async function findLexemes(db: Db, texts: readonly string[]): Promise<Map<string, string[]>> {
  if (texts.length === 0) return new Map();
  const result = await sql<{ text: string; lexemes: string[] }>`
    select t as text, tsvector_to_array(to_tsvector('english', t)) as lexemes from unnest(${[...texts]}::text[]) as t
  `.execute(db);
  return new Map(result.rows.map((r) => [r.text, r.lexemes]));
}

export async function readSearchGeneration(db: Db): Promise<string> {
  const result = await sql<{ v: string }>`select value::text as v from search_generation where id = 1`.execute(db);
  return result.rows[0]?.v ?? '0';
}

// ── Personal global filters ──

export function findGlobalFilters(db: Db, userId: number) {
  return db.selectFrom('user_search_filters').select(['kind', 'target_id']).where('user_id', '=', userId).orderBy('created_at').execute();
}

export async function insertGlobalFilter(db: Db, userId: number, kind: 'tag' | 'creator', targetId: number): Promise<void> {
  await db
    .insertInto('user_search_filters')
    .values({ user_id: userId, kind, target_id: targetId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteGlobalFilter(db: Db, userId: number, kind: 'tag' | 'creator', targetId: number): Promise<void> {
  await db
    .deleteFrom('user_search_filters')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('target_id', '=', targetId)
    .execute();
}

export function findUsersByIds(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', 'login'])
    .where('id', 'in', [...ids])
    .execute();
}

// ── Saved searches ──

export function findSavedSearches(db: Db, userId: number) {
  return db.selectFrom('saved_searches').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

export function findSavedSearch(db: Db, userId: number, id: number) {
  return db.selectFrom('saved_searches').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
}

export async function insertSavedSearch(db: Db, userId: number, name: string, query: string, feedToken: string): Promise<number> {
  const row = await db
    .insertInto('saved_searches')
    .values({ user_id: userId, name, query, feed_token: feedToken })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function markSavedSearchesViewed(db: Db, userId: number, at: Date): Promise<void> {
  await db.updateTable('saved_searches').set({ last_viewed_at: at }).where('user_id', '=', userId).execute();
}

export async function deleteSavedSearch(db: Db, userId: number, id: number): Promise<boolean> {
  const result = await db.deleteFrom('saved_searches').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Matching works posted after a moment (for "N new since you last looked"). */
export async function countPostedSince(db: Db, r: ResolvedSearch, since: Date): Promise<number> {
  const result = await sql<{
    n: number;
  }>`select count(*)::int as n from works where ${searchCondition(r)} and works.published_at > ${since}`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

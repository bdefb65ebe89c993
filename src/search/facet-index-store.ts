// Where each database handle's facet index lives, how it is loaded (in chunks, text postings filled
// as they arrive) and how it is kept current: a search that finds it behind a write catches it up
// from the change log (migration 0013, decision 021), and falls back to SQL only while a full
// rebuild runs. Counters (hits, kudos, comments, bookmarks) do not move the generation: their
// snapshot serves sorts and `kudos:` filters for at most COUNTER_MAX_AGE_MS, the bound the page
// cache gives counter sorts (decision 007).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import { COMPLETE, eachLexeme, FacetIndex, PUBLIC, UNIT, VISIBLE, type TagRow, type TextField, type TextIndex, type WorkRow } from './facet-index.ts';
import { PostingsBuilder } from './postings.ts';
import { readSearchGeneration } from './search.repo.ts';

type Db = Kysely<Database>;

export const COUNTER_MAX_AGE_MS = 30_000;
/** Work-lexeme pairs the text postings may hold (at most 4 bytes each): config SEARCH_TEXT_POSTINGS. */
export const DEFAULT_MAX_TEXT_POSTINGS = 200_000_000;
const CHUNK = 50_000;

/**
 * How works are read: a full load reads chunks of consecutive ids and needs no title keys (title
 * order is read apart, when first used); a catch-up reads some works by id, title keys included.
 */
type ReadFor = 'load' | 'catch-up';

/** Works as the index holds them, in id order; `body` is filled apart (readWorkRows). */
function selectWorkRows(where: RawBuilder<unknown>, limit: number | null, readFor: ReadFor): RawBuilder<WorkRow> {
  return sql<WorkRow>`
    select w.id,
      (case when not w.is_draft and not exists (select 1 from hidden_works hw where hw.work_id = w.id)
        then ${VISIBLE} + case when w.is_restricted then 0 else ${PUBLIC} end else 0 end
        + case when w.is_complete then ${COMPLETE} else 0 end)::int as flags,
      lower(w.language) as lang, w.word_count as words, w.chapter_count as chapters, w.hits, w.kudos_count as kudos,
      w.comments_count as comments, w.bookmarks_count as bookmarks, w.fandom_count as fandoms,
      (extract(epoch from w.published_at) * 1000000)::int8::text as posted,
      (extract(epoch from w.updated_at) * 1000000)::int8::text as updated,
      w.filter_tag_ids as tags,
      (select string_agg(case when 'A' = any(u.weights) then 'A' when 'B' = any(u.weights) then 'B' else 'C' end || u.lexeme, ${UNIT})
        from unnest(w.search_vector) as u) as meta,
      null::text as body,
      ${readFor === 'catch-up' ? sql`lower(w.title)` : sql`null::text`} as title_key
    from works w where ${where} order by w.id ${limit === null ? sql`` : sql`limit ${limit}`}
  `;
}

/**
 * Works as the index holds them, `body` filled with the lexemes of their posted chapters — read
 * per chapter, a plain scan (aggregating them per work in SQL costs six times as much at a
 * million works); a work's lexemes may repeat across chapters, which the postings drop.
 */
async function readWorkRows(db: Db, where: RawBuilder<unknown>, limit: number | null, readFor: ReadFor): Promise<WorkRow[]> {
  const rows = (await selectWorkRows(where, limit, readFor).execute(db)).rows.map((r) => ({ ...r, tags: r.tags.map(Number) }));
  if (rows.length === 0) return rows;
  const chapters = await sql<{ work_id: number; lexemes: string }>`
    select c.work_id, array_to_string(tsvector_to_array(c.body_vector), ${UNIT}) as lexemes from chapters c
    where c.posted and ${readFor === 'load' ? sql`c.work_id between ${rows[0]!.id} and ${rows[rows.length - 1]!.id}` : sql`c.work_id = any(${rows.map((r) => r.id)}::int[])`}
    order by c.work_id
  `.execute(db);
  // Both in work id order: one walk pairs them.
  let k = 0;
  for (const chapter of chapters.rows) {
    while (k < rows.length && rows[k]!.id < chapter.work_id) k++;
    const row = rows[k];
    if (row?.id === chapter.work_id && chapter.lexemes !== '') row.body = row.body === null ? chapter.lexemes : `${row.body}${UNIT}${chapter.lexemes}`;
  }
  return rows;
}

async function readTags(db: Db, where: RawBuilder<unknown>): Promise<TagRow[]> {
  return (await sql<TagRow>`select id, type, name from tags where ${where}`.execute(db)).rows;
}

/** Text postings filled work by work, in position order, within a budget of postings. */
class TextIndexBuilder {
  private readonly lexemeIds = new Map<string, number>();
  private builders: Record<TextField, PostingsBuilder> | null = { A: new PostingsBuilder(), B: new PostingsBuilder(), C: new PostingsBuilder(), D: new PostingsBuilder() };
  private postings = 0;

  constructor(private readonly maxPostings: number) {
    if (maxPostings <= 0) this.builders = null;
  }

  add(row: WorkRow, position: number): void {
    eachLexeme(this.lexemeIds, row, (field, key) => this.put(field, key, position));
  }

  private put(field: TextField, key: number, position: number): void {
    if (!this.builders) return;
    this.builders[field].add(key, position);
    // Counted with repeats: a bound on the memory, not an exact size.
    if (++this.postings > this.maxPostings) {
      this.builders = null;
      this.lexemeIds.clear();
    }
  }

  /** The postings, or null when they outgrew the budget. */
  build(n: number): TextIndex | null {
    const b = this.builders;
    if (!b) return null;
    return { lexemeIds: this.lexemeIds, fields: { A: b.A.build(n), B: b.B.build(n), C: b.C.build(n), D: b.D.build(n) } };
  }
}

/** Loads the index at the current generation (null if a write moved it meanwhile). */
export async function loadFacetIndex(db: Db, onProgress?: (works: number) => void, maxTextPostings = DEFAULT_MAX_TEXT_POSTINGS): Promise<FacetIndex | null> {
  const before = await readSearchGeneration(db);
  const at = Date.now();
  const rows: WorkRow[] = [];
  const text = new TextIndexBuilder(maxTextPostings);
  // The next chunk is asked for before this one is indexed, so the database and Node work at once.
  let next = readWorkRows(db, sql`w.id > ${0}`, CHUNK, 'load');
  for (;;) {
    const chunk = await next;
    const full = chunk.length === CHUNK;
    if (full) {
      next = readWorkRows(db, sql`w.id > ${chunk[chunk.length - 1]!.id}`, CHUNK, 'load');
      next.catch(() => undefined); // awaited next turn; this only keeps a failure from going unhandled meanwhile
    }
    for (const row of chunk) {
      // The lexemes go into the postings now; the rows keep only their numbers and tags.
      text.add(row, rows.length);
      row.meta = null;
      row.body = null;
      rows.push(row);
    }
    onProgress?.(rows.length);
    if (!full) break;
  }
  const tags = await readTags(db, sql`true`);
  const afterGen = await readSearchGeneration(db);
  if (afterGen !== before) return null;
  return FacetIndex.build(before, rows, tags, at, text.build(rows.length));
}

/** Past this many changes at once (or retired positions), a full rebuild is the better deal. */
function rebuildThreshold(index: FacetIndex): number {
  return Math.max(2_000, Math.floor(index.live / 10));
}

/**
 * The index brought to the current generation from the change log (migration 0013): the works
 * changed since are read again and appended. 'rebuild' when the log no longer reaches back to
 * the index's generation (pruned) or when so much changed that a full load is cheaper.
 */
export async function catchUpFacetIndex(db: Db, index: FacetIndex): Promise<FacetIndex | 'rebuild'> {
  const state = await sql<{ value: string; pruned: string }>`select value::text as value, pruned_through::text as pruned from search_generation where id = 1`.execute(db);
  const now = state.rows[0];
  if (!now || now.value === index.generation) return index;
  if (BigInt(now.pruned) > BigInt(index.generation)) return 'rebuild';
  const logged = await sql<{ work_id: number | null }>`
    select distinct work_id from search_changes where generation > ${index.generation}::int8 and generation <= ${now.value}::int8
  `.execute(db);
  const ids = logged.rows.map((r) => r.work_id).filter((id): id is number => id !== null);
  const tagsChanged = logged.rows.some((r) => r.work_id === null);
  if (ids.length > rebuildThreshold(index) || index.retired + ids.length > rebuildThreshold(index)) return 'rebuild';
  const rows = await readWorkRows(db, sql`w.id = any(${ids}::int[])`, null, 'catch-up');
  const unknown = [...new Set(rows.flatMap((r) => r.tags))].filter((t) => !index.tagType.has(t));
  const tags = tagsChanged ? await readTags(db, sql`true`) : unknown.length > 0 ? await readTags(db, sql`id = any(${unknown}::int[])`) : [];
  const found = new Set(rows.map((r) => r.id));
  return index.withChanges(now.value, rows, ids.filter((id) => !found.has(id)), tags);
}

const PRUNE_EVERY_MS = 60_000;

/** Drops change-log entries older than every index's likely need; an index behind them rebuilds. */
async function pruneChangeLog(db: Db): Promise<void> {
  const s = stateOf(db);
  if (Date.now() - s.prunedAt < PRUNE_EVERY_MS) return;
  s.prunedAt = Date.now();
  await db.transaction().execute(async (trx) => {
    const gone = await sql<{ g: string | null }>`
      with gone as (delete from search_changes where logged_at < now() - interval '10 minutes' returning generation)
      select max(generation)::text as g from gone
    `.execute(trx);
    const g = gone.rows[0]?.g ?? null;
    if (g !== null) await sql`update search_generation set pruned_through = greatest(pruned_through, ${g}::int8) where id = 1`.execute(trx);
  });
}

interface IndexState {
  maxTextPostings: number;
  index: FacetIndex | null;
  building: Promise<FacetIndex | null> | null;
  catchingUp: Promise<void> | null;
  countersLoading: Promise<void> | null;
  /** When this process last pruned the change log. */
  prunedAt: number;
}

const states = new WeakMap<object, IndexState>();

function stateOf(db: Db): IndexState {
  let s = states.get(db);
  if (!s) states.set(db, (s = { maxTextPostings: DEFAULT_MAX_TEXT_POSTINGS, index: null, building: null, catchingUp: null, countersLoading: null, prunedAt: 0 }));
  return s;
}

/** Sets how many work-lexeme pairs the text postings of this handle's index may hold (0: none). */
export function configureFacetIndex(db: Db, options: { maxTextPostings: number }): void {
  stateOf(db).maxTextPostings = options.maxTextPostings;
}

/** Builds the index (once at a time) and waits for it; retries while writes keep moving the generation. */
export function ensureFacetIndex(db: Db, onProgress?: (works: number) => void): Promise<FacetIndex | null> {
  const s = stateOf(db);
  s.building ??= (async () => {
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const built = await loadFacetIndex(db, onProgress, s.maxTextPostings);
        if (built) {
          // Every numeric order now, so no search pays for one (about 5 s at a million works).
          for (const k of ['words', 'chapters', 'hits', 'kudos', 'comments', 'bookmarks', 'posted', 'updated', 'ratio'] as const) built.perm(k);
          s.index = built;
          return built;
        }
      }
      return null;
    } finally {
      s.building = null;
    }
  })();
  return s.building;
}

/** Drops the index of a handle (tests; a handle that is closing). */
export function dropFacetIndex(db: Db): void {
  states.delete(db);
}

export function refreshCounters(db: Db, index: FacetIndex): void {
  const s = stateOf(db);
  s.countersLoading ??= (async () => {
    try {
      const at = Date.now();
      const rows = await sql<{ id: number; hits: number; kudos: number; comments: number; bookmarks: number }>`
        select id, hits, kudos_count as kudos, comments_count as comments, bookmarks_count as bookmarks from works order by id`.execute(db);
      if ((await readSearchGeneration(db)) === index.generation) index.replaceCounters(rows.rows, at);
    } finally {
      s.countersLoading = null;
    }
  })().catch(() => undefined);
}

function atLeast(generation: string, wanted: string): boolean {
  return BigInt(generation) >= BigInt(wanted);
}

/**
 * The index at `generation` or later: caught up from the change log when it is behind (one
 * catch-up at a time, shared by concurrent searches). Null while there is no index yet or a full
 * rebuild is under way in the background; the caller then answers from SQL.
 */
export async function currentFacetIndex(db: Db, generation: string): Promise<FacetIndex | null> {
  const s = stateOf(db);
  if (s.index && atLeast(s.index.generation, generation)) return s.index;
  if (!s.index || s.building) {
    if (!s.building) void ensureFacetIndex(db).catch(() => undefined);
    return null;
  }
  s.catchingUp ??= (async () => {
    try {
      const behind = s.index!;
      const next = await catchUpFacetIndex(db, behind);
      if (next === 'rebuild') void ensureFacetIndex(db).catch(() => undefined);
      else if (s.index === behind) s.index = next;
      void pruneChangeLog(db).catch(() => undefined);
    } finally {
      s.catchingUp = null;
    }
  })();
  await s.catchingUp.catch(() => undefined);
  return s.index && atLeast(s.index.generation, generation) && !s.building ? s.index : null;
}

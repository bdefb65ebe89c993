// Where each database handle's facet index lives, how it is loaded (in chunks, text postings filled
// as they arrive, the work cut into time slices so the event loop keeps answering requests: PGlite
// runs its queries in this thread) and how it is kept current: a search that finds it behind a write catches it up
// from the change log (migration 0013, decision 021), and falls back to SQL only while a full
// rebuild runs. Counters (hits, kudos, comments, bookmarks) do not move the generation: their
// snapshot serves sorts and `kudos:` filters for at most COUNTER_MAX_AGE_MS, the bound the page
// cache gives counter sorts (decision 007).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  COMPLETE,
  eachLexeme,
  FacetIndex,
  PUBLIC,
  SORT_KEYS,
  TimeSlice,
  UNIT,
  VISIBLE,
  type CounterColumns,
  type TagRow,
  type TextField,
  type TextIndex,
  type WorkRow,
} from './facet-index.ts';
import { decodeSnapshot, encodeSnapshot, findLatestSnapshot, readSnapshotBytes, storeSnapshot } from './facet-index-snapshot.ts';
import { PostingsBuilder } from './postings.ts';
import { readSearchGeneration } from './search.repo.ts';

type Db = Kysely<Database>;

export const COUNTER_MAX_AGE_MS = 30_000;
/** Work-lexeme pairs the text postings may hold (at most 4 bytes each): config SEARCH_TEXT_POSTINGS. */
export const DEFAULT_MAX_TEXT_POSTINGS = 200_000_000;
/**
 * A full load reads works in chunks sized so that each query keeps the event loop busy for about
 * CHUNK_TARGET_MS: PGlite in this thread runs a query synchronously, a stretch in which no request
 * is answered (one query of 50,000 works blocked for seconds). The size follows what the last
 * chunk cost (QueryClock), since the cost of a work depends on its text. Against a database
 * server the chunks grow to MAX_CHUNK, whose rows are handled here in a few milliseconds.
 */
const CHUNK_TARGET_MS = 20;
// Small: the first query meets a cold cache, and the size doubles per chunk from there.
const FIRST_CHUNK = 100;
const MIN_CHUNK = 20;
const MAX_CHUNK = 5_000;
/** Works read by id per query when catching up (a search waits; other requests run between). */
const CATCH_UP_CHUNK = 250;
/** Counter rows per query: about 8 µs of PGlite's time each, so ~16 ms a query. */
const COUNTER_CHUNK = 2_000;
/** Tags per query, about as costly as counter rows. */
const TAG_CHUNK = 2_000;

/** The next chunk's size from the last one's and what its costliest query took. */
function nextChunkSize(size: number, costMs: number): number {
  const wanted = Math.round((size * CHUNK_TARGET_MS) / Math.max(costMs, 0.5));
  // At most halved or doubled at a time: one chunk's measure is noisy.
  return Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.floor(size / 2), Math.min(wanted, size * 2)));
}

/**
 * How long a query keeps the event loop from other work. PGlite in this thread runs it
 * synchronously, before the loop turns again: the whole query counts. A database server (or PGlite
 * in a thread of its own) answers while the loop turns: only the handling of the rows here counts.
 * The smaller of wall and CPU time: CPU time leaves out waits for a core on a busy machine, which
 * would shrink the chunks until the per-query overhead (about a millisecond) dominated.
 */
class QueryClock {
  private wall = performance.now();
  private cpu = process.cpuUsage();
  private turned = false;
  private readonly probe = setImmediate(() => {
    this.turned = true;
  });

  /** The query has answered; if the loop turned meanwhile, its wait was no block: count from here. */
  answered(): void {
    clearImmediate(this.probe);
    if (this.turned) {
      this.wall = performance.now();
      this.cpu = process.cpuUsage();
    }
  }

  ms(): number {
    const cpu = process.cpuUsage(this.cpu);
    return Math.min(performance.now() - this.wall, (cpu.user + cpu.system) / 1000);
  }
}

/** A macrotask turn: timers and I/O run before the promise settles. */
function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

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
async function readWorkRows(
  db: Db,
  where: RawBuilder<unknown>,
  limit: number | null,
  readFor: ReadFor,
  pace?: { slice: TimeSlice; cost: { ms: number } },
): Promise<WorkRow[]> {
  // Each query is a stretch of its own (on PGlite a query runs synchronously in this thread): the
  // event loop gets a turn before each, so it never runs on in the same turn as the work before it;
  // during a load, through the load's slice, whose indexing runs meanwhile.
  const turn = () => (pace ? pace.slice.yield() : yieldToLoop());
  const cost = pace?.cost;
  await turn();
  let clock = new QueryClock();
  const works = await selectWorkRows(where, limit, readFor).execute(db);
  clock.answered();
  const rows = works.rows.map((r) => ({ ...r, tags: r.tags.map(Number) }));
  if (cost) cost.ms = Math.max(cost.ms, clock.ms());
  if (rows.length === 0) return rows;
  await turn();
  clock = new QueryClock();
  // In story order within a work, so its lexemes get the same keys however the works are chunked.
  const chapters = await sql<{ work_id: number; lexemes: string }>`
    select c.work_id, array_to_string(tsvector_to_array(c.body_vector), ${UNIT}) as lexemes from chapters c
    where c.posted and ${readFor === 'load' ? sql`c.work_id between ${rows[0]!.id} and ${rows[rows.length - 1]!.id}` : sql`c.work_id = any(${rows.map((r) => r.id)}::int[])`}
    order by c.work_id, c.position
  `.execute(db);
  clock.answered();
  // Both in work id order: one walk pairs them.
  let k = 0;
  for (const chapter of chapters.rows) {
    while (k < rows.length && rows[k]!.id < chapter.work_id) k++;
    const row = rows[k];
    if (row?.id === chapter.work_id && chapter.lexemes !== '')
      row.body = row.body === null ? chapter.lexemes : `${row.body}${UNIT}${chapter.lexemes}`;
  }
  if (cost) cost.ms = Math.max(cost.ms, clock.ms());
  return rows;
}

async function readTags(db: Db, where: RawBuilder<unknown>): Promise<TagRow[]> {
  return (await sql<TagRow>`select id, type, name from tags where ${where}`.execute(db)).rows;
}

/** Every tag, in chunks with a turn of the event loop before each (tens of thousands at 100,000 works). */
async function readAllTags(db: Db, per: number): Promise<TagRow[]> {
  const tags: TagRow[] = [];
  let after = 0;
  for (;;) {
    await yieldToLoop();
    const chunk = await sql<TagRow>`select id, type, name from tags where id > ${after} order by id limit ${per}`.execute(db);
    tags.push(...chunk.rows);
    if (chunk.rows.length < per) return tags;
    after = chunk.rows[chunk.rows.length - 1]!.id;
  }
}

/** Text postings filled work by work, in position order, within a budget of postings. */
class TextIndexBuilder {
  private readonly lexemeIds = new Map<string, number>();
  private builders: Record<TextField, PostingsBuilder> | null = {
    A: new PostingsBuilder(),
    B: new PostingsBuilder(),
    C: new PostingsBuilder(),
    D: new PostingsBuilder(),
  };
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
  async build(n: number, slice: TimeSlice): Promise<TextIndex | null> {
    const b = this.builders;
    if (!b) return null;
    return {
      lexemeIds: this.lexemeIds,
      fields: { A: await b.A.build(n, slice), B: await b.B.build(n, slice), C: await b.C.build(n, slice), D: await b.D.build(n, slice) },
    };
  }
}

interface LoadOptions {
  onProgress?: (works: number) => void;
  /** Work-lexeme pairs the text postings may hold (0: none). */
  maxTextPostings?: number;
  /** Works per chunk, fixed (tests, benchmarks); by default sized by what the last chunk cost. */
  chunkSize?: number;
}

/**
 * Loads the index at the current generation (null if a write moved it meanwhile). Cooperative:
 * chunks of works sized to short queries, and the indexing between them cut into time slices, so
 * the server keeps answering while it loads (decision 024 says why it stays in this thread).
 */
export async function loadFacetIndex(db: Db, options: LoadOptions = {}): Promise<FacetIndex | null> {
  const before = await readSearchGeneration(db);
  const at = Date.now();
  const rows: WorkRow[] = [];
  const text = new TextIndexBuilder(options.maxTextPostings ?? DEFAULT_MAX_TEXT_POSTINGS);
  const slice = new TimeSlice();
  let size = options.chunkSize ?? FIRST_CHUNK;
  const read = (after: number, limit: number) => {
    // The costlier of the chunk's two queries, each measured alone (not the indexing between them).
    const cost = { ms: 0 };
    const reading = readWorkRows(db, sql`w.id > ${after}`, limit, 'load', { slice, cost }).then((chunk) => ({
      chunk,
      limit,
      costMs: cost.ms,
    }));
    reading.catch(() => undefined); // awaited later; this only keeps a failure from going unhandled meanwhile
    return reading;
  };
  let next = read(0, size);
  for (;;) {
    const { chunk, limit, costMs } = await next;
    const full = chunk.length === limit;
    if (full) {
      // The next chunk is asked for before this one is indexed, so a database server and Node work
      // at once; on PGlite its queries run in turns of their own between the slices below.
      if (!options.chunkSize) size = nextChunkSize(limit, costMs);
      next = read(chunk[chunk.length - 1]!.id, size);
    }
    await slice.yield();
    for (let k = 0; k < chunk.length; k++) {
      // Every row: one work of a long story holds tens of thousands of lexemes.
      if (slice.due()) await slice.yield();
      const row = chunk[k]!;
      // The lexemes go into the postings now; the rows keep only their numbers and tags.
      text.add(row, rows.length);
      row.meta = null;
      row.body = null;
      rows.push(row);
    }
    options.onProgress?.(rows.length);
    if (!full) break;
  }
  const tags = await readAllTags(db, options.chunkSize ?? TAG_CHUNK);
  const afterGen = await readSearchGeneration(db);
  if (afterGen !== before) return null;
  await slice.yield();
  return FacetIndex.build(before, rows, tags, at, await text.build(rows.length, slice), slice);
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
  const state = await sql<{
    value: string;
    pruned: string;
  }>`select value::text as value, pruned_through::text as pruned from search_generation where id = 1`.execute(db);
  const now = state.rows[0];
  if (!now || now.value === index.generation) return index;
  if (BigInt(now.pruned) > BigInt(index.generation)) return 'rebuild';
  const logged = await sql<{ work_id: number | null }>`
    select distinct work_id from search_changes where generation > ${index.generation}::int8 and generation <= ${now.value}::int8
  `.execute(db);
  const ids = logged.rows.map((r) => r.work_id).filter((id): id is number => id !== null);
  const tagsChanged = logged.rows.some((r) => r.work_id === null);
  if (ids.length > rebuildThreshold(index) || index.retired + ids.length > rebuildThreshold(index)) return 'rebuild';
  const rows: WorkRow[] = [];
  const sorted = ids.slice().sort((a, b) => a - b);
  const per = stateOf(db).chunkSize ?? CATCH_UP_CHUNK;
  for (let k = 0; k < sorted.length; k += per) {
    rows.push(...(await readWorkRows(db, sql`w.id = any(${sorted.slice(k, k + per)}::int[])`, null, 'catch-up')));
  }
  const unknown = [...new Set(rows.flatMap((r) => r.tags))].filter((t) => !index.tagType.has(t));
  const tags = tagsChanged
    ? await readAllTags(db, stateOf(db).chunkSize ?? TAG_CHUNK)
    : unknown.length > 0
      ? await readTags(db, sql`id = any(${unknown}::int[])`)
      : [];
  const found = new Set(rows.map((r) => r.id));
  return index.withChanges(
    now.value,
    rows,
    ids.filter((id) => !found.has(id)),
    tags,
  );
}

const PRUNE_EVERY_MS = 60_000;
/** A snapshot older than this, with changes logged since, is rebuilt by the process that notices. */
const SNAPSHOT_REFRESH_MS = 30 * 60_000;
/** The build lease lapses unless renewed this often (the builder renews it while it reads). */
const LEASE_SECONDS = 60;
/** How often a process waiting for another one's snapshot looks again. */
const SNAPSHOT_WAIT_MS = 2_000;

/**
 * Drops change-log entries older than every index's likely need; an index behind them rebuilds.
 * Entries after the stored snapshot stay (for a day) so that a process starting from it can catch
 * up; a snapshot that old, or older than SNAPSHOT_REFRESH_MS with changes after it, is rebuilt.
 */
async function pruneChangeLog(reads: Db): Promise<void> {
  const db = primaryOf(reads);
  const s = stateOf(db);
  if (Date.now() - s.prunedAt < PRUNE_EVERY_MS) return;
  s.prunedAt = Date.now();
  const kept = s.snapshots ? sql`(select max(generation) from search_cache.index_snapshots)` : sql`null::int8`;
  await db.transaction().execute(async (trx) => {
    const gone = await sql<{ g: string | null }>`
      with gone as (
        delete from search_changes where logged_at < now() - interval '10 minutes'
          and (generation <= coalesce(${kept}, generation) or logged_at < now() - interval '1 day')
        returning generation
      )
      select max(generation)::text as g from gone
    `.execute(trx);
    const g = gone.rows[0]?.g ?? null;
    if (g !== null) await sql`update search_generation set pruned_through = greatest(pruned_through, ${g}::int8) where id = 1`.execute(trx);
  });
  if (s.snapshots && !s.building) {
    const stale = await sql<{ stale: boolean }>`
      select (s.created_at < now() - make_interval(secs => ${SNAPSHOT_REFRESH_MS / 1000})
        and exists (select 1 from search_changes c where c.generation > s.generation)) as stale
      from search_cache.index_snapshots s order by s.id desc limit 1
    `.execute(db);
    if (stale.rows[0]?.stale) void refreshSnapshot(db).catch(() => undefined);
  }
}

interface IndexState {
  maxTextPostings: number;
  chunkSize: number | undefined;
  /** Load from and store to the database's snapshot (decision 040); the app turns it on. */
  snapshots: boolean;
  index: FacetIndex | null;
  building: Promise<FacetIndex | null> | null;
  catchingUp: Promise<void> | null;
  countersLoading: Promise<void> | null;
  /** When this process last pruned the change log. */
  prunedAt: number;
  /** Snapshots at or below this id were found unusable here (behind the pruned log, another budget). */
  unusableSnapshot: number;
  /** What the last start-up from a snapshot cost (benchmarks, logs). */
  lastLoad: SnapshotLoad | null;
}

export interface SnapshotLoad {
  snapshotId: number;
  bytes: number;
  readMs: number;
  decodeMs: number;
  catchUpMs: number;
  changes: number;
}

const states = new WeakMap<object, IndexState>();
/** Read handles whose index is their primary's (DATABASE_REPLICA_URLS): one index per process. */
const primaries = new WeakMap<object, Db>();

function primaryOf(db: Db): Db {
  return primaries.get(db) ?? db;
}

function stateOf(db: Db): IndexState {
  const key = primaryOf(db);
  let s = states.get(key);
  if (!s)
    states.set(
      key,
      (s = {
        maxTextPostings: DEFAULT_MAX_TEXT_POSTINGS,
        chunkSize: undefined,
        snapshots: false,
        index: null,
        building: null,
        catchingUp: null,
        countersLoading: null,
        prunedAt: 0,
        unusableSnapshot: 0,
        lastLoad: null,
      }),
    );
  return s;
}

/**
 * Makes `reads` (a handle over read replicas, decision 034) use the index of `primary`, so a
 * process holds one index, not one per handle. A search through either handle may then find the
 * index ahead of its own server: it is used only when at or past the generation that server
 * shows, and a page whose rows that server lacks yet is answered from SQL (searchWorks' guard).
 */
export function shareFacetIndex(reads: Db, primary: Db): void {
  if (reads !== primary) primaries.set(reads, primary);
}

/**
 * Sets how many work-lexeme pairs the text postings of this handle's index may hold (0: none),
 * a fixed number of works per query for its loads, catch-ups and counter reloads (tests and
 * benchmarks; 0: back to the defaults, loads sized by cost), and whether it starts from and
 * stores a snapshot in the database.
 */
export function configureFacetIndex(db: Db, options: { maxTextPostings?: number; chunkSize?: number; snapshots?: boolean }): void {
  const s = stateOf(db);
  if (options.maxTextPostings !== undefined) s.maxTextPostings = options.maxTextPostings;
  if (options.chunkSize !== undefined) s.chunkSize = options.chunkSize > 0 ? options.chunkSize : undefined;
  if (options.snapshots !== undefined) s.snapshots = options.snapshots;
}

/** What the last start-up of this handle's index from a snapshot cost, if it started from one. */
export function lastSnapshotLoad(db: Db): SnapshotLoad | null {
  return stateOf(db).lastLoad;
}

const holder = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;

/** Takes (or renews) the build lease; false while another process holds it. */
async function claimLease(db: Db): Promise<boolean> {
  const row = await sql<{ holder: string }>`
    insert into search_cache.build_lease (id, holder, expires_at) values (1, ${holder}, now() + make_interval(secs => ${LEASE_SECONDS}))
    on conflict (id) do update set holder = excluded.holder, expires_at = excluded.expires_at
      where search_cache.build_lease.expires_at < now() or search_cache.build_lease.holder = excluded.holder
    returning holder
  `.execute(db);
  return row.rows.length > 0;
}

async function releaseLease(db: Db): Promise<void> {
  await sql`delete from search_cache.build_lease where holder = ${holder}`.execute(db);
}

/** Every numeric order now, so no search pays for one; each is a radix sort with a turn of the event loop before it. */
async function sortAll(index: FacetIndex): Promise<void> {
  for (const k of SORT_KEYS) {
    await yieldToLoop();
    index.perm(k);
  }
}

/**
 * The index from the newest stored snapshot, caught up from the change log; null when there is
 * none this process can use (none yet, another text budget, behind the pruned log, or not the
 * archive it claims to be: a database restored under it).
 */
async function loadFromSnapshot(db: Db, s: IndexState): Promise<FacetIndex | null> {
  const stored = await findLatestSnapshot(db);
  if (!stored || stored.id <= s.unusableSnapshot) return null;
  const t0 = performance.now();
  let bytes: Uint8Array;
  try {
    bytes = await readSnapshotBytes(db, stored);
  } catch {
    // Replaced by a newer one while it was read (its parts deleted): look again later.
    return null;
  }
  const t1 = performance.now();
  const decoded = decodeSnapshot(bytes);
  const unusable = () => {
    s.unusableSnapshot = Math.max(s.unusableSnapshot, stored.id);
    return null;
  };
  if (decoded.maxTextPostings !== s.maxTextPostings) return unusable();
  const index = FacetIndex.fromSnapshotParts(decoded.parts);
  await yieldToLoop();
  const t2 = performance.now();
  const caught = await catchUpFacetIndex(db, index);
  if (caught === 'rebuild') return unusable();
  // Every work row the index holds, and no other: a restore or a change made without the
  // triggers (which the log never saw) shows here.
  const works = await sql<{ n: number }>`select count(*)::int as n from works`.execute(db);
  if (Number(works.rows[0]?.n) !== caught.live) return unusable();
  s.lastLoad = {
    snapshotId: stored.id,
    bytes: stored.bytes,
    readMs: t1 - t0,
    decodeMs: t2 - t1,
    catchUpMs: performance.now() - t2,
    changes: caught.n - index.n,
  };
  return caught;
}

/** A full load (three tries while writes keep moving the generation), every order sorted. */
async function buildIndex(db: Db, s: IndexState, onProgress?: (works: number) => void): Promise<FacetIndex | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const built = await loadFacetIndex(db, { onProgress, maxTextPostings: s.maxTextPostings, chunkSize: s.chunkSize });
    if (built) {
      await sortAll(built);
      return built;
    }
  }
  return null;
}

/** Builds under the lease and stores the snapshot; null if another process holds the lease. */
async function buildAndStore(db: Db, s: IndexState, onProgress?: (works: number) => void): Promise<FacetIndex | null | 'busy'> {
  // Reads from the handle given (a replica's, perhaps); the lease and the snapshot go to the primary.
  const primary = primaryOf(db);
  // A lease that cannot be taken at all (a read-only primary, the schema missing) must not keep
  // the index from being built: build without storing.
  const leased = await claimLease(primary).catch(() => null);
  if (leased === null) return buildIndex(db, s, onProgress);
  if (!leased) return 'busy';
  let renewedAt = Date.now();
  try {
    const built = await buildIndex(db, s, (works) => {
      onProgress?.(works);
      if (Date.now() - renewedAt > (LEASE_SECONDS * 1000) / 4) {
        renewedAt = Date.now();
        void claimLease(primary).catch(() => undefined);
      }
    });
    if (built) {
      const parts = built.toSnapshotParts();
      if (parts) {
        await yieldToLoop();
        // The index serves whether or not it could be stored.
        await storeSnapshot(primary, built.generation, built.n, encodeSnapshot(parts, s.maxTextPostings)).catch(() => undefined);
      }
    }
    return built;
  } finally {
    await releaseLease(primary).catch(() => undefined);
  }
}

/** Rebuilds the stored snapshot in the background (the index in use keeps serving meanwhile). */
async function refreshSnapshot(db: Db): Promise<void> {
  const s = stateOf(db);
  if (s.building) return;
  const built = await buildAndStore(db, s);
  if (built && built !== 'busy' && (!s.index || BigInt(built.generation) >= BigInt(s.index.generation))) s.index = built;
}

/**
 * Builds the index (once at a time) and waits for it; retries while writes keep moving the
 * generation. With snapshots on, it starts from the stored snapshot when there is a usable one;
 * otherwise one process (the lease holder) builds and stores it while the others wait for it.
 */
export function ensureFacetIndex(db: Db, onProgress?: (works: number) => void): Promise<FacetIndex | null> {
  const s = stateOf(db);
  s.building ??= (async () => {
    try {
      if (!s.snapshots) {
        const built = await buildIndex(db, s, onProgress);
        if (built) s.index = built;
        return built;
      }
      for (;;) {
        const loaded = await loadFromSnapshot(db, s).catch(() => null);
        if (loaded) {
          s.index = loaded;
          return loaded;
        }
        const built = await buildAndStore(db, s, onProgress);
        if (built !== 'busy') {
          if (built) s.index = built;
          return built;
        }
        await new Promise((resolve) => setTimeout(resolve, SNAPSHOT_WAIT_MS));
      }
    } finally {
      s.building = null;
    }
  })();
  return s.building;
}

/** Starts loading the index in the background unless there is one already or one is on its way. */
export function warmFacetIndex(db: Db): void {
  const s = stateOf(db);
  if (!s.index && !s.building) void ensureFacetIndex(db).catch(() => undefined);
}

/** Drops the index of a handle (tests; a handle that is closing). */
export function dropFacetIndex(db: Db): void {
  states.delete(db);
}

function counterColumns(size: number): Omit<CounterColumns, 'length'> {
  return {
    id: new Int32Array(size),
    hits: new Float64Array(size),
    kudos: new Float64Array(size),
    comments: new Float64Array(size),
    bookmarks: new Float64Array(size),
  };
}

/** Reads the counters again (one reload at a time per handle) and swaps them in. */
export function reloadCounters(db: Db, index: FacetIndex): Promise<void> {
  const s = stateOf(db);
  s.countersLoading ??= (async () => {
    try {
      const at = Date.now();
      const per = s.chunkSize ?? COUNTER_CHUNK;
      // Straight into columns, each chunk's rows as one string: a million row objects took
      // hundreds of milliseconds of this thread and as much again of garbage collection.
      let capacity = index.n + 1024;
      let cols = counterColumns(capacity);
      let length = 0;
      // In chunks, a turn of the event loop before each: one query for every work held PGlite,
      // and so every request, for about a second at 100,000 works.
      let after = 0;
      for (;;) {
        await yieldToLoop();
        const chunk = await sql<{ n: number; t: string | null }>`
          select count(*)::int as n, string_agg(concat_ws(',', id, hits, kudos_count, comments_count, bookmarks_count), ',' order by id) as t
          from (select id, hits, kudos_count, comments_count, bookmarks_count from works where id > ${after} order by id limit ${per}) as w`.execute(
          db,
        );
        const n = Number(chunk.rows[0]?.n ?? 0);
        const text = chunk.rows[0]?.t ?? '';
        if (length + n > capacity) {
          capacity = (length + n) * 2;
          const grown = counterColumns(capacity);
          for (const key of ['id', 'hits', 'kudos', 'comments', 'bookmarks'] as const) grown[key].set(cols[key].subarray(0, length));
          cols = grown;
        }
        // Five whole numbers a work, comma-separated.
        let value = 0;
        let field = 0;
        for (let k = 0; k <= text.length && n > 0; k++) {
          const c = k < text.length ? text.charCodeAt(k) : 44;
          if (c !== 44) {
            value = value * 10 + (c - 48);
            continue;
          }
          if (field === 0) cols.id[length] = value;
          else if (field === 1) cols.hits[length] = value;
          else if (field === 2) cols.kudos[length] = value;
          else if (field === 3) cols.comments[length] = value;
          else cols.bookmarks[length++] = value;
          field = field === 4 ? 0 : field + 1;
          value = 0;
        }
        if (n < per) break;
        after = cols.id[length - 1]!;
      }
      if ((await readSearchGeneration(db)) === index.generation) index.replaceCounters({ ...cols, length }, at);
    } finally {
      s.countersLoading = null;
    }
  })();
  return s.countersLoading;
}

/** Starts a counter reload in the background (searches answer from the snapshot meanwhile). */
export function refreshCounters(db: Db, index: FacetIndex): void {
  reloadCounters(db, index).catch(() => undefined);
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

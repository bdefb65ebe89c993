// An in-process columnar index of every work's searchable facts (decision 014): tag ids in one
// CSR array with per-tag posting lists, flags and numbers in typed arrays, sort orders as
// permutations. Filters, totals, sidebar counts and result pages are computed here in
// milliseconds; SQL only fetches the page's rows by id and answers what the index does not hold
// (full-text terms, title/summary/creator matches), as sets of work ids intersected in memory.
//
// The index is a snapshot at one `search_generation`: a search uses it only while the generation
// is unchanged (every write that can change a result moves it), otherwise it falls back to SQL
// and a rebuild starts in the background. Counters (hits, kudos, comments, bookmarks) do not move
// the generation: their snapshot serves sorts and `kudos:` filters for at most
// COUNTER_MAX_AGE_MS, the same bound the page cache gives counter sorts (decision 007).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, TagType } from '../db/schema.ts';
import type { QueryNode } from './query-parser.ts';
import { compileNode, readSearchGeneration, tagKey, type FacetRow, type ResolvedSearch } from './search.repo.ts';

type Db = Kysely<Database>;

export const COUNTER_MAX_AGE_MS = 30_000;
const CHUNK = 50_000;

const VISIBLE = 1; // not a draft, not hidden by moderators
const PUBLIC = 2; // visible and not restricted
const COMPLETE = 4;

type NumberKey = 'words' | 'chapters' | 'hits' | 'kudos' | 'comments' | 'bookmarks' | 'posted' | 'updated' | 'ratio';
const COUNTER_KEYS: ReadonlySet<string> = new Set(['hits', 'kudos', 'comments', 'bookmarks', 'ratio']);

/** UTF-8 byte order (= code point order), as `collate "C"` compares. */
export function compareCodePoints(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  let i = 0;
  let j = 0;
  while (i < la && j < lb) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return la - i === lb - j ? 0 : la - i < lb - j ? -1 : 1;
}

/**
 * Indices ordered by (key, index) ascending. Keys that are all integers in [0, 2^31) take a
 * stable LSD radix sort (milliseconds at a million); others a comparison sort.
 */
export function sortedOrder(key: Float64Array): Int32Array {
  const n = key.length;
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let integral = true;
  for (let i = 0; i < n && integral; i++) {
    const v = key[i]!;
    if (!(v >= 0 && v < 2 ** 31 && Math.floor(v) === v)) integral = false;
  }
  if (!integral) return order.sort((a, b) => key[a]! - key[b]! || a - b);
  let tmp = new Int32Array(n);
  const counts = new Int32Array(65537);
  for (let shift = 0; shift < 32; shift += 16) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((key[order[i]!]! >>> shift) & 0xffff) + 1]!++;
    for (let d = 1; d < counts.length; d++) counts[d]! += counts[d - 1]!;
    for (let i = 0; i < n; i++) {
      const o = order[i]!;
      tmp[counts[(key[o]! >>> shift) & 0xffff]!++] = o;
    }
    [order, tmp] = [tmp, order];
  }
  return order;
}

interface WorkChunkRow {
  id: number;
  flags: number;
  lang: string;
  words: number;
  chapters: number;
  hits: number;
  kudos: number;
  comments: number;
  bookmarks: number;
  fandoms: number;
  posted: string | null;
  updated: string;
  tags: number[];
}

export class FacetIndex {
  readonly n: number;
  readonly ids: Int32Array;
  readonly flags: Uint8Array;
  readonly lang: Uint16Array;
  readonly langCodes: Map<string, number>;
  readonly fandoms: Int32Array;
  readonly num: Record<Exclude<NumberKey, 'ratio'>, Float64Array>;
  readonly tagStart: Int32Array;
  readonly tagList: Int32Array;
  readonly postStart: Int32Array;
  readonly postList: Int32Array;
  readonly tagType: Map<number, TagType>;
  readonly tagName: Map<number, string>;
  /** Sidebar counts over every work a guest (0) or a member (1) may see. */
  readonly baseCounts: [Int32Array, Int32Array];
  readonly baseSize: [number, number];
  private readonly perms = new Map<string, Int32Array>();
  countersAt: number;

  constructor(readonly generation: string, rows: WorkChunkRow[], tags: Array<{ id: number; type: TagType; name: string }>, at: number) {
    const n = rows.length;
    this.n = n;
    this.countersAt = at;
    this.ids = new Int32Array(n);
    this.flags = new Uint8Array(n);
    this.lang = new Uint16Array(n);
    this.langCodes = new Map();
    this.fandoms = new Int32Array(n);
    const f64 = () => new Float64Array(n);
    this.num = { words: f64(), chapters: f64(), hits: f64(), kudos: f64(), comments: f64(), bookmarks: f64(), posted: f64(), updated: f64() };
    this.tagType = new Map(tags.map((t) => [t.id, t.type]));
    this.tagName = new Map(tags.map((t) => [t.id, t.name]));
    let total = 0;
    let maxTag = 0;
    for (const r of rows) {
      total += r.tags.length;
      for (const t of r.tags) if (t > maxTag) maxTag = t;
    }
    this.tagStart = new Int32Array(n + 1);
    this.tagList = new Int32Array(total);
    const perTag = new Int32Array(maxTag + 2);
    let at2 = 0;
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      this.ids[i] = r.id;
      this.flags[i] = r.flags;
      let code = this.langCodes.get(r.lang);
      if (code === undefined) this.langCodes.set(r.lang, (code = this.langCodes.size));
      this.lang[i] = code;
      this.fandoms[i] = r.fandoms;
      this.num.words[i] = r.words;
      this.num.chapters[i] = r.chapters;
      this.num.hits[i] = r.hits;
      this.num.kudos[i] = r.kudos;
      this.num.comments[i] = r.comments;
      this.num.bookmarks[i] = r.bookmarks;
      // Microseconds since the epoch, exact in a double; a missing date sorts after all (as NULL does).
      this.num.posted[i] = r.posted === null ? Number.POSITIVE_INFINITY : Number(r.posted);
      this.num.updated[i] = Number(r.updated);
      this.tagStart[i] = at2;
      for (const t of r.tags) {
        this.tagList[at2++] = t;
        perTag[t + 1]!++;
      }
    }
    this.tagStart[n] = at2;
    for (let t = 1; t < perTag.length; t++) perTag[t]! += perTag[t - 1]!;
    this.postStart = perTag.slice();
    this.postList = new Int32Array(total);
    const fill = perTag; // reused as the write cursor
    for (let i = 0; i < n; i++) {
      for (let k = this.tagStart[i]!; k < this.tagStart[i + 1]!; k++) this.postList[fill[this.tagList[k]!]!++] = i;
    }
    const guest = new Int32Array(maxTag + 1);
    const member = new Int32Array(maxTag + 1);
    let guests = 0;
    let members = 0;
    for (let i = 0; i < n; i++) {
      const fl = this.flags[i]!;
      if (!(fl & VISIBLE)) continue;
      members++;
      if (fl & PUBLIC) guests++;
      for (let k = this.tagStart[i]!; k < this.tagStart[i + 1]!; k++) {
        const t = this.tagList[k]!;
        member[t]!++;
        if (fl & PUBLIC) guest[t]!++;
      }
    }
    this.baseCounts = [guest, member];
    this.baseSize = [guests, members];
  }

  postings(tag: number): Int32Array {
    if (tag < 0 || tag + 1 >= this.postStart.length) return new Int32Array(0);
    return this.postList.subarray(this.postStart[tag]!, this.postStart[tag + 1]!);
  }

  indexOf(id: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  key(k: NumberKey): Float64Array {
    if (k !== 'ratio') return this.num[k];
    const out = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.num.kudos[i]! / Math.max(this.num.hits[i]!, 1);
    return out;
  }

  /** Indices ordered by (key, id) ascending; reversed it is (key desc, id desc). */
  perm(k: NumberKey): Int32Array {
    let p = this.perms.get(k);
    if (!p) this.perms.set(k, (p = sortedOrder(this.key(k))));
    return p;
  }

  setPerm(name: string, p: Int32Array): void {
    this.perms.set(name, p);
  }

  cachedPerm(name: string): Int32Array | undefined {
    return this.perms.get(name);
  }

  /** New counter values (same works, same generation): replaces them and the orders built on them. */
  replaceCounters(rows: Array<{ id: number; hits: number; kudos: number; comments: number; bookmarks: number }>, at: number): void {
    const next = { hits: this.num.hits.slice(), kudos: this.num.kudos.slice(), comments: this.num.comments.slice(), bookmarks: this.num.bookmarks.slice() };
    rows.forEach((r, k) => {
      // Rows come in id order, the index's order, when no work came or went (same generation).
      const i = this.ids[k] === r.id ? k : this.indexOf(r.id);
      if (i < 0) return;
      next.hits[i] = r.hits;
      next.kudos[i] = r.kudos;
      next.comments[i] = r.comments;
      next.bookmarks[i] = r.bookmarks;
    });
    Object.assign(this.num, next);
    for (const k of COUNTER_KEYS) if (this.perms.has(k)) this.perms.set(k, sortedOrder(this.key(k as NumberKey)));
    this.countersAt = at;
  }
}

/** Loads the index at the current generation (null if a write moved it meanwhile). */
export async function loadFacetIndex(db: Db): Promise<FacetIndex | null> {
  const before = await readSearchGeneration(db);
  const at = Date.now();
  const rows: WorkChunkRow[] = [];
  let last = 0;
  for (;;) {
    const chunk = await sql<WorkChunkRow>`
      select w.id,
        (case when not w.is_draft and not exists (select 1 from hidden_works hw where hw.work_id = w.id)
          then ${VISIBLE} + case when w.is_restricted then 0 else ${PUBLIC} end else 0 end
          + case when w.is_complete then ${COMPLETE} else 0 end)::int as flags,
        lower(w.language) as lang, w.word_count as words, w.chapter_count as chapters, w.hits, w.kudos_count as kudos,
        w.comments_count as comments, w.bookmarks_count as bookmarks, w.fandom_count as fandoms,
        (extract(epoch from w.published_at) * 1000000)::int8::text as posted,
        (extract(epoch from w.updated_at) * 1000000)::int8::text as updated,
        w.filter_tag_ids as tags
      from works w where w.id > ${last} order by w.id limit ${CHUNK}
    `.execute(db);
    for (const r of chunk.rows) rows.push({ ...r, tags: r.tags.map(Number) });
    if (chunk.rows.length < CHUNK) break;
    last = chunk.rows[chunk.rows.length - 1]!.id;
  }
  const tags = await sql<{ id: number; type: TagType; name: string }>`select id, type, name from tags`.execute(db);
  const afterGen = await readSearchGeneration(db);
  if (afterGen !== before) return null;
  return new FacetIndex(before, rows, tags.rows, at);
}

interface IndexState {
  index: FacetIndex | null;
  building: Promise<FacetIndex | null> | null;
  countersLoading: Promise<void> | null;
}

const states = new WeakMap<object, IndexState>();

function stateOf(db: Db): IndexState {
  let s = states.get(db);
  if (!s) states.set(db, (s = { index: null, building: null, countersLoading: null }));
  return s;
}

/** Builds the index (once at a time) and waits for it; retries while writes keep moving the generation. */
export function ensureFacetIndex(db: Db): Promise<FacetIndex | null> {
  const s = stateOf(db);
  s.building ??= (async () => {
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const built = await loadFacetIndex(db);
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

function refreshCounters(db: Db, index: FacetIndex): void {
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

/**
 * The index if it is at `generation`; otherwise null, after starting a rebuild in the background
 * (the caller answers from SQL meanwhile).
 */
export function currentFacetIndex(db: Db, generation: string): FacetIndex | null {
  const s = stateOf(db);
  if (s.index && s.index.generation === generation) return s.index;
  if (!s.building) void ensureFacetIndex(db).catch(() => undefined);
  return null;
}

// ── Evaluation ──

export interface MemorySearch {
  /** Null when the order is computed in SQL (best match with free-text terms, creator). */
  ids: number[] | null;
  hasNext: boolean;
  total: number;
  facets: FacetRow[];
}

function usesCounters(node: QueryNode | null): boolean {
  if (!node) return false;
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.items.some(usesCounters);
    case 'not':
      return usesCounters(node.item);
    case 'number':
    case 'range':
      return node.field !== 'words' && node.field !== 'chapters';
    default:
      return false;
  }
}

async function idSetMask(db: Db, index: FacetIndex, query: RawBuilder<unknown>): Promise<Uint8Array> {
  const mask = new Uint8Array(index.n);
  // One row with every id: a hundred thousand rows cost far more to ship (PGlite above all) than one string.
  const result = await sql<{ ids: string | null }>`select string_agg(q.id::text, ',') as ids from (${query}) as q`.execute(db);
  const text = result.rows[0]?.ids ?? null;
  if (text === null) return mask;
  let value = 0;
  for (let k = 0; k <= text.length; k++) {
    const c = k < text.length ? text.charCodeAt(k) : 44;
    if (c === 44) {
      const i = index.indexOf(value);
      if (i >= 0) mask[i] = 1;
      value = 0;
    } else value = value * 10 + (c - 48);
  }
  return mask;
}

function tagMask(index: FacetIndex, ids: readonly number[]): Uint8Array {
  const mask = new Uint8Array(index.n);
  for (const t of ids) for (const i of index.postings(t)) mask[i] = 1;
  return mask;
}

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return a === b;
  }
}

/** The query-language tree as a 0/1 mask over all works; what the index does not hold comes from SQL. */
async function nodeMask(db: Db, index: FacetIndex, node: QueryNode, tagIds: ReadonlyMap<string, number[]>): Promise<Uint8Array> {
  const n = index.n;
  switch (node.kind) {
    case 'and':
    case 'or': {
      const parts = await Promise.all(node.items.map((item) => nodeMask(db, index, item, tagIds)));
      const out = parts[0] ?? new Uint8Array(n).fill(node.kind === 'and' ? 1 : 0);
      for (const p of parts.slice(1)) {
        if (node.kind === 'and') for (let i = 0; i < n; i++) out[i]! &= p[i]!;
        else for (let i = 0; i < n; i++) out[i]! |= p[i]!;
      }
      return out;
    }
    case 'not': {
      const inner = await nodeMask(db, index, node.item, tagIds);
      for (let i = 0; i < n; i++) inner[i] = inner[i]! ^ 1;
      return inner;
    }
    case 'tag':
      return tagMask(index, tagIds.get(tagKey(node.field, node.name)) ?? []);
    case 'number':
    case 'range': {
      const col = index.num[node.field];
      const out = new Uint8Array(n);
      if (node.kind === 'number') for (let i = 0; i < n; i++) out[i] = compare(col[i]!, node.op, node.value) ? 1 : 0;
      else for (let i = 0; i < n; i++) out[i] = col[i]! >= node.min && col[i]! <= node.max ? 1 : 0;
      return out;
    }
    case 'language': {
      const code = index.langCodes.get(node.code.toLowerCase());
      const out = new Uint8Array(n);
      if (code !== undefined) for (let i = 0; i < n; i++) out[i] = index.lang[i] === code ? 1 : 0;
      return out;
    }
    case 'complete': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = (index.flags[i]! & COMPLETE) !== 0 === node.value ? 1 : 0;
      return out;
    }
    case 'text': {
      // The two GIN indexes, unioned, without visiting the other works (a query of stop words only matches all).
      const q = node.phrase ? sql`phraseto_tsquery('english', ${node.text})` : sql`plainto_tsquery('english', ${node.text})`;
      const empty = await sql<{ n: number }>`select numnode(${q})::int as n`.execute(db);
      if (Number(empty.rows[0]?.n ?? 0) === 0) return new Uint8Array(n).fill(1);
      return idSetMask(db, index, sql`select w2.id from works w2 where w2.search_vector @@ ${q} union select c.work_id from chapters c where c.body_vector @@ ${q}`);
    }
    case 'field':
      // Full text and title/summary/creator matches: the same SQL condition as the SQL path, as a set of ids.
      return idSetMask(db, index, sql`select works.id from works where ${compileNode(node, tagIds)}`);
  }
}

function dayMicros(day: string, plusOne: boolean): number {
  return (Date.parse(`${day}T00:00:00Z`) + (plusOne ? 86_400_000 : 0)) * 1000;
}

/**
 * The search over the index: page ids in order (null for an order only SQL gives), total and
 * sidebar. Null when the index cannot answer exactly (its title order is behind a write); the
 * caller then answers from SQL.
 */
export async function searchFacetIndex(
  db: Db,
  index: FacetIndex,
  r: ResolvedSearch,
  page: number,
  perPage: number,
  facetsPerType: number | null,
  hasRank: boolean,
): Promise<MemorySearch | null> {
  type Order = { key: NumberKey | 'title'; desc: boolean };
  let order: Order | null;
  switch (r.sort) {
    case 'best':
      order = hasRank ? null : { key: 'updated', desc: true };
      break;
    case 'creator':
      order = null;
      break;
    case 'title':
      order = { key: 'title', desc: r.direction === 'desc' };
      break;
    case 'posted':
    case 'updated':
    case 'words':
    case 'hits':
    case 'kudos':
    case 'comments':
    case 'bookmarks':
    case 'ratio':
      order = { key: r.sort, desc: r.direction === 'desc' };
      break;
  }
  // Counters older than their bound reload in the background; until then the snapshot serves.
  if (((order && COUNTER_KEYS.has(order.key)) || usesCounters(r.query)) && Date.now() - index.countersAt > COUNTER_MAX_AGE_MS) refreshCounters(db, index);

  const n = index.n;
  const cls = r.signedIn ? 1 : 0;
  const need = r.signedIn ? VISIBLE : PUBLIC;
  const match = new Uint8Array(n);
  let total = 0;
  if (!r.impossible) {
    // SQL-backed parts first, concurrently.
    const [queryMask, creatorMask, hiddenUserMask] = await Promise.all([
      r.query ? nodeMask(db, index, r.query, r.tagIds) : null,
      r.creator !== ''
        ? idSetMask(db, index, sql`select wc.work_id as id from work_creators wc join pseuds p on p.id = wc.pseud_id join users u on u.id = p.user_id where lower(p.name) = ${r.creator} or lower(u.login) = ${r.creator}`)
        : null,
      r.hiddenUserIds.length > 0
        ? idSetMask(db, index, sql`select wc.work_id as id from work_creators wc join pseuds p on p.id = wc.pseud_id where p.user_id = any(${[...r.hiddenUserIds]}::int[])`)
        : null,
    ]);
    const nInclude = r.includeAll.length;
    let candidates: Int32Array | null = null;
    let includeMarks: Uint8Array | null = null;
    if (nInclude > 0) {
      includeMarks = new Uint8Array(n);
      r.includeAll.forEach((t, k) => {
        const p = index.postings(t);
        if (!candidates || p.length < candidates.length) candidates = p;
        for (const i of p) if (includeMarks![i] === k) includeMarks![i] = k + 1;
      });
    }
    const anyOf = r.includeAnyOf.map((group) => tagMask(index, group));
    const excluded = [...new Set([...r.excludeAny, ...r.hiddenTagIds])];
    const excludeMask = excluded.length > 0 ? tagMask(index, excluded) : null;
    const langCode = r.language !== '' ? (index.langCodes.get(r.language.toLowerCase()) ?? -1) : null;
    const w = index.num.words;
    const pub = index.num.posted;
    const upd = index.num.updated;
    const pFrom = r.postedFrom === null ? null : dayMicros(r.postedFrom, false);
    const pTo = r.postedTo === null ? null : dayMicros(r.postedTo, true);
    const uFrom = r.updatedFrom === null ? null : dayMicros(r.updatedFrom, false);
    const uTo = r.updatedTo === null ? null : dayMicros(r.updatedTo, true);
    const test = (i: number): boolean => {
      const fl = index.flags[i]!;
      if (!(fl & need)) return false;
      if (includeMarks && includeMarks[i] !== nInclude) return false;
      for (const m of anyOf) if (!m[i]) return false;
      if (excludeMask && excludeMask[i]) return false;
      if (r.crossover === 'exclude' && index.fandoms[i]! > 1) return false;
      if (r.crossover === 'only' && index.fandoms[i]! < 2) return false;
      if (r.complete === 'complete' && !(fl & COMPLETE)) return false;
      if (r.complete === 'in_progress' && fl & COMPLETE) return false;
      if (r.wordsFrom !== null && w[i]! < r.wordsFrom) return false;
      if (r.wordsTo !== null && w[i]! > r.wordsTo) return false;
      // A missing date (Infinity) passes no date bound, as NULL compares in SQL.
      if (pFrom !== null && !(pub[i]! >= pFrom && pub[i]! !== Number.POSITIVE_INFINITY)) return false;
      if (pTo !== null && !(pub[i]! < pTo)) return false;
      if (uFrom !== null && !(upd[i]! >= uFrom)) return false;
      if (uTo !== null && !(upd[i]! < uTo)) return false;
      if (langCode !== null && index.lang[i] !== langCode) return false;
      if (queryMask && !queryMask[i]) return false;
      if (creatorMask && !creatorMask[i]) return false;
      if (hiddenUserMask && hiddenUserMask[i]) return false;
      return true;
    };
    const cand = candidates as Int32Array | null;
    if (cand) {
      for (const i of cand) if (match[i] === 0 && test(i)) (match[i] = 1), total++;
    } else {
      for (let i = 0; i < n; i++) if (test(i)) (match[i] = 1), total++;
    }
  }

  // The page: walk the order's permutation, keeping matches.
  let perm: Int32Array | null;
  if (!order) perm = null;
  else if (order.key === 'title') {
    let p = index.cachedPerm('title');
    if (!p) {
      const rows = await sql<{ id: number }>`select id from works order by lower(title) collate "C" asc, id asc`.execute(db);
      if ((await readSearchGeneration(db)) !== index.generation) return null;
      p = new Int32Array(rows.rows.length);
      let k = 0;
      for (const row of rows.rows) {
        const i = index.indexOf(row.id);
        if (i < 0) return null;
        p[k++] = i;
      }
      if (k !== n) return null;
      index.setPerm('title', p);
    }
    perm = p;
  } else {
    perm = index.perm(order.key);
  }
  const offset = (page - 1) * perPage;
  const ids: number[] = [];
  let seen = 0;
  let hasNext = false;
  if (perm && order && total > offset) {
    for (let k = 0; k < n; k++) {
      const i = perm[order.desc ? n - 1 - k : k]!;
      if (!match[i]) continue;
      if (seen++ < offset) continue;
      if (ids.length === perPage) {
        hasNext = true;
        break;
      }
      ids.push(index.ids[i]!);
    }
  }

  const facets: FacetRow[] = [];
  if (facetsPerType !== null && total > 0) {
    let counts: Int32Array;
    const base = index.baseCounts[cls];
    if (total * 2 <= index.baseSize[cls]) {
      counts = new Int32Array(base.length);
      for (let i = 0; i < n; i++) {
        if (!match[i]) continue;
        for (let k = index.tagStart[i]!; k < index.tagStart[i + 1]!; k++) counts[index.tagList[k]!]!++;
      }
    } else {
      // Most visible works match: count the few that do not, subtract from the visible totals.
      counts = base.slice();
      for (let i = 0; i < n; i++) {
        if (match[i] || !(index.flags[i]! & need)) continue;
        for (let k = index.tagStart[i]!; k < index.tagStart[i + 1]!; k++) counts[index.tagList[k]!]!--;
      }
    }
    // Top N per type in one pass: a small list per type, kept in order; names compared only on ties.
    const better = (a: FacetRow, b: FacetRow) => b.n - a.n || compareCodePoints(a.name, b.name) || a.id - b.id;
    const byType = new Map<TagType, FacetRow[]>();
    for (let t = 0; t < counts.length; t++) {
      const c = counts[t]!;
      if (c <= 0) continue;
      const type = index.tagType.get(t);
      if (type === undefined || type === 'media') continue;
      let list = byType.get(type);
      if (!list) byType.set(type, (list = []));
      if (list.length === facetsPerType && list[list.length - 1]!.n > c) continue;
      const row: FacetRow = { id: t, name: index.tagName.get(t)!, type, n: c };
      if (list.length === facetsPerType && better(row, list[list.length - 1]!) >= 0) continue;
      let at = list.length;
      while (at > 0 && better(row, list[at - 1]!) < 0) at--;
      list.splice(at, 0, row);
      if (list.length > facetsPerType) list.pop();
    }
    for (const list of byType.values()) facets.push(...list);
    // The same presentation order as the SQL path's.
    facets.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id)));
  }
  return { ids: perm ? ids : null, hasNext, total, facets };
}


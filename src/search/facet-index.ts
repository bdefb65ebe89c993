// An in-process columnar index of every work's searchable facts (decisions 014 and 021): tag ids
// and text lexemes as posting lists, flags and numbers in typed arrays, sort orders as
// permutations. This module is the data structure: built once from every work, then derived
// anew, cheaply, for each batch of changed works (their old positions retired, new rows
// appended). Loading it and keeping it current is facet-index-store.ts; searching it is
// facet-search.ts.
import type { TagType } from '../db/schema.ts';
import { Postings, PostingsBuilder, type PostingsParts } from './postings.ts';

export const VISIBLE = 1; // not a draft, not hidden by moderators
export const PUBLIC = 2; // visible and not restricted
export const COMPLETE = 4;

export type NumberKey = 'words' | 'chapters' | 'hits' | 'kudos' | 'comments' | 'bookmarks' | 'posted' | 'updated' | 'ratio';
export const COUNTER_KEYS: ReadonlySet<string> = new Set(['hits', 'kudos', 'comments', 'bookmarks', 'ratio']);

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
 * Positions ordered by (key, id) ascending, starting from `byId` (positions in id order;
 * identity when positions are in id order). A stable LSD radix sort over the keys' IEEE-754 bits,
 * 16 at a time, skipping the digits every key shares: milliseconds at a million works for any
 * key, dates in microseconds and ratios included, where a comparison sort took a tenth of a second
 * per order and could not give the event loop a turn. NaN keys must not occur.
 */
export function sortedOrder(key: Float64Array, byId?: Int32Array): Int32Array {
  const n = key.length;
  let order = byId ? byId.slice() : Int32Array.from({ length: n }, (_, i) => i);
  // Each key as an unsigned 64-bit integer (hi, lo) in the keys' numeric order: a positive
  // double's bits with the sign bit set, a negative one's bits inverted; -0 counts as 0.
  const bits = new Uint32Array(2 * n);
  const one = new Float64Array(1);
  const word = new Uint32Array(one.buffer);
  const hiWord = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
  for (let i = 0; i < n; i++) {
    one[0] = key[i]! === 0 ? 0 : key[i]!;
    const hi = word[hiWord]!;
    const lo = word[1 - hiWord]!;
    const negative = hi >>> 31 === 1;
    bits[2 * i] = negative ? ~lo >>> 0 : lo;
    bits[2 * i + 1] = negative ? ~hi >>> 0 : (hi | 0x80000000) >>> 0;
  }
  let tmp = new Int32Array(n);
  const counts = new Int32Array(65537);
  for (let digit = 0; digit < 4; digit++) {
    const at = digit >> 1;
    const shift = (digit & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((bits[2 * i + at]! >>> shift) & 0xffff) + 1]!++;
    // A digit every key shares moves nothing.
    let shared = false;
    for (let d = 1; d < counts.length; d++) {
      if (counts[d] === n) shared = true;
      counts[d]! += counts[d - 1]!;
    }
    if (shared) continue;
    for (let i = 0; i < n; i++) {
      const o = order[i]!;
      tmp[counts[(bits[2 * o + at]! >>> shift) & 0xffff]!++] = o;
    }
    [order, tmp] = [tmp, order];
  }
  return order;
}

const SLICE_MS = 20;

/**
 * A long synchronous job cut into slices of at most about `sliceMs`: between slices the event
 * loop runs timers and I/O (a macrotask turn, which an `await` alone does not give), so requests
 * are answered while the index builds. Parts of one job that run at once (a query and the
 * indexing of the chunk before it) take their turns through the same slice, one after another.
 */
export class TimeSlice {
  private startedAt = performance.now();
  private turn: Promise<void> = Promise.resolve();

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Whether this slice has run its time. */
  due(): boolean {
    return performance.now() - this.startedAt >= this.sliceMs;
  }

  /** Lets the event loop run, then starts a new slice. */
  async yield(): Promise<void> {
    // Two parts waiting at once would be called in the same check phase, back to back, with no
    // timer or I/O between them: chained, the second part's turn is asked for only when the first
    // part's has come, so it falls in the next iteration of the loop.
    const turn = this.turn.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.turn = turn;
    await turn;
    this.startedAt = performance.now();
  }

  /** Yields if this slice has run its time. */
  async pause(): Promise<void> {
    if (this.due()) await this.yield();
  }
}

/** Every work's counters, as columns (a million row objects cost more to collect than to read). */
export interface CounterColumns {
  length: number;
  id: Int32Array;
  hits: Float64Array;
  kudos: Float64Array;
  comments: Float64Array;
  bookmarks: Float64Array;
}

/** One work as the index holds it; `meta` and `body` are its lexemes, separated by UNIT. */
export interface WorkRow {
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
  /** Title, tag and summary lexemes, each prefixed by the strongest weight it has (A, B, C). */
  meta: string | null;
  /** The lexemes of the work's posted chapters. */
  body: string | null;
  /** `lower(title)` as the database lowers it, for title order (read by catch-ups only). */
  title_key: string | null;
}

export interface TagRow {
  id: number;
  type: TagType;
  name: string;
}

export const UNIT = '\u001f';
export const FACET_TYPES: readonly TagType[] = ['warning', 'category', 'character', 'fandom', 'freeform', 'rating', 'relationship'];

/** Per tag id, its type's place in FACET_TYPES plus one (0: no sidebar), over `from` if given. */
function facetTypes(tags: Iterable<{ id: number; type: TagType }>, size: number, from?: Uint8Array): Uint8Array {
  const out = new Uint8Array(size);
  if (from) out.set(from.subarray(0, Math.min(from.length, size)));
  for (const { id, type } of tags) if (id < size) out[id] = FACET_TYPES.indexOf(type) + 1;
  return out;
}

/** Text postings per place a lexeme occurs: title (A), tags (B), summary (C), chapters (D). */
export const TEXT_FIELDS = ['A', 'B', 'C', 'D'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export interface TextIndex {
  /** Lexeme → key in the postings; append-only, shared by successive indexes. */
  lexemeIds: Map<string, number>;
  fields: Record<TextField, Postings>;
}

export function lexemeKey(lexemeIds: Map<string, number>, lexeme: string): number {
  let id = lexemeIds.get(lexeme);
  if (id === undefined) lexemeIds.set(lexeme, (id = lexemeIds.size));
  return id;
}

/** Calls `visit(field, lexemeKey)` for each lexeme of a work. */
export function eachLexeme(lexemeIds: Map<string, number>, row: WorkRow, visit: (field: TextField, key: number) => void): void {
  if (row.meta) {
    for (const item of row.meta.split(UNIT)) {
      const field = item[0] as TextField;
      if (field === 'A' || field === 'B' || field === 'C') visit(field, lexemeKey(lexemeIds, item.slice(1)));
    }
  }
  if (row.body) for (const lexeme of row.body.split(UNIT)) visit('D', lexemeKey(lexemeIds, lexeme));
}

/** Everything a snapshot of a full build holds (facet-index-snapshot.ts encodes it). */
export interface SnapshotParts {
  generation: string;
  countersAt: number;
  n: number;
  langCodes: Array<[string, number]>;
  tags: TagRow[];
  baseSize: [number, number];
  arrays: Record<string, Int32Array | Uint8Array | Uint16Array | Float64Array>;
  tagPostings: PostingsParts;
  text: { lexemes: string[]; fields: Record<TextField, PostingsParts> } | null;
}

export const SORT_KEYS = ['words', 'chapters', 'hits', 'kudos', 'comments', 'bookmarks', 'posted', 'updated', 'ratio'] as const;

const NUMBER_KEYS = ['words', 'chapters', 'hits', 'kudos', 'comments', 'bookmarks', 'posted', 'updated'] as const;
type StoredKey = (typeof NUMBER_KEYS)[number];

type Column = Int32Array | Uint8Array | Uint16Array | Float64Array;

/** A copy of `length` elements (for arrays a catch-up changes in place). */
function grow<T extends Column>(array: T, length: number): T {
  const out = new (array.constructor as new (n: number) => T)(length);
  out.set(array.subarray(0, Math.min(array.length, length)));
  return out;
}

/**
 * A view of `length` elements keeping `array`'s values, for arrays that only grow: the same
 * buffer while it has room (an older index's view never reads past its own length, and only the
 * newest index is ever extended), else a new buffer with headroom for later catch-ups.
 */
function extend<T extends Column>(array: T, length: number): T {
  const make = array.constructor as unknown as new (buffer: ArrayBuffer, offset: number, length: number) => T;
  const size = array.BYTES_PER_ELEMENT;
  if (array.byteOffset === 0 && array.buffer.byteLength >= length * size) return new make(array.buffer as ArrayBuffer, 0, length);
  const out = new make(new ArrayBuffer(Math.ceil(length * 1.25 + 1024) * size), 0, length);
  out.set(array.subarray(0, Math.min(array.length, length)));
  return out;
}

/** Everything an index is made of; successive indexes share what did not change. */
interface IndexParts {
  generation: string;
  n: number;
  /** Positions below it hold ascending ids (the full build); later ones come from `moved`. */
  baseN: number;
  ids: Int32Array;
  /** Ids whose live position is not in the sorted base (appended), or -1 for a deleted work. */
  moved: Map<number, number>;
  retired: number;
  flags: Uint8Array;
  lang: Uint16Array;
  langCodes: Map<string, number>;
  fandoms: Int32Array;
  num: Record<StoredKey, Float64Array>;
  tagStart: Int32Array;
  tagList: Int32Array;
  tags: Postings;
  tagType: Map<number, TagType>;
  tagName: Map<number, string>;
  /** Per tag id, its type's place in FACET_TYPES plus one; 0 for no sidebar (media, unknown). */
  facetType: Uint8Array;
  baseCounts: [Int32Array, Int32Array];
  baseSize: [number, number];
  /** Null when the archive's text outgrew the postings budget: free text is then asked of SQL. */
  text: TextIndex | null;
  perms: Map<string, Int32Array>;
  /** Orders of an earlier index over positions [0, from), to merge with the later ones on use. */
  pendingPerms: Map<string, { perm: Int32Array; from: number }>;
  /** `lower(title)` by position, once a title-sorted search has read the title order. */
  titleKeys: string[] | null;
}

export class FacetIndex {
  readonly generation: string;
  readonly n: number;
  readonly ids: Int32Array;
  readonly flags: Uint8Array;
  readonly lang: Uint16Array;
  readonly langCodes: Map<string, number>;
  readonly fandoms: Int32Array;
  readonly num: Record<StoredKey, Float64Array>;
  readonly tagStart: Int32Array;
  readonly tagList: Int32Array;
  readonly tags: Postings;
  readonly tagType: Map<number, TagType>;
  readonly tagName: Map<number, string>;
  /** Sidebar counts over every work a guest (0) or a member (1) may see. */
  readonly baseCounts: [Int32Array, Int32Array];
  readonly baseSize: [number, number];
  readonly text: TextIndex | null;
  readonly facetType: Uint8Array;
  private readonly parts: IndexParts;

  private constructor(
    parts: IndexParts,
    /** When the counters (hits, kudos, comments, bookmarks) were read. */
    public countersAt: number,
  ) {
    this.parts = parts;
    this.generation = parts.generation;
    this.n = parts.n;
    this.ids = parts.ids;
    this.flags = parts.flags;
    this.lang = parts.lang;
    this.langCodes = parts.langCodes;
    this.fandoms = parts.fandoms;
    this.num = parts.num;
    this.tagStart = parts.tagStart;
    this.tagList = parts.tagList;
    this.tags = parts.tags;
    this.tagType = parts.tagType;
    this.tagName = parts.tagName;
    this.baseCounts = parts.baseCounts;
    this.baseSize = parts.baseSize;
    this.text = parts.text;
    this.facetType = parts.facetType;
  }

  /**
   * The index of every work, rows in ascending id order, their lexemes already in `text`. Gives
   * the event loop a turn whenever `slice` has run its time.
   */
  static async build(
    generation: string,
    rows: WorkRow[],
    tags: TagRow[],
    at: number,
    text: TextIndex | null,
    slice = new TimeSlice(),
  ): Promise<FacetIndex> {
    const n = rows.length;
    const f64 = () => new Float64Array(n);
    const parts: IndexParts = {
      generation,
      n,
      baseN: n,
      ids: new Int32Array(n),
      moved: new Map(),
      retired: 0,
      flags: new Uint8Array(n),
      lang: new Uint16Array(n),
      langCodes: new Map(),
      fandoms: new Int32Array(n),
      num: { words: f64(), chapters: f64(), hits: f64(), kudos: f64(), comments: f64(), bookmarks: f64(), posted: f64(), updated: f64() },
      tagStart: new Int32Array(n + 1),
      tagList: new Int32Array(rows.reduce((sum, r) => sum + r.tags.length, 0)),
      tags: Postings.empty(),
      tagType: new Map(tags.map((t) => [t.id, t.type])),
      tagName: new Map(tags.map((t) => [t.id, t.name])),
      facetType: new Uint8Array(0),
      baseCounts: [new Int32Array(0), new Int32Array(0)],
      baseSize: [0, 0],
      text,
      perms: new Map(),
      pendingPerms: new Map(),
      titleKeys: null,
    };
    const tagBuilder = new PostingsBuilder();
    let cursor = 0;
    let maxTag = tags.reduce((m, t) => Math.max(m, t.id), 0);
    for (let i = 0; i < n; i++) {
      if ((i & 255) === 0 && slice.due()) await slice.yield();
      const row = rows[i]!;
      cursor = placeRow(parts, i, row, cursor);
      for (const t of row.tags) {
        tagBuilder.add(t, i);
        if (t > maxTag) maxTag = t;
      }
    }
    parts.tags = await tagBuilder.build(n, slice);
    parts.baseCounts = [new Int32Array(maxTag + 1), new Int32Array(maxTag + 1)];
    parts.facetType = facetTypes(tags, maxTag + 1);
    for (let i = 0; i < n; i++) {
      if ((i & 1023) === 0 && slice.due()) await slice.yield();
      countWork(parts, i, 1);
    }
    return new FacetIndex(parts, at);
  }

  /**
   * What a snapshot stores: the arrays of a full build with every numeric sort order. Null once a
   * catch-up appended or retired positions (a snapshot is always of a full build).
   */
  toSnapshotParts(): SnapshotParts | null {
    const p = this.parts;
    if (p.n !== p.baseN || p.moved.size > 0 || p.retired > 0) return null;
    const tagPostings = p.tags.toParts();
    const fields = p.text && {
      A: p.text.fields.A.toParts(),
      B: p.text.fields.B.toParts(),
      C: p.text.fields.C.toParts(),
      D: p.text.fields.D.toParts(),
    };
    if (!tagPostings || (fields && (!fields.A || !fields.B || !fields.C || !fields.D))) return null;
    const arrays: SnapshotParts['arrays'] = {
      ids: p.ids,
      flags: p.flags,
      lang: p.lang,
      fandoms: p.fandoms,
      tagStart: p.tagStart,
      tagList: p.tagList,
      facetType: p.facetType,
      guestCounts: p.baseCounts[0],
      memberCounts: p.baseCounts[1],
    };
    for (const k of NUMBER_KEYS) arrays[`num:${k}`] = p.num[k];
    for (const k of SORT_KEYS) arrays[`perm:${k}`] = this.perm(k);
    return {
      generation: p.generation,
      countersAt: this.countersAt,
      n: p.n,
      langCodes: [...p.langCodes],
      tags: [...p.tagType].map(([id, type]) => ({ id, type, name: p.tagName.get(id) ?? '' })),
      baseSize: [p.baseSize[0], p.baseSize[1]],
      arrays,
      tagPostings,
      text: p.text && fields ? { lexemes: [...p.text.lexemeIds.keys()], fields: fields as Record<TextField, PostingsParts> } : null,
    };
  }

  /** The index a snapshot holds, as it was built (its sort orders included). */
  static fromSnapshotParts(s: SnapshotParts): FacetIndex {
    const a = s.arrays;
    const num = Object.fromEntries(NUMBER_KEYS.map((k) => [k, a[`num:${k}`] as Float64Array])) as Record<StoredKey, Float64Array>;
    const perms = new Map<string, Int32Array>();
    for (const k of SORT_KEYS) if (a[`perm:${k}`]) perms.set(k, a[`perm:${k}`] as Int32Array);
    const lexemeIds = new Map<string, number>();
    if (s.text) s.text.lexemes.forEach((lexeme, k) => lexemeIds.set(lexeme, k));
    const parts: IndexParts = {
      generation: s.generation,
      n: s.n,
      baseN: s.n,
      ids: a.ids as Int32Array,
      moved: new Map(),
      retired: 0,
      flags: a.flags as Uint8Array,
      lang: a.lang as Uint16Array,
      langCodes: new Map(s.langCodes),
      fandoms: a.fandoms as Int32Array,
      num,
      tagStart: a.tagStart as Int32Array,
      tagList: a.tagList as Int32Array,
      tags: Postings.fromParts(s.tagPostings),
      tagType: new Map(s.tags.map((t) => [t.id, t.type])),
      tagName: new Map(s.tags.map((t) => [t.id, t.name])),
      facetType: a.facetType as Uint8Array,
      baseCounts: [a.guestCounts as Int32Array, a.memberCounts as Int32Array],
      baseSize: [s.baseSize[0], s.baseSize[1]],
      text: s.text
        ? {
            lexemeIds,
            fields: {
              A: Postings.fromParts(s.text.fields.A),
              B: Postings.fromParts(s.text.fields.B),
              C: Postings.fromParts(s.text.fields.C),
              D: Postings.fromParts(s.text.fields.D),
            },
          }
        : null,
      perms,
      pendingPerms: new Map(),
      titleKeys: null,
    };
    return new FacetIndex(parts, s.countersAt);
  }

  private readonly memos = new Map<string, unknown>();

  /** A value derived from this index alone, computed on first use (an index never changes but for its counters). */
  memo<T>(key: string, make: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, make());
    return this.memos.get(key) as T;
  }

  /** Live works (every position but the retired ones). */
  get live(): number {
    return this.n - this.parts.retired;
  }

  /** Positions retired by updates since the full build: a measure of when to rebuild. */
  get retired(): number {
    return this.parts.retired;
  }

  /** The live position of a work, or -1. */
  indexOf(id: number): number {
    const moved = this.parts.moved.get(id);
    if (moved !== undefined) return moved;
    let lo = 0;
    let hi = this.parts.baseN - 1;
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

  /** Positions ordered by (key, id) ascending; reversed it is (key desc, id desc). */
  perm(k: NumberKey): Int32Array {
    let p = this.parts.perms.get(k);
    if (!p) {
      const pending = this.parts.pendingPerms.get(k);
      p = pending ? mergeOrder(pending.perm, this.key(k), this.ids, pending.from, this.n) : this.orderBy(this.key(k));
      this.parts.perms.set(k, p);
    }
    return p;
  }

  /** Title order (lower(title) in code point order, then id), if read once: merged with later works on use. */
  titlePerm(): Int32Array | undefined {
    const done = this.parts.perms.get('title');
    if (done) return done;
    const pending = this.parts.pendingPerms.get('title');
    const keys = this.parts.titleKeys;
    if (!pending || !keys) return undefined;
    const ids = this.ids;
    const p = mergeOrderBy(pending.perm, pending.from, this.n, (a, b) => {
      const c = compareCodePoints(keys[a]!, keys[b]!);
      return c < 0 || (c === 0 && ids[a]! < ids[b]!);
    });
    this.parts.perms.set('title', p);
    return p;
  }

  setTitleOrder(p: Int32Array, keys: string[]): void {
    this.parts.perms.set('title', p);
    this.parts.titleKeys = keys;
  }

  /** Positions by (key, id). */
  private orderBy(key: Float64Array): Int32Array {
    if (this.n === this.parts.baseN) return sortedOrder(key);
    // The base is in id order; the appended positions, few, are merged into it by id.
    const ids = this.ids;
    const byId = mergeOrderBy(
      Int32Array.from({ length: this.parts.baseN }, (_, i) => i),
      this.parts.baseN,
      this.n,
      (a, b) => ids[a]! < ids[b]!,
    );
    return sortedOrder(key, byId);
  }

  /** New counter values (same works, same generation): replaces them and the orders built on them. */
  replaceCounters(rows: CounterColumns, at: number): void {
    const next = {
      hits: this.num.hits.slice(),
      kudos: this.num.kudos.slice(),
      comments: this.num.comments.slice(),
      bookmarks: this.num.bookmarks.slice(),
    };
    const moved = this.parts.moved;
    for (let k = 0; k < rows.length; k++) {
      const id = rows.id[k]!;
      // Rows come in id order, the base's order, when no work came or went since the build.
      const i = this.ids[k] === id && (moved.size === 0 || !moved.has(id)) ? k : this.indexOf(id);
      if (i < 0) continue;
      next.hits[i] = rows.hits[k]!;
      next.kudos[i] = rows.kudos[k]!;
      next.comments[i] = rows.comments[k]!;
      next.bookmarks[i] = rows.bookmarks[k]!;
    }
    Object.assign(this.num, next);
    for (const k of COUNTER_KEYS) {
      this.parts.pendingPerms.delete(k);
      if (this.parts.perms.has(k)) this.parts.perms.set(k, this.orderBy(this.key(k as NumberKey)));
    }
    this.countersAt = at;
  }

  /**
   * The index at a later generation: each changed work's old position is retired (it matches
   * nothing, counts nowhere) and its current row appended; works gone are only retired. Costs a
   * copy of the arrays plus a merge per sort order: milliseconds, where a rebuild reads every work.
   */
  withChanges(generation: string, rows: WorkRow[], goneIds: readonly number[], tags: TagRow[]): FacetIndex {
    const old = this.parts;
    const n = old.n + rows.length;
    const appendedTags = rows.reduce((sum, r) => sum + r.tags.length, 0);
    let maxTag = old.baseCounts[0].length - 1;
    for (const t of tags) if (t.id > maxTag) maxTag = t.id;
    for (const r of rows) for (const t of r.tags) if (t > maxTag) maxTag = t;
    const parts: IndexParts = {
      ...old,
      generation,
      n,
      ids: extend(old.ids, n),
      moved: new Map(old.moved),
      flags: grow(old.flags, n),
      lang: extend(old.lang, n),
      fandoms: extend(old.fandoms, n),
      num: Object.fromEntries(NUMBER_KEYS.map((k) => [k, extend(old.num[k], n)])) as Record<StoredKey, Float64Array>,
      tagStart: extend(old.tagStart, n + 1),
      tagList: extend(old.tagList, old.tagStart[old.n]! + appendedTags),
      tagType: tags.length > 0 ? new Map(old.tagType) : old.tagType,
      tagName: tags.length > 0 ? new Map(old.tagName) : old.tagName,
      baseCounts: [grow(old.baseCounts[0], maxTag + 1), grow(old.baseCounts[1], maxTag + 1)],
      baseSize: [old.baseSize[0], old.baseSize[1]],
      perms: new Map(),
      pendingPerms: new Map(),
    };
    for (const t of tags) {
      parts.tagType.set(t.id, t.type);
      parts.tagName.set(t.id, t.name);
    }
    parts.facetType = facetTypes(tags, maxTag + 1, old.facetType);
    for (const id of [...rows.map((r) => r.id), ...goneIds]) {
      const i = this.indexOf(id);
      if (i < 0) continue;
      countWork(parts, i, -1);
      parts.flags[i] = 0;
      parts.retired++;
      parts.moved.set(id, -1);
    }
    const tagAdds = new Map<number, number[]>();
    const textAdds = {
      A: new Map<number, number[]>(),
      B: new Map<number, number[]>(),
      C: new Map<number, number[]>(),
      D: new Map<number, number[]>(),
    };
    const push = (m: Map<number, number[]>, key: number, i: number) => {
      const list = m.get(key);
      if (!list) m.set(key, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    };
    let cursor = old.tagStart[old.n]!;
    rows.forEach((row, k) => {
      const i = old.n + k;
      cursor = placeRow(parts, i, row, cursor);
      parts.moved.set(row.id, i);
      for (const t of row.tags) push(tagAdds, t, i);
      if (old.text) eachLexeme(old.text.lexemeIds, row, (field, key) => push(textAdds[field], key, i));
      countWork(parts, i, 1);
    });
    parts.tags = old.tags.withAppended(tagAdds);
    parts.text = old.text && {
      lexemeIds: old.text.lexemeIds,
      fields: {
        A: old.text.fields.A.withAppended(textAdds.A),
        B: old.text.fields.B.withAppended(textAdds.B),
        C: old.text.fields.C.withAppended(textAdds.C),
        D: old.text.fields.D.withAppended(textAdds.D),
      },
    };
    // Sort orders: merged with the appended positions when first used (title order only if its
    // keys were read; otherwise SQL gives it again when a search needs it).
    for (const [k, pending] of old.pendingPerms) parts.pendingPerms.set(k, pending);
    for (const [k, perm] of old.perms) parts.pendingPerms.set(k, { perm, from: old.n });
    if (parts.titleKeys) rows.forEach((row, k) => (parts.titleKeys![old.n + k] = row.title_key ?? ''));
    else parts.pendingPerms.delete('title');
    return new FacetIndex(parts, this.countersAt);
  }
}

/** Writes one row's values at position i; returns the tag-list cursor after its tags. */
function placeRow(parts: IndexParts, i: number, r: WorkRow, cursor: number): number {
  parts.ids[i] = r.id;
  parts.flags[i] = r.flags;
  let code = parts.langCodes.get(r.lang);
  if (code === undefined) parts.langCodes.set(r.lang, (code = parts.langCodes.size));
  parts.lang[i] = code;
  parts.fandoms[i] = r.fandoms;
  parts.num.words[i] = r.words;
  parts.num.chapters[i] = r.chapters;
  parts.num.hits[i] = r.hits;
  parts.num.kudos[i] = r.kudos;
  parts.num.comments[i] = r.comments;
  parts.num.bookmarks[i] = r.bookmarks;
  // Microseconds since the epoch, exact in a double; a missing date sorts after all (as NULL does).
  parts.num.posted[i] = r.posted === null ? Number.POSITIVE_INFINITY : Number(r.posted);
  parts.num.updated[i] = Number(r.updated);
  parts.tagStart[i] = cursor;
  for (const t of r.tags) parts.tagList[cursor++] = t;
  parts.tagStart[i + 1] = cursor;
  return cursor;
}

/** Adds (sign 1) or removes (-1) a work's tags from the sidebar totals of the classes that see it. */
function countWork(parts: IndexParts, i: number, sign: 1 | -1): void {
  const fl = parts.flags[i]!;
  if (!(fl & VISIBLE)) return;
  const [guest, member] = parts.baseCounts;
  parts.baseSize[1] += sign;
  if (fl & PUBLIC) parts.baseSize[0] += sign;
  for (let k = parts.tagStart[i]!; k < parts.tagStart[i + 1]!; k++) {
    const t = parts.tagList[k]!;
    member[t]! += sign;
    if (fl & PUBLIC) guest[t]! += sign;
  }
}

/** An order over positions [0, from) extended with the positions [from, to), by (key, id). */
function mergeOrder(perm: Int32Array, key: Float64Array, ids: Int32Array, from: number, to: number): Int32Array {
  return mergeOrderBy(perm, from, to, (a, b) => key[a]! < key[b]! || (key[a] === key[b] && ids[a]! < ids[b]!));
}

/** An order over positions [0, from) extended with the positions [from, to), by `before`. */
function mergeOrderBy(perm: Int32Array, from: number, to: number, before: (a: number, b: number) => boolean): Int32Array {
  const added = Int32Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  const out = new Int32Array(perm.length + added.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < perm.length && j < added.length) out[k++] = before(added[j]!, perm[i]!) ? added[j++]! : perm[i++]!;
  while (i < perm.length) out[k++] = perm[i++]!;
  while (j < added.length) out[k++] = added[j++]!;
  return out;
}

// An in-process columnar index of every work's searchable facts (decisions 014 and 021): tag ids
// and text lexemes as posting lists, flags and numbers in typed arrays, sort orders as
// permutations. Filters, free text, best match, totals, sidebar counts and result pages are
// computed here in milliseconds; SQL only fetches the page's rows by id and answers what the
// index does not hold (phrases, title/summary/creator matches), as sets of work ids intersected
// in memory.
//
// The index is a snapshot at one `search_generation`. When a write moves the generation, the next
// search catches the index up from the change log (the works changed since, read again and
// appended; their old positions retired); only when the log cannot tell does it fall back to SQL
// while a rebuild runs in the background. Counters (hits, kudos, comments, bookmarks) do not move
// the generation: their snapshot serves sorts and `kudos:` filters for at most
// COUNTER_MAX_AGE_MS, the same bound the page cache gives counter sorts (decision 007).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, TagType } from '../db/schema.ts';
import type { QueryNode } from './query-parser.ts';
import { Postings, PostingsBuilder } from './postings.ts';
import { BEST_MATCH_WEIGHTS, compileNode, readSearchGeneration, tagKey, worksByCreator, worksWithPhrase, type FacetRow, type QueryContext, type ResolvedSearch } from './search.repo.ts';

type Db = Kysely<Database>;

export const COUNTER_MAX_AGE_MS = 30_000;
/** Work-lexeme pairs the text postings may hold (at most 4 bytes each): config SEARCH_TEXT_POSTINGS. */
export const DEFAULT_MAX_TEXT_POSTINGS = 200_000_000;
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
 * Positions ordered by (key, id) ascending, starting from `byId` (positions in id order;
 * identity when positions are in id order). Keys that are all integers in [0, 2^31) take a stable
 * LSD radix sort (milliseconds at a million); others a comparison sort.
 */
export function sortedOrder(key: Float64Array, byId?: Int32Array, ids?: Int32Array): Int32Array {
  const n = key.length;
  let order = byId ? byId.slice() : Int32Array.from({ length: n }, (_, i) => i);
  let integral = true;
  for (let i = 0; i < n && integral; i++) {
    const v = key[i]!;
    if (!(v >= 0 && v < 2 ** 31 && Math.floor(v) === v)) integral = false;
  }
  if (!integral) return order.sort((a, b) => key[a]! - key[b]! || (ids ? ids[a]! - ids[b]! : a - b));
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

/** One work as the index holds it; `meta` and `body` are its lexemes, separated by UNIT. */
interface WorkRow {
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

interface TagRow {
  id: number;
  type: TagType;
  name: string;
}

const UNIT = '\u001f';
const FACET_TYPES: readonly TagType[] = ['warning', 'category', 'character', 'fandom', 'freeform', 'rating', 'relationship'];

function facetTypes(tags: ReadonlyMap<number, TagType>, size: number, from?: Uint8Array): Uint8Array {
  const out = new Uint8Array(size);
  if (from) out.set(from.subarray(0, Math.min(from.length, size)));
  for (const [id, type] of tags) if (id < size) out[id] = FACET_TYPES.indexOf(type) + 1;
  return out;
}
/** Text postings per place a lexeme occurs: title (A), tags (B), summary (C), chapters (D). */
const TEXT_FIELDS = ['A', 'B', 'C', 'D'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

interface TextIndex {
  /** Lexeme → key in the postings; append-only, shared by successive indexes. */
  lexemeIds: Map<string, number>;
  fields: Record<TextField, Postings>;
}

function lexemeKey(lexemeIds: Map<string, number>, lexeme: string): number {
  let id = lexemeIds.get(lexeme);
  if (id === undefined) lexemeIds.set(lexeme, (id = lexemeIds.size));
  return id;
}

/** Calls `visit(field, lexemeKey)` for each lexeme of a work. */
function eachLexeme(lexemeIds: Map<string, number>, row: WorkRow, visit: (field: TextField, key: number) => void): void {
  if (row.meta) {
    for (const item of row.meta.split(UNIT)) {
      const field = item[0] as TextField;
      if (field === 'A' || field === 'B' || field === 'C') visit(field, lexemeKey(lexemeIds, item.slice(1)));
    }
  }
  if (row.body) for (const lexeme of row.body.split(UNIT)) visit('D', lexemeKey(lexemeIds, lexeme));
}

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
  maxTagId: number;
  baseCounts: [Int32Array, Int32Array];
  baseSize: [number, number];
  /** Null when the archive's text outgrew the postings budget: free text is then asked of SQL. */
  text: TextIndex | null;
  perms: Map<string, Int32Array>;
  /** Orders of an earlier index over positions [0, from), to merge with the later ones on use. */
  pendingPerms: Map<string, { perm: Int32Array; from: number }>;
  /** `lower(title)` by position, once a title-sorted search has read the title order. */
  titleKeys: string[] | null;
  countersAt: number;
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
  countersAt: number;
  private readonly parts: IndexParts;

  private constructor(parts: IndexParts) {
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
    this.countersAt = parts.countersAt;
  }

  /** The index of every work, rows in ascending id order, their lexemes already in `text`. */
  static build(generation: string, rows: WorkRow[], tags: TagRow[], at: number, text: TextIndex | null): FacetIndex {
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
      tags: new PostingsBuilder().build(0),
      tagType: new Map(tags.map((t) => [t.id, t.type])),
      tagName: new Map(tags.map((t) => [t.id, t.name])),
      facetType: new Uint8Array(0),
      maxTagId: tags.reduce((m, t) => Math.max(m, t.id), 0),
      baseCounts: [new Int32Array(0), new Int32Array(0)],
      baseSize: [0, 0],
      text,
      perms: new Map(),
      pendingPerms: new Map(),
      titleKeys: null,
      countersAt: at,
    };
    const tagBuilder = new PostingsBuilder();
    let cursor = 0;
    rows.forEach((row, i) => {
      cursor = placeRow(parts, i, row, cursor);
      for (const t of row.tags) tagBuilder.add(t, i);
    });
    parts.tags = tagBuilder.build(n);
    let maxTag = parts.maxTagId;
    for (const r of rows) for (const t of r.tags) if (t > maxTag) maxTag = t;
    parts.baseCounts = [new Int32Array(maxTag + 1), new Int32Array(maxTag + 1)];
    parts.facetType = facetTypes(parts.tagType, maxTag + 1);
    for (let i = 0; i < n; i++) countWork(parts, i, 1);
    return new FacetIndex(parts);
  }

  /** Live works (every position but the retired ones). */
  get live(): number {
    return this.n - this.parts.retired;
  }

  /** Positions retired by updates since the full build: a measure of when to rebuild. */
  get retired(): number {
    return this.parts.retired;
  }

  get maxTagId(): number {
    return this.parts.maxTagId;
  }

  postings(tag: number): Int32Array {
    return this.tags.positions(tag);
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
    const byId = mergeOrder(Int32Array.from({ length: this.parts.baseN }, (_, i) => i), new Float64Array(0), ids, this.parts.baseN, this.n);
    return sortedOrder(key, byId, ids);
  }

  /** New counter values (same works, same generation): replaces them and the orders built on them. */
  replaceCounters(rows: Array<{ id: number; hits: number; kudos: number; comments: number; bookmarks: number }>, at: number): void {
    const next = { hits: this.num.hits.slice(), kudos: this.num.kudos.slice(), comments: this.num.comments.slice(), bookmarks: this.num.bookmarks.slice() };
    rows.forEach((r, k) => {
      // Rows come in id order, the base's order, when no work came or went since the build.
      const i = this.ids[k] === r.id && !this.parts.moved.has(r.id) ? k : this.indexOf(r.id);
      if (i < 0) return;
      next.hits[i] = r.hits;
      next.kudos[i] = r.kudos;
      next.comments[i] = r.comments;
      next.bookmarks[i] = r.bookmarks;
    });
    Object.assign(this.num, next);
    for (const k of COUNTER_KEYS) {
      this.parts.pendingPerms.delete(k);
      if (this.parts.perms.has(k)) this.parts.perms.set(k, this.orderBy(this.key(k as NumberKey)));
    }
    this.countersAt = at;
    this.parts.countersAt = at;
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
      maxTagId: tags.reduce((m, t) => Math.max(m, t.id), old.maxTagId),
      baseCounts: [grow(old.baseCounts[0], maxTag + 1), grow(old.baseCounts[1], maxTag + 1)],
      baseSize: [old.baseSize[0], old.baseSize[1]],
      perms: new Map(),
      pendingPerms: new Map(),
    };
    for (const t of tags) {
      parts.tagType.set(t.id, t.type);
      parts.tagName.set(t.id, t.name);
    }
    parts.facetType = facetTypes(new Map(tags.map((t) => [t.id, t.type])), maxTag + 1, old.facetType);
    for (const id of [...rows.map((r) => r.id), ...goneIds]) {
      const i = this.indexOf(id);
      if (i < 0) continue;
      countWork(parts, i, -1);
      parts.flags[i] = 0;
      parts.retired++;
      parts.moved.set(id, -1);
    }
    const tagAdds = new Map<number, number[]>();
    const textAdds = { A: new Map<number, number[]>(), B: new Map<number, number[]>(), C: new Map<number, number[]>(), D: new Map<number, number[]>() };
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
    // Sort orders: merged with the appended positions when first used; title order is asked of
    // SQL again when needed.
    for (const [k, pending] of old.pendingPerms) parts.pendingPerms.set(k, pending);
    for (const [k, perm] of old.perms) parts.pendingPerms.set(k, { perm, from: old.n });
    if (parts.titleKeys) rows.forEach((row, k) => (parts.titleKeys![old.n + k] = row.title_key ?? ''));
    else parts.pendingPerms.delete('title');
    return new FacetIndex(parts);
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
  // An empty key orders by id alone.
  const before = key.length === 0 ? (a: number, b: number) => ids[a]! < ids[b]! : (a: number, b: number) => key[a]! < key[b]! || (key[a] === key[b] && ids[a]! < ids[b]!);
  return mergeOrderBy(perm, from, to, before);
}

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

/** Works as the index holds them, in id order (`body` and `title_key` left null when not `withBody`: full loads read those apart). */
function selectWorkRows(where: RawBuilder<unknown>, limit: number | null, withBody = true): RawBuilder<WorkRow> {
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
      ${withBody ? sql`(select string_agg(distinct l, ${UNIT}) from chapters c cross join lateral unnest(tsvector_to_array(c.body_vector)) as l
        where c.work_id = w.id and c.posted)` : sql`null::text`} as body,
      ${withBody ? sql`lower(w.title)` : sql`null::text`} as title_key
    from works w where ${where} order by w.id ${limit === null ? sql`` : sql`limit ${limit}`}
  `;
}

async function readWorkRows(db: Db, where: RawBuilder<unknown>, limit: number | null, withBody = true): Promise<WorkRow[]> {
  const result = await selectWorkRows(where, limit, withBody).execute(db);
  return result.rows.map((r) => ({ ...r, tags: r.tags.map(Number) }));
}

/**
 * A chunk of works for a full load, with the lexemes of their posted chapters read per chapter
 * (a plain scan; aggregating them per work in SQL costs six times as much at a million works).
 */
async function readWorkChunk(db: Db, afterId: number): Promise<{ rows: WorkRow[]; chapters: Array<{ work_id: number; lexemes: string }> }> {
  const rows = await readWorkRows(db, sql`w.id > ${afterId}`, CHUNK, false);
  if (rows.length === 0) return { rows, chapters: [] };
  const chapters = await sql<{ work_id: number; lexemes: string }>`
    select c.work_id, array_to_string(tsvector_to_array(c.body_vector), ${UNIT}) as lexemes from chapters c
    where c.posted and c.work_id >= ${rows[0]!.id} and c.work_id <= ${rows[rows.length - 1]!.id} order by c.work_id
  `.execute(db);
  return { rows, chapters: chapters.rows };
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

  /** One chapter's lexemes; a work's chapters come one after another (repeats are dropped). */
  addChapter(lexemes: string, position: number): void {
    if (lexemes === '' || !this.builders) return;
    for (const lexeme of lexemes.split(UNIT)) this.put('D', lexemeKey(this.lexemeIds, lexeme), position);
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
  let next = readWorkChunk(db, 0);
  for (;;) {
    const { rows: chunk, chapters } = await next;
    const full = chunk.length === CHUNK;
    if (full) {
      next = readWorkChunk(db, chunk[chunk.length - 1]!.id);
      next.catch(() => undefined); // awaited next turn; this only keeps a failure from going unhandled meanwhile
    }
    const first = rows.length;
    for (const row of chunk) {
      // The lexemes go into the postings now; the rows keep only their numbers and tags.
      text.add(row, rows.length);
      row.meta = null;
      rows.push(row);
    }
    // Chapters and works are both in work id order: one walk pairs them.
    let k = 0;
    for (const chapter of chapters) {
      while (k < chunk.length && chunk[k]!.id < chapter.work_id) k++;
      if (k < chunk.length && chunk[k]!.id === chapter.work_id) text.addChapter(chapter.lexemes, first + k);
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
  const rows = ids.length > 0 ? await readWorkRows(db, sql`w.id = any(${ids}::int[])`, null) : [];
  const unknown = [...new Set(rows.flatMap((r) => r.tags))].filter((t) => !index.tagType.has(t));
  const tags = tagsChanged ? await readTags(db, sql`true`) : unknown.length > 0 ? await readTags(db, sql`id = any(${unknown}::int[])`) : [];
  const found = new Set(rows.map((r) => r.id));
  return index.withChanges(now.value, rows, ids.filter((id) => !found.has(id)), tags);
}

const PRUNE_EVERY_MS = 60_000;
let lastPrune = 0;

/** Drops change-log entries older than every index's likely need; an index behind them rebuilds. */
async function pruneChangeLog(db: Db): Promise<void> {
  if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
  lastPrune = Date.now();
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
}

const states = new WeakMap<object, IndexState>();

function stateOf(db: Db): IndexState {
  let s = states.get(db);
  if (!s) states.set(db, (s = { maxTextPostings: DEFAULT_MAX_TEXT_POSTINGS, index: null, building: null, catchingUp: null, countersLoading: null }));
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

// ── Evaluation ──

export interface MemorySearch {
  /** Null when the order is computed in SQL (creator). */
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
  for (const t of ids) index.tags.mark(t, mask);
  return mask;
}

/**
 * One search's view of the text postings: each lexeme's works as bit sets (32 works a word), per
 * place and in any place, computed once however often the query and the ranking ask.
 */
class LexemeBits {
  private readonly cache = new Map<string, { places: Uint32Array[]; any: Uint32Array } | null>();
  private readonly words: number;

  constructor(private readonly index: FacetIndex) {
    this.words = (index.n + 31) >>> 5;
  }

  /** Per place in TEXT_FIELDS order (strongest first), and in any place; null for an unknown lexeme. */
  of(lexeme: string): { places: Uint32Array[]; any: Uint32Array } | null {
    let entry = this.cache.get(lexeme);
    if (entry !== undefined) return entry;
    const text = this.index.text;
    const key = text?.lexemeIds.get(lexeme);
    entry = null;
    if (text && key !== undefined) {
      const any = new Uint32Array(this.words);
      const places = TEXT_FIELDS.map((field) => {
        const bits = new Uint32Array(this.words);
        text.fields[field].orBits(key, bits);
        for (let w = 0; w < bits.length; w++) any[w]! |= bits[w]!;
        return bits;
      });
      entry = { places, any };
    }
    this.cache.set(lexeme, entry);
    return entry;
  }

  /** Works holding every lexeme somewhere (title, tags, summary or a posted chapter); null = all works. */
  all(lexemes: readonly string[]): Uint32Array | null {
    let out: Uint32Array | null = null;
    for (const lexeme of lexemes) {
      const entry = this.of(lexeme);
      if (!entry) return new Uint32Array(this.words);
      if (out) for (let w = 0; w < out.length; w++) out[w]! &= entry.any[w]!;
      else out = entry.any.slice();
    }
    return out;
  }
}

function bitsToMask(bits: Uint32Array | null, n: number): Uint8Array {
  const mask = new Uint8Array(n);
  if (!bits) return mask.fill(1);
  for (let w = 0; w < bits.length; w++) {
    const word = bits[w]!;
    if (word === 0) continue;
    const base = w << 5;
    for (let b = 0; b < 32; b++) if (word & (1 << b)) mask[base + b] = 1;
  }
  return mask;
}

function bitsToPositions(bits: Uint32Array, n: number): Int32Array {
  let count = 0;
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w]!;
    while (word !== 0) {
      word &= word - 1;
      count++;
    }
  }
  const out = new Int32Array(count);
  let k = 0;
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w]!;
    while (word !== 0) {
      const low = word & -word;
      const i = (w << 5) + 31 - Math.clz32(low);
      if (i < n) out[k++] = i;
      word ^= low;
    }
  }
  return out.subarray(0, k);
}

/** The lexemes of a query made only of plain words (ANDed), or null for any other query. */
function wordsOnly(node: QueryNode | null, lexemes: ReadonlyMap<string, string[]>): string[] | null {
  if (!node) return null;
  if (node.kind === 'text') return node.phrase ? null : (lexemes.get(node.text) ?? []);
  if (node.kind !== 'and') return null;
  const out: string[] = [];
  for (const item of node.items) {
    const part = wordsOnly(item, lexemes);
    if (part === null) return null;
    out.push(...part);
  }
  return out;
}

/** Best-match scores of the matching works (the weights of decision 021, as the SQL path sums them). */
function bestMatchScores(index: FacetIndex, bits: LexemeBits, lexemes: readonly string[], matched: Int32Array): Uint8Array | Int32Array {
  const weights = TEXT_FIELDS.map((field) => BEST_MATCH_WEIGHTS[field]);
  const places = lexemes.map((l) => bits.of(l)?.places).filter((p): p is Uint32Array[] => p !== undefined);
  const score = places.length * BEST_MATCH_WEIGHTS.A < 256 ? new Uint8Array(index.n) : new Int32Array(index.n);
  for (const i of matched) {
    const w = i >>> 5;
    const bit = 1 << (i & 31);
    let s = 0;
    // A work scores, per lexeme, the strongest place that holds it.
    for (const byPlace of places) {
      for (let p = 0; p < byPlace.length; p++) {
        if (byPlace[p]![w]! & bit) {
          s += weights[p]!;
          break;
        }
      }
    }
    score[i] = s;
  }
  return score;
}

/** Buckets this small are gathered and sorted directly instead of found by walking the order. */
const SMALL_BUCKET = 4096;

/**
 * The first `wanted` matches by (score desc, then the walk order: updated desc, id desc). Each
 * score is a bucket; the buckets the page needs take their share in turn: small ones gathered and
 * sorted, large ones found by walking the update order, which stops once every share is full.
 */
function bestMatchPage(index: FacetIndex, bits: LexemeBits, lexemes: readonly string[], matched: Int32Array, match: Uint8Array, perm: Int32Array, wanted: number): number[] {
  const score = bestMatchScores(index, bits, lexemes, matched);
  let top = 0;
  for (const i of matched) if (score[i]! > top) top = score[i]!;
  const histogram = new Int32Array(top + 1);
  for (const i of matched) histogram[score[i]!]!++;
  const share = new Map<number, number>();
  let left = wanted;
  for (let s = top; s >= 0 && left > 0; s--) {
    if (histogram[s] === 0) continue;
    const take = Math.min(histogram[s]!, left);
    share.set(s, take);
    left -= take;
  }
  const lists = new Map<number, number[]>([...share.keys()].map((s) => [s, []]));
  const small = new Uint8Array(top + 1);
  let open = 0;
  for (const s of share.keys()) {
    if (histogram[s]! <= SMALL_BUCKET) small[s] = 1;
    else open++;
  }
  if (open < share.size) {
    for (const i of matched) if (small[score[i]!] && share.has(score[i]!)) lists.get(score[i]!)!.push(i);
    const updated = index.num.updated;
    const ids = index.ids;
    for (const [s, list] of lists) {
      if (!small[s]) continue;
      list.sort((a, b) => updated[b]! - updated[a]! || ids[b]! - ids[a]!);
      list.length = share.get(s)!;
    }
  }
  for (let k = perm.length - 1; k >= 0 && open > 0; k--) {
    const i = perm[k]!;
    if (!match[i]) continue;
    const s = score[i]!;
    if (small[s]) continue;
    const list = lists.get(s);
    if (!list || list.length === share.get(s)) continue;
    list.push(i);
    if (list.length === share.get(s)) open--;
  }
  return [...share.keys()].sort((a, b) => b - a).flatMap((s) => lists.get(s)!);
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
async function nodeMask(db: Db, index: FacetIndex, node: QueryNode, ctx: QueryContext, bits: LexemeBits): Promise<Uint8Array> {
  const n = index.n;
  switch (node.kind) {
    case 'and':
    case 'or': {
      const parts = await Promise.all(node.items.map((item) => nodeMask(db, index, item, ctx, bits)));
      const out = parts[0] ?? new Uint8Array(n).fill(node.kind === 'and' ? 1 : 0);
      for (const p of parts.slice(1)) {
        if (node.kind === 'and') for (let i = 0; i < n; i++) out[i]! &= p[i]!;
        else for (let i = 0; i < n; i++) out[i]! |= p[i]!;
      }
      return out;
    }
    case 'not': {
      const inner = await nodeMask(db, index, node.item, ctx, bits);
      for (let i = 0; i < n; i++) inner[i] = inner[i]! ^ 1;
      return inner;
    }
    case 'tag':
      return tagMask(index, ctx.tagIds.get(tagKey(node.field, node.name)) ?? []);
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
      if (!node.phrase && index.text) return bitsToMask(bits.all(ctx.lexemes.get(node.text) ?? []), n);
      if (!node.phrase) return idSetMask(db, index, sql`select works.id from works where ${compileNode(node, ctx)}`);
      // Phrases need positions, which the index does not keep: the GIN indexes answer them.
      const empty = await sql<{ n: number }>`select numnode(phraseto_tsquery('english', ${node.text}))::int as n`.execute(db);
      if (Number(empty.rows[0]?.n ?? 0) === 0) return new Uint8Array(n).fill(1);
      return idSetMask(db, index, worksWithPhrase(node.text));
    }
    case 'field':
      // Full text and title/summary/creator matches: the same SQL condition as the SQL path, as a set of ids.
      return idSetMask(db, index, sql`select works.id from works where ${compileNode(node, ctx)}`);
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
): Promise<MemorySearch | null> {
  type Order = { key: NumberKey | 'title'; desc: boolean };
  let order: Order | null;
  switch (r.sort) {
    case 'best':
      // With free text: by score, then as without (updated, newest first). Without text
      // postings, the score comes from SQL.
      order = r.rankLexemes.length > 0 && !index.text ? null : { key: 'updated', desc: true };
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
  /** The matching positions, ascending (candidate lists are ascending). */
  let matched = new Int32Array(0);
  let total = 0;
  const lexemeBits = new LexemeBits(index);
  // The commonest query, plain words, stays in bit sets: no byte mask, candidates straight from the bits.
  const queryWords = index.text ? wordsOnly(r.query, r.lexemes) : null;
  const queryBits = queryWords ? lexemeBits.all(queryWords) : null;
  if (!r.impossible) {
    // SQL-backed parts first, concurrently.
    const [queryMask, creatorMask, hiddenUserMask] = await Promise.all([
      r.query && !queryWords ? nodeMask(db, index, r.query, r, lexemeBits) : null,
      r.creator !== ''
        ? idSetMask(db, index, worksByCreator(r.creator))
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
      // The SQL-backed and text masks first: when present they are usually the most selective.
      if (queryMask && !queryMask[i]) return false;
      if (queryBits && !(queryBits[i >>> 5]! & (1 << (i & 31)))) return false;
      if (creatorMask && !creatorMask[i]) return false;
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
      if (hiddenUserMask && hiddenUserMask[i]) return false;
      return true;
    };
    let cand = candidates as Int32Array | null;
    if (queryBits) {
      const fromQuery = bitsToPositions(queryBits, n);
      if (!cand || fromQuery.length < (cand as Int32Array).length) cand = fromQuery;
    } else if (!cand && queryMask) {
      // The query's works as the candidates: a tight scan instead of testing every work.
      let k = 0;
      for (let i = 0; i < n; i++) if (queryMask[i]) k++;
      cand = new Int32Array(k);
      k = 0;
      for (let i = 0; i < n; i++) if (queryMask[i]) cand[k++] = i;
    }
    const found = new Int32Array(cand ? cand.length : n);
    if (cand) {
      for (const i of cand) if (match[i] === 0 && test(i)) (match[i] = 1), (found[total++] = i);
    } else {
      for (let i = 0; i < n; i++) if (test(i)) (match[i] = 1), (found[total++] = i);
    }
    matched = found.subarray(0, total);
  }

  // The page: walk the order's permutation, keeping matches.
  let perm: Int32Array | null;
  if (!order) perm = null;
  else if (order.key === 'title') {
    let p = index.titlePerm();
    if (!p) {
      const rows = await sql<{ id: number; key: string }>`select id, lower(title) as key from works order by lower(title) collate "C" asc, id asc`.execute(db);
      if ((await readSearchGeneration(db)) !== index.generation) return null;
      p = new Int32Array(rows.rows.length);
      const keys = new Array<string>(index.n).fill('');
      let k = 0;
      for (const row of rows.rows) {
        const i = index.indexOf(row.id);
        if (i < 0) return null;
        p[k++] = i;
        keys[i] = row.key;
      }
      if (k !== index.live) return null;
      index.setTitleOrder(p, keys);
    }
    perm = p;
  } else {
    perm = index.perm(order.key);
  }
  const offset = (page - 1) * perPage;
  let ids: number[] = [];
  let hasNext = false;
  if (perm && order && total > offset) {
    const walk = (visit: (i: number) => boolean) => {
      const m = perm.length;
      for (let k = 0; k < m; k++) {
        const i = perm[order.desc ? m - 1 - k : k]!;
        if (match[i] && !visit(i)) return;
      }
    };
    const wanted = offset + perPage + 1;
    if (r.sort === 'best' && r.rankLexemes.length > 0) {
      const ranked = bestMatchPage(index, lexemeBits, r.rankLexemes, matched, match, perm, wanted);
      ids = ranked.slice(offset, offset + perPage).map((i) => index.ids[i]!);
      hasNext = total > offset + perPage;
    } else {
      let seen = 0;
      walk((i) => {
        if (seen++ < offset) return true;
        if (ids.length === perPage) {
          hasNext = true;
          return false;
        }
        ids.push(index.ids[i]!);
        return true;
      });
    }
  }

  const facets: FacetRow[] = [];
  if (facetsPerType !== null && total > 0) {
    let counts: Int32Array;
    const base = index.baseCounts[cls];
    if (total * 2 <= index.baseSize[cls]) {
      counts = new Int32Array(base.length);
      const { tagStart, tagList } = index;
      for (const i of matched) {
        const end = tagStart[i + 1]!;
        for (let k = tagStart[i]!; k < end; k++) counts[tagList[k]!]!++;
      }
    } else {
      // Most visible works match: count the few that do not, subtract from the visible totals.
      counts = base.slice();
      const { tagStart, tagList, flags } = index;
      for (let i = 0; i < n; i++) {
        if (match[i] || !(flags[i]! & need)) continue;
        const end = tagStart[i + 1]!;
        for (let k = tagStart[i]!; k < end; k++) counts[tagList[k]!]!--;
      }
    }
    // Top N per type in one pass: a small list per type, kept in order; names compared only on
    // ties; a count under a full list's last one is turned away before anything else is read.
    const better = (a: FacetRow, b: FacetRow) => b.n - a.n || compareCodePoints(a.name, b.name) || a.id - b.id;
    const lists: FacetRow[][] = FACET_TYPES.map(() => []);
    const floor = new Int32Array(FACET_TYPES.length);
    const codes = index.facetType;
    for (let t = 0; t < counts.length; t++) {
      const c = counts[t]!;
      if (c <= 0) continue;
      const code = codes[t]! - 1;
      if (code < 0 || c < floor[code]!) continue;
      const list = lists[code]!;
      const row: FacetRow = { id: t, name: index.tagName.get(t)!, type: FACET_TYPES[code]!, n: c };
      if (list.length === facetsPerType && better(row, list[list.length - 1]!) >= 0) continue;
      let at = list.length;
      while (at > 0 && better(row, list[at - 1]!) < 0) at--;
      list.splice(at, 0, row);
      if (list.length > facetsPerType) list.pop();
      if (list.length === facetsPerType) floor[code] = list[list.length - 1]!.n;
    }
    for (const list of lists) facets.push(...list);
    // The same presentation order as the SQL path's.
    facets.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id)));
  }
  return { ids: perm ? ids : null, hasNext, total, facets };
}


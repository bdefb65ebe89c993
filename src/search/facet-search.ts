// Searching the facet index (decisions 014 and 021): filters, free text, best match, totals,
// sidebar counts and result pages computed over its arrays in milliseconds. SQL only answers what
// the index does not hold (phrases, title/summary/creator matches, and free text when the text
// outgrew its budget), as sets of work ids intersected here, and fetches the page's rows by id.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  COMPLETE,
  COUNTER_KEYS,
  compareCodePoints,
  FACET_TYPES,
  type FacetIndex,
  PUBLIC,
  TEXT_FIELDS,
  VISIBLE,
  type NumberKey,
} from './facet-index.ts';
import { COUNTER_MAX_AGE_MS, refreshCounters } from './facet-index-store.ts';
import type { QueryNode } from './query-parser.ts';
import { concealedWorkIdsSql } from '../collections/anonymity.ts';
import {
  BEST_MATCH_WEIGHTS,
  compileNode,
  readSearchGeneration,
  tagKey,
  worksByCreator,
  worksByPseuds,
  worksWithPhrase,
  worksWithPhraseAmong,
  type FacetRow,
  type QueryContext,
  type ResolvedSearch,
} from './search.repo.ts';

type Db = Kysely<Database>;

export interface MemorySearch {
  /** Null when the order is computed in SQL (creator). */
  ids: number[] | null;
  hasNext: boolean;
  total: number;
  facets: FacetRow[];
  /**
   * The total (and the sidebar's counts) estimated, not counted: a phrase search that checked the
   * phrase only on the works in its order until the page was full (callers say "about").
   */
  totalEstimated?: boolean;
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

/** Whether bit i of a bit set (32 positions a word) is set. */
function has(bits: Uint32Array, i: number): boolean {
  return (bits[i >>> 5]! & (1 << (i & 31))) !== 0;
}

/** A bit set over the index's positions with none set. */
function noBits(index: FacetIndex): Uint32Array {
  return new Uint32Array((index.n + 31) >>> 5);
}

/** A bit set with every position set (none past the last). */
function allBits(index: FacetIndex): Uint32Array {
  const out = noBits(index).fill(0xffffffff);
  clearTail(index, out);
  return out;
}

/** Clears the bits past the last position (a complement sets them). */
function clearTail(index: FacetIndex, bits: Uint32Array): void {
  const rest = index.n & 31;
  if (rest !== 0 && bits.length > 0) bits[bits.length - 1]! &= (1 << rest) - 1;
}

/** The works an SQL query's ids name, as a bit set. */
async function idSetBits(db: Db, index: FacetIndex, query: RawBuilder<unknown>): Promise<Uint32Array> {
  const bits = noBits(index);
  // One row with every id: a hundred thousand rows cost far more to ship (PGlite above all) than one string.
  const result = await sql<{ ids: string | null }>`select string_agg(q.id::text, ',') as ids from (${query}) as q`.execute(db);
  const text = result.rows[0]?.ids ?? null;
  if (text === null) return bits;
  let value = 0;
  for (let k = 0; k <= text.length; k++) {
    const c = k < text.length ? text.charCodeAt(k) : 44;
    if (c === 44) {
      const i = index.indexOf(value);
      if (i >= 0) bits[i >>> 5]! |= 1 << (i & 31);
      value = 0;
    } else value = value * 10 + (c - 48);
  }
  return bits;
}

/** The works carrying any of the tags, as a bit set. */
function tagBits(index: FacetIndex, ids: readonly number[]): Uint32Array {
  const bits = noBits(index);
  for (const t of ids) index.tags.orBits(t, bits);
  return bits;
}

/** The positions where `has(i)` holds, as a bit set. */
function bitsWhere(index: FacetIndex, has: (i: number) => boolean): Uint32Array {
  const bits = noBits(index);
  for (let i = 0; i < index.n; i++) if (has(i)) bits[i >>> 5]! |= 1 << (i & 31);
  return bits;
}

/** The positions of `within` where `has(i)` holds, as a bit set. */
function bitsWhereWithin(index: FacetIndex, within: Uint32Array, has: (i: number) => boolean): Uint32Array {
  const bits = noBits(index);
  for (let w = 0; w < within.length; w++) {
    let word = within[w]!;
    while (word !== 0) {
      const low = word & -word;
      const i = (w << 5) + 31 - Math.clz32(low);
      word ^= low;
      if (has(i)) bits[w]! |= low;
    }
  }
  return bits;
}

/**
 * A bit set of a per-work fact that only a new index changes (flags, language, fandom count):
 * computed once per index and shared by every search, so never to be written to.
 */
function memoBits(index: FacetIndex, key: string, has: (i: number) => boolean): Uint32Array {
  return index.memo(`bits:${key}`, () => bitsWhere(index, has));
}

/** How many bits are set. */
function countBits(bits: Uint32Array): number {
  let count = 0;
  for (let w = 0; w < bits.length; w++) {
    let x = bits[w]!;
    if (x === 0) continue;
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    x = (x + (x >>> 4)) & 0x0f0f0f0f;
    count += Math.imul(x, 0x01010101) >>> 24;
  }
  return count;
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
  const [wA, wB, wC, wD] = TEXT_FIELDS.map((field) => BEST_MATCH_WEIGHTS[field]) as [number, number, number, number];
  const places = lexemes.map((l) => bits.of(l)?.places).filter((p): p is Uint32Array[] => p !== undefined);
  const score = places.length * BEST_MATCH_WEIGHTS.A < 256 ? new Uint8Array(index.n) : new Int32Array(index.n);
  // A work scores, per lexeme, the strongest place that holds it: one lexeme at a time, a tight
  // loop over the matches (a tenth of the time of all lexemes per work at a million works).
  for (const byPlace of places) {
    const [a, b, c, d] = byPlace as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    for (let k = 0; k < matched.length; k++) {
      const i = matched[k]!;
      const w = i >>> 5;
      const bit = 1 << (i & 31);
      score[i]! += a[w]! & bit ? wA : b[w]! & bit ? wB : c[w]! & bit ? wC : d[w]! & bit ? wD : 0;
    }
  }
  return score;
}

/** Up to this many works left by the other filters, a phrase is checked on them by id. */
const PHRASE_CHECK_BY_ID = 20_000;
export interface PhraseTuning {
  /**
   * With more candidates than this (works holding all the phrase's words and passing every other
   * filter), a search that may estimate its total checks the phrase only on the candidates in the
   * page's order, batch by batch, until the page is full; fewer are all checked (an exact total).
   */
  exactUpTo: number;
  /** The first batch checked in order (twice the works wanted when the page is deeper). */
  firstBatch: number;
  /** Candidates spread evenly over all of them, checked with the first batch: the share holding the phrase. */
  sample: number;
  /** Once this share of the candidates would be checked in order, checking them all at once is cheaper. */
  orderedShare: number;
}

/** Tests lower these to reach the early stop on a small archive. */
export const PHRASE_TUNING: PhraseTuning = { exactUpTo: 2_000, firstBatch: 200, sample: 256, orderedShare: 0.25 };

type PhraseNode = Extract<QueryNode, { kind: 'text' }>;

/** The phrases of the query's top conjunction (the query itself, or items of its top ANDs). */
function topPhrases(node: QueryNode | null): PhraseNode[] {
  if (!node) return [];
  if (node.kind === 'text') return node.phrase ? [node] : [];
  if (node.kind === 'and') return node.items.flatMap(topPhrases);
  return [];
}

/** Buckets this small are gathered and sorted directly instead of found by walking the order. */
const SMALL_BUCKET = 4096;

/**
 * The first `wanted` matches by (score desc, then the walk order: updated desc, id desc). Each
 * score is a bucket; the buckets the page needs take their share in turn: small ones gathered and
 * sorted, large ones found by walking the update order, which stops once every share is full.
 */
function bestMatchPage(
  index: FacetIndex,
  bits: LexemeBits,
  lexemes: readonly string[],
  matched: Int32Array,
  match: Uint8Array,
  perm: Int32Array,
  wanted: number,
): number[] {
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

/**
 * Where a phrase can be, by the postings: the works holding all its words in their metadata
 * (title, tags, summary) and those holding them all in their chapters. Only these need asking.
 */
function phrasePlaces(bits: LexemeBits, lexemes: readonly string[]): { meta: Uint32Array; body: Uint32Array } | null {
  let meta: Uint32Array | null = null;
  let body: Uint32Array | null = null;
  for (const lexeme of lexemes) {
    const entry = bits.of(lexeme);
    if (!entry) return null;
    const [a, b, c, d] = entry.places as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    if (!meta || !body) {
      meta = a.slice();
      for (let w = 0; w < meta.length; w++) meta[w]! |= b[w]! | c[w]!;
      body = d.slice();
    } else {
      for (let w = 0; w < meta.length; w++) meta[w]! &= a[w]! | b[w]! | c[w]!;
      for (let w = 0; w < body.length; w++) body[w]! &= d[w]!;
    }
  }
  return meta && body ? { meta, body } : null;
}

/** Of the candidates, those holding every phrase, as the SQL path decides it (within one chapter or the metadata). */
async function holdingPhrases(
  db: Db,
  index: FacetIndex,
  phrases: ReadonlyArray<{ text: string; places: { meta: Uint32Array; body: Uint32Array } | null }>,
  positions: readonly number[],
): Promise<Uint32Array> {
  // Large batches in two halves at once: the database server has more than one core.
  const halves =
    positions.length >= 200 ? [positions.slice(0, positions.length >> 1), positions.slice(positions.length >> 1)] : [positions];
  const sets = await Promise.all(
    phrases.map(async ({ text, places }) => {
      if (!places) return noBits(index);
      const parts = await Promise.all(
        halves.map((part) => {
          const meta = part.filter((i) => has(places.meta, i)).map((i) => index.ids[i]!);
          const body = part.filter((i) => has(places.body, i)).map((i) => index.ids[i]!);
          return idSetBits(db, index, worksWithPhraseAmong(text, meta, body));
        }),
      );
      const out = parts[0]!;
      for (const other of parts.slice(1)) for (let w = 0; w < out.length; w++) out[w]! |= other[w]!;
      return out;
    }),
  );
  const out = sets[0]!;
  for (const other of sets.slice(1)) for (let w = 0; w < out.length; w++) out[w]! &= other[w]!;
  return out;
}

/** The matching positions in a permutation's order (reversed: descending), one at a time. */
function* walkInOrder(perm: Int32Array, desc: boolean, match: Uint8Array): Generator<number> {
  const m = perm.length;
  for (let k = 0; k < m; k++) {
    const i = perm[desc ? m - 1 - k : k]!;
    if (match[i]) yield i;
  }
}

/** Each position's place in the update order (the inverse of its permutation), kept with the index. */
function updatedRanks(index: FacetIndex, updatedPerm: Int32Array): Int32Array {
  return index.memo('rank:updated', () => {
    const rank = new Int32Array(index.n);
    for (let k = 0; k < updatedPerm.length; k++) rank[updatedPerm[k]!] = k;
    return rank;
  });
}

/**
 * The matching positions in best-match order (score desc, then updated desc, id desc), one at a
 * time: the matches grouped by score in one pass, as their places in the update order, and each
 * score's group sorted (a typed array's own sort) only when the walk reaches it.
 */
function* walkBestMatch(
  index: FacetIndex,
  bits: LexemeBits,
  lexemes: readonly string[],
  matched: Int32Array,
  updatedPerm: Int32Array,
): Generator<number> {
  const score = bestMatchScores(index, bits, lexemes, matched);
  const rank = updatedRanks(index, updatedPerm);
  let top = 0;
  for (let k = 0; k < matched.length; k++) if (score[matched[k]!]! > top) top = score[matched[k]!]!;
  // Groups from the highest score down, each a stretch of `grouped`.
  const start = new Int32Array(top + 2);
  for (let k = 0; k < matched.length; k++) start[top - score[matched[k]!]! + 1]!++;
  for (let g = 1; g <= top + 1; g++) start[g]! += start[g - 1]!;
  const fill = start.slice();
  const grouped = new Int32Array(matched.length);
  for (let k = 0; k < matched.length; k++) {
    const i = matched[k]!;
    grouped[fill[top - score[i]!]!++] = rank[i]!;
  }
  for (let g = 0; g <= top; g++) {
    const group = grouped.subarray(start[g]!, start[g + 1]!);
    if (group.length === 0) continue;
    group.sort();
    // Newest first: the highest places in the update order.
    for (let k = group.length - 1; k >= 0; k--) yield updatedPerm[group[k]!]!;
  }
}

/**
 * A phrase search's page without checking every candidate: the candidates in the page's order are
 * checked in batches until `wanted` hold the phrase, and an even sample of all of them, checked
 * with the first batch, estimates how many of the unchecked ones would. Every work returned holds
 * the phrase and the order is exact; the total and the sidebar's counts are estimates (checked
 * works counted, unchecked ones weighted by the sample's share). Null when filling the page would
 * check too large a share of the candidates: checking them all is then cheaper.
 */
async function phrasePageInOrder(
  db: Db,
  index: FacetIndex,
  phrases: ReadonlyArray<{ text: string; places: { meta: Uint32Array; body: Uint32Array } | null }>,
  matched: Int32Array,
  ordered: Iterator<number>,
  wanted: number,
  tuning: PhraseTuning,
): Promise<{ found: number[]; estimate: number; exact: boolean; weight: (i: number) => number } | null> {
  // 0: not checked; 1: checked, no phrase; 2: holds the phrase.
  const state = new Uint8Array(index.n);
  const found: number[] = [];
  let taken = 0;
  let done = false;
  const take = (count: number): number[] => {
    const batch: number[] = [];
    while (batch.length < count) {
      const next = ordered.next();
      if (next.done) {
        done = true;
        break;
      }
      batch.push(next.value);
    }
    taken += batch.length;
    return batch;
  };
  const check = async (positions: number[]) => {
    const fresh = positions.filter((i) => state[i] === 0);
    if (fresh.length === 0) return;
    const holds = await holdingPhrases(db, index, phrases, fresh);
    for (const i of fresh) state[i] = has(holds, i) ? 2 : 1;
  };
  const step = Math.max(1, Math.floor(matched.length / Math.max(1, tuning.sample)));
  const sample: number[] = [];
  for (let k = Math.floor(step / 2); k < matched.length && sample.length < tuning.sample; k += step) sample.push(matched[k]!);
  let batch = take(Math.max(tuning.firstBatch, wanted * 2));
  await check([...batch, ...sample]);
  let sampleHits = 0;
  for (const i of sample) if (state[i] === 2) sampleHits++;
  const rate = sampleHits / Math.max(1, sample.length);
  for (;;) {
    for (const i of batch) if (state[i] === 2 && found.length < wanted) found.push(i);
    if (found.length >= wanted || done) break;
    // The share found so far in order (before any, half the sample's) says how many more to check;
    // a few too many cost less than another round trip.
    const share = Math.max(found.length > 0 ? found.length / taken : rate / 2, 0.002);
    const more = Math.max(tuning.firstBatch >>> 2, 1, Math.ceil(((wanted - found.length) / share) * 1.5));
    if (taken + more > matched.length * tuning.orderedShare) return null;
    batch = take(more);
    await check(batch);
  }
  let checked = 0;
  let holding = 0;
  for (const i of matched) {
    if (state[i] !== 0) checked++;
    if (state[i] === 2) holding++;
  }
  const unchecked = matched.length - checked;
  const estimate = done ? holding : holding + Math.round(unchecked * rate);
  return { found, estimate, exact: done, weight: (i) => (state[i] === 2 ? 1 : state[i] === 1 || done ? 0 : rate) };
}

/** Candidates an estimated sidebar counts (evenly spread), scaled to the estimated total. */
const FACET_SAMPLE = 5_000;

/** Sidebar counts times `factor`, rounded; those that round to nothing left out. */
function scaleFacets(facets: FacetRow[], factor: number): FacetRow[] {
  return facets
    .map((f) => ({ ...f, n: Math.round(f.n * factor) }))
    .filter((f) => f.n > 0)
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id)));
}

/** The sidebar with each matching work counted with a weight (1 for a sure match), counts rounded. */
function weightedSidebar(index: FacetIndex, matched: Int32Array, weight: (i: number) => number, perType: number): FacetRow[] {
  const sums = new Float64Array(index.baseCounts[0].length);
  const { tagStart, tagList } = index;
  for (const i of matched) {
    const w = weight(i);
    if (w === 0) continue;
    const end = tagStart[i + 1]!;
    for (let k = tagStart[i]!; k < end; k++) sums[tagList[k]!]! += w;
  }
  const counts = new Int32Array(sums.length);
  for (let t = 0; t < sums.length; t++) counts[t] = Math.round(sums[t]!);
  return topTags(index, counts, perType);
}

/** The query-language tree as a bit set over all works; what the index does not hold comes from SQL. */
async function nodeBits(
  db: Db,
  index: FacetIndex,
  node: QueryNode,
  ctx: QueryContext,
  bits: LexemeBits,
  relaxed: ReadonlySet<QueryNode>,
  within: Uint32Array | null = null,
): Promise<Uint32Array> {
  const where = (has: (i: number) => boolean) => (within ? bitsWhereWithin(index, within, has) : bitsWhere(index, has));
  switch (node.kind) {
    case 'and': {
      // Comparisons of numbers test work by work: done last, only on the works the other terms let through.
      const late = (n: QueryNode) =>
        n.kind === 'number' || n.kind === 'range' || (n.kind === 'not' && (n.item.kind === 'number' || n.item.kind === 'range'));
      const parts = await Promise.all(
        node.items.filter((item) => !late(item)).map((item) => nodeBits(db, index, item, ctx, bits, relaxed, within)),
      );
      const out = parts[0] ?? (within ? within.slice() : allBits(index));
      for (const p of parts.slice(1)) for (let w = 0; w < out.length; w++) out[w]! &= p[w]!;
      for (const item of node.items.filter(late)) {
        const p = await nodeBits(db, index, item, ctx, bits, relaxed, out);
        for (let w = 0; w < out.length; w++) out[w]! &= p[w]!;
      }
      return out;
    }
    case 'or': {
      const parts = await Promise.all(node.items.map((item) => nodeBits(db, index, item, ctx, bits, relaxed, within)));
      const out = parts[0] ?? noBits(index);
      for (const p of parts.slice(1)) for (let w = 0; w < out.length; w++) out[w]! |= p[w]!;
      return out;
    }
    case 'not': {
      const inner = await nodeBits(db, index, node.item, ctx, bits, relaxed, within);
      for (let w = 0; w < inner.length; w++) inner[w] = ~inner[w]!;
      clearTail(index, inner);
      return inner;
    }
    case 'tag':
      return tagBits(index, ctx.tagIds.get(tagKey(node.field, node.name)) ?? []);
    case 'number': {
      const col = index.num[node.field];
      const v = node.value;
      switch (node.op) {
        case '>':
          return where((i) => col[i]! > v);
        case '>=':
          return where((i) => col[i]! >= v);
        case '<':
          return where((i) => col[i]! < v);
        case '<=':
          return where((i) => col[i]! <= v);
        default:
          return where((i) => col[i] === v);
      }
    }
    case 'range': {
      const col = index.num[node.field];
      const { min, max } = node;
      return where((i) => col[i]! >= min && col[i]! <= max);
    }
    case 'language': {
      const code = index.langCodes.get(node.code.toLowerCase());
      return code === undefined ? noBits(index) : languageBits(index, code).slice();
    }
    case 'complete': {
      const out = completeBits(index).slice();
      if (!node.value) {
        for (let w = 0; w < out.length; w++) out[w] = ~out[w]!;
        clearTail(index, out);
      }
      return out;
    }
    case 'text':
      // Words from the postings; so is a phrase of the query's top conjunction, as the works
      // holding all its words (a superset, checked against the phrase once every other filter
      // has narrowed them).
      if (index.text && (!node.phrase || relaxed.has(node))) return bits.all(ctx.lexemes.get(node.text) ?? []) ?? allBits(index);
      if (node.phrase) {
        // Phrases need positions, which the index does not keep: the GIN indexes' union, asked
        // directly (as a condition on works it would scan every work). No words: no constraint.
        if ((ctx.lexemes.get(node.text) ?? []).length === 0) return allBits(index);
        return idSetBits(db, index, worksWithPhrase(node.text));
      }
      return idSetBits(db, index, sql`select works.id from works where ${compileNode(node, ctx)}`);
    case 'field':
      // Title/summary/creator matches (and text without postings): the same SQL condition as the SQL path, as a set of ids.
      return idSetBits(db, index, sql`select works.id from works where ${compileNode(node, ctx)}`);
  }
}

function completeBits(index: FacetIndex): Uint32Array {
  const flags = index.flags;
  return memoBits(index, 'complete', (i) => (flags[i]! & COMPLETE) !== 0);
}

function languageBits(index: FacetIndex, code: number): Uint32Array {
  const lang = index.lang;
  return memoBits(index, `lang:${code}`, (i) => lang[i] === code);
}

/**
 * The sidebar: for each tag type, the `perType` tags most used among the matching works, with
 * exact counts, in the SQL path's order.
 */
function sidebar(index: FacetIndex, matched: Int32Array, match: Uint8Array, signedIn: boolean, perType: number): FacetRow[] {
  const cls = signedIn ? 1 : 0;
  const need = signedIn ? VISIBLE : PUBLIC;
  const n = index.n;
  const total = matched.length;
  // Every visible work matches: the sidebar of the whole archive, the same for every such search.
  if (total === index.baseSize[cls])
    return index.memo(`sidebar:${cls}:${perType}`, () => topTags(index, index.baseCounts[cls], perType)).slice();
  const base = index.baseCounts[cls];
  let counts: Int32Array | null = null;
  if (total * 16 >= index.baseSize[cls]) {
    // Many matches: count tags, most used first, until no further tag can enter a list; give up
    // past what counting over the matches would cost (their tag lists, or the others' when fewer).
    const bits = noBits(index);
    for (const i of matched) bits[i >>> 5]! |= 1 << (i & 31);
    const perWork = index.tagStart[n]! / Math.max(1, n);
    const direct = Math.min(total, index.baseSize[cls] - total + n / 8) * perWork;
    // A posting visited costs a fraction of a count over the matches (their tag lists are read
    // from all over memory): measured 8–10 ms against 12–30 ms for a fandom of 100,000 works.
    counts = prunedCounts(index, bits, cls, perType, direct * 3);
  }
  if (!counts && total * 2 <= index.baseSize[cls]) {
    counts = new Int32Array(base.length);
    const { tagStart, tagList } = index;
    for (const i of matched) {
      const end = tagStart[i + 1]!;
      for (let k = tagStart[i]!; k < end; k++) counts[tagList[k]!]!++;
    }
  } else if (!counts) {
    // Most visible works match: count the few that do not, subtract from the visible totals.
    counts = base.slice();
    const { tagStart, tagList, flags } = index;
    for (let i = 0; i < n; i++) {
      if (match[i] || !(flags[i]! & need)) continue;
      const end = tagStart[i + 1]!;
      for (let k = tagStart[i]!; k < end; k++) counts[tagList[k]!]!--;
    }
  }
  return topTags(index, counts, perType);
}

/**
 * Per facet type, the tags a class of readers sees on some work, by their use over the archive in
 * powers of two, most used first (a bucket sort: milliseconds, where sorting every tag by its count
 * took tens of them once per index); kept with the index.
 */
function tagsByUse(index: FacetIndex, cls: number): Int32Array[] {
  return index.memo(`tagsByUse:${cls}`, () => {
    const counts = index.baseCounts[cls]!;
    const codes = index.facetType;
    return FACET_TYPES.map((_, code) => {
      const sizes = new Int32Array(33);
      for (let t = 0; t < counts.length; t++) if (counts[t]! > 0 && codes[t] === code + 1) sizes[Math.clz32(counts[t]!)]!++;
      const at = new Int32Array(33);
      for (let b = 1; b < 33; b++) at[b] = at[b - 1]! + sizes[b - 1]!;
      const out = new Int32Array(at[32]! + sizes[32]!);
      for (let t = 0; t < counts.length; t++) if (counts[t]! > 0 && codes[t] === code + 1) out[at[Math.clz32(counts[t]!)]!++] = t;
      return out;
    });
  });
}

/**
 * The sidebar's counts of a large result set without visiting its works: for each type, tags are
 * counted (their postings against the matches' bit set) from the most used over the whole archive
 * down, skipping those used less than the list's last count so far, and a type is done when no
 * later tag can reach it. Null when that would cost more than `budget` (postings visited; a
 * bitmap counts a quarter of its words): counting over the matches is then cheaper.
 */
function prunedCounts(index: FacetIndex, matchBits: Uint32Array, cls: number, perType: number, budget: number): Int32Array | null {
  if (perType <= 0) return null;
  const base = index.baseCounts[cls]!;
  const counts = new Int32Array(base.length);
  const denseCost = matchBits.length >>> 2;
  let spent = 0;
  for (const order of tagsByUse(index, cls)) {
    // The `perType` highest counts so far, descending.
    const top: number[] = [];
    for (const t of order) {
      const floor = top.length === perType ? top[perType - 1]! : 0;
      if (base[t]! < floor) {
        // Every later tag is used less than the next power of two above this one's use.
        if (2 ** (32 - Math.clz32(base[t]!)) <= floor) break;
        continue;
      }
      spent += index.tags.isDense(t) ? denseCost : index.tags.size(t);
      if (spent > budget) return null;
      const c = index.tags.countIn(t, matchBits);
      counts[t] = c;
      if (c === 0 || c <= floor) continue;
      let at = top.length;
      while (at > 0 && top[at - 1]! < c) at--;
      top.splice(at, 0, c);
      if (top.length > perType) top.pop();
    }
  }
  return counts;
}

/** For each tag type, the `perType` tags with the highest counts, in the SQL path's order. */
function topTags(index: FacetIndex, counts: Int32Array, perType: number): FacetRow[] {
  const facets: FacetRow[] = [];
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
    if (list.length === perType && better(row, list[list.length - 1]!) >= 0) continue;
    let at = list.length;
    while (at > 0 && better(row, list[at - 1]!) < 0) at--;
    list.splice(at, 0, row);
    if (list.length > perType) list.pop();
    if (list.length === perType) floor[code] = list[list.length - 1]!.n;
  }
  for (const list of lists) facets.push(...list);
  // The same presentation order as the SQL path's.
  facets.sort((a, b) =>
    a.type < b.type ? -1 : a.type > b.type ? 1 : b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id),
  );
  return facets;
}

/** Title order read from SQL (and kept, with each work's lower(title), for later catch-ups); null if a write moved the index on meanwhile. */
async function readTitleOrder(db: Db, index: FacetIndex): Promise<Int32Array | null> {
  const rows = await sql<{
    id: number;
    key: string;
  }>`select id, lower(title) as key from works order by lower(title) collate "C" asc, id asc`.execute(db);
  if ((await readSearchGeneration(db)) !== index.generation) return null;
  const p = new Int32Array(rows.rows.length);
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
  return p;
}

/** A search with no condition beyond what its reader may see. */
function isUnfiltered(r: ResolvedSearch): boolean {
  return (
    r.query === null &&
    r.includeAll.length === 0 &&
    r.includeAnyOf.length === 0 &&
    r.excludeAny.length === 0 &&
    r.hiddenTagIds.length === 0 &&
    r.hiddenUserIds.length === 0 &&
    r.crossover === 'include' &&
    r.complete === 'any' &&
    r.wordsFrom === null &&
    r.wordsTo === null &&
    r.postedFrom === null &&
    r.postedTo === null &&
    r.updatedFrom === null &&
    r.updatedTo === null &&
    r.language === '' &&
    r.creator === '' &&
    r.creatorPseudIds === undefined &&
    r.workIds === undefined
  );
}

/** Every work a class may see (flag `need`), as a mask and as positions: kept with the index, never changed. */
function visibleWorks(index: FacetIndex, need: number): { match: Uint8Array; positions: Int32Array } {
  return index.memo(`visible:${need}`, () => {
    const match = new Uint8Array(index.n);
    const out = new Int32Array(index.n);
    let k = 0;
    for (let i = 0; i < index.n; i++) {
      if (index.flags[i]! & need) {
        match[i] = 1;
        out[k++] = i;
      }
    }
    return { match, positions: out.slice(0, k) };
  });
}

/** Every work a class may see (flag `need`), as a bit set kept with the index: never to be written to. */
function visibleBits(index: FacetIndex, need: number): Uint32Array {
  const flags = index.flags;
  return memoBits(index, `visible:${need}`, (i) => (flags[i]! & need) !== 0);
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
  options: { estimate?: boolean; phraseTuning?: PhraseTuning } = {},
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
  if (((order && COUNTER_KEYS.has(order.key)) || usesCounters(r.query)) && Date.now() - index.countersAt > COUNTER_MAX_AGE_MS)
    refreshCounters(db, index);

  const n = index.n;
  const need = r.signedIn ? VISIBLE : PUBLIC;
  // No filter at all (all works, any order): every work this class may see, computed once per index.
  const unfiltered = !r.impossible && isUnfiltered(r);
  const everything = unfiltered ? visibleWorks(index, need) : null;
  const match = everything ? everything.match : new Uint8Array(n);
  /** The matching positions, ascending (candidate lists are ascending). */
  let matched = everything ? everything.positions : new Int32Array(0);
  let total = matched.length;
  const lexemeBits = new LexemeBits(index);
  // The commonest query, plain words, stays in bit sets: no byte mask, candidates straight from the bits.
  const queryWords = index.text ? wordsOnly(r.query, r.lexemes) : null;
  const queryBits = queryWords ? lexemeBits.all(queryWords) : null;
  // Phrases of the top conjunction: the works holding all their words are the candidates, checked
  // against the phrase once every other filter has narrowed them.
  const phrasesToCheck = index.text ? topPhrases(r.query).filter((p) => (r.lexemes.get(p.text) ?? []).length > 0) : [];
  const relaxedPhrases = new Set<QueryNode>(phrasesToCheck);
  if (!r.impossible && !everything) {
    // SQL-backed parts first, concurrently.
    const [treeBits, creatorBits, pseudBits, hiddenUserBits] = await Promise.all([
      r.query && !queryWords ? nodeBits(db, index, r.query, r, lexemeBits, relaxedPhrases) : null,
      r.creator !== '' ? idSetBits(db, index, worksByCreator(r.creator)) : null,
      r.creatorPseudIds ? idSetBits(db, index, worksByPseuds(r.creatorPseudIds)) : null,
      r.hiddenUserIds.length > 0
        ? idSetBits(
            db,
            index,
            // A concealed work is nobody's to hide until the reveal (decision 043): hiding it would name its creator.
            sql`select wc.work_id as id from work_creators wc join pseuds p on p.id = wc.pseud_id where p.user_id = any(${[...r.hiddenUserIds]}::int[]) and wc.work_id not in (${concealedWorkIdsSql()})`,
          )
        : null,
    ]);
    // Every filter that is a set of works is a bit set, combined 32 works an operation; the sets
    // that depend only on the index (visibility, completion, crossovers, a language) are kept with it.
    const bits = visibleBits(index, need).slice();
    const and = (other: Uint32Array) => {
      for (let w = 0; w < bits.length; w++) bits[w]! &= other[w]!;
    };
    const andNot = (other: Uint32Array) => {
      for (let w = 0; w < bits.length; w++) bits[w]! &= ~other[w]!;
    };
    if (queryBits) and(queryBits);
    if (treeBits) and(treeBits);
    if (creatorBits) and(creatorBits);
    if (pseudBits) and(pseudBits);
    if (hiddenUserBits) andNot(hiddenUserBits);
    // A listing of given works (bookmarks): their positions, no SQL needed.
    if (r.workIds) {
      const listed = noBits(index);
      for (const id of r.workIds) {
        const i = index.indexOf(id);
        if (i >= 0) listed[i >>> 5]! |= 1 << (i & 31);
      }
      and(listed);
    }
    for (const t of r.includeAll) and(tagBits(index, [t]));
    for (const group of r.includeAnyOf) and(tagBits(index, group));
    const excluded = [...new Set([...r.excludeAny, ...r.hiddenTagIds])];
    if (excluded.length > 0) andNot(tagBits(index, excluded));
    if (r.complete === 'complete') and(completeBits(index));
    if (r.complete === 'in_progress') andNot(completeBits(index));
    if (r.crossover !== 'include') {
      const fandoms = index.fandoms;
      const crossovers = memoBits(index, 'crossover', (i) => fandoms[i]! > 1);
      if (r.crossover === 'only') and(crossovers);
      else andNot(crossovers);
    }
    if (r.language !== '') {
      const code = index.langCodes.get(r.language.toLowerCase());
      if (code === undefined) bits.fill(0);
      else and(languageBits(index, code));
    }
    // What is left is tested work by work, only on the works every set above let through.
    const wordCount = index.num.words;
    const pub = index.num.posted;
    const upd = index.num.updated;
    const pFrom = r.postedFrom === null ? null : dayMicros(r.postedFrom, false);
    const pTo = r.postedTo === null ? null : dayMicros(r.postedTo, true);
    const uFrom = r.updatedFrom === null ? null : dayMicros(r.updatedFrom, false);
    const uTo = r.updatedTo === null ? null : dayMicros(r.updatedTo, true);
    const ranged = r.wordsFrom !== null || r.wordsTo !== null || pFrom !== null || pTo !== null || uFrom !== null || uTo !== null;
    const test = (i: number): boolean => {
      if (r.wordsFrom !== null && wordCount[i]! < r.wordsFrom) return false;
      if (r.wordsTo !== null && wordCount[i]! > r.wordsTo) return false;
      // A missing date (Infinity) passes no date bound, as NULL compares in SQL.
      if (pFrom !== null && !(pub[i]! >= pFrom && pub[i]! !== Number.POSITIVE_INFINITY)) return false;
      if (pTo !== null && !(pub[i]! < pTo)) return false;
      if (uFrom !== null && !(upd[i]! >= uFrom)) return false;
      if (uTo !== null && !(upd[i]! < uTo)) return false;
      return true;
    };
    const found = new Int32Array(countBits(bits));
    for (let k = 0; k < bits.length; k++) {
      let word = bits[k]!;
      while (word !== 0) {
        const low = word & -word;
        const i = (k << 5) + 31 - Math.clz32(low);
        word ^= low;
        if (ranged && !test(i)) continue;
        match[i] = 1;
        found[total++] = i;
      }
    }
    matched = found.subarray(0, total);
  }

  const permOf = async (o: Order): Promise<Int32Array | null> =>
    o.key === 'title' ? (index.titlePerm() ?? (await readTitleOrder(db, index))) : index.perm(o.key);
  const offset = (page - 1) * perPage;
  const tuning = options.phraseTuning ?? PHRASE_TUNING;
  // A phrase lies within the metadata or within the chapters: a candidate with one of its words
  // only in the title and another only in a chapter cannot hold it, and is dropped before any check.
  const phrases = phrasesToCheck.map((p) => ({ text: p.text, places: phrasePlaces(lexemeBits, r.lexemes.get(p.text) ?? []) }));
  if (phrases.length > 0) {
    let kept = 0;
    for (const i of matched) {
      if (phrases.every(({ places }) => places !== null && (has(places.meta, i) || has(places.body, i)))) matched[kept++] = i;
      else match[i] = 0;
    }
    matched = matched.subarray(0, kept);
    total = kept;
  }
  if (phrasesToCheck.length > 0 && options.estimate && order && matched.length > tuning.exactUpTo) {
    // Many candidates: check them in the page's order only until the page is full.
    const perm = await permOf(order);
    if (!perm) return null;
    const walk =
      r.sort === 'best' && r.rankLexemes.length > 0
        ? walkBestMatch(index, lexemeBits, r.rankLexemes, matched, perm)
        : walkInOrder(perm, order.desc, match);
    const early = await phrasePageInOrder(db, index, phrases, matched, walk, offset + perPage + 1, tuning);
    if (early) {
      const ids = early.found.slice(offset, offset + perPage).map((i) => index.ids[i]!);
      const hasNext = early.found.length > offset + perPage;
      // An estimate never says fewer than the works already found; once every candidate was checked it is exact.
      const estimated = early.exact ? early.estimate : Math.max(early.estimate, offset + ids.length + (hasNext ? 1 : 0));
      let facets: FacetRow[] = [];
      if (facetsPerType !== null && estimated > 0) {
        // Exact once every candidate was checked; otherwise counted over an even sample of the
        // candidates and scaled to the estimated total.
        if (early.exact) facets = weightedSidebar(index, matched, early.weight, facetsPerType);
        else {
          const step = Math.max(1, Math.floor(matched.length / FACET_SAMPLE));
          const counts = new Int32Array(index.baseCounts[0].length);
          const { tagStart, tagList } = index;
          let sampled = 0;
          for (let k = 0; k < matched.length; k += step, sampled++) {
            const i = matched[k]!;
            for (let j = tagStart[i]!; j < tagStart[i + 1]!; j++) counts[tagList[j]!]!++;
          }
          facets = scaleFacets(topTags(index, counts, facetsPerType), estimated / sampled);
        }
      }
      return { ids, hasNext, total: estimated, facets, ...(early.exact ? {} : { totalEstimated: true }) };
    }
  }
  if (phrasesToCheck.length > 0 && matched.length > 0) {
    for (const phrase of phrasesToCheck) {
      // Few left: check just those; many: the GIN indexes' answer is cheaper than a list of ids.
      const holds = await idSetBits(
        db,
        index,
        worksWithPhrase(phrase.text, matched.length <= PHRASE_CHECK_BY_ID ? Array.from(matched, (i) => index.ids[i]!) : undefined),
      );
      let kept = 0;
      for (const i of matched) {
        if (has(holds, i)) matched[kept++] = i;
        else match[i] = 0;
      }
      matched = matched.subarray(0, kept);
      total = kept;
    }
  }

  // The page: walk the order's permutation, keeping matches.
  let perm: Int32Array | null = null;
  if (order) {
    perm = await permOf(order);
    if (!perm) return null;
  }
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

  const facets = facetsPerType !== null && total > 0 ? sidebar(index, matched, match, r.signedIn, facetsPerType) : [];
  return { ids: perm ? ids : null, hasNext, total, facets };
}

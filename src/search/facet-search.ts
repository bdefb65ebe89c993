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

/** Up to this many works left by the other filters, a phrase is checked on them by id. */
const PHRASE_CHECK_BY_ID = 20_000;

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
async function nodeMask(
  db: Db,
  index: FacetIndex,
  node: QueryNode,
  ctx: QueryContext,
  bits: LexemeBits,
  relaxed: ReadonlySet<QueryNode>,
): Promise<Uint8Array> {
  const n = index.n;
  switch (node.kind) {
    case 'and':
    case 'or': {
      const parts = await Promise.all(node.items.map((item) => nodeMask(db, index, item, ctx, bits, relaxed)));
      const out = parts[0] ?? new Uint8Array(n).fill(node.kind === 'and' ? 1 : 0);
      for (const p of parts.slice(1)) {
        if (node.kind === 'and') for (let i = 0; i < n; i++) out[i]! &= p[i]!;
        else for (let i = 0; i < n; i++) out[i]! |= p[i]!;
      }
      return out;
    }
    case 'not': {
      const inner = await nodeMask(db, index, node.item, ctx, bits, relaxed);
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
      for (let i = 0; i < n; i++) out[i] = ((index.flags[i]! & COMPLETE) !== 0) === node.value ? 1 : 0;
      return out;
    }
    case 'text':
      // Words from the postings; so is a phrase of the query's top conjunction, as the works
      // holding all its words (a superset, checked against the phrase once every other filter
      // has narrowed them).
      if (index.text && (!node.phrase || relaxed.has(node))) return bitsToMask(bits.all(ctx.lexemes.get(node.text) ?? []), n);
      if (node.phrase) {
        // Phrases need positions, which the index does not keep: the GIN indexes' union, asked
        // directly (as a condition on works it would scan every work). No words: no constraint.
        if ((ctx.lexemes.get(node.text) ?? []).length === 0) return new Uint8Array(n).fill(1);
        return idSetMask(db, index, worksWithPhrase(node.text));
      }
      return idSetMask(db, index, sql`select works.id from works where ${compileNode(node, ctx)}`);
    case 'field':
      // Title/summary/creator matches (and text without postings): the same SQL condition as the SQL path, as a set of ids.
      return idSetMask(db, index, sql`select works.id from works where ${compileNode(node, ctx)}`);
  }
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
  return topTags(index, counts, perType);
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
  // Only worth it when something else narrows the works: a bare phrase goes to the GIN indexes.
  const narrowed =
    r.query?.kind === 'and' ||
    r.includeAll.length > 0 ||
    r.includeAnyOf.length > 0 ||
    r.creator !== '' ||
    r.creatorPseudIds !== undefined ||
    r.workIds !== undefined ||
    r.language !== '';
  const phrasesToCheck = index.text && narrowed ? topPhrases(r.query).filter((p) => (r.lexemes.get(p.text) ?? []).length > 0) : [];
  const relaxedPhrases = new Set<QueryNode>(phrasesToCheck);
  if (!r.impossible && !everything) {
    // SQL-backed parts first, concurrently.
    const [queryMask, creatorMask, pseudMask, hiddenUserMask] = await Promise.all([
      r.query && !queryWords ? nodeMask(db, index, r.query, r, lexemeBits, relaxedPhrases) : null,
      r.creator !== '' ? idSetMask(db, index, worksByCreator(r.creator)) : null,
      r.creatorPseudIds ? idSetMask(db, index, worksByPseuds(r.creatorPseudIds)) : null,
      r.hiddenUserIds.length > 0
        ? idSetMask(
            db,
            index,
            // A concealed work is nobody's to hide until the reveal (decision 043): hiding it would name its creator.
            sql`select wc.work_id as id from work_creators wc join pseuds p on p.id = wc.pseud_id where p.user_id = any(${[...r.hiddenUserIds]}::int[]) and wc.work_id not in (${concealedWorkIdsSql()})`,
          )
        : null,
    ]);
    // A listing of given works (bookmarks): their positions, no SQL needed.
    let workMask: Uint8Array | null = null;
    let workPositions: Int32Array | null = null;
    if (r.workIds) {
      workMask = new Uint8Array(n);
      const positions: number[] = [];
      for (const id of r.workIds) {
        const i = index.indexOf(id);
        if (i >= 0 && !workMask[i]) {
          workMask[i] = 1;
          positions.push(i);
        }
      }
      // Candidates are visited in ascending position, as the other candidate lists are.
      workPositions = Int32Array.from(positions.sort((a, b) => a - b));
    }
    const nInclude = r.includeAll.length;
    let candidates: Int32Array | null = null;
    let includeMarks: Uint8Array | null = null;
    if (nInclude > 0) {
      includeMarks = new Uint8Array(n);
      r.includeAll.forEach((t, k) => {
        const p = index.tags.positions(t);
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
      if (pseudMask && !pseudMask[i]) return false;
      if (workMask && !workMask[i]) return false;
      const fl = index.flags[i]!;
      if (!(fl & need)) return false;
      if (includeMarks && includeMarks[i] !== nInclude) return false;
      for (const m of anyOf) if (!m[i]) return false;
      if (excludeMask?.[i]) return false;
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
      if (hiddenUserMask?.[i]) return false;
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
    if (workPositions && (!cand || workPositions.length < cand.length)) cand = workPositions;
    if (!cand && anyOf.length > 0) {
      // Nothing narrower: the works of the smallest any-of group (a rating, say) as candidates, a
      // tight scan of its mask instead of the full filter test on every work.
      const sizes = r.includeAnyOf.map((group) => group.reduce((sum, t) => sum + index.tags.size(t), 0));
      const smallest = sizes.indexOf(Math.min(...sizes));
      if (sizes[smallest]! * 2 < n) {
        const mask = anyOf[smallest]!;
        const positions = new Int32Array(Math.min(n, sizes[smallest]!));
        let k = 0;
        for (let i = 0; i < n && k < positions.length; i++) if (mask[i]) positions[k++] = i;
        cand = positions.subarray(0, k);
      }
    }
    const found = new Int32Array(cand ? cand.length : n);
    if (cand) {
      for (const i of cand) {
        if (match[i] === 0 && test(i)) {
          match[i] = 1;
          found[total++] = i;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (test(i)) {
          match[i] = 1;
          found[total++] = i;
        }
      }
    }
    matched = found.subarray(0, total);
    for (const phrase of phrasesToCheck) {
      // Few left: check just those; many: the GIN indexes' answer is cheaper than a list of ids.
      const holds = await idSetMask(
        db,
        index,
        worksWithPhrase(phrase.text, matched.length <= PHRASE_CHECK_BY_ID ? Array.from(matched, (i) => index.ids[i]!) : undefined),
      );
      let kept = 0;
      for (const i of matched) {
        if (holds[i]) matched[kept++] = i;
        else match[i] = 0;
      }
      matched = matched.subarray(0, kept);
      total = kept;
    }
  }

  // The page: walk the order's permutation, keeping matches.
  let perm: Int32Array | null;
  if (!order) perm = null;
  else if (order.key === 'title') {
    const p = index.titlePerm() ?? (await readTitleOrder(db, index));
    if (!p) return null;
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

  const facets = facetsPerType !== null && total > 0 ? sidebar(index, matched, match, r.signedIn, facetsPerType) : [];
  return { ids: perm ? ids : null, hasNext, total, facets };
}

import type { Kysely, Transaction } from 'kysely';
import type { Database, TagType, WorkRow } from '../db/schema.ts';
import { mutedUserIds } from '../blocking/blocking.service.ts';
import type { SafeHtml } from '../lib/safe-html.ts';
import { currentFacetIndex } from './facet-index-store.ts';
import { searchFacetIndex } from './facet-search.ts';
import { HEADLINE_OPTIONS, MARK_START, toSafeSnippet } from './highlight.ts';
import { parseQuery, walkQuery, type QueryNode, type TagField } from './query-parser.ts';
import * as repo from './search.repo.ts';
import { NAMED_TAG_TYPES, toQueryString, type SearchFilters } from './search.schema.ts';
import { findCollectionFilterWorkIds } from '../collections/collection-filter.ts';

type Db = Kysely<Database>;

export const PER_PAGE = 20;
export const FACETS_PER_TYPE = 10;

/** Short names for ratings in the query language (`rating:teen`). */
const RATING_ALIASES: Readonly<Record<string, string>> = {
  general: 'General Audiences',
  g: 'General Audiences',
  teen: 'Teen And Up Audiences',
  t: 'Teen And Up Audiences',
  mature: 'Mature',
  m: 'Mature',
  explicit: 'Explicit',
  e: 'Explicit',
  notrated: 'Not Rated',
  'not-rated': 'Not Rated',
  nr: 'Not Rated',
};

const FIELD_TYPES: Record<TagField, readonly TagType[] | undefined> = {
  tag: undefined,
  fandom: ['fandom'],
  character: ['character'],
  relationship: ['relationship'],
  freeform: ['freeform'],
  rating: ['rating'],
  warning: ['warning'],
  category: ['category'],
};

export interface HiddenForViewer {
  tagIds: number[];
  userIds: number[];
}

const NOTHING_HIDDEN: HiddenForViewer = { tagIds: [], userIds: [] };

/**
 * The tags and creators a signed-in reader has hidden from every listing and search: their
 * global filters plus the users they muted (src/blocking), whose works vanish from their sight.
 */
export async function findHiddenForViewer(db: Db | Transaction<Database>, userId: number | null): Promise<HiddenForViewer> {
  if (userId === null) return NOTHING_HIDDEN;
  const [rows, muted] = await Promise.all([repo.findGlobalFilters(db, userId), mutedUserIds(db, userId)]);
  if (rows.length === 0 && muted.length === 0) return NOTHING_HIDDEN;
  const userIds = new Set([...rows.filter((r) => r.kind === 'creator').map((r) => r.target_id), ...muted]);
  return {
    tagIds: rows.filter((r) => r.kind === 'tag').map((r) => r.target_id),
    userIds: [...userIds].sort((a, b) => a - b),
  };
}

/** Resolves every name in the filters and the query to canonical ids; says which names matched nothing. */
export async function resolveSearch(
  db: Db,
  filters: SearchFilters,
  viewer: { id: number } | null,
  query: QueryNode | null,
  hiddenOverride?: HiddenForViewer,
): Promise<{ resolved: repo.ResolvedSearch; notices: string[] }> {
  const notices: string[] = [];
  const includeAll: number[] = [];
  const includeAnyOf: number[][] = [];
  const excludeAny: number[] = [];
  let impossible = false;

  // Every lookup at once, and every tag the filters name in one query: each round trip to the
  // database is a wait, long on a busy machine (a search naming six tags made six, one by one).
  const named: Array<{ type: TagType; names: readonly string[]; mode: 'include' | 'exclude' }> = [];
  for (const type of NAMED_TAG_TYPES) {
    named.push({ type, names: filters.include[type], mode: 'include' });
    named.push({ type, names: filters.exclude[type], mode: 'exclude' });
  }
  named.push({ type: 'warning', names: filters.warnings, mode: 'include' });
  named.push({ type: 'warning', names: filters.excludeWarnings, mode: 'exclude' });
  named.push({ type: 'category', names: filters.categories, mode: 'include' });
  named.push({ type: 'category', names: filters.excludeCategories, mode: 'exclude' });
  const pairs = [
    ...named.flatMap((g) => g.names.map((name) => ({ type: g.type, name }))),
    ...filters.ratings.map((name) => ({ type: 'rating' as TagType, name })),
  ];

  // The query's tag names, one lookup per field.
  const wanted = new Map<TagField, Set<string>>();
  walkQuery(query, (node) => {
    if (node.kind !== 'tag') return;
    const name = node.field === 'rating' ? (RATING_ALIASES[node.name.toLowerCase()] ?? node.name) : node.name;
    const set = wanted.get(node.field) ?? new Set<string>();
    set.add(name);
    wanted.set(node.field, set);
  });
  // Free text: each word's lexemes, once, for the index and SQL alike.
  const texts = new Set<string>();
  walkQuery(query, (node) => {
    if (node.kind === 'text') texts.add(node.text);
  });
  const anyNames = [...filters.include.any, ...filters.exclude.any];
  const [byTypeAndName, anyFound, fieldFound, lexemes, hidden] = await Promise.all([
    repo.findTagIdsByTypeAndName(db, pairs, viewer),
    anyNames.length > 0 ? repo.findTagIdsAnyType(db, anyNames, viewer) : new Map<string, number[]>(),
    Promise.all(
      [...wanted].map(
        async ([field, names]) => [field, names, await repo.findTagIdsAnyType(db, [...names], viewer, FIELD_TYPES[field])] as const,
      ),
    ),
    repo.findLexemes(db, [...texts]),
    hiddenOverride ?? findHiddenForViewer(db, viewer?.id ?? null),
  ]);
  const idsOf = (type: TagType, name: string) => byTypeAndName.get(repo.tagKey(type, name)) ?? [];

  for (const { type, names, mode } of named) {
    for (const name of names) {
      const ids = idsOf(type, name);
      if (ids.length === 0) {
        if (mode === 'include') {
          impossible = true;
          notices.push(`There is no ${type === 'freeform' ? 'additional' : type} tag called “${name}”, so nothing can match it.`);
        }
        continue;
      }
      (mode === 'include' ? includeAll : excludeAny).push(...ids);
    }
  }
  if (filters.ratings.length > 0) includeAnyOf.push([...new Set(filters.ratings.flatMap((name) => idsOf('rating', name)))]);
  for (const name of filters.include.any) {
    const ids = anyFound.get(name.toLowerCase()) ?? [];
    if (ids.length === 0) {
      impossible = true;
      notices.push(`There is no tag called “${name}”, so nothing can match it.`);
    }
    includeAnyOf.push(ids);
  }
  for (const name of filters.exclude.any) excludeAny.push(...(anyFound.get(name.toLowerCase()) ?? []));
  includeAll.push(...filters.includeIds);
  excludeAny.push(...filters.excludeIds);

  const tagIds = new Map<string, number[]>();
  for (const [field, names, found] of fieldFound) {
    for (const name of names) {
      const ids = found.get(name.toLowerCase()) ?? [];
      tagIds.set(repo.tagKey(field, name), ids);
      if (field === 'rating') {
        for (const [alias, full] of Object.entries(RATING_ALIASES)) if (full === name) tagIds.set(repo.tagKey(field, alias), ids);
      }
      if (ids.length === 0)
        notices.push(`There is no ${field === 'tag' ? '' : `${field === 'freeform' ? 'additional' : field} `}tag called “${name}”.`);
    }
  }
  const rankLexemes = [...new Set(repo.rankTerms(query).flatMap((t) => lexemes.get(t.text) ?? []))].sort();

  return {
    notices,
    resolved: {
      signedIn: viewer !== null,
      includeAll: [...new Set(includeAll)].sort((a, b) => a - b),
      includeAnyOf,
      excludeAny: [...new Set(excludeAny)].sort((a, b) => a - b),
      impossible,
      crossover: filters.crossover,
      complete: filters.complete,
      wordsFrom: filters.wordsFrom,
      wordsTo: filters.wordsTo,
      postedFrom: filters.postedFrom,
      postedTo: filters.postedTo,
      updatedFrom: filters.updatedFrom,
      updatedTo: filters.updatedTo,
      language: filters.language,
      creator: filters.creator.trim().toLowerCase(),
      query,
      tagIds,
      lexemes,
      rankLexemes,
      hiddenTagIds: hidden.tagIds,
      hiddenUserIds: hidden.userIds,
      sort: filters.sort,
      direction: filters.direction,
    },
  };
}

export type { FacetRow } from './search.repo.ts';

export interface SearchResult {
  rows: WorkRow[];
  hasNext: boolean;
  total: number;
  facets: repo.FacetRow[];
  snippets: Map<number, SafeHtml>;
  notices: string[];
  /** The total and the sidebar's counts are estimates (only with SearchOptions.estimate): say "about". */
  totalEstimated?: boolean;
}

/**
 * What a listing is of, beyond the reader's own filters: a tag page is a search with its tag
 * included, a creator's page one limited to their pseuds. Kept out of the query string, so a
 * listing's chips and links never offer to remove it.
 */
export interface ListingScope {
  tagIds?: readonly number[];
  pseudIds?: readonly number[];
  /** Only these works: a reader's bookmarked works. */
  workIds?: readonly number[];
}

export interface SearchOptions {
  scope?: ListingScope;
  perPage?: number;
  facetsPerType?: number;
  /** Counts are cached by query and search generation; the bench turns this off to measure the cold path. */
  cache?: boolean;
  facets?: boolean;
  /** Hidden tags and creators to apply instead of the viewer's own (feeds apply their owner's). */
  hidden?: HiddenForViewer;
  /**
   * Answer from the in-process facet index when it is at the current search generation (default
   * true; config SEARCH_INDEX). While it is behind, or for an order it cannot give, SQL answers.
   */
  index?: boolean;
  /**
   * The caller labels an estimated total as such ("about N"): a phrase search with many candidate
   * works may then check the phrase only until its page is full (decision 048). Off by default:
   * every other caller gets exact totals.
   */
  estimate?: boolean;
}

interface CountsEntry {
  generation: string;
  total: number;
  facets: repo.FacetRow[];
}

/** Per database handle: an LRU of total + sidebar counts, keyed by the search minus its sort and page. */
const countCaches = new WeakMap<object, Map<string, CountsEntry>>();
const COUNT_CACHE_SIZE = 1000;
const pageCaches = new WeakMap<
  object,
  Map<string, { generation: string; at: number; ids: number[]; hasNext: boolean; snippets: Map<number, SafeHtml> }>
>();
const PAGE_CACHE_SIZE = 2000;
/** Sorts by counters that change without moving the search generation: cached briefly. */
const COUNTER_SORT_MAX_AGE_MS = 30_000;
const COUNTER_SORTS: ReadonlySet<string> = new Set(['hits', 'kudos', 'comments', 'bookmarks', 'ratio']);

function countsKey(filters: SearchFilters, resolved: repo.ResolvedSearch, facetsPerType: number): string {
  return JSON.stringify([
    toQueryString({ ...filters, sort: 'updated', direction: 'desc', page: 1, q: filters.q }),
    resolved.includeAll,
    resolved.creatorPseudIds ?? null,
    resolved.workIds ?? null,
    resolved.signedIn,
    resolved.hiddenTagIds,
    resolved.hiddenUserIds,
    facetsPerType,
  ]);
}

const FRAGMENT_DELIMITER = ' … ';
const SENTENCE_END = /^[\s\S]*[.!?…]["'”’)]*\s+(?=\S)/;

/**
 * ts_headline's fragments start at a word, often mid-sentence: each begins at the last sentence
 * start before its first match when there is one, and otherwise says with an ellipsis that it
 * was cut; one that stops mid-sentence ends with an ellipsis too.
 */
export function toExcerpt(raw: string): string {
  return raw
    .split(FRAGMENT_DELIMITER)
    .map((part) => {
      let fragment = part.replace(/\s+/g, ' ').trim();
      const firstMark = fragment.indexOf(MARK_START);
      const lead = SENTENCE_END.exec(firstMark < 0 ? fragment : fragment.slice(0, firstMark));
      if (lead) fragment = fragment.slice(lead[0].length);
      else if (!/^[\u0001]?[A-Z"“‘'(]/.test(fragment)) fragment = `…${fragment}`;
      if (!/[.!?…]["'”’)]*[\u0002]?$/.test(fragment)) fragment = `${fragment}…`;
      return fragment;
    })
    .filter((fragment) => fragment !== '')
    .join(' ');
}

/** Highlighted excerpts for a page of works when the query has free-text terms. */
async function snippetsOf(db: Db, query: QueryNode | null, ids: readonly number[]): Promise<Map<number, SafeHtml>> {
  const snippets = new Map<number, SafeHtml>();
  const rank = repo.rankQuery(query);
  if (rank && ids.length > 0) {
    const raw = await repo.findSnippets(db, ids, rank, HEADLINE_OPTIONS);
    for (const [id, text] of raw) snippets.set(id, toSafeSnippet(toExcerpt(text)));
  }
  return snippets;
}

/**
 * Runs a search as the viewer may see it: one page of works, the exact total, the sidebar's
 * counts and text snippets. Throws QueryParseError for a query the parser refuses.
 */
export async function searchWorks(
  db: Db,
  viewer: { id: number } | null,
  filters: SearchFilters,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const query = parseQuery(filters.q);
  const perPage = options.perPage ?? PER_PAGE;
  const facetsPerType = options.facetsPerType ?? FACETS_PER_TYPE;
  // The generation the index must have reached, read while the names resolve (one wait, not two).
  const [{ resolved, notices }, generation] = await Promise.all([
    resolveSearch(db, filters, viewer, query, options.hidden),
    options.index !== false ? repo.readSearchGeneration(db) : null,
  ]);
  if (options.scope?.tagIds && options.scope.tagIds.length > 0)
    resolved.includeAll = [...new Set([...resolved.includeAll, ...options.scope.tagIds])].sort((a, b) => a - b);
  if (options.scope?.pseudIds) resolved.creatorPseudIds = [...options.scope.pseudIds];
  if (options.scope?.workIds) resolved.workIds = [...options.scope.workIds].sort((a, b) => a - b);
  if (filters.collection !== '') {
    // The collection filter narrows whatever the scope already is (decision 043).
    const inCollection = new Set(await findCollectionFilterWorkIds(db, filters.collection));
    resolved.workIds = (resolved.workIds ?? [...inCollection].sort((a, b) => a - b)).filter((id) => inCollection.has(id));
  }

  if (options.index !== false) {
    const index = await currentFacetIndex(db, generation ?? (await repo.readSearchGeneration(db)));
    const mem = index
      ? await searchFacetIndex(db, index, resolved, filters.page, perPage, options.facets === false ? null : facetsPerType, {
          estimate: options.estimate === true,
        })
      : null;
    if (mem) {
      // Creator order comes from SQL; the counts from the index.
      const page = mem.ids === null ? await repo.findSearchPage(db, resolved, filters.page, perPage) : null;
      const ids = page ? page.rows.map((r) => r.id) : mem.ids!;
      const [rows, snippets] = await Promise.all([page ? page.rows : repo.findWorksByIds(db, ids), snippetsOf(db, query, ids)]);
      // A row deleted since would have moved the generation; this is a guard, not a path.
      if (rows.length === ids.length) {
        return {
          rows,
          hasNext: page ? page.hasNext : mem.hasNext,
          total: mem.total,
          facets: mem.facets,
          snippets,
          notices,
          ...(mem.totalEstimated ? { totalEstimated: true } : {}),
        };
      }
    }
  }

  const counts = async (): Promise<{ total: number; facets: repo.FacetRow[] }> => {
    const run = async () => {
      if (options.facets === false) return { total: await repo.countSearch(db, resolved), facets: [] };
      return repo.findCountsAndFacets(db, resolved, facetsPerType);
    };
    if (options.cache === false) return run();
    let cache = countCaches.get(db);
    if (!cache) countCaches.set(db, (cache = new Map()));
    const key = countsKey(filters, resolved, options.facets === false ? 0 : facetsPerType);
    const generation = await repo.readSearchGeneration(db);
    const hit = cache.get(key);
    if (hit && hit.generation === generation) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const fresh = await run();
    cache.set(key, { generation, ...fresh });
    if (cache.size > COUNT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return fresh;
  };

  // Result pages are cached like the counts: their work ids and snippets, the rows read fresh.
  // Hits and kudos move without a new generation, so pages sorted by a counter live at most
  // COUNTER_SORT_MAX_AGE_MS (their order may lag the counters by that much, never their content).
  const pageCacheable = options.cache !== false;
  const maxAge = COUNTER_SORTS.has(filters.sort) ? COUNTER_SORT_MAX_AGE_MS : Number.POSITIVE_INFINITY;
  const pageKey = `${countsKey(filters, resolved, 0)}|${filters.sort}|${filters.direction}|${filters.page}|${perPage}`;
  const loadPage = async (): Promise<{ rows: WorkRow[]; hasNext: boolean; snippets: Map<number, SafeHtml> }> => {
    const generation = pageCacheable ? await repo.readSearchGeneration(db) : '';
    const cache = pageCaches.get(db);
    const hit = pageCacheable ? cache?.get(pageKey) : undefined;
    if (hit && hit.generation === generation && Date.now() - hit.at <= maxAge) {
      const rows = await repo.findWorksByIds(db, hit.ids);
      // A row gone since (deleted) would change the generation; this is a guard, not a path.
      if (rows.length === hit.ids.length) return { rows, hasNext: hit.hasNext, snippets: hit.snippets };
    }
    const page = await repo.findSearchPage(db, resolved, filters.page, perPage);
    const snippets = await snippetsOf(
      db,
      query,
      page.rows.map((r) => r.id),
    );
    if (pageCacheable) {
      let c = pageCaches.get(db);
      if (!c) pageCaches.set(db, (c = new Map()));
      c.delete(pageKey);
      c.set(pageKey, { generation, at: Date.now(), ids: page.rows.map((r) => r.id), hasNext: page.hasNext, snippets });
      if (c.size > PAGE_CACHE_SIZE) c.delete(c.keys().next().value!);
    }
    return { ...page, snippets };
  };

  const [page, { total, facets }] = await Promise.all([loadPage(), counts()]);
  const snippets = page.snippets;
  return { rows: page.rows, hasNext: page.hasNext, total, facets, snippets, notices };
}

/**
 * How many works each tag has (by id; filter tags, so synonyms resolved and meta tags inherited)
 * among the works every guest, or every signed-in reader, may see: the facet index's own base
 * counts, kept current as works change. Null while the index is being built (count in SQL then).
 */
export async function countWorksPerTag(db: Db, audience: 'guests' | 'members'): Promise<((tagId: number) => number) | null> {
  const index = await currentFacetIndex(db, await repo.readSearchGeneration(db));
  if (!index) return null;
  const counts = index.baseCounts[audience === 'guests' ? 0 : 1];
  return (tagId) => counts[tagId] ?? 0;
}

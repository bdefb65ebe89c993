import type { Kysely } from 'kysely';
import type { Database, TagType } from '../db/schema.ts';
import type { SearchFilters } from '../search/search.schema.ts';
import { PER_PAGE, searchWorks, type ListingScope, type SearchResult } from '../search/search.service.ts';
import type { WorkSummaryView } from '../works/works.presenter.ts';
import { toBlurbs } from './blurbs.ts';
import { findVisibleTagsByIds } from './listing.repo.ts';

export type { ListingScope } from '../search/search.service.ts';

export interface SelectedTag {
  id: number;
  name: string;
  type: TagType;
}

export type ListingOutcome =
  | {
      kind: 'page';
      result: SearchResult;
      works: WorkSummaryView[];
      /** The tags the filters name by id that the viewer may see, by id. */
      selectedTags: Map<number, SelectedTag>;
      lastPage: number;
    }
  /** The page asked for is past the last one (the works changed since the link was made). */
  | { kind: 'past-end'; lastPage: number; total: number };

/**
 * One page of a listing — every place works are listed: the search itself, a tag's works, all
 * works, a creator's works — as a search over the facet index (src/search) with the listing's
 * scope added to the reader's filters. Throws QueryParseError for a search box the parser refuses.
 */
export async function loadListing(
  db: Kysely<Database>,
  viewer: { id: number } | null,
  scope: ListingScope,
  filters: SearchFilters,
  /** estimate: a phrase search may estimate its total, which only the search page labels "about N" (decision 048). */
  options: { index?: boolean; perPage?: number; estimate?: boolean } = {},
): Promise<ListingOutcome> {
  const perPage = options.perPage ?? PER_PAGE;
  const [result, tags] = await Promise.all([
    searchWorks(db, viewer, filters, {
      scope,
      perPage,
      ...(options.index === undefined ? {} : { index: options.index }),
      ...(options.estimate ? { estimate: true } : {}),
    }),
    findVisibleTagsByIds(db, [...filters.includeIds, ...filters.excludeIds], viewer),
  ]);
  const lastPage = Math.max(1, Math.ceil(result.total / perPage));
  if (filters.page > lastPage) return { kind: 'past-end', lastPage, total: result.total };
  return {
    kind: 'page',
    result,
    works: await toBlurbs(db, result.rows),
    selectedTags: new Map(tags.map((t) => [t.id, t])),
    lastPage,
  };
}

/**
 * Which of the given works (a bookmark list's) match the reader's filters, and the sidebar's
 * counts over them: the same search, scoped to those works. The list keeps its own order.
 */
export async function matchListedWorks(
  db: Kysely<Database>,
  viewer: { id: number } | null,
  workIds: readonly number[],
  filters: SearchFilters,
  options: { index?: boolean } = {},
): Promise<{ matched: Set<number>; result: SearchResult; selectedTags: Map<number, SelectedTag> }> {
  const [result, tags] = await Promise.all([
    searchWorks(
      db,
      viewer,
      { ...filters, page: 1 },
      {
        scope: { workIds },
        perPage: Math.max(1, workIds.length),
        ...(options.index === undefined ? {} : { index: options.index }),
      },
    ),
    findVisibleTagsByIds(db, [...filters.includeIds, ...filters.excludeIds], viewer),
  ]);
  return { matched: new Set(result.rows.map((r) => r.id)), result, selectedTags: new Map(tags.map((t) => [t.id, t])) };
}

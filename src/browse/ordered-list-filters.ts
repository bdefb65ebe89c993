import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { QueryParseError } from '../search/query-parser.ts';
import { emptyFilters, SearchQuerySchema, toQueryString, type SearchFilters } from '../search/search.schema.ts';
import { toFieldErrors, type FieldErrors } from '../web/form.ts';
import { type ListingBase, type ListingControlsView, toListingControls } from './listing.presenter.ts';
import { matchListedWorks } from './listing.service.ts';

export interface OrderedListFilters {
  /** The reader's work filters from the query string (the page given), or empty ones when they were refused. */
  filters: SearchFilters;
  /** The works the filters keep, or null when no filter is set (everything is listed). */
  matched: ReadonlySet<number> | null;
  /** The sidebar, without a sort: the list keeps its own order. */
  controls: ListingControlsView;
  errors: FieldErrors;
}

/**
 * The listing sidebar over a list that keeps its own order (a reader's bookmarks, a series' parts):
 * the same search as every listing, scoped to the list's works, answering which of them match and
 * the counts beside each facet. A refused filter comes back as a field error with the typing kept.
 */
export async function filterOrderedList(
  db: Kysely<Database>,
  viewer: { id: number } | null,
  query: Record<string, string | string[]>,
  workIds: readonly number[],
  base: string | ListingBase,
  options: { page: number; index?: boolean },
): Promise<OrderedListFilters> {
  const parsed = SearchQuerySchema.safeParse(query);
  const errors: FieldErrors = parsed.success ? {} : toFieldErrors(parsed.error);
  const filters: SearchFilters = parsed.success ? { ...parsed.data, page: options.page } : emptyFilters({ page: options.page });
  // The default sort is no filter: only what narrows the list counts.
  const filtering = toQueryString({ ...filters, sort: filters.q === '' ? 'updated' : 'best', direction: 'desc', page: 1 }) !== '';
  let match: Awaited<ReturnType<typeof matchListedWorks>> | null = null;
  try {
    match = await matchListedWorks(db, viewer, [...new Set(workIds)], filters, options.index === undefined ? {} : { index: options.index });
  } catch (error) {
    if (!(error instanceof QueryParseError)) throw error;
    errors.q = `${error.message} (at character ${error.position + 1})`;
  }
  return {
    filters,
    matched: match && filtering ? match.matched : null,
    controls: toListingControls({
      base,
      filters,
      values: stringValuesOf(query),
      facets: match?.result.facets ?? [],
      tags: match?.selectedTags ?? new Map(),
      sortable: false,
    }),
    errors,
  };
}

function stringValuesOf(query: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(query)) if (typeof v === 'string' || Array.isArray(v)) out[k] = v as string | string[];
  return out;
}

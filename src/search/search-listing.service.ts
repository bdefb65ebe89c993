// The search page's listing (decision 048): loadListing's steps (src/browse/listing.service.ts),
// except that a phrase search may estimate its total, which the search page labels "about N" and
// the other listings would not. Apart from search.service.ts, which blurbs' imports reach.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { toBlurbs } from '../browse/blurbs.ts';
import type { ListingOutcome } from '../browse/listing.service.ts';
import type { SearchFilters } from './search.schema.ts';
import { findVisibleTagsByIds } from './search.repo.ts';
import { PER_PAGE, searchWorks } from './search.service.ts';

/** One page of the search, as the search page shows it: blurbs, the tags its filters name, the last page. */
export async function loadSearchListing(
  db: Kysely<Database>,
  viewer: { id: number } | null,
  filters: SearchFilters,
  index: boolean,
): Promise<ListingOutcome> {
  const [result, tags] = await Promise.all([
    searchWorks(db, viewer, filters, { index, estimate: true }),
    findVisibleTagsByIds(db, [...filters.includeIds, ...filters.excludeIds], viewer),
  ]);
  const lastPage = Math.max(1, Math.ceil(result.total / PER_PAGE));
  if (filters.page > lastPage) return { kind: 'past-end', lastPage, total: result.total };
  return {
    kind: 'page',
    result,
    works: await toBlurbs(db, result.rows),
    selectedTags: new Map(tags.map((t) => [t.id, t])),
    lastPage,
  };
}

// Tables of one feature slice: search (issue 3): saved searches and personal global filters.
// The columns search adds to works (search_vector, fandom_count) and chapters (body_vector) are
// kept by triggers and read only through sql fragments, so they are not declared on those tables.
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../schema.ts';

export interface SavedSearchesTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** The search's canonical query string (see src/search/search.schema.ts). */
  query: string;
  /** The secret the Atom feed's URL carries (?token=...). */
  feed_token: string;
  last_viewed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  created_at: CreatedAt;
}

export interface UserSearchFiltersTable {
  user_id: number;
  kind: 'tag' | 'creator';
  target_id: number;
  created_at: CreatedAt;
}

export interface SearchTables {
  saved_searches: SavedSearchesTable;
  user_search_filters: UserSearchFiltersTable;
  search_generation: { id: number; value: ColumnType<string, never, never> };
}

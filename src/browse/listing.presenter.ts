import type { TagType } from '../db/schema.ts';
import { SORT_LABELS, SORTS, toQueryString, type SearchFilters, type SortKey } from '../search/search.schema.ts';
import { LANGUAGES } from '../works/vocabulary.ts';
import type { FacetRow } from '../search/search.service.ts';
import type { SelectedTag } from './listing.service.ts';

/** An active filter, shown above the results with a link that removes just it. */
export interface ChipView {
  label: string;
  /** Excluded filters say so: "excluded" is part of what the chip shows. */
  excluded: boolean;
  removeHref: string;
}

export interface FacetOptionView {
  id: number;
  name: string;
  /** Works among the results with the tag; null for a tag the filters left out of them. */
  count: number | null;
}

export interface FacetGroupView {
  type: TagType;
  label: string;
  options: FacetOptionView[];
}

export interface PaginationView {
  page: number;
  lastPage: number;
  href: (page: number) => string;
}

/** The sidebar's form: its facets, what it was filled with, and what it carries unseen. */
export interface ListingControlsView {
  action: string;
  /** The request's values as typed, for refilling the form. */
  values: Record<string, string | string[]>;
  groups: FacetGroupView[];
  sortOptions: Array<{ value: string; label: string }>;
  /** Filters without a control of their own in the sidebar, sent along as they are (their chip removes them). */
  carried: Array<{ name: string; value: string }>;
  chips: ChipView[];
  clearHref: string;
}

export const FACET_TYPES: readonly TagType[] = ['rating', 'warning', 'category', 'fandom', 'relationship', 'character', 'freeform'];

const GROUP_LABELS: Record<TagType, string> = {
  rating: 'Ratings',
  warning: 'Warnings',
  category: 'Categories',
  media: 'Media',
  fandom: 'Fandoms',
  relationship: 'Relationships',
  character: 'Characters',
  freeform: 'Additional Tags',
};

const TYPE_LABELS: Record<TagType, string> = {
  rating: 'Rating',
  warning: 'Warning',
  category: 'Category',
  media: 'Media',
  fandom: 'Fandom',
  relationship: 'Relationship',
  character: 'Character',
  freeform: 'Additional tag',
};

/** Query-string names that the sidebar has no control for: kept as hidden fields. */
const CARRIED = [
  'fandoms',
  'relationships',
  'characters',
  'freeforms',
  'exclude_fandoms',
  'exclude_relationships',
  'exclude_characters',
  'exclude_freeforms',
  'ratings',
  'warnings',
  'exclude_warnings',
  'categories',
  'exclude_categories',
  'creator',
  'collection',
] as const;

const LANGUAGE_NAMES = new Map(LANGUAGES.map((l) => [l.code.toLowerCase(), l.name]));

/**
 * How a listing's links are made: its address, `fixed` query parameters every link keeps (a
 * bookmark list's own filters), and `keepEmpty` for a page where no query at all means something
 * else (the bare search form).
 */
export interface ListingBase {
  path: string;
  fixed?: string;
  keepEmpty?: boolean;
}

/** The listing's address with the search's query string (and its fixed parameters). */
export function listingHref(base: string | ListingBase, queryString: string): string {
  const b = typeof base === 'string' ? { path: base } : base;
  const query = [b.fixed ?? '', queryString].filter((q) => q !== '').join('&');
  if (query !== '') return `${b.path}?${query}`;
  return b.keepEmpty ? `${b.path}?q=` : b.path;
}

/** The page links of a listing: every filter and the sort kept, only the page changed. */
export function toPaginationView(base: string | ListingBase, filters: SearchFilters, lastPage: number): PaginationView {
  return { page: filters.page, lastPage, href: (page) => listingHref(base, toQueryString(filters, { page })) };
}

/** One chip per active filter; each removes only itself and keeps the sort. */
export function toChips(base: string | ListingBase, filters: SearchFilters, tags: ReadonlyMap<number, SelectedTag>): ChipView[] {
  const chips: ChipView[] = [];
  const href = (patch: Partial<SearchFilters>) => listingHref(base, toQueryString({ ...filters, ...patch, page: 1 }));
  const without = <T>(list: readonly T[], value: T) => list.filter((v) => v !== value);
  const tagLabel = (id: number) => {
    const tag = tags.get(id);
    return tag ? `${TYPE_LABELS[tag.type]}: ${tag.name}` : `Tag ${id}`;
  };
  if (filters.q !== '') {
    // The default sort follows the box (best match with words in it): removing the words keeps a chosen sort only.
    const sort: SortKey = filters.sort === 'best' ? 'updated' : filters.sort;
    chips.push({ label: `Search: “${filters.q}”`, excluded: false, removeHref: href({ q: '', sort }) });
  }
  for (const id of filters.includeIds)
    chips.push({ label: tagLabel(id), excluded: false, removeHref: href({ includeIds: without(filters.includeIds, id) }) });
  for (const id of filters.excludeIds)
    chips.push({ label: tagLabel(id), excluded: true, removeHref: href({ excludeIds: without(filters.excludeIds, id) }) });
  const named = (key: 'include' | 'exclude', type: keyof SearchFilters['include'], label: string) => {
    for (const name of filters[key][type])
      chips.push({
        label: `${label}: ${name}`,
        excluded: key === 'exclude',
        removeHref: href({ [key]: { ...filters[key], [type]: without(filters[key][type], name) } }),
      });
  };
  for (const key of ['include', 'exclude'] as const) {
    named(key, 'fandom', 'Fandom');
    named(key, 'relationship', 'Relationship');
    named(key, 'character', 'Character');
    named(key, 'freeform', 'Additional tag');
    named(key, 'any', 'Tag');
  }
  for (const name of filters.ratings)
    chips.push({ label: `Rating: ${name}`, excluded: false, removeHref: href({ ratings: without(filters.ratings, name) }) });
  for (const name of filters.warnings)
    chips.push({ label: `Warning: ${name}`, excluded: false, removeHref: href({ warnings: without(filters.warnings, name) }) });
  for (const name of filters.excludeWarnings)
    chips.push({
      label: `Warning: ${name}`,
      excluded: true,
      removeHref: href({ excludeWarnings: without(filters.excludeWarnings, name) }),
    });
  for (const name of filters.categories)
    chips.push({ label: `Category: ${name}`, excluded: false, removeHref: href({ categories: without(filters.categories, name) }) });
  for (const name of filters.excludeCategories)
    chips.push({
      label: `Category: ${name}`,
      excluded: true,
      removeHref: href({ excludeCategories: without(filters.excludeCategories, name) }),
    });
  if (filters.crossover !== 'include')
    chips.push({
      label: filters.crossover === 'only' ? 'Only crossovers' : 'No crossovers',
      excluded: false,
      removeHref: href({ crossover: 'include' }),
    });
  if (filters.complete !== 'any')
    chips.push({
      label: filters.complete === 'complete' ? 'Complete works only' : 'Works in progress only',
      excluded: false,
      removeHref: href({ complete: 'any' }),
    });
  const n = (v: number) => v.toLocaleString('en');
  if (filters.wordsFrom !== null)
    chips.push({ label: `At least ${n(filters.wordsFrom)} words`, excluded: false, removeHref: href({ wordsFrom: null }) });
  if (filters.wordsTo !== null)
    chips.push({ label: `At most ${n(filters.wordsTo)} words`, excluded: false, removeHref: href({ wordsTo: null }) });
  if (filters.postedFrom !== null)
    chips.push({ label: `Posted from ${filters.postedFrom}`, excluded: false, removeHref: href({ postedFrom: null }) });
  if (filters.postedTo !== null)
    chips.push({ label: `Posted until ${filters.postedTo}`, excluded: false, removeHref: href({ postedTo: null }) });
  if (filters.updatedFrom !== null)
    chips.push({ label: `Updated from ${filters.updatedFrom}`, excluded: false, removeHref: href({ updatedFrom: null }) });
  if (filters.updatedTo !== null)
    chips.push({ label: `Updated until ${filters.updatedTo}`, excluded: false, removeHref: href({ updatedTo: null }) });
  if (filters.language !== '')
    chips.push({
      label: `Language: ${LANGUAGE_NAMES.get(filters.language.toLowerCase()) ?? filters.language}`,
      excluded: false,
      removeHref: href({ language: '' }),
    });
  if (filters.creator !== '') chips.push({ label: `Creator: ${filters.creator}`, excluded: false, removeHref: href({ creator: '' }) });
  if (filters.collection !== '')
    chips.push({ label: `Collection: ${filters.collection}`, excluded: false, removeHref: href({ collection: '' }) });
  return chips;
}

/**
 * The sidebar's tag choices: for each type the most used tags among the results, with counts,
 * plus every tag the filters already name (an excluded tag counts no result but must stay
 * visible, checked, so that it can be unchecked). The listing's own tag is not offered.
 */
export function toFacetGroups(
  facets: readonly FacetRow[],
  filters: SearchFilters,
  tags: ReadonlyMap<number, SelectedTag>,
  scopeTagIds: readonly number[] = [],
): FacetGroupView[] {
  const hidden = new Set(scopeTagIds);
  return FACET_TYPES.map((type) => {
    const options: FacetOptionView[] = facets
      .filter((f) => f.type === type && !hidden.has(f.id))
      .map((f) => ({ id: f.id, name: f.name, count: f.n }));
    const shown = new Set(options.map((o) => o.id));
    for (const id of [...filters.includeIds, ...filters.excludeIds]) {
      const tag = tags.get(id);
      if (tag && tag.type === type && !shown.has(id) && !hidden.has(id)) {
        options.push({ id, name: tag.name, count: null });
        shown.add(id);
      }
    }
    return { type, label: GROUP_LABELS[type], options };
  }).filter((g) => g.options.length > 0);
}

/** The sidebar form's view: facets, sort options, the carried filters, the chips. */
export function toListingControls(input: {
  base: string | ListingBase;
  filters: SearchFilters;
  values: Record<string, string | string[]>;
  facets: readonly FacetRow[];
  tags: ReadonlyMap<number, SelectedTag>;
  scopeTagIds?: readonly number[];
  /** False where the order is the listing's own (bookmarks: newest bookmark first). */
  sortable?: boolean;
}): ListingControlsView {
  const { base, filters, values, tags } = input;
  const groups = toFacetGroups(input.facets, filters, tags, input.scopeTagIds);
  const offered = new Set(groups.flatMap((g) => g.options.map((o) => o.id)));
  const carried: Array<{ name: string; value: string }> = [];
  for (const name of CARRIED) {
    const raw = values[name];
    for (const value of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) if (value.trim() !== '') carried.push({ name, value });
  }
  // A tag named by id that has no checkbox (one the viewer may not see) still applies until its chip removes it.
  for (const id of filters.includeIds) if (!offered.has(id)) carried.push({ name: 'with', value: String(id) });
  for (const id of filters.excludeIds) if (!offered.has(id)) carried.push({ name: 'without', value: String(id) });
  const path = typeof base === 'string' ? base : base.path;
  // The listing's fixed parameters travel with the form too.
  const fixed = typeof base === 'string' ? '' : (base.fixed ?? '');
  for (const [name, value] of new URLSearchParams(fixed)) carried.push({ name, value });
  return {
    action: path,
    values,
    groups,
    sortOptions:
      input.sortable === false
        ? []
        : SORTS.filter((s) => s !== 'best' || filters.q !== '').map((s) => ({ value: s, label: SORT_LABELS[s] })),
    carried,
    chips: toChips(base, filters, tags),
    clearHref: listingHref(base, ''),
  };
}

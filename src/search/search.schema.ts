import { z } from 'zod';

/** The tag types a reader filters by name (ratings, warnings and categories are fixed lists). */
export const NAMED_TAG_TYPES = ['fandom', 'relationship', 'character', 'freeform'] as const;
export type NamedTagType = (typeof NAMED_TAG_TYPES)[number];

export const SORTS = ['best', 'creator', 'title', 'posted', 'updated', 'words', 'hits', 'kudos', 'comments', 'bookmarks', 'ratio'] as const;
export type SortKey = (typeof SORTS)[number];

export const SORT_LABELS: Record<SortKey, string> = {
  best: 'Best match',
  creator: 'Creator',
  title: 'Title',
  posted: 'Date posted',
  updated: 'Date updated',
  words: 'Word count',
  hits: 'Hits',
  kudos: 'Kudos',
  comments: 'Comments',
  bookmarks: 'Bookmarks',
  ratio: 'Kudos to hits ratio',
};

/** Sorts that read naturally A→Z; the others run from most to least. */
export const ASCENDING_BY_DEFAULT: ReadonlySet<SortKey> = new Set(['creator', 'title']);

export const CROSSOVERS = ['include', 'exclude', 'only'] as const;
export type Crossover = (typeof CROSSOVERS)[number];

/** Everything a search can ask for, normalised: what the service runs and what URLs are built from. */
export interface SearchFilters {
  q: string;
  /** Tag names to include / exclude, by type; `any` matches a tag of any type. */
  include: Record<NamedTagType | 'any', string[]>;
  exclude: Record<NamedTagType | 'any', string[]>;
  /** Canonical tag ids from the sidebar's one-click links. */
  includeIds: number[];
  excludeIds: number[];
  /** Rating names: a work with any one of them matches. */
  ratings: string[];
  /** Warning and category names: a work must carry all the included, none of the excluded. */
  warnings: string[];
  excludeWarnings: string[];
  categories: string[];
  excludeCategories: string[];
  crossover: Crossover;
  complete: 'any' | 'complete' | 'in_progress';
  wordsFrom: number | null;
  wordsTo: number | null;
  /** YYYY-MM-DD, inclusive. */
  postedFrom: string | null;
  postedTo: string | null;
  updatedFrom: string | null;
  updatedTo: string | null;
  language: string;
  creator: string;
  /** A collection's name: only its works (and its sub-collections'). */
  collection: string;
  sort: SortKey;
  direction: 'asc' | 'desc';
  page: number;
}

export const MAX_PAGE = 5000;

const list = (max: number) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) =>
      (v === undefined ? [] : Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    )
    .pipe(z.array(z.string().max(150, 'Tag names are at most 150 characters.')).max(max, `Choose at most ${max} of these.`));

const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    (v === undefined ? [] : Array.isArray(v) ? v : [v])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  )
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^[1-9]\d{0,9}$/, 'Tag ids are whole numbers.')
          .transform(Number),
      )
      .max(50, 'At most 50 tag ids.'),
  );

const optionalCount = (label: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim().replace(/,/g, '')))
    .pipe(
      z
        .string()
        .regex(/^\d{1,10}$/, `${label} must be a whole number.`)
        .transform(Number)
        .pipe(z.number().max(2_000_000_000, `${label} is too large.`))
        .nullable(),
    );

const optionalDate = (label: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()))
    .pipe(
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date like 2024-01-31.`)
        .refine(
          (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
          `${label} is not a real date.`,
        )
        .nullable(),
    );

const single = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim());

/** The search form's query string (GET) → SearchFilters. Field names are what the form and links use. */
export const SearchQuerySchema = z
  .object({
    q: single.pipe(z.string().max(1000, 'The query is too long (at most 1000 characters).')),
    fandoms: list(20),
    relationships: list(20),
    characters: list(20),
    freeforms: list(20),
    tags: list(20),
    exclude_fandoms: list(20),
    exclude_relationships: list(20),
    exclude_characters: list(20),
    exclude_freeforms: list(20),
    exclude_tags: list(20),
    with: idList,
    without: idList,
    ratings: list(5),
    warnings: list(6),
    exclude_warnings: list(6),
    categories: list(6),
    exclude_categories: list(6),
    crossover: single.pipe(z.enum(['', ...CROSSOVERS], { message: 'Choose whether to include, exclude or only show crossovers.' })),
    complete: single.pipe(z.enum(['', 'complete', 'in_progress'], { message: 'Choose complete, in progress, or either.' })),
    words_from: optionalCount('The smallest word count'),
    words_to: optionalCount('The largest word count'),
    posted_from: optionalDate('The first posting date'),
    posted_to: optionalDate('The last posting date'),
    updated_from: optionalDate('The first update date'),
    updated_to: optionalDate('The last update date'),
    language: single.pipe(
      z
        .string()
        .max(20)
        .regex(/^([A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*)?$/, 'Choose a language from the list.'),
    ),
    creator: single.pipe(z.string().max(100, 'Creator names are at most 100 characters.')),
    collection: single.pipe(
      z
        .string()
        .trim()
        .regex(
          /^([A-Za-z0-9_]{3,64})?$/,
          'Name the collection as in its address (letters, digits, underscores), as in /collections/summer_fest.',
        ),
    ),
    sort: single.pipe(z.enum(['', ...SORTS], { message: 'Choose a sort order from the list.' })),
    direction: single.pipe(z.enum(['', 'asc', 'desc'], { message: 'Sort direction is asc or desc.' })),
    page: single.pipe(z.string().regex(/^(\d{1,6})?$/, 'The page number must be a whole number from 1 up.')),
  })
  .transform((v): SearchFilters => {
    const sort: SortKey = v.sort === '' ? (v.q === '' ? 'updated' : 'best') : v.sort;
    return {
      q: v.q,
      include: { fandom: v.fandoms, relationship: v.relationships, character: v.characters, freeform: v.freeforms, any: v.tags },
      exclude: {
        fandom: v.exclude_fandoms,
        relationship: v.exclude_relationships,
        character: v.exclude_characters,
        freeform: v.exclude_freeforms,
        any: v.exclude_tags,
      },
      includeIds: [...new Set(v.with)],
      excludeIds: [...new Set(v.without)],
      ratings: v.ratings,
      warnings: v.warnings,
      excludeWarnings: v.exclude_warnings,
      categories: v.categories,
      excludeCategories: v.exclude_categories,
      crossover: v.crossover === '' ? 'include' : v.crossover,
      complete: v.complete === '' ? 'any' : v.complete,
      wordsFrom: v.words_from,
      wordsTo: v.words_to,
      postedFrom: v.posted_from,
      postedTo: v.posted_to,
      updatedFrom: v.updated_from,
      updatedTo: v.updated_to,
      language: v.language,
      creator: v.creator,
      collection: v.collection,
      sort,
      direction: v.direction === '' ? (ASCENDING_BY_DEFAULT.has(sort) ? 'asc' : 'desc') : v.direction,
      page: v.page === '' ? 1 : Math.min(Math.max(1, Number(v.page)), MAX_PAGE),
    };
  });

export type SearchQueryInput = z.input<typeof SearchQuerySchema>;

/** Filters with nothing chosen (every posted work, newest update first). */
export function emptyFilters(overrides: Partial<SearchFilters> = {}): SearchFilters {
  return { ...SearchQuerySchema.parse({}), ...overrides };
}

/**
 * The canonical query string of a search (fixed key order, defaults left out): the URL of the
 * page, the text of a saved search, and a cache key.
 */
export function toQueryString(f: SearchFilters, overrides: { page?: number; sort?: SortKey } = {}): string {
  const p = new URLSearchParams();
  const add = (key: string, value: string | number | null) => {
    if (value !== null && value !== '') p.append(key, String(value));
  };
  const addList = (key: string, values: readonly (string | number)[]) => {
    for (const v of values) p.append(key, String(v));
  };
  add('q', f.q);
  addList('fandoms', f.include.fandom);
  addList('relationships', f.include.relationship);
  addList('characters', f.include.character);
  addList('freeforms', f.include.freeform);
  addList('tags', f.include.any);
  addList('exclude_fandoms', f.exclude.fandom);
  addList('exclude_relationships', f.exclude.relationship);
  addList('exclude_characters', f.exclude.character);
  addList('exclude_freeforms', f.exclude.freeform);
  addList('exclude_tags', f.exclude.any);
  addList('with', f.includeIds);
  addList('without', f.excludeIds);
  addList('ratings', f.ratings);
  addList('warnings', f.warnings);
  addList('exclude_warnings', f.excludeWarnings);
  addList('categories', f.categories);
  addList('exclude_categories', f.excludeCategories);
  if (f.crossover !== 'include') add('crossover', f.crossover);
  if (f.complete !== 'any') add('complete', f.complete);
  add('words_from', f.wordsFrom);
  add('words_to', f.wordsTo);
  add('posted_from', f.postedFrom);
  add('posted_to', f.postedTo);
  add('updated_from', f.updatedFrom);
  add('updated_to', f.updatedTo);
  add('language', f.language);
  add('creator', f.creator);
  add('collection', f.collection);
  const sort = overrides.sort ?? f.sort;
  const defaultSort = f.q === '' ? 'updated' : 'best';
  if (sort !== defaultSort) add('sort', sort);
  const defaultDirection = ASCENDING_BY_DEFAULT.has(sort) ? 'asc' : 'desc';
  if (f.direction !== defaultDirection && overrides.sort === undefined) add('direction', f.direction);
  const page = overrides.page ?? f.page;
  if (page > 1) add('page', page);
  return p.toString();
}

export const SavedSearchSchema = z.object({
  name: z.string().trim().min(1, 'Give the saved search a name.').max(100, 'Names are at most 100 characters.'),
  query: z.string().max(4000, 'This search is too long to save.'),
});
export type SavedSearchInput = z.infer<typeof SavedSearchSchema>;

export const GlobalFilterSchema = z.object({
  kind: z.enum(['tag', 'creator'], { message: 'Choose whether to hide a tag or a creator.' }),
  name: z.string().trim().min(1, 'Type the tag or creator to hide.').max(150, 'Names are at most 150 characters.'),
  tag_type: z
    .enum(['fandom', 'relationship', 'character', 'freeform', 'rating', 'warning', 'category', ''], { message: 'Choose a tag type.' })
    .optional(),
});
export type GlobalFilterInput = z.infer<typeof GlobalFilterSchema>;

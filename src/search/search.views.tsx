import type { ChipView, PaginationView } from '../browse/listing.presenter.ts';
import { ListingResults, WorkShapeFields } from '../browse/listing.views.tsx';
import type { SafeHtml } from '../lib/safe-html.ts';
import { CheckboxGroup, ErrorSummary, RawHtml, SelectField, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import { WorkBlurb } from '../works/blurb.tsx';
import type { WorkSummaryView } from '../works/works.presenter.ts';
import { CATEGORIES, RATINGS, WARNINGS } from '../works/vocabulary.ts';
import { SORT_LABELS, SORTS } from './search.schema.ts';

export interface FacetView {
  label: string;
  /** count is null for a tag the search leaves out (excluded): it is listed, marked, with no count. */
  tags: Array<{ name: string; count: number | null; includeHref: string; excludeHref: string; state: 'included' | 'excluded' | 'none' }>;
}

/** The search form's values as typed (strings), for refilling it. */
export type SearchFormValues = Record<string, string | string[]>;

export interface SearchPageView {
  values: SearchFormValues;
  errors: FieldErrors;
  /** The query with a caret under the problem, when the query language refused it. */
  queryProblem?: string;
  notices: string[];
  searched: boolean;
  /** "1 – 20 of 507 works found" ("of about 507" for an estimate). */
  count: string;
  /** The total and the sidebar's counts are estimates: each count says "about". */
  countsEstimated?: boolean;
  works: Array<{ work: WorkSummaryView; snippet?: SafeHtml }>;
  facets: FacetView[];
  /** The active filters, each removable; the form carries the sidebar's tag choices (`with`, `without`) as hidden fields. */
  chips: ChipView[];
  clearHref: string;
  carried: Array<{ name: string; value: string }>;
  pagination: PaginationView;
  /** The canonical query string, for "save this search". */
  queryString: string;
  saveAction?: string;
}

const str = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join(', ') : (v ?? ''));
const arr = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function Facets(props: { facets: FacetView[]; estimated: boolean }) {
  if (props.facets.every((f) => f.tags.length === 0)) return null;
  return (
    <details class="listing-filters search-facets" id="filters">
      <summary class="listing-filters-toggle">Refine results</summary>
      <h2 id="facets-heading" class="filters-heading">
        Refine results
      </h2>
      {props.facets
        .filter((f) => f.tags.length > 0)
        .map((f) => (
          <section class="facet">
            <h3>{f.label}</h3>
            <ul>
              {f.tags.map((t) => (
                <li class={`facet-${t.state}`}>
                  <span class="facet-name">{t.name}</span>{' '}
                  {t.state === 'excluded' ? (
                    <span class="facet-count">(excluded)</span>
                  ) : t.count === null ? null : (
                    <span class="facet-count">
                      ({props.estimated ? 'about ' : ''}
                      {t.count.toLocaleString('en')})
                    </span>
                  )}{' '}
                  <a href={t.includeHref} aria-label={`Only works tagged ${t.name}`}>
                    include
                  </a>{' '}
                  <a href={t.excludeHref} aria-label={`Exclude works tagged ${t.name}`}>
                    exclude
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ))}
    </details>
  );
}

function SearchForm(props: { v: SearchPageView }) {
  const { values, errors } = props.v;
  const text = (name: string, label: string, hint?: string, type: 'text' | 'search' = 'text') => (
    <TextField name={name} label={label} errors={errors} value={str(values[name])} type={type} {...(hint ? { hint } : {})} />
  );
  return (
    <form method="get" action="/works/search" class="search-form" role="search">
      {text('q', 'Search', 'Words, "phrases", fields like fandom:"Harry Potter" words:>1000, -exclusions, OR, parentheses.', 'search')}
      {props.v.queryProblem ? (
        <pre class="query-problem" role="note" aria-label="Where the problem is">
          {props.v.queryProblem}
        </pre>
      ) : null}
      <p>
        <a href="/works/search/help">How to write a query</a>
      </p>
      <div class="search-sort">
        <SelectField
          name="sort"
          label="Sort by"
          errors={errors}
          value={str(values.sort)}
          options={[{ value: '', label: 'Default' }, ...SORTS.map((s) => ({ value: s, label: SORT_LABELS[s] }))]}
        />
        <SelectField
          name="direction"
          label="Direction"
          errors={errors}
          value={str(values.direction)}
          options={[
            { value: '', label: 'Default' },
            { value: 'desc', label: 'Descending' },
            { value: 'asc', label: 'Ascending' },
          ]}
        />
        <button type="submit" class="button">
          Search
        </button>
      </div>
      {props.v.carried.map((h) => (
        <input type="hidden" name={h.name} value={h.value} />
      ))}
      <details class="search-more" open={Object.keys(errors).length > 0 || undefined}>
        <summary>More filters</summary>
        <CheckboxGroup
          name="ratings"
          label="Ratings (any of)"
          errors={errors}
          values={arr(values.ratings)}
          options={RATINGS.map((r) => ({ value: r, label: r }))}
        />
        <CheckboxGroup
          name="warnings"
          label="Include archive warnings"
          errors={errors}
          values={arr(values.warnings)}
          options={WARNINGS.map((r) => ({ value: r, label: r }))}
        />
        <CheckboxGroup
          name="exclude_warnings"
          label="Exclude archive warnings"
          errors={errors}
          values={arr(values.exclude_warnings)}
          options={WARNINGS.map((r) => ({ value: r, label: r }))}
        />
        <CheckboxGroup
          name="categories"
          label="Include categories"
          errors={errors}
          values={arr(values.categories)}
          options={CATEGORIES.map((r) => ({ value: r, label: r }))}
        />
        <CheckboxGroup
          name="exclude_categories"
          label="Exclude categories"
          errors={errors}
          values={arr(values.exclude_categories)}
          options={CATEGORIES.map((r) => ({ value: r, label: r }))}
        />
        {text('fandoms', 'Include fandoms', 'Comma-separated tag names.')}
        {text('exclude_fandoms', 'Exclude fandoms')}
        {text('relationships', 'Include relationships')}
        {text('exclude_relationships', 'Exclude relationships')}
        {text('characters', 'Include characters')}
        {text('exclude_characters', 'Exclude characters')}
        {text('freeforms', 'Include additional tags')}
        {text('exclude_freeforms', 'Exclude additional tags')}
        {text('tags', 'Include tags of any type')}
        {text('exclude_tags', 'Exclude tags of any type')}
        <WorkShapeFields values={values} errors={errors} />
        {text('creator', 'Creator', 'A pseud or user name.')}
        {text('collection', 'Collection', 'A collection’s name, as in its address: only its works and its sub-collections’.')}
        <button type="submit" class="button">
          Search
        </button>
      </details>
    </form>
  );
}

/** The search page: the GET form, results with their excerpts inside their cards, the counting sidebar. */
export function SearchPage(props: { ctx: PageContext; view: SearchPageView }) {
  const v = props.view;
  return (
    <Layout ctx={props.ctx} title="Search works">
      <h1>Search works</h1>
      {props.ctx.viewer ? (
        <p class="search-links">
          <a href={`/users/${encodeURIComponent(props.ctx.viewer.login)}/saved_searches`}>Your saved searches</a> ·{' '}
          <a href="/preferences/filters">Tags and creators you hide</a>
        </p>
      ) : null}
      <ErrorSummary errors={v.errors} />
      <SearchForm v={v} />
      {v.notices.map((n) => (
        <p class="notice" role="status">
          {n}
        </p>
      ))}
      {v.searched ? (
        <div class="listing">
          <Facets facets={v.facets} estimated={v.countsEstimated === true} />
          <ListingResults
            count={v.count}
            chips={v.chips}
            clearHref={v.clearHref}
            pagination={v.pagination}
            afterCount={
              v.saveAction && props.ctx.viewer ? (
                <details class="save-search">
                  <summary>Save this search</summary>
                  <form method="post" action={v.saveAction} class="inline-form">
                    <CsrfField token={props.ctx.csrfToken} />
                    <input type="hidden" name="query" value={v.queryString} />
                    <label for="save-name">Name</label> <input id="save-name" name="name" type="text" maxLength={100} required />{' '}
                    <button type="submit" class="button button-small">
                      Save
                    </button>
                  </form>
                </details>
              ) : null
            }
          >
            <ol class="work-list">
              {v.works.map(({ work, snippet }) => (
                <WorkBlurb work={work}>
                  {snippet ? (
                    <div class="search-excerpt">
                      <p class="visually-hidden">Matching text:</p>
                      <RawHtml html={snippet} />
                    </div>
                  ) : null}
                </WorkBlurb>
              ))}
            </ol>
          </ListingResults>
        </div>
      ) : null}
    </Layout>
  );
}

/** The query language's help page. */
export function SearchHelpPage(props: { ctx: PageContext }) {
  const row = (q: string, meaning: string) => (
    <tr>
      <td>
        <code>{q}</code>
      </td>
      <td>{meaning}</td>
    </tr>
  );
  return (
    <Layout ctx={props.ctx} title="How to search">
      <h1>How to search</h1>
      <p>
        Type words into the search box to find them anywhere in a work: its title, summary, tags, and the text of every chapter. Matching
        passages of the text are shown under each result, with the words highlighted. Words are matched by their stem, so{' '}
        <code>running</code> also finds “run”.
      </p>
      <h2>Combining terms</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Query</th>
            <th scope="col">Finds</th>
          </tr>
        </thead>
        <tbody>
          {row(
            'vampire library',
            'works with both words anywhere in them — title, tags, summary or the text of any chapter (terms are combined with AND; writing AND is allowed)',
          )}
          {row('"first kiss"', 'the exact phrase, in the title, tags, summary or one chapter')}
          {row('vampire OR werewolf', 'works with either word (OR binds more loosely than AND)')}
          {row('-angst', 'works without the word; “-” must touch the term it excludes')}
          {row('(vampire OR werewolf) -fandom:Twilight', 'parentheses group terms')}
        </tbody>
      </table>
      <h2>Fields</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {row('title:dawn', 'the title contains the text')}
          {row('summary:"road trip"', 'the summary contains the text')}
          {row('creator:alice', 'a creator has this pseud or user name')}
          {row('fandom:"Harry Potter"', 'tagged with this fandom (a synonym counts as its canonical tag; a meta tag finds its sub tags)')}
          {row('character:"Hermione Granger"', 'tagged with this character')}
          {row('relationship:"Caroline Forbes/Stefan Salvatore"', 'tagged with this relationship')}
          {row('freeform:Fluff', 'tagged with this additional tag')}
          {row('tag:Fluff', 'tagged with a tag of any type called this')}
          {row('rating:teen', 'rated: general, teen, mature, explicit, notrated, or the full name')}
          {row('warning:"Major Character Death"  category:F/M', 'archive warnings and categories')}
          {row('words:>1000  words:<=5000  words:1000-5000', 'word count: >, >=, <, <=, = a number, or a range (both ends included)')}
          {row('kudos:>=50  hits:>1000  comments:>5  bookmarks:>10  chapters:>1', 'the other counts, written the same way')}
          {row('language:fr', 'written in this language (a code such as en, fr, pt-BR)')}
          {row('complete:true', 'complete works (complete:false: works in progress)')}
        </tbody>
      </table>
      <p>
        Put values with spaces in quotes. A word with a colon that is not one of these fields (like <code>Re:Zero</code>) is searched as a
        word. When a query cannot be read, the search page says what is wrong and marks the place with a caret (^).
      </p>
      <h2>Filters and sorting</h2>
      <p>
        The filters under the search box do the same as the fields, and more: date ranges, crossovers, excluding warnings and categories.
        The sidebar counts the most used tags of each type among all the results; “include” and “exclude” narrow the search in one click.
        Sort by best match (with words in the query: a word in the title counts most, then in the tags, then in the summary, then in the
        text; ties go to the most recently updated), creator, title, dates, word count, hits, kudos, comments, bookmarks, or kudos per hit.
      </p>
      <p>
        <a href="/works/search">Back to the search</a>
      </p>
    </Layout>
  );
}

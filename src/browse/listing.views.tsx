import type { ComponentChildren } from 'preact';
import { SelectField, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { LANGUAGES } from '../works/vocabulary.ts';
import type { ChipView, FacetGroupView, ListingControlsView, PaginationView } from './listing.presenter.ts';

const str = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join(', ') : (v ?? ''));
const idsOf = (v: string | string[] | undefined): Set<string> =>
  new Set((v === undefined ? [] : Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()));

/** "1 – 20 of 526 works" (or the listing's sentence for none). */
export function countText(total: number, page: number, perPage: number, shown: number, noun = 'works'): string {
  if (total === 0) return '';
  const first = (page - 1) * perPage + 1;
  const last = first + shown - 1;
  const n = (v: number) => v.toLocaleString('en');
  return `${n(first)} – ${n(last)} of ${n(total)} ${total === 1 ? noun.replace(/s$/, '') : noun}`;
}

/** The pages to link: the first, the last, and two either side of the current one; gaps as null. */
export function pageWindow(page: number, lastPage: number): Array<number | null> {
  const wanted = new Set([1, lastPage]);
  for (let p = page - 2; p <= page + 2; p++) if (p >= 1 && p <= lastPage) wanted.add(p);
  const sorted = [...wanted].sort((a, b) => a - b);
  const out: Array<number | null> = [];
  sorted.forEach((p, i) => {
    const before = sorted[i - 1];
    if (before !== undefined && p - before === 2) out.push(before + 1);
    else if (before !== undefined && p - before > 2) out.push(null);
    out.push(p);
  });
  return out;
}

/** Numbered pages: ← Previous 1 2 3 … 27 Next →, every link keeping the filters and sort. */
export function NumberedPagination(props: { pagination: PaginationView }) {
  const { page, lastPage, href } = props.pagination;
  if (lastPage <= 1) return null;
  return (
    <nav class="pagination pagination-numbered" aria-label="Pages">
      <ol>
        {page > 1 ? (
          <li>
            <a href={href(page - 1)} rel="prev">
              ← Previous
            </a>
          </li>
        ) : null}
        {pageWindow(page, lastPage).map((p) =>
          p === null ? (
            <li class="page-gap" aria-hidden="true">
              …
            </li>
          ) : p === page ? (
            <li>
              <span class="page-current" aria-current="page">
                <span class="visually-hidden">Page </span>
                {p}
              </span>
            </li>
          ) : (
            <li>
              <a href={href(p)}>
                <span class="visually-hidden">Page </span>
                {p}
              </a>
            </li>
          ),
        )}
        {page < lastPage ? (
          <li>
            <a href={href(page + 1)} rel="next">
              Next →
            </a>
          </li>
        ) : null}
      </ol>
    </nav>
  );
}

/** The active filters as removable chips; "Clear all" when there are several. */
export function FilterChips(props: { chips: readonly ChipView[]; clearHref: string }) {
  if (props.chips.length === 0) return null;
  return (
    <ul class="filter-chips" aria-label="Active filters">
      {props.chips.map((c) => (
        <li>
          <a class={c.excluded ? 'chip chip-excluded' : 'chip'} href={c.removeHref}>
            <span class="visually-hidden">Remove filter: </span>
            {c.excluded ? <span class="chip-kind">excluded</span> : null}
            {c.label}
            <span class="chip-remove" aria-hidden="true">
              ×
            </span>
          </a>
        </li>
      ))}
      {props.chips.length > 1 ? (
        <li>
          <a class="chip-clear" href={props.clearHref}>
            Clear all filters
          </a>
        </li>
      ) : null}
    </ul>
  );
}

function FacetChoices(props: { groups: readonly FacetGroupView[]; name: 'with' | 'without'; checked: ReadonlySet<string> }) {
  const verb = props.name === 'with' ? 'Include' : 'Exclude';
  return (
    <>
      {props.groups.map((g) => {
        // A tag the results leave out (an excluded one) is offered only where it is checked.
        const options = g.options.filter((o) => o.count !== null || props.checked.has(String(o.id)));
        if (options.length === 0) return null;
        const anyChecked = options.some((o) => props.checked.has(String(o.id)));
        return (
          <details class="facet-group" open={anyChecked || g.type === 'rating' || undefined}>
            <summary>
              {g.label}
              <span class="visually-hidden"> to {verb.toLowerCase()}</span>
            </summary>
            <ul>
              {options.map((o) => (
                <li>
                  <label class="checkbox">
                    <input type="checkbox" name={props.name} value={String(o.id)} checked={props.checked.has(String(o.id))} />{' '}
                    <span>
                      {o.name}
                      {o.count === null ? null : <span class="facet-count"> ({o.count.toLocaleString('en')})</span>}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </details>
        );
      })}
    </>
  );
}

/**
 * The filters on a work's shape rather than its tags — crossovers, completion, length, dates,
 * language — in every listing's sidebar and in the search form alike.
 */
export function WorkShapeFields(props: { values: Record<string, string | string[] | undefined>; errors: FieldErrors }) {
  const { values: v, errors } = props;
  const text = (name: string, label: string, hint?: string) => (
    <TextField name={name} label={label} errors={errors} value={str(v[name])} {...(hint ? { hint } : {})} />
  );
  return (
    <>
      <SelectField
        name="crossover"
        label="Crossovers"
        errors={errors}
        value={str(v.crossover)}
        options={[
          { value: '', label: 'Include crossovers' },
          { value: 'exclude', label: 'Exclude crossovers' },
          { value: 'only', label: 'Only crossovers' },
        ]}
      />
      <SelectField
        name="complete"
        label="Completion status"
        errors={errors}
        value={str(v.complete)}
        options={[
          { value: '', label: 'Complete and in progress' },
          { value: 'complete', label: 'Complete works only' },
          { value: 'in_progress', label: 'Works in progress only' },
        ]}
      />
      <div class="field-pair">
        {text('words_from', 'Words from')}
        {text('words_to', 'Words to')}
      </div>
      <div class="field-pair">
        {text('updated_from', 'Updated from', 'YYYY-MM-DD')}
        {text('updated_to', 'Updated to', 'YYYY-MM-DD')}
      </div>
      <div class="field-pair">
        {text('posted_from', 'Posted from', 'YYYY-MM-DD')}
        {text('posted_to', 'Posted to', 'YYYY-MM-DD')}
      </div>
      <SelectField
        name="language"
        label="Language"
        errors={errors}
        value={str(v.language)}
        options={[{ value: '', label: 'Any language' }, ...LANGUAGES.map((l) => ({ value: l.code, label: l.name }))]}
      />
    </>
  );
}

/**
 * The filter sidebar: one GET form with the sort, tags to include and exclude with their counts,
 * and the other filters. On a phone it is closed behind its "Filters" summary above the results;
 * from 60rem up the stylesheet shows it open beside them (details::details-content), and without
 * that support it is still one click away. Without JavaScript it works the same.
 */
export function ListingFilters(props: { controls: ListingControlsView; errors: FieldErrors; sort: string }) {
  const c = props.controls;
  const v = c.values;
  const errors = props.errors;
  const text = (name: string, label: string, hint?: string) => (
    <TextField name={name} label={label} errors={errors} value={str(v[name])} {...(hint ? { hint } : {})} />
  );
  const hasErrors = Object.keys(errors).length > 0;
  const active = c.chips.length;
  return (
    <details class="listing-filters" id="filters" open={hasErrors || undefined}>
      <summary class="listing-filters-toggle">Filters{active > 0 ? <span class="filters-active"> ({active} active)</span> : null}</summary>
      <form method="get" action={c.action} class="listing-filter-form" aria-labelledby="filters-heading">
        <h2 id="filters-heading" class="filters-heading">
          {c.sortOptions.length > 0 ? 'Sort and filter' : 'Filter'}
        </h2>
        {c.sortOptions.length > 0 ? (
          <>
            <SelectField name="sort" label="Sort by" errors={errors} value={props.sort} options={c.sortOptions} />
            <button type="submit" class="button button-small">
              Sort and Filter
            </button>
          </>
        ) : null}
        <fieldset class="facet-set">
          <legend>Include</legend>
          <FacetChoices groups={c.groups} name="with" checked={idsOf(v.with)} />
          {text('tags', 'Other tags to include', 'Comma-separated tag names.')}
        </fieldset>
        <fieldset class="facet-set">
          <legend>Exclude</legend>
          <FacetChoices groups={c.groups} name="without" checked={idsOf(v.without)} />
          {text('exclude_tags', 'Other tags to exclude')}
        </fieldset>
        <details class="facet-group more-options" open={hasErrors || undefined}>
          <summary>More options</summary>
          <WorkShapeFields values={v} errors={errors} />
        </details>
        {text('q', 'Search within results')}
        {c.carried.map((h) => (
          <input type="hidden" name={h.name} value={h.value} />
        ))}
        <p class="form-actions">
          <button type="submit" class="button">
            {c.sortOptions.length > 0 ? 'Sort and Filter' : 'Filter'}
          </button>
          <a href={c.clearHref}>Clear filters</a>
        </p>
      </form>
    </details>
  );
}

/** The results column: the count as a heading, the chips, what a page adds, the list, the pages. */
export function ListingResults(props: {
  count: string;
  chips: readonly ChipView[];
  clearHref: string;
  pagination: PaginationView;
  children: ComponentChildren;
  afterCount?: ComponentChildren;
}) {
  return (
    <section class="listing-main" aria-labelledby="listing-count">
      <h2 id="listing-count" class="listing-count">
        {props.count}
      </h2>
      <FilterChips chips={props.chips} clearHref={props.clearHref} />
      {props.afterCount}
      {props.children}
      <NumberedPagination pagination={props.pagination} />
    </section>
  );
}

/** A page number past the last page: 404, with the way to the last one. */
export function PastTheEndPage(props: { ctx: PageContext; title: string; page: number; lastPage: number; lastHref: string }) {
  return (
    <Layout ctx={props.ctx} title="Page not found">
      <div class="error-page">
        <h1>There is no page {props.page.toLocaleString('en')} here</h1>
        <p>
          {props.title} {props.lastPage === 1 ? 'has one page' : `has ${props.lastPage.toLocaleString('en')} pages`}: the works may have
          changed since this link was made.
        </p>
        <p>
          <a href={props.lastHref}>Go to the last page (page {props.lastPage.toLocaleString('en')})</a>
        </p>
      </div>
    </Layout>
  );
}

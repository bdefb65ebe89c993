import type { VNode } from 'preact';
import type { OrderedListFilters } from '../browse/ordered-list-filters.ts';
import { ListingFilters, ListingResults } from '../browse/listing.views.tsx';
import { ErrorSummary, RawHtml, TextArea, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import { WorkBlurb } from '../works/blurb.tsx';
import type { WorkSummaryView } from '../works/works.presenter.ts';
import type { SeriesView } from './series.presenter.ts';
import type { SeriesNavigation } from './series.service.ts';

/** The series page: its preface, then its works as blurbs, in order. */
export function SeriesPage(props: {
  ctx: PageContext;
  series: SeriesView;
  /** The works the sidebar's filters keep, in part order. */
  works: WorkSummaryView[];
  totalWorks: number;
  sidebar: Pick<OrderedListFilters, 'controls' | 'errors'>;
  canEdit: boolean;
  /** Buttons other slices offer on the series page (subscribe, bookmark). */
  actions: VNode[];
}) {
  const s = props.series;
  return (
    <Layout ctx={props.ctx} title={s.title} description={`A series by ${s.creators.map((c) => c.login).join(', ')}`}>
      <article class="series">
        <h1>{s.title}</h1>
        {props.canEdit || props.actions.length > 0 ? (
          <nav class="work-actions" aria-label="Series actions">
            <ul>
              {props.actions.map((node) => (
                <li>{node}</li>
              ))}
              {props.canEdit ? (
                <>
                  <li>
                    <a class="button button-secondary" href={`${s.href}/edit`}>
                      Edit series
                    </a>
                  </li>
                  <li>
                    <a class="button button-secondary" href={`${s.href}/manage`}>
                      Manage works
                    </a>
                  </li>
                </>
              ) : null}
            </ul>
          </nav>
        ) : null}
        <dl class="work-meta">
          <dt>Creators:</dt>
          <dd>
            {s.creators.map((c, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a rel="author" href={c.href}>
                  {c.login}
                </a>
              </>
            ))}
          </dd>
          <dt>Series updated:</dt>
          <dd>{s.updated}</dd>
          <dt>Complete:</dt>
          <dd>{s.isComplete ? 'Yes' : 'No'}</dd>
          <dt>Works:</dt>
          <dd>{props.totalWorks}</dd>
        </dl>
        {s.summaryHtml ? (
          <div class="summary">
            <h2>Description:</h2>
            <RawHtml as="blockquote" class="userstuff" html={s.summaryHtml} />
          </div>
        ) : null}
        {s.notesHtml ? (
          <div class="notes">
            <h2>Notes:</h2>
            <RawHtml as="blockquote" class="userstuff" html={s.notesHtml} />
          </div>
        ) : null}
        <h2>Works in this series</h2>
        {props.totalWorks === 0 ? (
          <p>
            This series has no works yet
            {props.canEdit ? (
              <>
                : <a href={`${s.href}/manage`}>add one of yours</a>.
              </>
            ) : (
              '.'
            )}
          </p>
        ) : (
          <>
            <ErrorSummary errors={props.sidebar.errors} />
            <div class="listing">
              <ListingFilters controls={props.sidebar.controls} errors={props.sidebar.errors} sort="" />
              <ListingResults
                count={
                  props.works.length === props.totalWorks
                    ? `${props.totalWorks.toLocaleString('en')} ${props.totalWorks === 1 ? 'work' : 'works'}, in order`
                    : `${props.works.length.toLocaleString('en')} of ${props.totalWorks.toLocaleString('en')} works match, in order`
                }
                chips={props.sidebar.controls.chips}
                clearHref={props.sidebar.controls.clearHref}
                pagination={{ page: 1, lastPage: 1, href: () => s.href }}
              >
                {props.works.length === 0 ? null : (
                  <ol class="work-list series-works">
                    {props.works.map((w) => (
                      <WorkBlurb work={w} />
                    ))}
                  </ol>
                )}
              </ListingResults>
            </div>
          </>
        )}
      </article>
    </Layout>
  );
}

export interface SeriesFormValues {
  title?: string;
  summary?: string;
  notes?: string;
  complete?: string;
  work_id?: string;
}

/** The form to start a series or change its title, description and notes. */
export function SeriesFormPage(props: {
  ctx: PageContext;
  mode: { kind: 'new'; firstWork?: { id: number; title: string } } | { kind: 'edit'; seriesId: number; title: string };
  values: SeriesFormValues;
  errors: FieldErrors;
  /** With a first work: the viewer's existing series it can join instead. */
  existing?: Array<{ id: number; title: string }>;
}) {
  const { values, errors, mode } = props;
  const heading = mode.kind === 'new' ? 'New series' : `Edit series ${mode.title}`;
  return (
    <Layout ctx={props.ctx} title={heading}>
      <h1>{heading}</h1>
      <ErrorSummary errors={errors} />
      {mode.kind === 'new' && mode.firstWork && props.existing && props.existing.length > 0 ? (
        <section class="existing-series">
          <h2>Add it to one of your series</h2>
          <ul>
            {props.existing.map((s) => (
              <li>
                <form method="post" action={`/series/${s.id}/works`} class="inline-form">
                  <CsrfField token={props.ctx.csrfToken} />
                  <input type="hidden" name="work_id" value={String(mode.firstWork!.id)} />
                  <button type="submit" class="link-button">
                    Add to {s.title}
                  </button>
                </form>
              </li>
            ))}
          </ul>
          <h2>Or start a new series</h2>
        </section>
      ) : null}
      <form method="post" action={mode.kind === 'new' ? '/series' : `/series/${mode.seriesId}`} class="form">
        <CsrfField token={props.ctx.csrfToken} />
        {mode.kind === 'new' && mode.firstWork ? (
          <>
            <input type="hidden" name="work_id" value={String(mode.firstWork.id)} />
            <p>
              The series will start with your work <a href={`/works/${mode.firstWork.id}`}>{mode.firstWork.title}</a>.
            </p>
          </>
        ) : null}
        <TextField name="title" label="Series title" value={values.title} errors={errors} required maxLength={240} />
        <TextArea
          name="summary"
          label="Description"
          value={values.summary}
          errors={errors}
          rows={5}
          hint="Limited HTML is allowed, as in work summaries."
        />
        <TextArea name="notes" label="Notes" value={values.notes} errors={errors} rows={5} />
        <div class="field">
          <label class="checkbox">
            <input type="checkbox" name="complete" value="1" checked={values.complete === '1' || values.complete === 'on'} /> This series is
            complete
          </label>
        </div>
        <button type="submit" class="button">
          {mode.kind === 'new' ? 'Create series' : 'Save changes'}
        </button>
      </form>
      {mode.kind === 'edit' ? (
        <form method="post" action={`/series/${mode.seriesId}/delete`} class="form danger-zone">
          <CsrfField token={props.ctx.csrfToken} />
          <p>Deleting the series keeps its works; they only leave the series.</p>
          <button type="submit" class="button button-danger">
            Delete series
          </button>
        </form>
      ) : null}
      {mode.kind === 'edit' ? (
        <p class="meta">
          <a href={`/series/${mode.seriesId}/creators`}>Co-creators</a> · <a href={`/series/${mode.seriesId}/orphan`}>Orphan this series</a>
        </p>
      ) : null}
    </Layout>
  );
}

/** Add one of your works, remove works, and set the order. */
export function ManageSeriesPage(props: {
  ctx: PageContext;
  series: { id: number; title: string };
  inSeries: Array<{ id: number; title: string; isDraft: boolean }>;
  addable: Array<{ id: number; title: string; isDraft: boolean }>;
  errors: FieldErrors;
}) {
  const { series, errors } = props;
  const href = `/series/${series.id}`;
  return (
    <Layout ctx={props.ctx} title={`Manage series ${series.title}`}>
      <h1>
        Manage series <a href={href}>{series.title}</a>
      </h1>
      <ErrorSummary errors={errors} />
      <h2>Add one of your works</h2>
      {props.addable.length === 0 ? (
        <p>
          All your works are in this series already, or you have not posted any. <a href="/works/new">Post a work</a>.
        </p>
      ) : (
        <form method="post" action={`${href}/works`} class="form">
          <CsrfField token={props.ctx.csrfToken} />
          <div class={errors.work_id ? 'field field-error' : 'field'}>
            <label for="field-work_id">Work</label>
            {errors.work_id ? (
              <p class="error-message" id="error-work_id">
                {errors.work_id}
              </p>
            ) : null}
            <select id="field-work_id" name="work_id" aria-describedby={errors.work_id ? 'error-work_id' : undefined}>
              {props.addable.map((w) => (
                <option value={String(w.id)}>{w.isDraft ? `${w.title} (draft)` : w.title}</option>
              ))}
            </select>
          </div>
          <button type="submit" class="button">
            Add to series
          </button>
        </form>
      )}
      <h2>Works in the series</h2>
      {props.inSeries.length === 0 ? (
        <p>No works yet.</p>
      ) : (
        <>
          <form method="post" action={`${href}/order`} class="form">
            <CsrfField token={props.ctx.csrfToken} />
            {errors.order ? (
              <p class="error-message" id="error-order">
                {errors.order}
              </p>
            ) : null}
            <table class="manage-table">
              <caption class="visually-hidden">Works and their positions</caption>
              <thead>
                <tr>
                  <th scope="col">Position</th>
                  <th scope="col">Work</th>
                </tr>
              </thead>
              <tbody>
                {props.inSeries.map((w, i) => (
                  <tr>
                    <td>
                      <label class="visually-hidden" for={`position-${w.id}`}>
                        Position of {w.title}
                      </label>
                      <input
                        id={`position-${w.id}`}
                        type="number"
                        name={`position_${w.id}`}
                        min="1"
                        max={String(props.inSeries.length)}
                        value={String(i + 1)}
                      />
                    </td>
                    <td>
                      <a href={`/works/${w.id}`}>{w.title}</a>
                      {w.isDraft ? ' (draft)' : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="submit" class="button">
              Save order
            </button>
          </form>
          <h2>Remove a work</h2>
          <ul class="manage-list">
            {props.inSeries.map((w) => (
              <li>
                <form method="post" action={`${href}/works/remove`} class="inline-form">
                  <CsrfField token={props.ctx.csrfToken} />
                  <input type="hidden" name="work_id" value={String(w.id)} />
                  {w.title}{' '}
                  <button type="submit" class="button button-small button-secondary">
                    Remove {w.title} from the series
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}

/** On each work page: where it stands in each of its series, with the works around it. */
export function SeriesNavigationPanel(props: { navigation: SeriesNavigation[] }) {
  return (
    <nav class="series-nav" aria-label="Series">
      <ul>
        {props.navigation.map((s) => (
          <li>
            {s.previous ? (
              <>
                <a href={`/works/${s.previous.id}`} rel="prev">
                  ← Previous work
                </a>{' '}
              </>
            ) : null}
            Part {s.part} of the <a href={`/series/${s.seriesId}`}>{s.title}</a> series
            {s.next ? (
              <>
                {' '}
                <a href={`/works/${s.next.id}`} rel="next">
                  Next work →
                </a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** For the work's creators: start a series with it, or add it to one of theirs. */
export function AddToSeriesLink(props: { workId: number }) {
  return (
    <a class="button button-secondary" href={`/series/new?work_id=${props.workId}`}>
      Add to series
    </a>
  );
}

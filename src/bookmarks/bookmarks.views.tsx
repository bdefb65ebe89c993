import type { ListingControlsView, PaginationView } from '../browse/listing.presenter.ts';
import { ListingFilters, ListingResults } from '../browse/listing.views.tsx';
import type { SafeHtml } from '../lib/safe-html.ts';
import { WorkBlurb } from '../works/blurb.tsx';
import type { WorkSummaryView } from '../works/works.presenter.ts';
import { ErrorSummary, Pagination, RawHtml, TextArea, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';

function Checkbox(props: { name: string; label: string; checked: boolean }) {
  return (
    <div class="field">
      <label class="checkbox">
        <input type="checkbox" name={props.name} value="1" checked={props.checked} id={`field-${props.name}`} /> {props.label}
      </label>
    </div>
  );
}

function BookmarkFields(props: { values: Record<string, string>; errors: FieldErrors }) {
  const v = props.values;
  return (
    <>
      <TextArea
        name="notes"
        label="Notes"
        hint="Your notes about this work (limited HTML)."
        errors={props.errors}
        value={v.notes}
        rows={4}
      />
      <TextField name="tags" label="Your tags" hint="Separate tags with commas." errors={props.errors} value={v.tags} />
      <Checkbox name="private" label="Private bookmark (only you can see it)" checked={v.private === '1'} />
      <Checkbox name="rec" label="Rec (recommend this work)" checked={v.rec === '1'} />
    </>
  );
}

/** What a bookmark form is about: a work on this archive or a series. */
export interface BookmarkTarget {
  kind: 'work' | 'series';
  id: number;
  title: string;
}

export function BookmarkFormPage(props: {
  ctx: PageContext;
  target: BookmarkTarget;
  bookmarkId: number | null;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  const w = props.target;
  const base = w.kind === 'work' ? `/works/${w.id}` : `/series/${w.id}`;
  return (
    <Layout ctx={props.ctx} title={`Bookmark ${w.title}`}>
      <h1>
        {props.bookmarkId ? 'Edit bookmark' : w.kind === 'work' ? 'Bookmark' : 'Bookmark series'}: {w.title}
      </h1>
      <p>
        <a href={base}>{w.kind === 'work' ? 'Back to the work' : 'Back to the series'}</a>
      </p>
      <form method="post" action={`${base}/bookmarks`} novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <ErrorSummary errors={props.errors} />
        <BookmarkFields values={props.values} errors={props.errors} />
        <button type="submit" class="button">
          {props.bookmarkId ? 'Update bookmark' : 'Create bookmark'}
        </button>
      </form>
      {props.bookmarkId ? (
        <form method="post" action={`/bookmarks/${props.bookmarkId}/delete`}>
          <CsrfField token={props.ctx.csrfToken} />
          <button type="submit" class="button button-danger">
            Delete bookmark
          </button>
        </form>
      ) : null}
    </Layout>
  );
}

export function ExternalBookmarkFormPage(props: { ctx: PageContext; values: Record<string, string>; errors: FieldErrors }) {
  const v = props.values;
  return (
    <Layout ctx={props.ctx} title="Bookmark an external work">
      <h1>Bookmark an external work</h1>
      <p>A work on another site: its address (http or https), title and creator.</p>
      <form method="post" action="/bookmarks/external" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <ErrorSummary errors={props.errors} />
        <TextField name="url" label="URL" type="url" errors={props.errors} value={v.url} />
        <TextField name="title" label="Title" errors={props.errors} value={v.title} />
        <TextField name="creator" label="Creator" errors={props.errors} value={v.creator} />
        <TextField name="fandom" label="Fandom" errors={props.errors} value={v.fandom} />
        <TextArea name="summary" label="Summary" errors={props.errors} value={v.summary} rows={4} />
        <BookmarkFields values={v} errors={props.errors} />
        <button type="submit" class="button">
          Create bookmark
        </button>
      </form>
    </Layout>
  );
}

export interface BookmarkItemView {
  id: number;
  /** A work on this archive: its full blurb. */
  work: WorkSummaryView | null;
  /** A series' creators, each linking to their page. */
  creatorLinks: { name: string; href: string }[];
  title: string;
  href: string;
  external: boolean;
  series: boolean;
  creator: string | null;
  fandom: string | null;
  summaryHtml: SafeHtml;
  notesHtml: SafeHtml;
  tags: { name: string; href: string }[];
  isPrivate: boolean;
  isRec: boolean;
  date: string;
  canDelete: boolean;
}

export interface BookmarksPageView {
  login: string;
  self: boolean;
  items: BookmarkItemView[];
  filter: { tag: string; rec: boolean; type: string; privacy: string };
  /** The sidebar's work filters, carried by the bookmark filter row. */
  workQuery: Array<{ name: string; value: string }>;
  /** "1 – 20 of 35 bookmarks". */
  count: string;
  controls: ListingControlsView;
  pagination: PaginationView;
  errors: FieldErrors;
}

export function BookmarksPage(props: { ctx: PageContext; view: BookmarksPageView }) {
  const v = props.view;
  const base = `/users/${encodeURIComponent(v.login)}/bookmarks`;
  return (
    <Layout ctx={props.ctx} title={`${v.login}'s bookmarks`}>
      <h1>Bookmarks by {v.login}</h1>
      {v.self ? (
        <p>
          <a href="/bookmarks/external/new">Bookmark an external work</a> ·{' '}
          <a href={`/users/${encodeURIComponent(v.login)}/readings?show=to-read`}>Marked for later</a>
        </p>
      ) : null}
      <form method="get" action={base} class="bookmark-filters" role="search" aria-label="Filter bookmarks">
        <div class="field">
          <label for="filter-tag">Tag</label>
          <input id="filter-tag" name="tag" type="text" value={v.filter.tag} />
        </div>
        <div class="field field-checkbox">
          <label class="checkbox">
            <input type="checkbox" name="rec" value="1" checked={v.filter.rec} /> Recs only
          </label>
        </div>
        <div class="field">
          <label for="filter-type">Type</label>
          <select id="filter-type" name="type">
            <option value="" selected={v.filter.type === ''}>
              All
            </option>
            <option value="internal" selected={v.filter.type === 'internal'}>
              Works on this archive
            </option>
            <option value="series" selected={v.filter.type === 'series'}>
              Series
            </option>
            <option value="external" selected={v.filter.type === 'external'}>
              External works
            </option>
          </select>
        </div>
        {v.self ? (
          <div class="field">
            <label for="filter-privacy">Privacy</label>
            <select id="filter-privacy" name="privacy">
              <option value="" selected={v.filter.privacy === ''}>
                All
              </option>
              <option value="public" selected={v.filter.privacy === 'public'}>
                Public
              </option>
              <option value="private" selected={v.filter.privacy === 'private'}>
                Private
              </option>
            </select>
          </div>
        ) : null}
        {v.workQuery.map((h) => (
          <input type="hidden" name={h.name} value={h.value} />
        ))}
        <div class="field">
          <button type="submit" class="button button-secondary">
            Filter
          </button>
        </div>
      </form>
      <ErrorSummary errors={v.errors} />
      <div class="listing">
        <ListingFilters controls={v.controls} errors={v.errors} sort="" />
        <ListingResults
          count={v.count || 'No bookmarks match.'}
          chips={v.controls.chips}
          clearHref={v.controls.clearHref}
          pagination={v.pagination}
        >
          {v.items.length === 0 ? null : (
            <ol class="bookmarks work-list">
              {v.items.map((b) =>
                b.work ? (
                  <WorkBlurb work={b.work}>
                    <BookmarkDetails b={b} csrfToken={props.ctx.csrfToken} />
                  </WorkBlurb>
                ) : (
                  <li class="blurb bookmark">
                    <h3 class="blurb-title">
                      <a href={b.href}>{b.title}</a>
                      {b.creatorLinks.length > 0 ? (
                        <>
                          {' by '}
                          {b.creatorLinks.map((c, i) => (
                            <>
                              {i > 0 ? ', ' : ''}
                              <a rel="author" href={c.href}>
                                {c.name}
                              </a>
                            </>
                          ))}
                        </>
                      ) : b.creator ? (
                        ` by ${b.creator}`
                      ) : (
                        ''
                      )}
                      {b.external ? ' (external work)' : ''}
                      {b.series ? ' (series)' : ''}
                    </h3>
                    {b.fandom ? <p class="fandoms">Fandom: {b.fandom}</p> : null}
                    {b.summaryHtml ? <RawHtml as="blockquote" class="userstuff summary" html={b.summaryHtml} /> : null}
                    <BookmarkDetails b={b} csrfToken={props.ctx.csrfToken} />
                  </li>
                ),
              )}
            </ol>
          )}
        </ListingResults>
      </div>
    </Layout>
  );
}

/** The bookmarker's part of a bookmark: when, rec and privacy, their tags and notes, and Delete for its owner. */
function BookmarkDetails(props: { b: BookmarkItemView; csrfToken: string }) {
  const b = props.b;
  return (
    <div class="bookmark-notes" id={`bookmark-${b.id}`}>
      <p class="bookmark-meta">
        {/* The bookmark's link (it has no page of its own): what a collection's maintainers paste to invite it. */}
        Bookmarked <a href={`#bookmark-${b.id}`}>{b.date}</a>
        {b.isRec ? <strong> · Rec</strong> : null}
        {b.isPrivate ? <strong> · Private</strong> : null}
      </p>
      {b.tags.length > 0 ? (
        <ul class="tags commas inline-list" aria-label="Bookmarker's tags">
          {b.tags.map((t) => (
            <li>
              <a class="tag" href={t.href}>
                {t.name}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {b.notesHtml ? <RawHtml as="blockquote" class="userstuff notes" html={b.notesHtml} /> : null}
      {b.canDelete ? (
        <form method="post" action={`/bookmarks/${b.id}/delete`} class="inline-form">
          <CsrfField token={props.csrfToken} />
          <button type="submit" class="link-button" aria-label={`Delete bookmark of ${b.title}`}>
            Delete
          </button>
        </form>
      ) : null}
    </div>
  );
}

export interface ReadingsPageView {
  login: string;
  show: 'to-read' | 'history';
  historyEnabled: boolean;
  items: { workId: number; title: string; href: string; visits: number; lastRead: string | null; toRead: boolean }[];
  page: number;
  hasNext: boolean;
}

export function ReadingsPage(props: { ctx: PageContext; view: ReadingsPageView }) {
  const v = props.view;
  const base = `/users/${encodeURIComponent(v.login)}/readings`;
  return (
    <Layout ctx={props.ctx} title={v.show === 'to-read' ? 'Marked for later' : 'History'}>
      <h1>{v.show === 'to-read' ? 'Marked for later' : 'Reading history'}</h1>
      <nav aria-label="Reading lists">
        <ul class="inline-list">
          <li>
            {v.show === 'to-read' ? (
              <strong aria-current="page">Marked for later</strong>
            ) : (
              <a href={`${base}?show=to-read`}>Marked for later</a>
            )}
          </li>
          <li>{v.show === 'history' ? <strong aria-current="page">History</strong> : <a href={`${base}?show=history`}>History</a>}</li>
        </ul>
      </nav>
      {v.show === 'history' ? (
        <div class="history-controls">
          <form method="post" action={`${base}/preferences`}>
            <CsrfField token={props.ctx.csrfToken} />
            <input type="hidden" name="history_enabled" value={v.historyEnabled ? '0' : '1'} />
            <p>
              Reading history is <strong>{v.historyEnabled ? 'on' : 'off'}</strong>.{' '}
              <button type="submit" class="button button-secondary">
                {v.historyEnabled ? 'Turn history off' : 'Turn history on'}
              </button>
            </p>
          </form>
          <form method="post" action={`${base}/clear`}>
            <CsrfField token={props.ctx.csrfToken} />
            <button type="submit" class="button button-danger">
              Clear history
            </button>
          </form>
        </div>
      ) : null}
      {v.items.length === 0 ? (
        <p>{v.show === 'to-read' ? 'Nothing marked for later. Use “Mark for later” on a work to keep it here.' : 'No history.'}</p>
      ) : (
        <ol class="readings">
          {v.items.map((r) => (
            <li>
              <a href={r.href}>{r.title}</a>
              {v.show === 'history' && r.lastRead ? ` — last read ${r.lastRead}, ${r.visits} ${r.visits === 1 ? 'visit' : 'visits'}` : ''}
              {v.show === 'history' && r.toRead ? ' (marked for later)' : ''}
              {v.show === 'to-read' ? (
                <form method="post" action={`/works/${r.workId}/mark_for_later`} class="inline-form">
                  <CsrfField token={props.ctx.csrfToken} />
                  <input type="hidden" name="to_read" value="0" />
                  <input type="hidden" name="return_to" value={`${base}?show=to-read`} />{' '}
                  <button type="submit" class="link-button" aria-label={`Remove ${r.title} from Marked for later`}>
                    Remove
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <Pagination page={v.page} hasNext={v.hasNext} href={(p) => `${base}?show=${v.show}&page=${p}`} />
    </Layout>
  );
}

/** Buttons in the work page's action bar for signed-in readers. */
export function BookmarkActions(props: { workId: number; bookmarked: boolean; toRead: boolean; csrfToken: string; returnTo: string }) {
  return (
    <span class="bookmark-actions">
      <a class="button button-secondary" href={`/works/${props.workId}/bookmarks/new`}>
        {props.bookmarked ? 'Edit bookmark' : 'Bookmark'}
      </a>{' '}
      <form method="post" action={`/works/${props.workId}/mark_for_later`} class="inline-form">
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="to_read" value={props.toRead ? '0' : '1'} />
        <input type="hidden" name="return_to" value={props.returnTo} />
        <button type="submit" class="button button-secondary">
          {props.toRead ? 'Mark as read' : 'Mark for later'}
        </button>
      </form>
    </span>
  );
}

/** The series page's bookmark button for signed-in readers. */
export function SeriesBookmarkButton(props: { seriesId: number; bookmarked: boolean }) {
  return (
    <a class="button button-secondary" href={`/series/${props.seriesId}/bookmarks/new`}>
      {props.bookmarked ? 'Edit series bookmark' : 'Bookmark series'}
    </a>
  );
}

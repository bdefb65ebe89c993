import type { VNode } from 'preact';
import { GiftFields } from '../gifts/gifts.views.tsx';
import { RelatedWorkFields } from '../related-works/related-works.views.tsx';
import { CheckboxGroup, ErrorSummary, RawHtml, SelectField, TextArea, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import type { SafeHtml } from '../lib/safe-html.ts';
import { Creators, Spoiler, TagLinks, WorkStats } from './blurb.tsx';
import { DEFAULT_PREFERENCES, type ReaderPreferences } from '../accounts/reader-preferences.ts';
import type { WorkSummaryView } from './works.presenter.ts';
import type { RenderedPanels } from './work-panels.ts';
import { CATEGORIES, LANGUAGES, RATINGS, WARNINGS } from './vocabulary.ts';

export interface ChapterView {
  id: number;
  position: number;
  title: string;
  heading: string;
  summaryHtml: SafeHtml;
  notesHtml: SafeHtml;
  endNotesHtml: SafeHtml;
  bodyHtml: SafeHtml;
  words: number;
  href: string;
}

export interface WorkPageView {
  work: WorkSummaryView;
  notesHtml: SafeHtml;
  endNotesHtml: SafeHtml;
  chapters: ChapterView[];
  /** The chapters shown on this page (one, or all for the entire-work view). */
  shown: ChapterView[];
  entireWork: boolean;
  canEdit: boolean;
  /** Parts of the page other slices contribute (see work-panels.ts). */
  panels?: RenderedPanels;
  /** The work's skin, a stylesheet of its own (src/work-skins); its rules apply inside #workskin. */
  skinStylesheet?: string | undefined;
  /** When the next scheduled chapter is due, when its creators chose to show it (YYYY-MM-DD). */
  nextChapterDate?: string;
}

function TagRow(props: { label: string; tags: WorkSummaryView['fandoms']; class: string; spoiler?: string | undefined }) {
  if (props.tags.length === 0) return null;
  return (
    <>
      <dt class={props.class}>{props.label}</dt>
      <dd class={props.class}>
        {props.spoiler ? (
          <Spoiler label={props.spoiler}>
            <TagLinks tags={props.tags} />
          </Spoiler>
        ) : (
          <TagLinks tags={props.tags} />
        )}
      </dd>
    </>
  );
}

function ChapterNav(props: { view: WorkPageView; current?: ChapterView | undefined }) {
  const { view, current } = props;
  if (view.chapters.length <= 1) return null;
  const index = current ? view.chapters.findIndex((c) => c.id === current.id) : -1;
  const previous = index > 0 ? view.chapters[index - 1] : undefined;
  const next = index >= 0 && index < view.chapters.length - 1 ? view.chapters[index + 1] : undefined;
  return (
    <nav class="chapter-nav" aria-label="Chapters">
      <ul>
        {view.entireWork ? (
          <li>
            <a href={view.chapters[0]!.href}>Chapter by chapter</a>
          </li>
        ) : (
          <li>
            <a href={`${view.work.href}?view_full_work=true`}>Entire work</a>
          </li>
        )}
        {previous ? (
          <li>
            <a href={previous.href} rel="prev">
              ← Previous chapter
            </a>
          </li>
        ) : null}
        {next ? (
          <li>
            <a href={next.href} rel="next">
              Next chapter →
            </a>
          </li>
        ) : null}
        <li>
          <a href={`${view.work.href}/navigate`}>Chapter index</a>
        </li>
      </ul>
    </nav>
  );
}

function Chapter(props: { chapter: ChapterView; showHeading: boolean }) {
  const c = props.chapter;
  return (
    <section class="chapter" id={`chapter-${c.position}`} aria-labelledby={`chapter-heading-${c.position}`}>
      {props.showHeading ? (
        <h3 class="chapter-title" id={`chapter-heading-${c.position}`}>
          <a href={c.href}>{c.heading}</a>
        </h3>
      ) : (
        <h3 class="visually-hidden" id={`chapter-heading-${c.position}`}>
          {c.heading}
        </h3>
      )}
      {c.summaryHtml ? (
        <div class="chapter-summary">
          <h4>Summary:</h4>
          <RawHtml as="blockquote" class="userstuff" html={c.summaryHtml} />
        </div>
      ) : null}
      {c.notesHtml ? (
        <div class="notes">
          <h4>Notes:</h4>
          <RawHtml as="blockquote" class="userstuff" html={c.notesHtml} />
        </div>
      ) : null}
      <RawHtml class="userstuff chapter-text" html={c.bodyHtml} />
      {c.endNotesHtml ? (
        <div class="notes end-notes">
          <h4>Notes:</h4>
          <RawHtml as="blockquote" class="userstuff" html={c.endNotesHtml} />
        </div>
      ) : null}
    </section>
  );
}

/** The page's title and description (shared by the whole page and the cached signed-in one). */
export function workPageHead(view: WorkPageView): { title: string; description: string } {
  const w = view.work;
  const single = view.shown.length === 1 ? view.shown[0] : undefined;
  const title = view.chapters.length > 1 && !view.entireWork && single ? `${w.title} - ${single.heading}` : w.title;
  return { title, description: `${w.title} by ${w.creators.map((c) => c.pseud).join(', ')}` };
}

/** A work as AO3 readers know it: tag block, preface, chapters with navigation, end notes. */
export function WorkPage(props: { ctx: PageContext; view: WorkPageView }) {
  const { view } = props;
  const head = workPageHead(view);
  return (
    <Layout
      ctx={props.ctx}
      title={head.title}
      description={head.description}
      stylesheets={view.skinStylesheet ? [view.skinStylesheet] : undefined}
    >
      <WorkArticle view={view} csrfToken={() => props.ctx.csrfToken} preferences={props.ctx.preferences ?? DEFAULT_PREFERENCES} />
    </Layout>
  );
}

/**
 * The work itself, inside the page's frame. The cached signed-in page (docs/decisions/033) renders
 * it once per work version with placeholders for the panels, already list items (`actionsAreItems`).
 */
export function WorkArticle(props: {
  view: WorkPageView;
  /** Read only when a form needs it: reading the token turns the guest cache off for the response. */
  csrfToken: () => string;
  preferences: ReaderPreferences;
  actionsAreItems?: boolean;
}) {
  const { view, preferences } = props;
  const w = view.work;
  const multi = view.chapters.length > 1;
  const single = view.shown.length === 1 ? view.shown[0] : undefined;
  return (
    <article class="work">
      {view.canEdit || (view.panels?.actions.length ?? 0) > 0 ? (
        <nav class="work-actions" aria-label="Work actions">
          <ul class="reader-actions">
            {props.actionsAreItems ? view.panels?.actions : view.panels?.actions.map((node) => <li>{node}</li>)}
          </ul>
          {view.canEdit ? (
            <ul class="creator-actions">
              {w.isDraft ? (
                <li>
                  <form method="post" action={`${w.href}/post`} class="inline-form">
                    <CsrfField token={props.csrfToken()} />
                    <button type="submit" class="button">
                      Post draft
                    </button>
                  </form>
                </li>
              ) : null}
              <li>
                <a class="button button-secondary" href={`${w.href}/edit`}>
                  Edit work
                </a>
              </li>
              <li>
                <a class="button button-secondary" href={`${w.href}/chapters/new`}>
                  Add chapter
                </a>
              </li>
              {single ? (
                <li>
                  <a class="button button-secondary" href={`${single.href}/edit`}>
                    Edit chapter
                  </a>
                </li>
              ) : null}
              {multi ? (
                <li>
                  <a class="button button-secondary" href={`${w.href}/chapters/manage`}>
                    Reorder chapters
                  </a>
                </li>
              ) : null}
              <li>
                <a class="button button-danger" href={`${w.href}/confirm_delete`}>
                  Delete work
                </a>
              </li>
            </ul>
          ) : null}
        </nav>
      ) : null}
      {w.isDraft ? <p class="notice">This is a draft: only you can see it. Post it when it is ready.</p> : null}
      <dl class="work-meta">
        <dt>Rating:</dt>
        <dd>
          <TagLinks tags={[w.ratingTag]} />
        </dd>
        <TagRow
          label="Archive Warning:"
          tags={w.warnings}
          class="warning"
          spoiler={preferences.hideWarnings ? 'Show warnings' : undefined}
        />
        <TagRow label="Category:" tags={w.categories} class="category" />
        <TagRow label={w.fandoms.length > 1 ? 'Fandoms:' : 'Fandom:'} tags={w.fandoms} class="fandom" />
        <TagRow label="Relationships:" tags={w.relationships} class="relationship" />
        <TagRow label="Characters:" tags={w.characters} class="character" />
        <TagRow
          label="Additional Tags:"
          tags={w.freeforms}
          class="freeform"
          spoiler={preferences.hideFreeforms ? 'Show additional tags' : undefined}
        />
        <dt>Stats:</dt>
        <dd>
          <WorkStats work={w} full nextChapterDate={view.nextChapterDate} />
        </dd>
      </dl>
      <header class="preface">
        <h2 class="work-title">{w.title}</h2>
        <p class="byline">
          by <Creators creators={w.creators} />
        </p>
        {w.summaryHtml ? (
          <div class="summary">
            <h3>Summary:</h3>
            <RawHtml as="blockquote" class="userstuff" html={w.summaryHtml} />
          </div>
        ) : null}
        {view.notesHtml ? (
          <div class="notes">
            <h3>Notes:</h3>
            <RawHtml as="blockquote" class="userstuff" html={view.notesHtml} />
          </div>
        ) : null}
      </header>
      {view.panels?.beforeText}
      <ChapterNav view={view} current={single} />
      <div class="chapters" id="workskin" lang={w.language}>
        {view.shown.map((c) => (
          <Chapter chapter={c} showHeading={multi} />
        ))}
      </div>
      <ChapterNav view={view} current={single} />
      {view.endNotesHtml && (view.entireWork || !multi || single?.position === view.chapters.length) ? (
        <div class="notes end-notes">
          <h3>Notes:</h3>
          <RawHtml as="blockquote" class="userstuff" html={view.endNotesHtml} />
        </div>
      ) : null}
      {view.panels?.afterText}
    </article>
  );
}

/** The list of chapters with their dates, AO3's "chapter index". */
export function ChapterIndexPage(props: { ctx: PageContext; work: WorkSummaryView; chapters: ChapterView[] }) {
  return (
    <Layout ctx={props.ctx} title={`Chapter index for ${props.work.title}`}>
      <h1>
        Chapter index for <a href={props.work.href}>{props.work.title}</a>
      </h1>
      <ol class="chapter-index">
        {props.chapters.map((c) => (
          <li>
            <a href={c.href}>{c.heading}</a> <span class="meta">({c.words.toLocaleString('en')} words)</span>
          </li>
        ))}
      </ol>
    </Layout>
  );
}

const ratingOptions = [{ value: '', label: 'Choose a rating' }, ...RATINGS.map((r) => ({ value: r, label: r }))];
const languageOptions = LANGUAGES.map((l) => ({ value: l.code, label: l.name }));
const formatOptions = [
  { value: 'plain', label: 'Plain text (paragraphs kept as typed)' },
  { value: 'markdown', label: 'Markdown' },
  { value: 'html', label: 'HTML (limited, like AO3)' },
];

export interface WorkFormValues {
  fields: Record<string, string>;
  warnings: string[];
  categories: string[];
}

function ChapterTextFields(props: { values: Record<string, string>; errors: FieldErrors; allowUpload: boolean; prefix?: 'chapter_' }) {
  const { values, errors } = props;
  return (
    <>
      <SelectField
        name="text_format"
        label="Text format"
        value={values.text_format ?? 'plain'}
        errors={errors}
        options={formatOptions}
        hint="Uploaded files choose their format by extension: .txt, .md or .html."
      />
      <TextArea
        name="body"
        label="Work text"
        value={values.body}
        errors={errors}
        rows={18}
        hint={props.allowUpload ? 'Paste the text here, or upload a file below.' : undefined}
      />
      {props.allowUpload ? (
        <div class={errors.text_file ? 'field field-error' : 'field'}>
          <label for="field-text_file">Or upload a file</label>
          <p class="hint" id="hint-text_file">
            Plain text, Markdown or HTML, UTF-8, at most 5 MB.
          </p>
          {errors.text_file ? (
            <p class="error-message" id="error-text_file">
              {errors.text_file}
            </p>
          ) : null}
          <input
            id="field-text_file"
            type="file"
            name="text_file"
            accept=".txt,.text,.md,.markdown,.html,.htm,text/plain,text/markdown,text/html"
            aria-describedby={errors.text_file ? 'hint-text_file error-text_file' : 'hint-text_file'}
          />
        </div>
      ) : null}
    </>
  );
}

/** The posting form (new work) and the edit form (metadata only). */
export function WorkFormPage(props: {
  ctx: PageContext;
  mode: { kind: 'new' } | { kind: 'edit'; workId: number; title: string };
  values: WorkFormValues;
  errors: FieldErrors;
  /** The poster's pseuds, to credit a new work to (the default first). */
  pseuds?: ReadonlyArray<{ id: number; name: string }>;
  /** Tags proposed from the text (src/story-intelligence), after "Suggest tags from my text". */
  proposals?: VNode | undefined;
  /** The work skins to choose from (src/work-skins): none, the creator's own, the examples. */
  skins?: ReadonlyArray<{ value: string; label: string }> | undefined;
  /** The edit form's existing related-work links, each with a box to remove it (src/related-works). */
  relatedLinks?: ReadonlyArray<{ id: number; label: string }> | undefined;
}) {
  const { values, errors } = props;
  const f = values.fields;
  const isNew = props.mode.kind === 'new';
  const pseuds = props.pseuds ?? [];
  const action = props.mode.kind === 'new' ? '/works' : `/works/${props.mode.workId}`;
  return (
    <Layout ctx={props.ctx} title={isNew ? 'Post a new work' : `Edit ${props.mode.kind === 'edit' ? props.mode.title : ''}`}>
      <h1>{isNew ? 'Post a new work' : 'Edit work'}</h1>
      {isNew ? (
        <p>
          Posted it elsewhere already? <a href="/works/import">Import it from an EPUB or HTML file</a>.
        </p>
      ) : null}
      <ErrorSummary errors={errors} />
      <form method="post" action={action} enctype="multipart/form-data" class="work-form stack" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        {isNew && f.exchange_assignment_id ? (
          <p id="exchange_assignment_id" class="notice">
            <input type="hidden" name="exchange_assignment_id" value={f.exchange_assignment_id} />
            <input type="hidden" name="exchange_assignment_label" value={f.exchange_assignment_label ?? ''} />
            Posting {f.exchange_assignment_label || 'for your gift exchange assignment'}: once posted, the work joins the exchange’s
            collection as a gift to them.
            {errors.exchange_assignment_id ? <span class="error-message"> {errors.exchange_assignment_id}</span> : null}
          </p>
        ) : null}
        <fieldset>
          <legend>Tags</legend>
          <SelectField name="rating" label="Rating" value={f.rating} errors={errors} options={ratingOptions} />
          <CheckboxGroup
            name="warnings"
            label="Archive warnings"
            values={values.warnings}
            errors={errors}
            options={WARNINGS.map((w) => ({ value: w, label: w }))}
            hint="Choose at least one."
          />
          <CheckboxGroup
            name="categories"
            label="Categories"
            values={values.categories}
            errors={errors}
            options={CATEGORIES.map((c) => ({ value: c, label: c }))}
          />
          <TextField name="fandoms" label="Fandoms" value={f.fandoms} errors={errors} required hint="Separate tags with commas." />
          <TextField
            name="relationships"
            label="Relationships"
            value={f.relationships}
            errors={errors}
            hint="A/B for romantic or sexual, A & B for platonic."
          />
          <TextField name="characters" label="Characters" value={f.characters} errors={errors} />
          <TextField name="freeforms" label="Additional tags" value={f.freeforms} errors={errors} />
          {/* Suggestions for the tag fields (src/web/static/autocomplete.js); the fields work without it. */}
          <script src="/static/autocomplete.js" defer></script>
        </fieldset>
        <fieldset>
          <legend>Preface</legend>
          {isNew && pseuds.length > 1 ? (
            <SelectField
              name="pseud_id"
              label="Creator (pseud)"
              value={f.pseud_id}
              errors={errors}
              options={pseuds.map((p) => ({ value: String(p.id), label: p.name }))}
            />
          ) : null}
          <TextField name="title" label="Work title" value={f.title} errors={errors} required maxLength={255} />
          <TextArea
            name="summary"
            label="Summary"
            value={f.summary}
            errors={errors}
            rows={4}
            hint="Plain text or limited HTML; at most 1,250 characters."
          />
          <TextArea name="notes" label="Notes at the beginning" value={f.notes} errors={errors} rows={4} />
          <TextArea name="end_notes" label="Notes at the end" value={f.end_notes} errors={errors} rows={4} />
        </fieldset>
        <fieldset>
          <legend>Associations and privacy</legend>
          <SelectField name="language" label="Language" value={f.language ?? 'en'} errors={errors} options={languageOptions} />
          {props.skins ? (
            <SelectField
              name="work_skin"
              label="Work skin"
              value={f.work_skin ?? ''}
              errors={errors}
              options={props.skins}
              hint="Styles this work's text for readers: text messages, letters. Write your own under Work skins on your profile."
            />
          ) : null}
          <TextField
            name="expected_chapters"
            label="Expected number of chapters"
            value={f.expected_chapters ?? (isNew ? '1' : '?')}
            errors={errors}
            hint="A number, or ? if you don't know yet. The work is complete when it has this many chapters."
          />
          <label class="checkbox">
            <input type="checkbox" name="restricted" value="1" checked={f.restricted === '1'} /> Only show to registered users
          </label>
          {/* The hidden 0 makes an unticked box say "no" rather than nothing (an edit must be able to turn it off). */}
          <input type="hidden" name="show_next_chapter_date" value="0" />
          <label class="checkbox">
            <input type="checkbox" name="show_next_chapter_date" value="1" checked={f.show_next_chapter_date === '1'} /> Show readers the
            date of the next scheduled chapter
          </label>
          <GiftFields values={f} errors={errors} />
        </fieldset>
        <RelatedWorkFields values={f} errors={errors} links={props.relatedLinks} />
        {isNew ? (
          <fieldset>
            <legend>First chapter</legend>
            <TextField name="chapter_title" label="Chapter title (optional)" value={f.chapter_title} errors={errors} maxLength={255} />
            <ChapterTextFields values={f} errors={errors} allowUpload />
            <button type="submit" name="action" value="analyze" formaction="/works#proposals" class="button button-secondary">
              Suggest tags from my text
            </button>
          </fieldset>
        ) : null}
        {props.proposals}
        <div class="form-actions">
          {isNew ? (
            <>
              <button type="submit" name="action" value="post" class="button">
                Post
              </button>
              <button type="submit" name="action" value="draft" class="button button-secondary">
                Save as draft
              </button>
              <button type="submit" name="action" value="preview" class="button button-secondary">
                Preview
              </button>
            </>
          ) : (
            <button type="submit" name="action" value="post" class="button">
              Save changes
            </button>
          )}
        </div>
      </form>
      {props.mode.kind === 'edit' ? (
        <p class="meta">
          <a href={`/works/${props.mode.workId}/creators`}>Co-creators</a> ·{' '}
          <a href={`/works/${props.mode.workId}/orphan`}>Orphan this work</a>
        </p>
      ) : null}
    </Layout>
  );
}

/** New chapter and edit chapter. */
export function ChapterFormPage(props: {
  ctx: PageContext;
  work: { id: number; title: string };
  chapter?: { id: number; heading: string };
  /** For a chapter not posted yet: its own forms (change the time, post now), shown above the edit form. */
  waiting?: VNode | null | undefined;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  const { values, errors } = props;
  const action = props.chapter ? `/works/${props.work.id}/chapters/${props.chapter.id}` : `/works/${props.work.id}/chapters`;
  return (
    <Layout ctx={props.ctx} title={props.chapter ? `Edit ${props.chapter.heading}` : `New chapter for ${props.work.title}`}>
      <h1>
        {props.chapter ? `Edit ${props.chapter.heading}` : 'Add a chapter'} of <a href={`/works/${props.work.id}`}>{props.work.title}</a>
      </h1>
      {props.waiting ?? null}
      <ErrorSummary errors={errors} />
      <form method="post" action={action} enctype="multipart/form-data" class="stack" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <TextField name="chapter_title" label="Chapter title (optional)" value={values.chapter_title} errors={errors} maxLength={255} />
        <TextArea name="chapter_summary" label="Chapter summary" value={values.chapter_summary} errors={errors} rows={3} />
        <TextArea name="chapter_notes" label="Notes at the beginning" value={values.chapter_notes} errors={errors} rows={3} />
        <ChapterTextFields values={values} errors={errors} allowUpload />
        <TextArea name="chapter_end_notes" label="Notes at the end" value={values.chapter_end_notes} errors={errors} rows={3} />
        {props.chapter ? null : (
          <TextField
            name="post_at"
            label="Schedule for (UTC, optional)"
            type={'datetime-local' as 'text'}
            value={values.post_at}
            errors={errors}
            hint="To post the chapter later, choose a date and time in UTC (e.g. 2030-01-31T18:00) and use Schedule. Until then only the work's creators see it."
          />
        )}
        <div class="form-actions">
          <button type="submit" class="button" name="action" value="post">
            {props.chapter ? 'Save chapter' : 'Post chapter'}
          </button>
          {props.chapter ? null : (
            <button type="submit" class="button button-secondary" name="action" value="schedule">
              Schedule
            </button>
          )}
        </div>
      </form>
      {props.chapter ? (
        <form method="post" action={`${action}/delete`} class="danger-zone">
          <CsrfField token={props.ctx.csrfToken} />
          <button type="submit" class="button button-danger">
            Delete this chapter
          </button>
        </form>
      ) : null}
    </Layout>
  );
}

export function ConfirmDeletePage(props: { ctx: PageContext; work: { id: number; title: string } }) {
  return (
    <Layout ctx={props.ctx} title={`Delete ${props.work.title}?`}>
      <section class="narrow">
        <h1>Delete “{props.work.title}”?</h1>
        <p>This deletes the work and all its chapters for good. It cannot be undone.</p>
        <form method="post" action={`/works/${props.work.id}/delete`} class="form-actions">
          <CsrfField token={props.ctx.csrfToken} />
          <button type="submit" class="button button-danger">
            Yes, delete this work
          </button>
          <a class="button button-secondary" href={`/works/${props.work.id}`}>
            No, keep it
          </a>
        </form>
      </section>
    </Layout>
  );
}

export function ManageChaptersPage(props: {
  ctx: PageContext;
  work: { id: number; title: string };
  chapters: ChapterView[];
  error?: string;
}) {
  return (
    <Layout ctx={props.ctx} title={`Reorder chapters of ${props.work.title}`}>
      <h1>
        Reorder chapters of <a href={`/works/${props.work.id}`}>{props.work.title}</a>
      </h1>
      {props.error ? (
        <div class="error-summary" role="alert">
          <p>{props.error}</p>
        </div>
      ) : null}
      <form method="post" action={`/works/${props.work.id}/chapters/manage`} class="stack">
        <CsrfField token={props.ctx.csrfToken} />
        <p class="hint">Give each chapter its new position.</p>
        <ol class="manage-chapters">
          {props.chapters.map((c) => (
            <li>
              <label for={`position-${c.id}`}>{c.heading}</label>{' '}
              <input
                id={`position-${c.id}`}
                type="number"
                min={1}
                max={props.chapters.length}
                name={`position_${c.id}`}
                value={String(c.position)}
                class="position-input"
              />
            </li>
          ))}
        </ol>
        <button type="submit" class="button">
          Update positions
        </button>
      </form>
    </Layout>
  );
}

import { CheckboxGroup, ErrorSummary, RawHtml, SelectField, TextArea, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import { CATEGORIES, LANGUAGES, RATINGS, WARNINGS } from '../works/vocabulary.ts';
import type { ImportPreview } from './imports.service.ts';

const SOURCES: Record<ImportPreview['source'], string> = {
  epub: 'an EPUB',
  'ao3-html': 'an HTML download from AO3 (or an archive like it)',
  html: 'an HTML page',
};

/** Step one: choose the file. */
export function ImportFormPage(props: { ctx: PageContext; errors: FieldErrors }) {
  return (
    <Layout ctx={props.ctx} title="Import a work">
      <h1>Import a work</h1>
      <p>
        Upload an EPUB or an HTML file of a work of yours from elsewhere (for example a work downloaded from AO3 as HTML or EPUB, or an EPUB
        from this archive). You will see what was recognised — title, notes, tags and chapters — and can correct it before posting.
      </p>
      <ErrorSummary errors={props.errors} />
      <form method="post" action="/works/import" enctype="multipart/form-data" class="stack">
        <CsrfField token={props.ctx.csrfToken} />
        <div class={props.errors.file ? 'field field-error' : 'field'}>
          <label for="field-file">File (.epub or .html, at most 5 MB)</label>
          {props.errors.file ? (
            <p class="error-message" id="error-file">
              {props.errors.file}
            </p>
          ) : null}
          <input
            id="field-file"
            type="file"
            name="file"
            accept=".epub,.html,.htm,application/epub+zip,text/html"
            required
            aria-describedby={props.errors.file ? 'error-file' : undefined}
          />
        </div>
        <div class="form-actions">
          <button type="submit" class="button">
            Preview import
          </button>
        </div>
      </form>
    </Layout>
  );
}

export interface ImportFormValues {
  fields: Record<string, string>;
  warnings: string[];
  categories: string[];
}

/** The form's starting values: what the file said. */
export function valuesFromPreview(p: ImportPreview): ImportFormValues {
  return {
    fields: {
      title: p.title,
      rating: p.rating,
      fandoms: p.fandoms.join(', '),
      relationships: p.relationships.join(', '),
      characters: p.characters.join(', '),
      freeforms: p.freeforms.join(', '),
      summary: p.summaryHtml,
      notes: p.notesHtml,
      end_notes: p.endNotesHtml,
      language: p.language,
      expected_chapters: String(p.chapters.length),
    },
    warnings: p.warnings,
    categories: p.categories,
  };
}

function TagList(props: { label: string; tags: string[] }) {
  if (props.tags.length === 0) return null;
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.tags.join(', ')}</dd>
    </>
  );
}

/** Step two: what was recognised, and the metadata to post it with. */
export function ImportPreviewPage(props: {
  ctx: PageContext;
  preview: ImportPreview;
  token: string;
  values: ImportFormValues;
  errors: FieldErrors;
}) {
  const { preview: p, values, errors } = props;
  const f = values.fields;
  return (
    <Layout ctx={props.ctx} title={`Import ${p.title}`}>
      <h1>Check the import</h1>
      <p>
        Read <strong>{p.fileName}</strong> as {SOURCES[p.source]}: {p.chapters.length} {p.chapters.length === 1 ? 'chapter' : 'chapters'},{' '}
        {p.words.toLocaleString('en')} words. Nothing is posted until you choose Post or Save as draft below.
      </p>
      <section class="import-recognised" aria-labelledby="recognised-heading">
        <h2 id="recognised-heading">What the file holds</h2>
        <dl class="import-meta">
          <dt>Title</dt>
          <dd>{p.title}</dd>
          <dt>Creators in the file</dt>
          <dd>{p.creators.length ? p.creators.join(', ') : 'none named'} (the work will be credited to you)</dd>
          {p.sourceUrl ? (
            <>
              <dt>Originally posted at</dt>
              <dd>{p.sourceUrl}</dd>
            </>
          ) : null}
          <TagList label="Rating" tags={p.rating ? [p.rating] : []} />
          <TagList label="Archive warnings" tags={p.warnings} />
          <TagList label="Categories" tags={p.categories} />
          <TagList label="Fandoms" tags={p.fandoms} />
          <TagList label="Relationships" tags={p.relationships} />
          <TagList label="Characters" tags={p.characters} />
          <TagList label="Additional tags" tags={p.freeforms} />
          <TagList label="Not recognised (left out)" tags={p.unrecognised} />
        </dl>
        {p.summaryHtml ? (
          <>
            <h3>Summary</h3>
            <RawHtml html={p.summaryHtml} as="blockquote" class="userstuff" />
          </>
        ) : null}
        {p.notesHtml ? (
          <>
            <h3>Notes</h3>
            <RawHtml html={p.notesHtml} as="blockquote" class="userstuff" />
          </>
        ) : null}
        <h3>Chapters</h3>
        <table class="import-chapters">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Title</th>
              <th scope="col">Words</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {p.chapters.map((c, i) => (
              <tr>
                <td>{i + 1}</td>
                <td>{c.title || '(untitled)'}</td>
                <td>{c.words.toLocaleString('en')}</td>
                <td>
                  {[c.summaryHtml && 'summary', c.notesHtml && 'notes', c.endNotesHtml && 'end notes'].filter(Boolean).join(', ') || '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <h2>Post it</h2>
      <ErrorSummary errors={errors} />
      <form method="post" action="/works/import/post" class="work-form stack" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <input type="hidden" name="import_token" value={props.token} />
        <fieldset>
          <legend>Tags</legend>
          <SelectField
            name="rating"
            label="Rating"
            value={f.rating}
            errors={errors}
            options={[{ value: '', label: 'Choose a rating' }, ...RATINGS.map((r) => ({ value: r, label: r }))]}
          />
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
          <TextField name="relationships" label="Relationships" value={f.relationships} errors={errors} />
          <TextField name="characters" label="Characters" value={f.characters} errors={errors} />
          <TextField name="freeforms" label="Additional tags" value={f.freeforms} errors={errors} />
        </fieldset>
        <fieldset>
          <legend>Preface</legend>
          <TextField name="title" label="Work title" value={f.title} errors={errors} required maxLength={255} />
          <TextArea name="summary" label="Summary" value={f.summary} errors={errors} rows={4} />
          <TextArea name="notes" label="Notes at the beginning" value={f.notes} errors={errors} rows={4} />
          <TextArea name="end_notes" label="Notes at the end" value={f.end_notes} errors={errors} rows={4} />
          <SelectField
            name="language"
            label="Language"
            value={f.language ?? 'en'}
            errors={errors}
            options={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))}
          />
          <TextField
            name="expected_chapters"
            label="Expected number of chapters"
            value={f.expected_chapters}
            errors={errors}
            hint="A number, or ? if the work is not finished."
          />
          <label class="checkbox">
            <input type="checkbox" name="restricted" value="1" checked={f.restricted === '1'} /> Only show to registered users
          </label>
        </fieldset>
        <div class="form-actions">
          <button type="submit" name="action" value="post" class="button">
            Post
          </button>
          <button type="submit" name="action" value="draft" class="button button-secondary">
            Save as draft
          </button>
        </div>
      </form>
    </Layout>
  );
}

import { ErrorSummary, SelectField, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';

export interface SavedSearchView {
  id: number;
  name: string;
  href: string;
  feedHref: string;
  deleteAction: string;
  newCount: number;
}

/** The reader's saved searches, each with how many new works match since the last visit. */
export function SavedSearchesPage(props: { ctx: PageContext; searches: SavedSearchView[] }) {
  return (
    <Layout ctx={props.ctx} title="Saved searches">
      <h1>Saved searches</h1>
      {props.searches.length === 0 ? (
        <p>
          You have no saved searches. Run a <a href="/works/search">search</a> and save it from the results.
        </p>
      ) : (
        <ul class="saved-searches">
          {props.searches.map((s) => (
            <li>
              <a href={s.href}>{s.name}</a>{' '}
              {s.newCount > 0 ? (
                <strong class="new-count">{s.newCount.toLocaleString('en')} new since you last looked</strong>
              ) : (
                <span class="new-count">nothing new since you last looked</span>
              )}{' '}
              <a href={s.feedHref} type="application/atom+xml">
                Atom feed
              </a>
              <form method="post" action={s.deleteAction} class="inline-form">
                <CsrfField token={props.ctx.csrfToken} />
                <button type="submit" class="link-button">
                  Delete <span class="visually-hidden">{s.name}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export interface GlobalFilterView {
  label: string;
  kind: 'tag' | 'creator';
  targetId: number;
}

/** Personal global filters: tags, fandoms and creators hidden from every listing and search. */
export function GlobalFiltersPage(props: {
  ctx: PageContext;
  filters: GlobalFilterView[];
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  return (
    <Layout ctx={props.ctx} title="Hidden tags and creators">
      <h1>Hidden tags and creators</h1>
      <p>Works with these tags (a fandom hides the whole fandom) or by these creators are left out of every listing and search for you.</p>
      {props.filters.length > 0 ? (
        <ul class="global-filters">
          {props.filters.map((f) => (
            <li>
              {f.label}{' '}
              <form method="post" action="/preferences/filters/remove" class="inline-form">
                <CsrfField token={props.ctx.csrfToken} />
                <input type="hidden" name="kind" value={f.kind} />
                <input type="hidden" name="target_id" value={String(f.targetId)} />
                <button type="submit" class="link-button">
                  Show again <span class="visually-hidden">{f.label}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : (
        <p>You are not hiding anything.</p>
      )}
      <h2>Hide something</h2>
      <ErrorSummary errors={props.errors} />
      <form method="post" action="/preferences/filters">
        <CsrfField token={props.ctx.csrfToken} />
        <SelectField
          name="kind"
          label="Hide"
          errors={props.errors}
          value={props.values.kind}
          options={[
            { value: 'tag', label: 'a tag' },
            { value: 'creator', label: 'a creator' },
          ]}
        />
        <SelectField
          name="tag_type"
          label="Tag type"
          errors={props.errors}
          value={props.values.tag_type}
          options={[
            { value: '', label: 'Any type' },
            { value: 'fandom', label: 'Fandom' },
            { value: 'relationship', label: 'Relationship' },
            { value: 'character', label: 'Character' },
            { value: 'freeform', label: 'Additional tag' },
            { value: 'warning', label: 'Archive warning' },
            { value: 'rating', label: 'Rating' },
            { value: 'category', label: 'Category' },
          ]}
        />
        <TextField name="name" label="Tag name, or creator's user or pseud name" errors={props.errors} value={props.values.name} required />
        <button type="submit" class="button">
          Hide
        </button>
      </form>
    </Layout>
  );
}

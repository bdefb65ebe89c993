import type { FieldErrors } from '../web/form.ts';
import { ErrorSummary, Pagination, SelectField, TextField } from '../web/components.tsx';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import type { TagGroupView, TagPageView, WranglingRowView } from './tags.presenter.ts';
import { WRANGLING_ACTION_LABELS, WRANGLING_ACTIONS } from './tags.schema.ts';

function TagGroups(props: { groups: TagGroupView[]; idPrefix: string }) {
  return (
    <>
      {props.groups.map((g, i) => (
        <section aria-labelledby={`${props.idPrefix}-${i}`}>
          <h3 id={`${props.idPrefix}-${i}`}>{g.heading}</h3>
          <ul class="tags commas">
            {g.tags.map((t) => (
              <li>
                <a class="tag" href={t.href}>
                  {t.name}
                </a>
              </li>
            ))}
          </ul>
          {g.more > 0 ? <p class="hint">and {g.more.toLocaleString('en')} more</p> : null}
        </section>
      ))}
    </>
  );
}

/** /tags/:name — the tag, what it resolves to, its synonyms, parents, children and count of works. */
export function TagPage(props: { ctx: PageContext; view: TagPageView }) {
  const v = props.view;
  return (
    <Layout ctx={props.ctx} title={v.name}>
      <h1>{v.name}</h1>
      <p class="lede">
        {v.typeLabel} · {v.status}
        {v.canonical ? (
          <>
            {' '}
            of <a href={v.canonical.href}>{v.canonical.name}</a>
          </>
        ) : null}
      </p>
      <p>
        <a href={v.worksHref}>
          {v.workCount.toLocaleString('en')} {v.workCount === 1 ? 'work' : 'works'}
        </a>
        {v.wrangleHref ? (
          <>
            {' · '}
            <a href={v.wrangleHref}>Wrangle this tag</a>
          </>
        ) : null}
      </p>
      {v.synonyms.length > 0 ? (
        <section aria-labelledby="synonyms-heading">
          <h2 id="synonyms-heading">Synonyms</h2>
          <ul class="tags commas">
            {v.synonyms.map((t) => (
              <li>
                <a class="tag" href={t.href}>
                  {t.name}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {v.parents.length > 0 ? (
        <section aria-labelledby="parents-heading">
          <h2 id="parents-heading">Parent tags</h2>
          <TagGroups groups={v.parents} idPrefix="parents" />
        </section>
      ) : null}
      {v.children.length > 0 ? (
        <section aria-labelledby="children-heading">
          <h2 id="children-heading">Child tags</h2>
          <TagGroups groups={v.children} idPrefix="children" />
        </section>
      ) : null}
    </Layout>
  );
}

export interface WranglingPageView {
  type: string;
  status: string;
  fandom: string;
  q: string;
  page: number;
  hasNext: boolean;
  rows: WranglingRowView[];
  pageHref: (page: number) => string;
  canManageWranglers: boolean;
}

const TYPE_OPTIONS = [
  { value: 'fandom', label: 'Fandoms' },
  { value: 'character', label: 'Characters' },
  { value: 'relationship', label: 'Relationships' },
  { value: 'freeform', label: 'Additional tags' },
  { value: 'media', label: 'Media' },
];
const STATUS_OPTIONS = [
  { value: 'unwrangled', label: 'Unwrangled' },
  { value: 'canonical', label: 'Canonical' },
  { value: 'synonym', label: 'Synonyms' },
  { value: 'all', label: 'All' },
];

/** /wrangling — tags by type, status and fandom, with checkboxes and one bulk action. */
export function WranglingPage(props: { ctx: PageContext; view: WranglingPageView; errors: FieldErrors; values: Record<string, string> }) {
  const v = props.view;
  return (
    <Layout ctx={props.ctx} title="Wrangle tags">
      <h1>Wrangle tags</h1>
      {v.canManageWranglers ? (
        <p>
          <a href="/wrangling/wranglers">Tag wranglers</a>
        </p>
      ) : null}
      <form method="get" action="/wrangling" class="filters">
        <SelectField name="type" label="Type" value={v.type} errors={{}} options={TYPE_OPTIONS} />
        <SelectField name="status" label="Status" value={v.status} errors={{}} options={STATUS_OPTIONS} />
        <TextField
          name="fandom"
          label="In fandom"
          value={v.fandom}
          errors={props.errors.fandom ? { fandom: props.errors.fandom } : {}}
          hint="Tags used on works in this fandom, or belonging to it."
        />
        <TextField name="q" label="Name contains" value={v.q} errors={{}} type="search" />
        <button type="submit" class="button button-secondary">
          Show tags
        </button>
      </form>
      <ErrorSummary errors={Object.fromEntries(Object.entries(props.errors).filter(([k]) => k !== 'fandom'))} />
      <form
        method="post"
        action={`/wrangling?${new URLSearchParams({ type: v.type, status: v.status, fandom: v.fandom, q: v.q }).toString()}`}
      >
        <CsrfField token={props.ctx.csrfToken} />
        {v.rows.length === 0 ? (
          <p>No tags match these filters.</p>
        ) : (
          <table class="wrangling-table">
            <caption>Tags</caption>
            <thead>
              <tr>
                <th scope="col">Select</th>
                <th scope="col">Tag</th>
                <th scope="col">State</th>
                <th scope="col">Fandoms or media</th>
                <th scope="col">Works</th>
              </tr>
            </thead>
            <tbody>
              {v.rows.map((r) => (
                <tr>
                  <td>
                    <input type="checkbox" name="tag_ids" value={String(r.id)} id={`tag-${r.id}`} aria-label={`Select ${r.name}`} />
                  </td>
                  <td>
                    <a href={r.href}>{r.name}</a>
                  </td>
                  <td>{r.state}</td>
                  <td>{r.fandoms}</td>
                  <td>{r.uses}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <fieldset id="field-tag_ids">
          <legend>With the ticked tags</legend>
          <SelectField
            name="action"
            label="Action"
            value={props.values.action}
            errors={props.errors}
            options={WRANGLING_ACTIONS.map((a) => ({ value: a, label: WRANGLING_ACTION_LABELS[a] }))}
          />
          <TextField
            name="target"
            label="Tag names"
            value={props.values.target}
            errors={props.errors}
            hint="The canonical tag, fandoms (separated by commas), media or meta tag the action takes. Not needed to make tags canonical."
          />
          <button type="submit" class="button">
            Apply to ticked tags
          </button>
        </fieldset>
      </form>
      <Pagination page={v.page} hasNext={v.hasNext} href={v.pageHref} />
    </Layout>
  );
}

/** /wrangling/wranglers — admins grant and revoke the tag wrangler role. */
export function WranglersPage(props: {
  ctx: PageContext;
  wranglers: ReadonlyArray<{ id: number; login: string }>;
  errors: FieldErrors;
  login: string;
}) {
  return (
    <Layout ctx={props.ctx} title="Tag wranglers">
      <h1>Tag wranglers</h1>
      {props.wranglers.length === 0 ? <p>No one is a tag wrangler yet.</p> : null}
      <ul>
        {props.wranglers.map((w) => (
          <li>
            {w.login}{' '}
            <form method="post" action={`/wrangling/wranglers/${w.id}/revoke`} class="inline-form">
              <CsrfField token={props.ctx.csrfToken} />
              <button type="submit" class="link-button">
                Revoke {w.login}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <ErrorSummary errors={props.errors} />
      <form method="post" action="/wrangling/wranglers">
        <CsrfField token={props.ctx.csrfToken} />
        <TextField name="login" label="Make a user a tag wrangler" value={props.login} errors={props.errors} hint="Their login." />
        <button type="submit" class="button">
          Grant
        </button>
      </form>
    </Layout>
  );
}

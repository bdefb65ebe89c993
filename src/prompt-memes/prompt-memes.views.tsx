import { trustHtml } from '../lib/safe-html.ts';
import { ErrorSummary, Pagination, RawHtml, SelectField, TextArea, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import { MAX_PROMPT_TITLE } from './prompt-memes.schema.ts';
import type { PromptView } from './prompt-memes.service.ts';

export const promptsHref = (collection: string) => `/collections/${encodeURIComponent(collection)}/prompts`;
export const promptHref = (id: number) => `/prompts/${id}`;
const collectionHref = (collection: string) => `/collections/${encodeURIComponent(collection)}`;

const TAG_LABELS: Record<string, string> = {
  fandom: 'Fandom',
  character: 'Character',
  relationship: 'Relationship',
  freeform: 'Additional tag',
};

function Prompter(props: { prompter: PromptView['prompter']; isMaintainer: boolean }) {
  const p = props.prompter;
  return (
    <>
      {p.login ? <a href={`/users/${encodeURIComponent(p.login)}`}>{p.name}</a> : p.name}
      {p.anonymous && p.isSelf ? ' (you, posted anonymously: others see “Anonymous”)' : null}
      {p.anonymous && !p.isSelf && props.isMaintainer ? ' (posted anonymously)' : null}
    </>
  );
}

function PromptTags(props: { collection: string; tags: PromptView['tags'] }) {
  if (props.tags.length === 0) return null;
  return (
    <ul class="blurb-tags" aria-label="Tags">
      {props.tags.map((t) => (
        <li class={`tag-${t.type}`}>
          <a href={`${promptsHref(props.collection)}?tag=${encodeURIComponent(t.name)}`} title={TAG_LABELS[t.type]}>
            {t.name}
          </a>
        </li>
      ))}
    </ul>
  );
}

const STATE_LABELS = { unclaimed: 'Unclaimed', claimed: 'Claimed', filled: 'Filled' } as const;

function PromptSummary(props: { prompt: PromptView; collection: string; isMaintainer: boolean }) {
  const p = props.prompt;
  return (
    <li class="blurb" id={`prompt_${p.id}`}>
      <div class="blurb-header">
        <h2 class="blurb-title">
          <a href={promptHref(p.id)}>{p.title}</a>
        </h2>
        <p class="byline">
          by <Prompter prompter={p.prompter} isMaintainer={props.isMaintainer} />
        </p>
        <p class="blurb-date">{p.createdAt.toISOString().slice(0, 10)}</p>
      </div>
      <PromptTags collection={props.collection} tags={p.tags} />
      <p class="meta">
        {STATE_LABELS[p.state]}: {p.claimants.length} {p.claimants.length === 1 ? 'claim' : 'claims'}, {p.fills.length}{' '}
        {p.fills.length === 1 ? 'fill' : 'fills'}
      </p>
    </li>
  );
}

export interface PromptFilterValues {
  tag: string;
  exclude_tag: string;
  state: string;
  mine: string;
}

export function PromptListingPage(props: {
  ctx: PageContext;
  collection: { name: string; title: string };
  enabled: boolean;
  promptsOpen: boolean;
  isMaintainer: boolean;
  prompts: PromptView[];
  filter: PromptFilterValues;
  filterErrors: FieldErrors;
  page: number;
  hasNext: boolean;
}) {
  const title = `Prompts in ${props.collection.title}`;
  const signedIn = props.ctx.viewer !== null;
  const query = (page: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(props.filter)) if (v) q.set(k, v);
    q.set('page', String(page));
    return `${promptsHref(props.collection.name)}?${q.toString()}`;
  };
  return (
    <Layout ctx={props.ctx} title={title}>
      <h1>{title}</h1>
      <p>
        <a href={collectionHref(props.collection.name)}>Back to {props.collection.title}</a>
      </p>
      {props.isMaintainer ? (
        <form method="post" action={`${collectionHref(props.collection.name)}/prompt_meme`} class="stack">
          <CsrfField token={props.ctx.csrfToken} />
          <fieldset class="field">
            <legend>Prompt meme settings (maintainers)</legend>
            <label class="checkbox">
              <input type="checkbox" name="prompts_open" value="1" checked={!props.enabled || props.promptsOpen} /> Open: signed-in users
              may post new prompts
            </label>
          </fieldset>
          <p class="form-actions">
            <button type="submit" class="button button-secondary">
              {props.enabled ? 'Save prompt meme settings' : 'Start the prompt meme'}
            </button>
          </p>
        </form>
      ) : null}
      {!props.enabled ? (
        <p>This collection has no prompt meme yet.</p>
      ) : (
        <>
          {props.promptsOpen ? (
            signedIn ? (
              <p>
                <a class="button" href={`${promptsHref(props.collection.name)}/new`}>
                  Post a prompt
                </a>
              </p>
            ) : (
              <p>Sign in to post a prompt.</p>
            )
          ) : (
            <p class="notice">This prompt meme is closed to new prompts; its prompts can still be claimed and filled.</p>
          )}
          <form method="get" action={promptsHref(props.collection.name)} class="listing-filter-form stack" aria-label="Filter prompts">
            <ErrorSummary errors={props.filterErrors} />
            <TextField
              name="tag"
              label="With tags"
              value={props.filter.tag}
              errors={props.filterErrors}
              hint="Separate several with commas; a prompt must have all."
            />
            <TextField name="exclude_tag" label="Without tags" value={props.filter.exclude_tag} errors={props.filterErrors} />
            <SelectField
              name="state"
              label="State"
              value={props.filter.state}
              errors={props.filterErrors}
              options={[
                { value: '', label: 'Any' },
                { value: 'unclaimed', label: 'Unclaimed' },
                { value: 'claimed', label: 'Claimed, not filled' },
                { value: 'filled', label: 'Filled' },
              ]}
            />
            {signedIn ? (
              <SelectField
                name="mine"
                label="Whose"
                value={props.filter.mine}
                errors={props.filterErrors}
                options={[
                  { value: '', label: 'Everyone’s prompts' },
                  { value: 'prompts', label: 'My prompts' },
                  { value: 'claims', label: 'Prompts I claimed' },
                ]}
              />
            ) : null}
            <p class="form-actions">
              <button type="submit" class="button button-secondary">
                Filter prompts
              </button>
            </p>
          </form>
          {props.prompts.length === 0 ? (
            <p>No prompts match.</p>
          ) : (
            <ol class="work-list">
              {props.prompts.map((p) => (
                <PromptSummary prompt={p} collection={props.collection.name} isMaintainer={props.isMaintainer} />
              ))}
            </ol>
          )}
          <Pagination page={props.page} hasNext={props.hasNext} href={query} />
        </>
      )}
    </Layout>
  );
}

export interface PromptFormValues {
  title?: string;
  fandoms?: string;
  characters?: string;
  relationships?: string;
  freeforms?: string;
  description?: string;
  anonymous?: string;
}

export function PromptFormPage(props: {
  ctx: PageContext;
  collection: { name: string; title: string };
  mode: { kind: 'new' } | { kind: 'edit'; id: number };
  values: PromptFormValues;
  errors: FieldErrors;
}) {
  const { values, errors } = props;
  const title = props.mode.kind === 'new' ? `Post a prompt to ${props.collection.title}` : 'Edit prompt';
  const action = props.mode.kind === 'new' ? promptsHref(props.collection.name) : promptHref(props.mode.id);
  const anonymous = values.anonymous === '1' || values.anonymous === 'on' || values.anonymous === 'true';
  return (
    <Layout ctx={props.ctx} title={title}>
      <h1>{title}</h1>
      <form method="post" action={action} class="stack">
        <CsrfField token={props.ctx.csrfToken} />
        <ErrorSummary errors={errors} />
        <TextField name="title" label="Title" value={values.title} errors={errors} required maxLength={MAX_PROMPT_TITLE} />
        <TextField
          name="fandoms"
          label="Fandoms"
          value={values.fandoms}
          errors={errors}
          required
          hint="Archive tags; separate several with commas."
        />
        <TextField name="characters" label="Characters" value={values.characters} errors={errors} />
        <TextField name="relationships" label="Relationships" value={values.relationships} errors={errors} />
        <TextField name="freeforms" label="Additional tags" value={values.freeforms} errors={errors} />
        <TextArea
          name="description"
          label="Prompt"
          value={values.description}
          errors={errors}
          rows={8}
          hint="What you would like to read. Limited HTML is allowed, as in work summaries."
        />
        <fieldset class="field">
          <legend>Anonymity</legend>
          <label class="checkbox">
            <input type="checkbox" name="anonymous" value="1" checked={anonymous} /> Post anonymously: everyone but you sees “Anonymous”
          </label>
        </fieldset>
        <p class="form-actions">
          <button type="submit" class="button">
            {props.mode.kind === 'new' ? 'Post prompt' : 'Save prompt'}
          </button>
        </p>
      </form>
    </Layout>
  );
}

export function PromptPage(props: {
  ctx: PageContext;
  collection: { name: string; title: string };
  prompt: PromptView;
  isMaintainer: boolean;
  fillValues: { work_id?: string };
  fillErrors: FieldErrors;
}) {
  const p = props.prompt;
  const viewer = props.ctx.viewer;
  const csrf = <CsrfField token={props.ctx.csrfToken} />;
  return (
    <Layout ctx={props.ctx} title={p.title}>
      <p>
        <a href={promptsHref(props.collection.name)}>Prompts in {props.collection.title}</a>
      </p>
      <h1>{p.title}</h1>
      <p class="byline">
        Prompt by <Prompter prompter={p.prompter} isMaintainer={props.isMaintainer} /> in{' '}
        <a href={collectionHref(props.collection.name)}>{props.collection.title}</a>
      </p>
      <PromptTags collection={props.collection.name} tags={p.tags} />
      {p.descriptionHtml ? <RawHtml as="blockquote" class="userstuff" html={trustHtml(p.descriptionHtml)} /> : null}
      <h2>Claims</h2>
      {p.claimants.length === 0 ? (
        <p>No one has claimed this prompt yet.</p>
      ) : (
        <ul>
          {p.claimants.map((login) => (
            <li>
              <a href={`/users/${encodeURIComponent(login)}`}>{login}</a>
            </li>
          ))}
        </ul>
      )}
      <h2>Fills</h2>
      {p.fills.length === 0 ? (
        <p>No works fill this prompt yet.</p>
      ) : (
        <ul class="prompt-fills">
          {p.fills.map((f) => (
            <li>
              <a href={`/works/${f.workId}`}>{f.title}</a> by {f.by}
            </li>
          ))}
        </ul>
      )}
      {viewer ? (
        <div class="work-actions">
          {p.viewerClaimed ? (
            <form method="post" action={`${promptHref(p.id)}/unclaim`} class="inline-form">
              {csrf}
              <button type="submit" class="button button-secondary">
                Drop my claim
              </button>
            </form>
          ) : (
            <form method="post" action={`${promptHref(p.id)}/claim`} class="inline-form">
              {csrf}
              <button type="submit" class="button">
                Claim this prompt
              </button>
            </form>
          )}
          {p.prompter.isSelf ? (
            <a class="button button-secondary" href={`${promptHref(p.id)}/edit`}>
              Edit prompt
            </a>
          ) : null}
          {p.prompter.isSelf || props.isMaintainer ? (
            <form method="post" action={`${promptHref(p.id)}/delete`} class="inline-form">
              {csrf}
              <button type="submit" class="button button-danger">
                Delete prompt
              </button>
            </form>
          ) : null}
        </div>
      ) : (
        <p>Sign in to claim this prompt.</p>
      )}
      {p.viewerClaimed || Object.keys(props.fillErrors).length > 0 ? (
        <form method="post" action={`${promptHref(p.id)}/fills`} class="stack">
          {csrf}
          <h2>Fill this prompt</h2>
          <ErrorSummary errors={props.fillErrors} />
          <TextField
            name="work_id"
            label="Your work’s number"
            value={props.fillValues.work_id}
            errors={props.fillErrors}
            required
            hint={`From its address, /works/123. It joins ${props.collection.title} (its maintainers may need to approve it).`}
          />
          <p class="form-actions">
            <button type="submit" class="button">
              Fill with this work
            </button>
          </p>
        </form>
      ) : null}
    </Layout>
  );
}

/** "In response to a prompt by X in Y" on the work page. */
export function PromptsAnsweredPanel(props: {
  prompts: ReadonlyArray<{
    id: number;
    title: string;
    prompter: { name: string; login: string | null };
    collection: { name: string; title: string };
  }>;
}) {
  return (
    <>
      {props.prompts.map((p) => (
        <p class="work-prompt">
          In response to a prompt (<a href={promptHref(p.id)}>{p.title}</a>) by{' '}
          {p.prompter.login ? <a href={`/users/${encodeURIComponent(p.prompter.login)}`}>{p.prompter.name}</a> : p.prompter.name} in{' '}
          <a href={collectionHref(p.collection.name)}>{p.collection.title}</a>.
        </p>
      ))}
    </>
  );
}

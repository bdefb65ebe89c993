import type { ComponentChildren } from 'preact';
import { ErrorSummary, RawHtml, TextArea, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import { collectionHref, describeItemState, type CollectionView } from './collections.presenter.ts';

export interface CollectionFormValues {
  name?: string;
  title?: string;
  description?: string;
  rules?: string;
  faq?: string;
  parent?: string;
  closed?: string;
  moderated?: string;
  anonymous?: string;
  unrevealed?: string;
  reveal_at?: string;
}

const checked = (v: string | undefined) => v === '1' || v === 'on' || v === 'true';

/** All collections, newest first. */
export function CollectionsIndexPage(props: {
  ctx: PageContext;
  collections: Array<{ name: string; title: string; isClosed: boolean; isModerated: boolean }>;
  page: number;
  hasNext: boolean;
}) {
  return (
    <Layout ctx={props.ctx} title="Collections">
      <h1>Collections</h1>
      {props.ctx.viewer ? (
        <p>
          <a class="button" href="/collections/new">
            New collection
          </a>
        </p>
      ) : null}
      {props.collections.length === 0 ? (
        <p>No collections yet.</p>
      ) : (
        <ul class="collection-list">
          {props.collections.map((c) => (
            <li>
              <a href={collectionHref(c.name)}>{c.title}</a> ({c.name}){c.isClosed ? ' · closed' : ' · open'}
              {c.isModerated ? ' · moderated' : ''}
            </li>
          ))}
        </ul>
      )}
      <nav aria-label="Pages">
        {props.page > 1 ? <a href={`/collections?page=${props.page - 1}`}>← Previous</a> : null}{' '}
        {props.hasNext ? <a href={`/collections?page=${props.page + 1}`}>Next →</a> : null}
      </nav>
    </Layout>
  );
}

/** The form to start a collection or change its settings; owners also manage maintainers here. */
export function CollectionFormPage(props: {
  ctx: PageContext;
  mode: { kind: 'new' } | { kind: 'edit'; name: string; title: string };
  values: CollectionFormValues;
  errors: FieldErrors;
  participants?: Array<{ login: string; role: string }>;
  participantErrors?: FieldErrors;
  participantValues?: { login?: string; role?: string };
}) {
  const { values, errors, mode } = props;
  const heading = mode.kind === 'new' ? 'New collection' : `Edit collection ${mode.title}`;
  const action = mode.kind === 'new' ? '/collections' : collectionHref(mode.name);
  const pErrors = props.participantErrors ?? {};
  return (
    <Layout ctx={props.ctx} title={heading}>
      <h1>{heading}</h1>
      <ErrorSummary errors={errors} />
      <form method="post" action={action} class="form">
        <CsrfField token={props.ctx.csrfToken} />
        {mode.kind === 'new' ? (
          <TextField
            name="name"
            label="Name"
            value={values.name}
            errors={errors}
            required
            maxLength={64}
            hint="The collection’s address: 3 to 64 letters, digits or underscores. It cannot be changed later."
          />
        ) : null}
        <TextField name="title" label="Display title" value={values.title} errors={errors} required maxLength={255} />
        <TextField
          name="parent"
          label="Parent collection (optional)"
          value={values.parent}
          errors={errors}
          maxLength={64}
          hint="The name of a top-level collection you own, to make this one of its sub-collections."
        />
        <TextArea
          name="description"
          label="Brief description"
          value={values.description}
          errors={errors}
          rows={4}
          hint="Limited HTML is allowed, as in work summaries."
        />
        <TextArea name="rules" label="Rules" value={values.rules} errors={errors} rows={6} />
        <TextArea name="faq" label="FAQ" value={values.faq} errors={errors} rows={6} />
        <fieldset class="field">
          <legend>Settings</legend>
          <label class="checkbox">
            <input type="checkbox" name="moderated" value="1" checked={checked(values.moderated)} /> Moderated: new works wait for a
            maintainer’s approval
          </label>
          <label class="checkbox">
            <input type="checkbox" name="closed" value="1" checked={checked(values.closed)} /> Closed: no new works (maintainers can still
            invite)
          </label>
        </fieldset>
        <fieldset class="field">
          <legend>Anonymity until the reveal</legend>
          <label class="checkbox">
            <input type="checkbox" name="anonymous" value="1" checked={checked(values.anonymous)} /> Anonymous: readers see the creators of
            its works as “Anonymous”
          </label>
          <label class="checkbox">
            <input type="checkbox" name="unrevealed" value="1" checked={checked(values.unrevealed)} /> Unrevealed: readers see its works as
            “Mystery work”, naming only this collection
          </label>
          <TextField
            name="reveal_at"
            label="Reveal on (UTC, optional)"
            type={'datetime-local' as 'text'}
            value={values.reveal_at}
            errors={errors}
            hint="Date and time in UTC, e.g. 2030-01-31T18:00. Empty: the maintainers reveal with the Reveal button. Creators’ subscribers hear of the works at the reveal."
          />
        </fieldset>
        <button type="submit" class="button">
          {mode.kind === 'new' ? 'Create collection' : 'Save changes'}
        </button>
      </form>
      {mode.kind === 'edit' ? (
        <>
          <section aria-labelledby="maintainers-heading">
            <h2 id="maintainers-heading">Owners and moderators</h2>
            <ErrorSummary errors={pErrors} />
            <ul>
              {(props.participants ?? []).map((p) => (
                <li>
                  <a href={`/users/${encodeURIComponent(p.login)}`}>{p.login}</a> ({p.role}){' '}
                  <form method="post" action={`${collectionHref(mode.name)}/participants/remove`} class="inline-form">
                    <CsrfField token={props.ctx.csrfToken} />
                    <input type="hidden" name="login" value={p.login} />
                    <button type="submit" class="link-button">
                      Remove {p.login}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
            <form method="post" action={`${collectionHref(mode.name)}/participants`} class="form">
              <CsrfField token={props.ctx.csrfToken} />
              <TextField name="login" label="User name" value={props.participantValues?.login} errors={pErrors} required maxLength={100} />
              <div class="field">
                <label for="field-role">Role</label>
                <select id="field-role" name="role">
                  <option value="moderator" selected={props.participantValues?.role !== 'owner'}>
                    Moderator: approves and invites works
                  </option>
                  <option value="owner" selected={props.participantValues?.role === 'owner'}>
                    Owner: also changes settings and maintainers
                  </option>
                </select>
              </div>
              <button type="submit" class="button button-secondary">
                Add maintainer
              </button>
            </form>
          </section>
          <form method="post" action={`${collectionHref(mode.name)}/delete`} class="form danger-zone">
            <CsrfField token={props.ctx.csrfToken} />
            <p>Deleting the collection keeps its works posted; they only leave the collection.</p>
            <button type="submit" class="button button-danger">
              Delete collection
            </button>
          </form>
        </>
      ) : null}
    </Layout>
  );
}

/** The form that puts a work in a collection: the creator's own, or a maintainer's invitation. */
function AddWorkForm(props: {
  ctx: PageContext;
  collectionName: string;
  works: Array<{ id: number; title: string; is_draft: boolean }>;
  maintainer: boolean;
  errors: FieldErrors;
  values: { work_id?: string };
}) {
  const { errors } = props;
  return (
    <form method="post" action="/collection_items" class="form">
      <CsrfField token={props.ctx.csrfToken} />
      <input type="hidden" name="collection" value={props.collectionName} />
      {props.maintainer ? (
        <TextField
          name="work_id"
          label="Work number"
          value={props.values.work_id}
          errors={errors}
          required
          maxLength={12}
          hint="The number in the work’s address (/works/123). Someone else’s work is invited: it joins when its creator accepts."
        />
      ) : (
        <div class={errors.work_id ? 'field field-error' : 'field'}>
          <label for="field-work_id">Your work</label>
          {errors.work_id ? (
            <p class="error-message" id="error-work_id">
              {errors.work_id}
            </p>
          ) : null}
          <select id="field-work_id" name="work_id" aria-describedby={errors.work_id ? 'error-work_id' : undefined}>
            {props.works.map((w) => (
              <option value={String(w.id)} selected={props.values.work_id === String(w.id)}>
                {w.is_draft ? `${w.title} (draft)` : w.title}
              </option>
            ))}
          </select>
        </div>
      )}
      <button type="submit" class="button">
        {props.maintainer ? 'Add or invite work' : 'Add to collection'}
      </button>
    </form>
  );
}

/** A collection's profile: what it is, its rules and FAQ, who runs it, and how to take part. */
export function CollectionProfilePage(props: {
  ctx: PageContext;
  collection: CollectionView;
  isOwner: boolean;
  isMaintainer: boolean;
  canAdd: boolean;
  ownWorks: Array<{ id: number; title: string; is_draft: boolean }>;
  /** The challenges it runs: linked for everyone, and offered to maintainers to set up. */
  challenges: { exchange: boolean; promptMeme: boolean };
  errors: FieldErrors;
  values: { work_id?: string };
  /** The bookmarks section (collection-bookmarks.views.tsx). */
  bookmarks?: ComponentChildren;
}) {
  const c = props.collection;
  const people = (list: CollectionView['owners']) =>
    list.map((p, i) => (
      <>
        {i > 0 ? ', ' : ''}
        <a href={p.href}>{p.login}</a>
      </>
    ));
  return (
    <Layout ctx={props.ctx} title={c.title} description={`The collection ${c.title}`}>
      <article class="collection">
        <h1>{c.title}</h1>
        <nav class="work-actions" aria-label="Collection actions">
          <ul>
            <li>
              <a class="button" href={`${c.href}/works`}>
                Works
              </a>
            </li>
            <li>
              <a class="button button-secondary" href={`${c.href}/feed.atom`}>
                Atom feed
              </a>
            </li>
            <li>
              <a class="button button-secondary" href={`/opds/collections/${encodeURIComponent(c.name)}`}>
                OPDS catalogue
              </a>
            </li>
            {props.isMaintainer ? (
              <li>
                <a class="button button-secondary" href={`${c.href}/items`}>
                  Approval queue
                </a>
              </li>
            ) : null}
            {props.challenges.exchange || props.isMaintainer ? (
              <li>
                <a class="button button-secondary" href={`${c.href}/exchange${props.challenges.exchange ? '' : '/settings'}`}>
                  {props.challenges.exchange ? 'Gift exchange' : 'Set up a gift exchange'}
                </a>
              </li>
            ) : null}
            {props.challenges.promptMeme || props.isMaintainer ? (
              <li>
                <a class="button button-secondary" href={`${c.href}/prompts`}>
                  {props.challenges.promptMeme ? 'Prompts' : 'Set up a prompt meme'}
                </a>
              </li>
            ) : null}
            {props.isOwner ? (
              <li>
                <a class="button button-secondary" href={`${c.href}/edit`}>
                  Edit collection
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
        <dl class="work-meta">
          <dt>Name:</dt>
          <dd>{c.name}</dd>
          <dt>Owners:</dt>
          <dd>{people(c.owners)}</dd>
          {c.moderators.length > 0 ? (
            <>
              <dt>Moderators:</dt>
              <dd>{people(c.moderators)}</dd>
            </>
          ) : null}
          <dt>Status:</dt>
          <dd>
            {c.isClosed ? 'Closed' : 'Open'}, {c.isModerated ? 'moderated' : 'unmoderated'}
            {c.isAnonymous ? ', anonymous' : ''}
            {c.isUnrevealed ? ', unrevealed' : ''}
          </dd>
          {c.isAnonymous || c.isUnrevealed ? (
            <>
              <dt>Reveal:</dt>
              <dd>{c.revealAt ? `Scheduled for ${c.revealAt}` : 'When the maintainers reveal it'}</dd>
            </>
          ) : null}
          <dt>Since:</dt>
          <dd>{c.created}</dd>
          {c.parent ? (
            <>
              <dt>Part of:</dt>
              <dd>
                <a href={c.parent.href}>{c.parent.title}</a>
              </dd>
            </>
          ) : null}
        </dl>
        {c.descriptionHtml ? (
          <section class="summary" aria-labelledby="about-heading">
            <h2 id="about-heading">About</h2>
            <RawHtml as="blockquote" class="userstuff" html={c.descriptionHtml} />
          </section>
        ) : null}
        {c.rulesHtml ? (
          <section class="notes" aria-labelledby="rules-heading">
            <h2 id="rules-heading">Rules</h2>
            <RawHtml as="div" class="userstuff" html={c.rulesHtml} />
          </section>
        ) : null}
        {c.faqHtml ? (
          <section class="notes" aria-labelledby="faq-heading">
            <h2 id="faq-heading">FAQ</h2>
            <RawHtml as="div" class="userstuff" html={c.faqHtml} />
          </section>
        ) : null}
        {props.isMaintainer && (c.isAnonymous || c.isUnrevealed) ? (
          <section aria-labelledby="reveal-heading">
            <h2 id="reveal-heading">Reveal</h2>
            <p>
              Revealing shows every work of this collection and its creators to readers, and sends the new-work notices held back until now.
              It cannot be undone by unticking: creators are named in notices as soon as they go.
            </p>
            <form method="post" action={`${c.href}/reveal`} class="form">
              <CsrfField token={props.ctx.csrfToken} />
              <button type="submit" class="button">
                Reveal now
              </button>
            </form>
          </section>
        ) : null}
        {c.children.length > 0 ? (
          <section aria-labelledby="subcollections-heading">
            <h2 id="subcollections-heading">Sub-collections</h2>
            <ul>
              {c.children.map((s) => (
                <li>
                  <a href={s.href}>{s.title}</a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {props.bookmarks}
        <section aria-labelledby="add-heading">
          <h2 id="add-heading">Add a work</h2>
          <ErrorSummary errors={props.errors} />
          {!props.ctx.viewer ? (
            <p>
              <a href={`/login?return_to=${encodeURIComponent(c.href)}`}>Log in</a> to add your works to this collection.
            </p>
          ) : !props.canAdd ? (
            <p>This collection is closed: it takes no new works.</p>
          ) : props.ownWorks.length === 0 && !props.isMaintainer ? (
            <p>
              You have no works to add yet. <a href="/works/new">Post a work</a>.
            </p>
          ) : (
            <>
              {c.isModerated && !props.isMaintainer ? (
                <p>This collection is moderated: your work joins once a maintainer approves it.</p>
              ) : null}
              <AddWorkForm
                ctx={props.ctx}
                collectionName={c.name}
                works={props.ownWorks}
                maintainer={props.isMaintainer}
                errors={props.errors}
                values={props.values}
              />
            </>
          )}
        </section>
      </article>
    </Layout>
  );
}

/** From a work page: choose the collection to add the work to. */
export function AddToCollectionPage(props: {
  ctx: PageContext;
  work: { id: number; title: string };
  values: { collection?: string };
  errors: FieldErrors;
}) {
  return (
    <Layout ctx={props.ctx} title="Add to collection">
      <h1>Add to collection</h1>
      <p>
        Add your work <a href={`/works/${props.work.id}`}>{props.work.title}</a> to a collection.
      </p>
      <ErrorSummary errors={props.errors} />
      <form method="post" action="/collection_items" class="form">
        <CsrfField token={props.ctx.csrfToken} />
        <input type="hidden" name="work_id" value={String(props.work.id)} />
        <input type="hidden" name="from" value="work" />
        <TextField
          name="collection"
          label="Collection name"
          value={props.values.collection}
          errors={props.errors}
          required
          maxLength={64}
          hint="As in the collection’s address: /collections/name."
        />
        <button type="submit" class="button">
          Add to collection
        </button>
      </form>
    </Layout>
  );
}

type ItemRow = { id: number; work_id: number; collection_approval: string; creator_approval: string };

function DecisionButtons(props: { ctx: PageContext; itemId: number; approve: string; reject: string; remove?: boolean; returnTo: string }) {
  const form = (action: string, label: string, cls: string) => (
    <form method="post" action={`/collection_items/${props.itemId}/${action}`} class="inline-form">
      <CsrfField token={props.ctx.csrfToken} />
      <input type="hidden" name="return_to" value={props.returnTo} />
      <button type="submit" class={cls}>
        {label}
      </button>
    </form>
  );
  return (
    <>
      {props.approve ? form('approve', props.approve, 'button') : null}{' '}
      {props.reject ? form('reject', props.reject, 'button button-secondary') : null}{' '}
      {props.remove ? form('remove', 'Remove', 'button button-danger') : null}
    </>
  );
}

/** The maintainers' queue: works waiting for approval, and invitations waiting for creators. */
export function CollectionQueuePage(props: {
  ctx: PageContext;
  collection: CollectionView;
  items: Array<ItemRow & { title: string }>;
  concealed?: Array<{ workId: number; title: string; creators: string[] }>;
}) {
  const c = props.collection;
  return (
    <Layout ctx={props.ctx} title={`Approval queue of ${c.title}`}>
      <h1>
        Approval queue of <a href={c.href}>{c.title}</a>
      </h1>
      {props.items.length === 0 ? (
        <p>Nothing is waiting.</p>
      ) : (
        <ul class="collection-queue">
          {props.items.map((item) => (
            <li id={`item_${item.id}`}>
              <a href={`/works/${item.work_id}`}>{item.title}</a> — {describeItemState(item)}{' '}
              <DecisionButtons
                ctx={props.ctx}
                itemId={item.id}
                approve={item.collection_approval === 'approved' ? '' : 'Approve'}
                reject={item.collection_approval === 'rejected' ? '' : 'Reject'}
                remove
                returnTo={`${c.href}/items`}
              />
            </li>
          ))}
        </ul>
      )}
      {props.concealed && props.concealed.length > 0 ? (
        <section aria-labelledby="concealed-heading">
          <h2 id="concealed-heading">Who created what (hidden from readers until the reveal)</h2>
          <p>Only this collection’s maintainers and each work’s creators see these names.</p>
          <ul>
            {props.concealed.map((w) => (
              <li>
                <a href={`/works/${w.workId}`}>{w.title}</a> by {w.creators.join(', ')}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}

/** A creator's works in collections, with invitations to accept or decline. */
export function CreatorItemsPage(props: {
  ctx: PageContext;
  items: Array<ItemRow & { work_title: string; collection_name: string; collection_title: string }>;
}) {
  return (
    <Layout ctx={props.ctx} title="Your works in collections">
      <h1>Your works in collections</h1>
      {props.ctx.viewer ? (
        <p>
          Invitations of your bookmarks are on{' '}
          <a href={`/users/${encodeURIComponent(props.ctx.viewer.login)}/collection_bookmarks`}>your bookmarks in collections</a>.
        </p>
      ) : null}
      {props.items.length === 0 ? (
        <p>None of your works is in a collection or invited to one.</p>
      ) : (
        <ul class="collection-queue">
          {props.items.map((item) => (
            <li id={`item_${item.id}`}>
              <a href={`/works/${item.work_id}`}>{item.work_title}</a> in{' '}
              <a href={collectionHref(item.collection_name)}>{item.collection_title}</a> — {describeItemState(item)}{' '}
              <DecisionButtons
                ctx={props.ctx}
                itemId={item.id}
                approve={item.creator_approval === 'pending' ? 'Accept' : ''}
                reject={item.creator_approval === 'pending' ? 'Decline' : ''}
                remove
                returnTo={props.ctx.viewer ? `/users/${encodeURIComponent(props.ctx.viewer.login)}/collection_items` : '/'}
              />
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** On the work page: the collections it is in. */
export function WorkCollectionsPanel(props: { collections: Array<{ name: string; title: string }> }) {
  return (
    <p class="work-collections">
      In collections:{' '}
      {props.collections.map((c, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <a href={collectionHref(c.name)}>{c.title}</a>
        </>
      ))}
    </p>
  );
}

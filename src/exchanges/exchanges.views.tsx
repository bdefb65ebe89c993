import { ErrorSummary, SelectField, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import { EXCHANGE_TAG_TYPES, promptField, TAG_TYPE_LABELS, type ExchangeTagType, type PromptKind } from './exchanges.schema.ts';
import type { ExchangeRules, Prompt, TagSet, UnmatchedExplanation } from './matching/index.ts';
import type { PotentialMatch } from './matching/index.ts';

const checked = (v: string | undefined) => v === '1' || v === 'on' || v === 'true';
const utc = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '');
const exchangeHref = (name: string) => `/collections/${encodeURIComponent(name)}/exchange`;

/** One prompt as a reader sees it: "Fandoms: A, B · Characters: any". */
export function PromptText(props: { prompt: Prompt }) {
  const parts = Object.entries(props.prompt.tags).map(([type, names]) => `${labelOf(type)}: ${names.join(', ')}`);
  for (const type of props.prompt.any ?? []) parts.push(`${labelOf(type)}: any`);
  return <span>{parts.length > 0 ? parts.join(' · ') : 'Anything'}</span>;
}

function labelOf(type: string): string {
  return TAG_TYPE_LABELS[type as ExchangeTagType] ?? type;
}

export interface ExchangePageView {
  collection: { name: string; title: string };
  exchange:
    | {
        opensAt: Date;
        closesAt: Date;
        dueAt: Date | null;
        status: string;
        open: boolean;
        rules: ExchangeRules;
        tagSet: TagSet;
        signUpCount: number;
        /** The nomination window, or null when the exchange takes no nominations. */
        nominations: NominationWindowView | null;
      }
    | undefined;
  isMaintainer: boolean;
  signedUp: boolean;
  myAssignments: Array<{ id: number; recipient: string; fulfilled: boolean }>;
}

const STATUS_TEXT: Record<string, string> = {
  signups: 'Taking sign-ups in its window.',
  matching: 'Matching is running.',
  matched: 'Matched; the maintainers are reviewing the assignments.',
  sent: 'Assignments have been sent.',
};

/** The exchange's page: its window and rules, the viewer's sign-up and assignments, the maintainers' links. */
export function ExchangePage(props: { ctx: PageContext; view: ExchangePageView }) {
  const { collection, exchange } = props.view;
  const base = exchangeHref(collection.name);
  return (
    <Layout ctx={props.ctx} title={`${collection.title}: gift exchange`}>
      <h1>{collection.title}: gift exchange</h1>
      <p>
        <a href={`/collections/${encodeURIComponent(collection.name)}`}>Back to the collection</a>
      </p>
      {!exchange ? (
        <p>This collection is not a gift exchange yet.</p>
      ) : (
        <>
          <dl class="meta">
            <dt>Sign-ups</dt>
            <dd>
              {utc(exchange.opensAt)} to {utc(exchange.closesAt)}
              {exchange.open ? ' (open now)' : ''}
            </dd>
            {exchange.dueAt ? (
              <>
                <dt>Works due</dt>
                <dd>{utc(exchange.dueAt)}</dd>
              </>
            ) : null}
            {exchange.nominations ? (
              <>
                <dt>Tag nominations</dt>
                <dd>
                  <NominationWindowText window={exchange.nominations} />
                </dd>
              </>
            ) : null}
            <dt>Status</dt>
            <dd>{STATUS_TEXT[exchange.status] ?? exchange.status}</dd>
            <dt>Sign-ups so far</dt>
            <dd>{exchange.signUpCount}</dd>
            <dt>Requests and offers</dt>
            <dd>
              {exchange.rules.requests.min}–{exchange.rules.requests.max} requests, {exchange.rules.offers.min}–{exchange.rules.offers.max}{' '}
              offers each
            </dd>
          </dl>
          <h2>Tag set</h2>
          <ul>
            {Object.entries(exchange.tagSet).map(([type, names]) => (
              <li key={type}>
                <strong>{labelOf(type)}</strong> ({exchange.rules.tagTypes[type]?.required ?? 0} must match): {names.join(', ')}
              </li>
            ))}
          </ul>
          {props.ctx.viewer && exchange.open ? (
            <p>
              <a class="button" href={`${base}/signup`}>
                {props.view.signedUp ? 'Edit your sign-up' : 'Sign up'}
              </a>
            </p>
          ) : null}
          {props.ctx.viewer && exchange.nominations ? (
            <p>
              <a href={`${base}/nominations`}>
                {exchange.nominations.state === 'open' ? 'Nominate tags for the tag set' : 'Your tag nominations'}
              </a>
            </p>
          ) : null}
          {!props.ctx.viewer && exchange.open ? (
            <p>
              <a href={`/login?return_to=${encodeURIComponent(base)}`}>Log in</a> to sign up.
            </p>
          ) : null}
          {props.view.myAssignments.length > 0 ? (
            <>
              <h2>Your assignments</h2>
              <ul>
                {props.view.myAssignments.map((a) => (
                  <li key={a.id}>
                    <a href={`${base}/assignments/${a.id}`}>Your gift for {a.recipient}</a>
                    {a.fulfilled ? ' (posted)' : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      )}
      {props.view.isMaintainer ? (
        <>
          <h2>For maintainers</h2>
          <ul>
            <li>
              <a href={`${base}/settings`}>{exchange ? 'Exchange settings' : 'Make this collection a gift exchange'}</a>
            </li>
            {exchange ? (
              <li>
                <a href={`${base}/nominations`}>Tag nominations</a>
              </li>
            ) : null}
            {exchange ? (
              <li>
                <a href={`${base}/matching`}>Sign-ups, matching and assignments</a>
              </li>
            ) : null}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}

export interface NominationWindowView {
  opensAt: Date | null;
  closesAt: Date;
  state: 'open' | 'not-yet' | 'closed' | 'fixed';
}

/** When nominations run, as the exchange page says it: "from … to …", and where the window stands now. */
function NominationWindowText(props: { window: NominationWindowView }) {
  const w = props.window;
  const span = w.opensAt ? `${utc(w.opensAt)} to ${utc(w.closesAt)}` : `Until ${utc(w.closesAt)}`;
  if (w.state === 'fixed') return <>Closed: matching began, so the tag set is fixed.</>;
  if (w.state === 'open') return <>{span} (open now)</>;
  if (w.state === 'not-yet') return <>{span} (not open yet)</>;
  return <>Closed on {utc(w.closesAt)}</>;
}

export type SettingsValues = Record<string, string | undefined>;

/** The settings form: window, counts, and per tag type its tags and rules. */
export function ExchangeSettingsPage(props: {
  ctx: PageContext;
  collection: { name: string; title: string };
  values: SettingsValues;
  errors: FieldErrors;
}) {
  const { values, errors } = props;
  const base = exchangeHref(props.collection.name);
  return (
    <Layout ctx={props.ctx} title={`Gift exchange settings: ${props.collection.title}`}>
      <h1>Gift exchange settings: {props.collection.title}</h1>
      <ErrorSummary errors={errors} />
      <form method="post" action={`${base}/settings`} class="form">
        <CsrfField token={props.ctx.csrfToken} />
        <fieldset class="field">
          <legend>Sign-up window and due date (UTC)</legend>
          <TextField
            name="opens_at"
            label="Sign-ups open"
            type={'datetime-local' as 'text'}
            value={values.opens_at}
            errors={errors}
            required
            hint="Such as 2030-01-01T00:00."
          />
          <TextField
            name="closes_at"
            label="Sign-ups close"
            type={'datetime-local' as 'text'}
            value={values.closes_at}
            errors={errors}
            required
          />
          <TextField
            name="due_at"
            label="Works due (optional)"
            type={'datetime-local' as 'text'}
            value={values.due_at}
            errors={errors}
            hint="Givers are reminded three days before."
          />
        </fieldset>
        <fieldset class="field">
          <legend>Tag nominations window (UTC)</legend>
          <TextField
            name="nominations_open_at"
            label="Nominations open (optional)"
            type={'datetime-local' as 'text'}
            value={values.nominations_open_at}
            errors={errors}
            hint="Empty: at once. Set how many tags each person may nominate under each tag type below."
          />
          <TextField
            name="nominations_close_at"
            label="Nominations close (optional)"
            type={'datetime-local' as 'text'}
            value={values.nominations_close_at}
            errors={errors}
            hint="Empty: when sign-ups close. At the latest when sign-ups close, so sign-ups can use the tags you approve."
          />
        </fieldset>
        <fieldset class="field">
          <legend>Requests and offers per sign-up</legend>
          <TextField name="requests_min" label="Fewest requests" type="number" value={values.requests_min} errors={errors} required />
          <TextField name="requests_max" label="Most requests" type="number" value={values.requests_max} errors={errors} required />
          <TextField name="offers_min" label="Fewest offers" type="number" value={values.offers_min} errors={errors} required />
          <TextField name="offers_max" label="Most offers" type="number" value={values.offers_max} errors={errors} required />
          <TextField
            name="required_request_matches"
            label="Requests a giver’s offers must match"
            type="number"
            value={values.required_request_matches}
            errors={errors}
            required
          />
          <label class="checkbox">
            <input type="checkbox" name="forbid_mutual" value="1" checked={checked(values.forbid_mutual)} /> No mutual pairs (A writes for B
            while B writes for A)
          </label>
        </fieldset>
        {EXCHANGE_TAG_TYPES.map((type) => (
          <fieldset class="field" key={type}>
            <legend>{TAG_TYPE_LABELS[type]}</legend>
            <TextField
              name={`tags_${type}`}
              label={`${TAG_TYPE_LABELS[type]} in the tag set`}
              value={values[`tags_${type}`]}
              errors={errors}
              hint={`Comma-separated ${type} tags used on this archive. Leave empty not to use ${type} tags.`}
            />
            <TextField
              name={`required_${type}`}
              label="Tags that must match"
              type="number"
              value={values[`required_${type}`]}
              errors={errors}
            />
            <TextField name={`min_${type}`} label="Fewest per prompt" type="number" value={values[`min_${type}`]} errors={errors} />
            <TextField name={`max_${type}`} label="Most per prompt" type="number" value={values[`max_${type}`]} errors={errors} />
            <TextField
              name={`nominations_${type}`}
              label="Nominations per person"
              type="number"
              value={values[`nominations_${type}`]}
              errors={errors}
              hint={`How many ${type} tags each participant may nominate while nominations are open; you approve each. 0: none.`}
            />
            <label class="checkbox">
              <input type="checkbox" name={`any_${type}`} value="1" checked={checked(values[`any_${type}`])} /> Allow “any”
            </label>
          </fieldset>
        ))}
        <button type="submit" class="button">
          Save exchange settings
        </button>
      </form>
    </Layout>
  );
}

/** The sign-up form: one fieldset per request and offer slot, one field per tag type. */
export function SignUpPage(props: {
  ctx: PageContext;
  collection: { name: string; title: string };
  rules: ExchangeRules;
  tagSet: TagSet;
  values: Record<string, string | undefined>;
  errors: FieldErrors;
  existing: boolean;
}) {
  const base = exchangeHref(props.collection.name);
  const slots = (kind: PromptKind, count: number, min: number) =>
    Array.from({ length: count }, (_, i) => (
      <fieldset class="field" key={`${kind}${i}`}>
        <legend>
          {kind === 'request' ? 'Request' : 'Offer'} {i + 1}
          {i >= min ? ' (optional)' : ''}
        </legend>
        {Object.entries(props.rules.tagTypes).map(([type, rule]) => {
          const field = promptField(kind, i, type);
          return (
            <div key={type}>
              <TextField
                name={field}
                label={`${labelOf(type)} (${rule.min === rule.max ? rule.min : `${rule.min}–${rule.max}`})`}
                value={props.values[field]}
                errors={props.errors}
                hint={`Comma-separated, from: ${(props.tagSet[type] ?? []).join(', ')}.`}
              />
              {rule.allowAny ? (
                <label class="checkbox">
                  <input type="checkbox" name={`${field}_any`} value="1" checked={checked(props.values[`${field}_any`])} /> Any{' '}
                  {labelOf(type).toLowerCase()}
                </label>
              ) : null}
            </div>
          );
        })}
      </fieldset>
    ));
  return (
    <Layout ctx={props.ctx} title={`Sign up: ${props.collection.title}`}>
      <h1>Sign up: {props.collection.title}</h1>
      <ErrorSummary errors={props.errors} />
      <form method="post" action={`${base}/signup`} class="form">
        <CsrfField token={props.ctx.csrfToken} />
        <h2>Requests: what you would like to receive</h2>
        {slots('request', props.rules.requests.max, props.rules.requests.min)}
        <h2>Offers: what you would write</h2>
        {slots('offer', props.rules.offers.max, props.rules.offers.min)}
        <button type="submit" class="button">
          {props.existing ? 'Save sign-up' : 'Sign up'}
        </button>
      </form>
      {props.existing ? (
        <form method="post" action={`${base}/signup/delete`} class="inline-form">
          <CsrfField token={props.ctx.csrfToken} />
          <button type="submit" class="button button-danger">
            Delete my sign-up
          </button>
        </form>
      ) : null}
    </Layout>
  );
}

export interface ReviewView {
  collection: { name: string; title: string };
  status: string;
  error: string | null;
  closed: boolean;
  signUps: Array<{ login: string; requests: Prompt[]; offers: Prompt[] }>;
  assignments: Array<{
    id: number;
    giver: string | null;
    recipient: string;
    weight: number;
    pinchHit: boolean;
    sent: boolean;
    fulfilled: boolean;
  }>;
  unmatched: UnmatchedExplanation[];
  potential: Record<string, { givers: PotentialMatch[]; recipients: PotentialMatch[] }>;
  matchedRecipients: number | null;
  compatiblePairs: number | null;
  /** Sign-ups with no assignment at all (the matcher found them no giver). */
  withoutGiver: string[];
}

/** The maintainers' review: run matching, read explanations and potential matches, change by hand, send. */
export function MatchingReviewPage(props: { ctx: PageContext; view: ReviewView; errors: FieldErrors; values: Record<string, string> }) {
  const { view } = props;
  const base = exchangeHref(view.collection.name);
  const logins = view.signUps.map((s) => ({ value: s.login, label: s.login }));
  return (
    <Layout ctx={props.ctx} title={`Matching: ${view.collection.title}`}>
      <h1>Matching: {view.collection.title}</h1>
      <p>
        <a href={base}>Back to the exchange</a>
      </p>
      <ErrorSummary errors={props.errors} />
      <p>{STATUS_TEXT[view.status] ?? view.status}</p>
      {view.error ? <p class="error-message">{view.error}</p> : null}
      {view.closed && (view.status === 'signups' || view.status === 'matched') ? (
        <form method="post" action={`${base}/matching`} class="inline-form">
          <CsrfField token={props.ctx.csrfToken} />
          <button type="submit" class="button">
            {view.status === 'matched' ? 'Match again from scratch' : 'Run matching'}
          </button>
        </form>
      ) : null}
      {!view.closed ? <p>Matching can run once sign-ups close.</p> : null}
      {view.status === 'matching' ? <p>The matcher is working in the background. Reload this page in a moment.</p> : null}
      {view.matchedRecipients !== null ? (
        <p>
          {view.matchedRecipients} of {view.signUps.length} sign-ups receive a gift; {view.compatiblePairs} compatible pairs.
        </p>
      ) : null}
      <h2>Assignments</h2>
      {view.assignments.length === 0 ? <p>No assignments yet.</p> : null}
      <ul>
        {view.assignments.map((a) => (
          <li key={a.id}>
            {a.giver ?? <strong>No giver (defaulted)</strong>} writes for {a.recipient}
            {a.pinchHit ? ' (pinch hit)' : ''}
            {a.fulfilled ? ' (posted)' : a.sent ? ' (sent)' : ''} · <a href={`${base}/assignments/${a.id}`}>assignment {a.id}</a>
            {a.giver === null ? (
              <form method="post" action={`${base}/assignments/${a.id}/pinch_hit`} class="inline-form">
                <CsrfField token={props.ctx.csrfToken} />
                <label for={`pinch-${a.id}`}>Pinch hitter’s login</label>{' '}
                <input id={`pinch-${a.id}`} name="login" type="text" required maxLength={64} />{' '}
                <button type="submit" class="button button-small">
                  Assign pinch hitter
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      {view.status === 'sent' && view.withoutGiver.length > 0 ? (
        <>
          <h2>Pinch hits for sign-ups with no giver</h2>
          <form method="post" action={`${base}/pinch_hits`} class="form">
            <CsrfField token={props.ctx.csrfToken} />
            <SelectField
              name="recipient"
              label="Recipient"
              value={props.values.recipient}
              errors={props.errors}
              options={view.withoutGiver.map((l) => ({ value: l, label: l }))}
            />
            <TextField name="login" label="Pinch hitter’s login" value={props.values.login} errors={props.errors} required maxLength={64} />
            <button type="submit" class="button">
              Assign pinch hitter
            </button>
          </form>
        </>
      ) : null}
      {view.unmatched.length > 0 ? (
        <>
          <h2>Not matched, and why</h2>
          <ul>
            {view.unmatched.map((u) => (
              <li key={`${u.signUpId}-${u.role}`}>
                <strong>{u.signUpId}</strong> ({u.role === 'recipient' ? 'receives no gift' : 'gives no gift'}): {u.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {view.status === 'matched' ? (
        <>
          <h2>Change by hand</h2>
          <form method="post" action={`${base}/matching/change`} class="form">
            <CsrfField token={props.ctx.csrfToken} />
            <SelectField
              name="kind"
              label="Change"
              value={props.values.kind ?? 'reassign'}
              errors={props.errors}
              options={[
                { value: 'reassign', label: 'Give a giver a new recipient' },
                { value: 'swap', label: 'Swap two givers’ recipients' },
                { value: 'remove', label: 'Remove a giver’s assignment' },
              ]}
            />
            <SelectField name="giver" label="Giver" value={props.values.giver} errors={props.errors} options={logins} />
            <SelectField
              name="other"
              label="Recipient (reassign) or second giver (swap)"
              value={props.values.other}
              errors={props.errors}
              options={[{ value: '', label: '(none, to remove)' }, ...logins]}
            />
            <button type="submit" class="button button-secondary">
              Apply change
            </button>
          </form>
          <form method="post" action={`${base}/send`} class="inline-form">
            <CsrfField token={props.ctx.csrfToken} />
            <button type="submit" class="button">
              Send assignments
            </button>
          </form>
        </>
      ) : null}
      <h2>Sign-ups ({view.signUps.length})</h2>
      <ul>
        {view.signUps.map((s) => {
          const p = view.potential[s.login];
          return (
            <li key={s.login}>
              <details>
                <summary>{s.login}</summary>
                <p>Requests:</p>
                <ul>
                  {s.requests.map((r, i) => (
                    <li key={i}>
                      <PromptText prompt={r} />
                    </li>
                  ))}
                </ul>
                <p>Offers:</p>
                <ul>
                  {s.offers.map((r, i) => (
                    <li key={i}>
                      <PromptText prompt={r} />
                    </li>
                  ))}
                </ul>
                {p ? (
                  <p>
                    Possible givers: {p.givers.map((g) => `${g.signUpId} (${g.weight})`).join(', ') || 'none'}. Possible recipients:{' '}
                    {p.recipients.map((g) => `${g.signUpId} (${g.weight})`).join(', ') || 'none'}.
                  </p>
                ) : null}
              </details>
            </li>
          );
        })}
      </ul>
    </Layout>
  );
}

/** One assignment: whom the giver writes for and what they asked; post, or default. */
export function AssignmentPage(props: {
  ctx: PageContext;
  assignment: {
    id: number;
    collection: { name: string; title: string };
    recipient: string;
    requests: Prompt[];
    dueAt: Date | null;
    workId: number | null;
    hasGiver: boolean;
  };
  isGiver: boolean;
  isMaintainer: boolean;
  works: Array<{ id: number; title: string }>;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const a = props.assignment;
  const base = `${exchangeHref(a.collection.name)}/assignments/${a.id}`;
  return (
    <Layout ctx={props.ctx} title={`Assignment for ${a.recipient}`}>
      <h1>Your gift for {a.recipient}</h1>
      <p>
        In <a href={exchangeHref(a.collection.name)}>{a.collection.title}</a>
        {a.dueAt ? `; due ${utc(a.dueAt)}` : ''}.
      </p>
      <ErrorSummary errors={props.errors} />
      <h2>What {a.recipient} asked for</h2>
      <ul>
        {a.requests.map((r, i) => (
          <li key={i}>
            <PromptText prompt={r} />
          </li>
        ))}
      </ul>
      {a.workId ? (
        <p>
          Posted: <a href={`/works/${a.workId}`}>your gift</a>.
        </p>
      ) : null}
      {props.isGiver && !a.workId ? (
        <>
          <h2>Post your gift</h2>
          <p>
            <a class="button" href={`/works/new?assignment=${a.id}`}>
              Post for my assignment
            </a>{' '}
            (a new work, posted into the exchange as a gift to {a.recipient})
          </p>
          {props.works.length === 0 ? null : (
            <form method="post" action={`${base}/fulfil`} class="form">
              <CsrfField token={props.ctx.csrfToken} />
              <SelectField
                name="work_id"
                label="Your work"
                value={props.values.work_id}
                errors={props.errors}
                hint="It joins the exchange’s collection as a gift to the recipient."
                options={props.works.map((w) => ({ value: String(w.id), label: w.title }))}
              />
              <button type="submit" class="button">
                Post for this assignment
              </button>
            </form>
          )}
          <form method="post" action={`${base}/default`} class="inline-form">
            <CsrfField token={props.ctx.csrfToken} />
            <button type="submit" class="button button-danger">
              Default on this assignment
            </button>
          </form>
        </>
      ) : null}
      {props.isMaintainer && !a.hasGiver ? (
        <form method="post" action={`${base}/pinch_hit`} class="form">
          <CsrfField token={props.ctx.csrfToken} />
          <TextField name="login" label="Pinch hitter’s login" value={props.values.login} errors={props.errors} required maxLength={64} />
          <button type="submit" class="button">
            Assign pinch hitter
          </button>
        </form>
      ) : null}
    </Layout>
  );
}

export interface NominationsView {
  collection: { name: string; title: string };
  open: boolean;
  /** Why nominating is refused now (null while open). */
  closedMessage: string | null;
  window: { opensAt: Date | null; closesAt: Date };
  limits: Record<string, number>;
  tagSet: TagSet;
  isMaintainer: boolean;
  canDecide: boolean;
  mine: Array<{ id: number; type: string; name: string; status: string }>;
  all: Array<{ id: number; login: string; type: string; name: string; status: string }>;
}

const NOMINATION_STATUS: Record<string, string> = { pending: 'waiting for approval', approved: 'approved', rejected: 'rejected' };

/**
 * Nominating tags (one field per type that takes nominations) while the window is open, one's own
 * nominations (the pending ones can be withdrawn), and for maintainers one review form for every
 * pending nomination and the decided list.
 */
export function NominationsPage(props: { ctx: PageContext; view: NominationsView; values: Record<string, string>; errors: FieldErrors }) {
  const { view } = props;
  const base = exchangeHref(view.collection.name);
  const types = Object.entries(view.limits);
  const pending = view.all.filter((n) => n.status === 'pending');
  const decided = view.all.filter((n) => n.status !== 'pending');
  const choice = (id: number) => props.values[`decision_${id}`] ?? '';
  // A nomination refused because the window closed meanwhile keeps its typing in the form.
  const typed = types.some(([type]) => (props.values[`nominate_${type}`] ?? '') !== '');
  return (
    <Layout ctx={props.ctx} title={`Tag nominations: ${view.collection.title}`}>
      <h1>Tag nominations: {view.collection.title}</h1>
      <p>
        <a href={base}>Back to the exchange</a>
      </p>
      <ErrorSummary errors={props.errors} />
      {types.length > 0 ? (
        <p>
          Nominations run {view.window.opensAt ? `from ${utc(view.window.opensAt)} ` : ''}until {utc(view.window.closesAt)}.
        </p>
      ) : null}
      {!view.open ? <p>{view.closedMessage ?? 'Nominations are closed.'}</p> : null}
      {view.open || typed ? (
        <form method="post" action={`${base}/nominations`} class="form">
          <CsrfField token={props.ctx.csrfToken} />
          <p>
            Nominate tags works on this archive already use. When a maintainer approves one, it joins the tag set and sign-ups can use it.
          </p>
          {types.map(([type, limit]) => (
            <TextField
              key={type}
              name={`nominate_${type}`}
              label={`${labelOf(type)} to nominate (at most ${limit})`}
              value={props.values[`nominate_${type}`]}
              errors={props.errors}
              hint={`Comma-separated. In the tag set already: ${(view.tagSet[type] ?? []).join(', ') || 'none'}.`}
            />
          ))}
          <button type="submit" class="button">
            Nominate
          </button>
        </form>
      ) : null}
      <h2>Your nominations</h2>
      {view.mine.length === 0 ? <p>You have nominated no tags.</p> : null}
      <ul>
        {view.mine.map((n) => (
          <li key={n.id}>
            {labelOf(n.type)}: {n.name} ({NOMINATION_STATUS[n.status] ?? n.status})
            {n.status === 'pending' ? (
              <>
                {' '}
                <form method="post" action={`${base}/nominations/${n.id}/withdraw`} class="inline-form">
                  <CsrfField token={props.ctx.csrfToken} />
                  <button type="submit" class="button button-small button-secondary">
                    Withdraw<span class="visually-hidden"> {n.name}</span>
                  </button>
                </form>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {view.isMaintainer ? (
        <>
          <h2>Waiting for approval</h2>
          {pending.length === 0 ? <p>No nominations are waiting.</p> : null}
          {pending.length > 0 && !view.canDecide ? (
            <ul>
              {pending.map((n) => (
                <li key={n.id}>
                  {labelOf(n.type)}: <strong>{n.name}</strong>, nominated by {n.login}
                </li>
              ))}
            </ul>
          ) : null}
          {pending.length > 0 && view.canDecide ? (
            <form method="post" action={`${base}/nominations/review`} class="form">
              <CsrfField token={props.ctx.csrfToken} />
              <p>
                Choose for each: approving a tag adds it to the tag set (and approves everyone’s nominations of it). Each nominator is told
                once of the whole review.
              </p>
              {pending.map((n) => (
                <fieldset class="field checkbox-group" key={n.id}>
                  <legend>
                    {labelOf(n.type)}: <strong>{n.name}</strong>, nominated by {n.login}
                  </legend>
                  {(
                    [
                      ['approve', 'Approve'],
                      ['reject', 'Reject'],
                      ['', 'Decide later'],
                    ] as const
                  ).map(([value, label]) => (
                    <label class="checkbox" key={value}>
                      <input type="radio" name={`decision_${n.id}`} value={value} checked={choice(n.id) === value} /> {label}
                      <span class="visually-hidden"> {n.name}</span>
                    </label>
                  ))}
                </fieldset>
              ))}
              <button type="submit" class="button">
                Save decisions
              </button>
            </form>
          ) : null}
          {decided.length > 0 ? (
            <>
              <h2>Decided</h2>
              <ul>
                {decided.map((n) => (
                  <li key={n.id}>
                    {labelOf(n.type)}: {n.name}, nominated by {n.login} ({NOMINATION_STATUS[n.status] ?? n.status})
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </Layout>
  );
}

import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import type { EmailMode } from '../db/tables/collections.ts';
import type { SubscriptionListItem } from './subscriptions.service.ts';
import type { SubscriptionKind } from './subscriptions.schema.ts';

/** Subscribe or unsubscribe: one small form posting to /subscriptions. */
export function SubscribeButton(props: {
  csrfToken: string;
  kind: SubscriptionKind;
  id: number;
  subscribed: boolean;
  /** What the button names, e.g. "this work" (for screen readers when several buttons share a page). */
  label: string;
  returnTo: string;
}) {
  return (
    <form method="post" action={props.subscribed ? '/subscriptions/delete' : '/subscriptions'} class="inline-form subscribe-form">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="kind" value={props.kind} />
      <input type="hidden" name="id" value={String(props.id)} />
      <input type="hidden" name="return_to" value={props.returnTo} />
      <button
        type="submit"
        class="button button-secondary"
        aria-label={props.subscribed ? `Unsubscribe from ${props.label}` : `Subscribe to ${props.label}`}
      >
        {props.subscribed ? 'Unsubscribe' : 'Subscribe'}
      </button>
    </form>
  );
}

/** The series page's subscribe button (guests see a link to log in). */
export function SeriesSubscribeButton(props: {
  ctx: PageContext;
  seriesId: number;
  subscriptionId: number | undefined;
  signedIn: boolean;
}) {
  const href = `/series/${props.seriesId}`;
  if (!props.signedIn)
    return (
      <a class="button button-secondary" href={`/login?return_to=${encodeURIComponent(href)}`}>
        Log in to subscribe
      </a>
    );
  return (
    <SubscribeButton
      csrfToken={props.ctx.csrfToken}
      kind="series"
      id={props.seriesId}
      subscribed={props.subscriptionId !== undefined}
      label="this series"
      returnTo={href}
    />
  );
}

const KIND_LABEL: Record<SubscriptionKind, string> = { work: 'Work', creator: 'Creator', series: 'Series' };

const MODE_OPTIONS: Array<{ value: EmailMode; label: string }> = [
  { value: 'each', label: 'One email for each update' },
  { value: 'digest', label: 'One daily digest email' },
  { value: 'off', label: 'No email (inbox only)' },
];

/** The user's subscriptions, each with its unsubscribe button, and their email choice. */
export function SubscriptionsPage(props: {
  ctx: PageContext;
  login: string;
  items: SubscriptionListItem[];
  emailMode: EmailMode;
  emailAvailable: boolean;
  error?: string;
}) {
  const self = `/users/${encodeURIComponent(props.login)}/subscriptions`;
  return (
    <Layout ctx={props.ctx} title="My subscriptions">
      <h1>My subscriptions</h1>
      <p>
        Updates arrive in your <a href={`/users/${encodeURIComponent(props.login)}/inbox`}>inbox</a>
        {props.emailAvailable ? ' and by email, as you choose below.' : '. This archive sends no email.'}
      </p>
      {props.items.length === 0 ? (
        <p>You have no subscriptions yet. Use the Subscribe button on a work, a series or a creator’s profile.</p>
      ) : (
        <table class="subscriptions-table">
          <caption class="visually-hidden">Your subscriptions</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Subscribed to</th>
              <th scope="col">
                <span class="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((item) => (
              <tr>
                <td>{KIND_LABEL[item.kind]}</td>
                <td>{item.href ? <a href={item.href}>{item.label}</a> : item.label}</td>
                <td>
                  <SubscribeButton
                    csrfToken={props.ctx.csrfToken}
                    kind={item.kind}
                    id={item.id}
                    subscribed
                    label={item.label}
                    returnTo={self}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Email</h2>
      <form method="post" action={`${self}/preferences`} class="form">
        <CsrfField token={props.ctx.csrfToken} />
        <fieldset class={props.error ? 'field field-error' : 'field'} id="field-email_mode">
          <legend>How should updates reach you by email?</legend>
          {props.error ? <p class="error-message">{props.error}</p> : null}
          {MODE_OPTIONS.map((o) => (
            <label class="checkbox">
              <input type="radio" name="email_mode" value={o.value} checked={o.value === props.emailMode} /> {o.label}
            </label>
          ))}
        </fieldset>
        <button type="submit" class="button">
          Save email choice
        </button>
      </form>
    </Layout>
  );
}

/** Confirms a subscription to a creator (linked from their profile). */
export function CreatorSubscriptionPage(props: { ctx: PageContext; login: string; userId: number; subscribed: boolean }) {
  const profile = `/users/${encodeURIComponent(props.login)}`;
  return (
    <Layout ctx={props.ctx} title={`Subscribe to ${props.login}`}>
      <h1>{props.subscribed ? `You are subscribed to ${props.login}` : `Subscribe to ${props.login}`}</h1>
      <p>
        {props.subscribed
          ? `Each new work by ${props.login} arrives in your inbox.`
          : `Get a notification in your inbox each time ${props.login} posts a new work.`}
      </p>
      <SubscribeButton
        csrfToken={props.ctx.csrfToken}
        kind="creator"
        id={props.userId}
        subscribed={props.subscribed}
        label={props.login}
        returnTo={`${profile}/subscription`}
      />
      <p>
        <a href={profile}>Back to {props.login}’s profile</a>
      </p>
    </Layout>
  );
}

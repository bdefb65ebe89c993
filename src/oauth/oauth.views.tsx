import { SCOPES, type Scope } from '../api/api-scopes.ts';
import { ErrorSummary, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';

export interface ConsentView {
  appName: string;
  ownerLogin: string;
  redirectHost: string;
  scopes: Scope[];
  /** The authorization request's parameters, sent back with the answer. */
  params: Record<string, string>;
}

/** "Allow this app?": what it may do, and two buttons. */
export function ConsentPage(props: { ctx: PageContext; view: ConsentView }) {
  const v = props.view;
  const hidden = Object.entries(v.params).map(([name, value]) => <input type="hidden" name={name} value={value} />);
  return (
    <Layout ctx={props.ctx} title={`Allow ${v.appName}?`}>
      <h1>Allow {v.appName} to use your account?</h1>
      <p>
        {v.appName} was registered by <a href={`/users/${encodeURIComponent(v.ownerLogin)}`}>{v.ownerLogin}</a>. If you allow it, it will be
        able to:
      </p>
      <ul class="scope-list">
        {v.scopes.map((scope) => (
          <li>
            <strong>{scope}</strong>: {SCOPES[scope]}
          </li>
        ))}
      </ul>
      <p>
        You will be sent back to <strong>{v.redirectHost}</strong>. You can take this back at any time on{' '}
        <a href="/oauth/apps">your apps page</a>.
      </p>
      <form method="post" action="/oauth/authorize" class="inline-form">
        <CsrfField token={props.ctx.csrfToken} />
        {hidden}
        <input type="hidden" name="decision" value="allow" />
        <button type="submit" class="button">
          Allow
        </button>
      </form>{' '}
      <form method="post" action="/oauth/authorize" class="inline-form">
        <CsrfField token={props.ctx.csrfToken} />
        {hidden}
        <input type="hidden" name="decision" value="deny" />
        <button type="submit" class="button">
          Deny
        </button>
      </form>
    </Layout>
  );
}

export interface AppsView {
  authorized: { appId: number; name: string; ownerLogin: string; scopes: string[]; since: string }[];
  owned: { id: number; name: string; clientId: string; redirectUri: string }[];
  values: Record<string, string>;
  errors: FieldErrors;
}

/** The apps a person allowed (each revocable) and the apps they registered as a developer. */
export function AppsPage(props: { ctx: PageContext; view: AppsView }) {
  const v = props.view;
  const csrf = props.ctx.csrfToken;
  return (
    <Layout ctx={props.ctx} title="Apps">
      <h1>Apps</h1>
      <h2>Apps you allowed</h2>
      {v.authorized.length === 0 ? (
        <p>You have not allowed any app to use your account.</p>
      ) : (
        <ul class="relation-list">
          {v.authorized.map((a) => (
            <li>
              <strong>{a.name}</strong> by {a.ownerLogin}, since {a.since}: {a.scopes.join(', ')}{' '}
              <form method="post" action={`/oauth/authorized/${a.appId}/revoke`} class="inline-form">
                <CsrfField token={csrf} />
                <button type="submit" class="link-button" aria-label={`Revoke ${a.name}`}>
                  Revoke
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h2>Apps you registered</h2>
      <p>
        Register an app to let other people sign in to it with their account here (OAuth 2.0 authorization code with PKCE). See{' '}
        <a href="/api/v1/openapi.json">the API document</a>.
      </p>
      {v.owned.length > 0 ? (
        <ul class="relation-list">
          {v.owned.map((a) => (
            <li>
              <strong>{a.name}</strong>: client_id <code>{a.clientId}</code>, redirect to <code>{a.redirectUri}</code>{' '}
              <form method="post" action={`/oauth/apps/${a.id}/delete`} class="inline-form">
                <CsrfField token={csrf} />
                <button type="submit" class="link-button" aria-label={`Delete ${a.name}`}>
                  Delete
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : null}
      <form method="post" action="/oauth/apps" novalidate>
        <CsrfField token={csrf} />
        <ErrorSummary errors={v.errors} />
        <TextField name="name" label="App name" errors={v.errors} value={v.values.name} maxLength={100} />
        <TextField
          name="redirect_uri"
          label="Redirect address"
          hint="Where codes are sent back: https, or http for 127.0.0.1 and localhost."
          type="url"
          errors={v.errors}
          value={v.values.redirect_uri}
        />
        <button type="submit" class="button">
          Register app
        </button>
      </form>
    </Layout>
  );
}

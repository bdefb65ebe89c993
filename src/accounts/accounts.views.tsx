import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import { ErrorSummary, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';

type FormProps = { ctx: PageContext; values: Record<string, string>; errors: FieldErrors };

export function SignUpPage(props: FormProps & { invitation?: boolean }) {
  const { values, errors } = props;
  return (
    <Layout ctx={props.ctx} title="Create an account">
      <section class="narrow">
        <h1>Create an account</h1>
        <ErrorSummary errors={errors} />
        <form method="post" action="/signup" class="stack" novalidate>
          <CsrfField token={props.ctx.csrfToken} />
          {props.invitation ? (
            <TextField
              name="invitation"
              label="Invitation code"
              value={values.invitation}
              errors={errors}
              required
              hint="This archive is invitation-only. The code is in your invitation email; no code yet? Request one at /invite_requests."
            />
          ) : null}
          <TextField
            name="login"
            label="User name"
            value={values.login}
            errors={errors}
            autocomplete="username"
            required
            hint="3 to 40 letters, digits or underscores. It appears on your works and cannot be changed later."
          />
          <TextField name="email" label="Email" type="email" value={values.email} errors={errors} autocomplete="email" required />
          <TextField
            name="password"
            label="Password"
            type="password"
            errors={errors}
            autocomplete="new-password"
            required
            hint="At least 8 characters."
          />
          <TextField
            name="password_confirmation"
            label="Confirm password"
            type="password"
            errors={errors}
            autocomplete="new-password"
            required
          />
          <button type="submit" class="button">
            Create account
          </button>
        </form>
        <p>
          Already have an account? <a href="/login">Log in</a>.
        </p>
      </section>
    </Layout>
  );
}

export function LogInPage(props: FormProps & { returnTo: string }) {
  const { values, errors } = props;
  return (
    <Layout ctx={props.ctx} title="Log in">
      <section class="narrow">
        <h1>Log in</h1>
        <ErrorSummary errors={errors} />
        <form method="post" action="/login" class="stack" novalidate>
          <CsrfField token={props.ctx.csrfToken} />
          <input type="hidden" name="return_to" value={props.returnTo} />
          <TextField name="login" label="User name or email" value={values.login} errors={errors} autocomplete="username" required />
          <TextField name="password" label="Password" type="password" errors={errors} autocomplete="current-password" required />
          <button type="submit" class="button">
            Log in
          </button>
        </form>
        <p>
          <a href="/password/forgot">Forgot your password?</a>
        </p>
        <p>
          New here? <a href="/signup">Create an account</a>.
        </p>
      </section>
    </Layout>
  );
}

export function ChangePasswordPage(props: FormProps & { login: string }) {
  const { errors } = props;
  return (
    <Layout ctx={props.ctx} title="Change password">
      <section class="narrow">
        <h1>Change password</h1>
        <ErrorSummary errors={errors} />
        <form method="post" action={`/users/${encodeURIComponent(props.login)}/password`} class="stack" novalidate>
          <CsrfField token={props.ctx.csrfToken} />
          <TextField
            name="current_password"
            label="Current password"
            type="password"
            errors={errors}
            autocomplete="current-password"
            required
          />
          <TextField
            name="password"
            label="New password"
            type="password"
            errors={errors}
            autocomplete="new-password"
            required
            hint="At least 8 characters."
          />
          <TextField
            name="password_confirmation"
            label="Confirm new password"
            type="password"
            errors={errors}
            autocomplete="new-password"
            required
          />
          <button type="submit" class="button">
            Change password
          </button>
        </form>
      </section>
    </Layout>
  );
}

export interface ProfileView {
  login: string;
  joined: string;
  pseuds: Array<{ name: string; isDefault: boolean }>;
  isSelf: boolean;
}

export function ProfilePage(props: { ctx: PageContext; profile: ProfileView; values?: Record<string, string>; errors?: FieldErrors }) {
  const p = props.profile;
  const base = `/users/${encodeURIComponent(p.login)}`;
  return (
    <Layout ctx={props.ctx} title={p.login}>
      <section>
        <h1>{p.login}</h1>
        <p class="meta">Joined {p.joined}</p>
        <p>
          <a href={`${base}/works`}>Works by {p.login}</a>
          {p.isSelf ? null : (
            <>
              {' '}
              · <a href={`${base}/subscription`}>Subscribe to {p.login}</a>
            </>
          )}
        </p>
        <h2>Pseuds</h2>
        <ul>
          {p.pseuds.map((ps) => (
            <li key={ps.name}>
              <a href={`${base}/pseuds/${encodeURIComponent(ps.name)}/works`}>{ps.name}</a>
              {ps.isDefault ? ' (default)' : ''}
            </li>
          ))}
        </ul>
        {p.isSelf ? (
          <>
            <form method="post" action={`${base}/pseuds`} class="stack narrow" novalidate>
              <CsrfField token={props.ctx.csrfToken} />
              <ErrorSummary errors={props.errors ?? {}} />
              <TextField
                name="name"
                label="New pseud"
                value={props.values?.name}
                errors={props.errors ?? {}}
                maxLength={40}
                hint="Another name to post under. Your works can be credited to any of your pseuds."
              />
              <button type="submit" class="button button-secondary">
                Add pseud
              </button>
            </form>
            <h2>Your account</h2>
            <ul>
              <li>
                <a href={`${base}/subscriptions`}>Subscriptions</a>
              </li>
              <li>
                <a href={`${base}/stats`}>Stats for your works</a>
              </li>
              <li>
                <a href={`${base}/notifications`}>Email notifications</a>
              </li>
              <li>
                <a href="/skins">Work skins</a>
              </li>
              <li>
                <a href="/preferences">Reading preferences</a>
              </li>
              <li>
                <a href={`${base}/password`}>Change password</a>
              </li>
              <li>
                <a href={`${base}/api_tokens`}>API tokens</a>
              </li>
              <li>
                <a href="/oauth/apps">Apps you allowed</a>
              </li>
              <li>
                <a href={`${base}/two_factor`}>Two-factor sign-in</a>
              </li>
              <li>
                <a href={`${base}/sessions`}>Where you are logged in</a>
              </li>
              <li>
                <a href={`${base}/export`}>Download your works and data</a>
              </li>
              <li>
                <a href={`${base}/delete`}>Delete your account</a>
              </li>
            </ul>
          </>
        ) : null}
      </section>
    </Layout>
  );
}

export interface ApiTokenView {
  id: number;
  name: string;
  created: string;
  lastUsed: string | null;
  revoked: boolean;
}

export function ApiTokensPage(props: FormProps & { login: string; tokens: ApiTokenView[]; newToken?: string }) {
  const base = `/users/${encodeURIComponent(props.login)}/api_tokens`;
  return (
    <Layout ctx={props.ctx} title="API tokens">
      <section>
        <h1>API tokens</h1>
        <p>
          Programs use a token to act as you through the <a href="/api/v1/openapi.json">JSON API</a>: send it as{' '}
          <code>Authorization: Bearer TOKEN</code>.
        </p>
        {props.newToken ? (
          <div class="notice" role="status">
            <p>Your new token (copy it now; it will not be shown again):</p>
            <p>
              <code class="token">{props.newToken}</code>
            </p>
          </div>
        ) : null}
        <ErrorSummary errors={props.errors} />
        <form method="post" action={base} class="stack" novalidate>
          <CsrfField token={props.ctx.csrfToken} />
          <TextField
            name="name"
            label="Token name"
            value={props.values.name}
            errors={props.errors}
            required
            hint="What will use it, e.g. “my reading app”."
            maxLength={100}
          />
          <button type="submit" class="button">
            Create token
          </button>
        </form>
        {props.tokens.length > 0 ? (
          <table class="data-table">
            <caption>Your tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {props.tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{t.created}</td>
                  <td>{t.lastUsed ?? 'never'}</td>
                  <td>
                    {t.revoked ? (
                      'revoked'
                    ) : (
                      <form method="post" action={`${base}/${t.id}/revoke`} class="inline-form">
                        <CsrfField token={props.ctx.csrfToken} />
                        <button type="submit" class="link-button">
                          Revoke
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </Layout>
  );
}

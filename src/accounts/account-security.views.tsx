import { ErrorSummary, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';

type Base = { ctx: PageContext; errors: FieldErrors };

export function TwoFactorLoginPage(props: Base) {
  return (
    <Layout ctx={props.ctx} title="Two-factor sign-in">
      <section class="narrow">
        <h1>Enter your sign-in code</h1>
        <ErrorSummary errors={props.errors} />
        <form method="post" action="/login/two_factor" class="stack" novalidate>
          <CsrfField token={props.ctx.csrfToken} />
          <TextField
            name="code"
            label="Code from your authenticator app, or a recovery code"
            errors={props.errors}
            autocomplete="one-time-code"
            required
          />
          <button type="submit" class="button">
            Log in
          </button>
        </form>
      </section>
    </Layout>
  );
}

export function TwoFactorSettingsPage(
  props: Base & { login: string; enabled: boolean; secret?: string; uri?: string; recoveryCodes?: string[]; unusedCodes?: number },
) {
  const base = `/users/${encodeURIComponent(props.login)}/two_factor`;
  return (
    <Layout ctx={props.ctx} title="Two-factor sign-in">
      <section class="narrow">
        <h1>Two-factor sign-in</h1>
        <ErrorSummary errors={props.errors} />
        {props.recoveryCodes ? (
          <div class="notice" role="status">
            <h2>Your recovery codes</h2>
            <p>Keep these somewhere safe. Each one logs you in once if you lose your authenticator. They are shown only now.</p>
            <ul class="recovery-codes">
              {props.recoveryCodes.map((c) => (
                <li key={c}>
                  <code>{c}</code>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {props.enabled ? (
          <>
            <p>Two-factor sign-in is on. You have {props.unusedCodes ?? 0} unused recovery codes.</p>
            <form method="post" action={`${base}/recovery_codes`} class="stack">
              <CsrfField token={props.ctx.csrfToken} />
              <TextField name="password" label="Password" type="password" errors={props.errors} autocomplete="current-password" />
              <button type="submit" class="button button-secondary">
                Make new recovery codes
              </button>
            </form>
            <form method="post" action={`${base}/disable`} class="stack">
              <CsrfField token={props.ctx.csrfToken} />
              <TextField name="password" label="Password (to turn it off)" type="password" errors={{}} autocomplete="current-password" />
              <button type="submit" class="button button-danger">
                Turn off two-factor sign-in
              </button>
            </form>
          </>
        ) : (
          <>
            <p>Add this key to an authenticator app (any app for TOTP codes), then enter the code it shows.</p>
            <p>
              Key: <code class="totp-secret">{props.secret}</code>
            </p>
            <p>
              Or open this link on the device with the app: <a href={props.uri}>add to authenticator</a>
            </p>
            <form method="post" action={base} class="stack" novalidate>
              <CsrfField token={props.ctx.csrfToken} />
              <TextField name="code" label="Code from the app" errors={props.errors} autocomplete="one-time-code" required />
              <button type="submit" class="button">
                Turn on two-factor sign-in
              </button>
            </form>
          </>
        )}
      </section>
    </Layout>
  );
}

export function ForgotPasswordPage(props: Base & { values: Record<string, string>; sent: boolean }) {
  return (
    <Layout ctx={props.ctx} title="Forgot your password?">
      <section class="narrow">
        <h1>Forgot your password?</h1>
        {props.sent ? (
          <p role="status">
            If an account uses that address, we have sent it a link to choose a new password. The link works for an hour, once.
          </p>
        ) : null}
        <ErrorSummary errors={props.errors} />
        <form method="post" action="/password/forgot" class="stack" novalidate>
          <CsrfField token={props.ctx.csrfToken} />
          <TextField
            name="email"
            label="Your account's email"
            type="email"
            value={props.values.email}
            errors={props.errors}
            autocomplete="email"
            required
          />
          <button type="submit" class="button">
            Send reset link
          </button>
        </form>
      </section>
    </Layout>
  );
}

export function ResetPasswordPage(props: Base & { token: string }) {
  return (
    <Layout ctx={props.ctx} title="Choose a new password">
      <section class="narrow">
        <h1>Choose a new password</h1>
        <ErrorSummary errors={props.errors} />
        <form method="post" action={`/password/reset/${props.token}`} class="stack" novalidate>
          <CsrfField token={props.ctx.csrfToken} />
          <TextField
            name="password"
            label="New password"
            type="password"
            errors={props.errors}
            autocomplete="new-password"
            required
            hint="At least 8 characters."
          />
          <TextField
            name="password_confirmation"
            label="Repeat it"
            type="password"
            errors={props.errors}
            autocomplete="new-password"
            required
          />
          <button type="submit" class="button">
            Set password
          </button>
        </form>
      </section>
    </Layout>
  );
}

export interface SessionView {
  id: string;
  started: string;
  expires: string;
  current: boolean;
}

export function SessionsPage(props: { ctx: PageContext; login: string; sessions: SessionView[] }) {
  const base = `/users/${encodeURIComponent(props.login)}/sessions`;
  return (
    <Layout ctx={props.ctx} title="Your sessions">
      <h1>Where you are logged in</h1>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Expires</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {props.sessions.map((s) => (
            <tr key={s.id}>
              <td>{s.started}</td>
              <td>{s.expires}</td>
              <td>
                {s.current ? (
                  'This browser'
                ) : (
                  <form method="post" action={`${base}/${s.id}/end`} class="inline-form">
                    <CsrfField token={props.ctx.csrfToken} />
                    <button type="submit" class="link-button">
                      Log out this session
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action={`${base}/end_others`} class="inline-form">
        <CsrfField token={props.ctx.csrfToken} />
        <button type="submit" class="button button-secondary">
          Log out everywhere else
        </button>
      </form>
    </Layout>
  );
}

export function DeleteAccountPage(props: Base & { login: string; workCount: number }) {
  return (
    <Layout ctx={props.ctx} title="Delete your account">
      <section class="narrow">
        <h1>Delete your account</h1>
        <ErrorSummary errors={props.errors} />
        <form method="post" action={`/users/${encodeURIComponent(props.login)}/delete`} class="stack" novalidate>
          <CsrfField token={props.ctx.csrfToken} />
          <fieldset class="field" id="field-works">
            <legend>Your {props.workCount} works</legend>
            {props.errors.works ? <p class="error-message">{props.errors.works}</p> : null}
            <label class="checkbox">
              <input type="radio" name="works" value="orphan" id="works-orphan" /> Orphan them: they stay on the archive, credited to
              orphan_account, with no link to you
            </label>
            <label class="checkbox">
              <input type="radio" name="works" value="delete" id="works-delete" /> Delete them (works you share with co-creators stay,
              without your name)
            </label>
          </fieldset>
          <TextField name="password" label="Password" type="password" errors={props.errors} autocomplete="current-password" required />
          <button type="submit" class="button button-danger">
            Delete my account for good
          </button>
        </form>
      </section>
    </Layout>
  );
}

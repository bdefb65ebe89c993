import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import { VERIFY_HOURS } from './email-verification.ts';

/** Where an unverified account lands when it tries to post or comment: why, and the way out. */
export function VerifyEmailNeededPage(props: { ctx: PageContext; email: string; keptText?: string | undefined; returnTo: string }) {
  return (
    <Layout ctx={props.ctx} title="Confirm your email address first">
      <h1>Confirm your email address first</h1>
      <p>
        Before you post works or comments, confirm that <strong>{props.email}</strong> is yours: open the link in the email we sent when you
        signed up. The link works for {VERIFY_HOURS} hours.
      </p>
      <p>This keeps the archive free of throwaway accounts; reading, kudos, bookmarks and subscriptions work already.</p>
      <form method="post" action="/verify-email/resend" class="stack">
        <CsrfField token={props.ctx.csrfToken} />
        <input type="hidden" name="return_to" value={props.returnTo} />
        <div class="form-actions">
          <button type="submit" class="button">
            Send the link again
          </button>
        </div>
      </form>
      {props.keptText ? (
        <div class="field">
          <label for="kept-text">Your text, kept here so you can copy it and send it again once you have confirmed:</label>
          <textarea id="kept-text" rows={8} readOnly>
            {props.keptText}
          </textarea>
        </div>
      ) : null}
    </Layout>
  );
}

export function VerifyEmailResultPage(props: { ctx: PageContext; outcome: 'verified' | 'expired' | 'invalid'; signedIn: boolean }) {
  const title =
    props.outcome === 'verified'
      ? 'Your email address is confirmed'
      : props.outcome === 'expired'
        ? 'This link has expired'
        : 'This link does not work';
  return (
    <Layout ctx={props.ctx} title={title}>
      <h1>{title}</h1>
      {props.outcome === 'verified' ? (
        <p>
          Thank you. You can now post works and comments. <a href="/works/new">Post a work</a>
        </p>
      ) : (
        <>
          <p>
            {props.outcome === 'expired'
              ? `Confirmation links work for ${VERIFY_HOURS} hours.`
              : 'The link may be incomplete (copy the whole of it from the email) or for an address the account no longer has.'}{' '}
            {props.signedIn ? 'Ask for a new one:' : 'Log in, then ask for a new one from any page that needs it.'}
          </p>
          {props.signedIn ? (
            <form method="post" action="/verify-email/resend">
              <CsrfField token={props.ctx.csrfToken} />
              <button type="submit" class="button">
                Send a new link
              </button>
            </form>
          ) : null}
        </>
      )}
    </Layout>
  );
}

import { ErrorSummary, SelectField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import { MAIL_KIND_LABELS, MAIL_KINDS, type NotificationPreferences } from './notifications.service.ts';

const CHOICES = [
  { value: 'each', label: 'An email each time' },
  { value: 'digest', label: 'One daily digest' },
  { value: 'off', label: 'No email (inbox only)' },
];

export function NotificationSettingsPage(props: {
  ctx: PageContext;
  login: string;
  values: Record<string, string> | NotificationPreferences;
  errors: FieldErrors;
  mailEnabled: boolean;
}) {
  return (
    <Layout ctx={props.ctx} title="Email notifications">
      <h1>Email notifications</h1>
      <p>
        Everything also reaches your <a href={`/users/${encodeURIComponent(props.login)}/inbox`}>inbox</a>. Choose what else comes by email.
        Every email has a link that stops that kind of email in one step.
      </p>
      {props.mailEnabled ? null : <p class="notice">This archive does not send email at the moment; your choices apply once it does.</p>}
      <ErrorSummary errors={props.errors} />
      <form method="post" action={`/users/${encodeURIComponent(props.login)}/notifications`} class="stack" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        {MAIL_KINDS.map((kind) => (
          <SelectField
            name={kind}
            label={`Email about ${MAIL_KIND_LABELS[kind]}`}
            value={props.values[kind]}
            options={CHOICES}
            errors={props.errors}
          />
        ))}
        <div class="form-actions">
          <button type="submit" class="button">
            Save
          </button>
        </div>
      </form>
    </Layout>
  );
}

export function UnsubscribePage(props: { ctx: PageContext; token: string; what: string; email: string; done: boolean; login: string }) {
  const settings = `/users/${encodeURIComponent(props.login)}/notifications`;
  if (props.done) {
    return (
      <Layout ctx={props.ctx} title="You are unsubscribed">
        <h1>You are unsubscribed</h1>
        <p>
          {props.email} gets no more emails about {props.what}. They still reach the inbox. You can turn them on again in your{' '}
          <a href={settings}>notification settings</a>.
        </p>
      </Layout>
    );
  }
  return (
    <Layout ctx={props.ctx} title="Stop these emails?">
      <h1>Stop these emails?</h1>
      <p>
        Stop sending {props.email} emails about {props.what}?
      </p>
      <form method="post" action={`/unsubscribe/${props.token}`}>
        <CsrfField token={props.ctx.csrfToken} />
        <button type="submit" class="button">
          Stop emails about {props.what}
        </button>
      </form>
    </Layout>
  );
}

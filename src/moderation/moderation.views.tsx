import { ErrorSummary, SelectField, TextArea } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import { REPORT_REASONS, SUSPENSION_DURATIONS } from './moderation.schema.ts';

export interface ReportTargetView {
  type: 'work' | 'comment' | 'user';
  id: number;
  label: string;
  href: string | null;
}

export function ReportFormPage(props: { ctx: PageContext; target: ReportTargetView; values: Record<string, string>; errors: FieldErrors }) {
  const { target, values, errors } = props;
  return (
    <Layout ctx={props.ctx} title="Report">
      <h1>Report {target.label}</h1>
      <p>Moderators read every report. Tell them what breaks the content policy and where.</p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/reports" class="form">
        <CsrfField token={props.ctx.csrfToken} />
        <input type="hidden" name="target_type" value={target.type} />
        <input type="hidden" name="target_id" value={String(target.id)} />
        <SelectField
          name="reason"
          label="Reason"
          errors={errors}
          value={values.reason}
          options={REPORT_REASONS.map((r) => ({ value: r, label: r }))}
        />
        <TextArea
          name="details"
          label="Details"
          hint="What is wrong, and where (a chapter, a paragraph)."
          errors={errors}
          value={values.details}
          rows={6}
        />
        <button type="submit" class="button">
          Send report
        </button>
      </form>
    </Layout>
  );
}

export interface QueueItemView {
  id: number;
  target: ReportTargetView;
  reason: string;
  details: string;
  reporter: string;
  when: string;
  moderateHref: string | null;
}

export function ModerationQueuePage(props: { ctx: PageContext; items: QueueItemView[] }) {
  return (
    <Layout ctx={props.ctx} title="Moderation queue">
      <h1>Moderation queue</h1>
      <p>
        <a href="/admin/audit">Audit log</a>
      </p>
      {props.items.length === 0 ? <p>No open reports.</p> : null}
      <ol class="report-list">
        {props.items.map((item) => (
          <li key={item.id} class="report">
            <h2>
              Report {item.id}: {item.target.href ? <a href={item.target.href}>{item.target.label}</a> : item.target.label}
            </h2>
            <p>
              <strong>{item.reason}</strong> — from {item.reporter}, {item.when}
            </p>
            {item.details ? <blockquote>{item.details}</blockquote> : null}
            <ul class="actions">
              {item.moderateHref ? (
                <li>
                  <a class="button button-secondary" href={item.moderateHref}>
                    Act on it
                  </a>
                </li>
              ) : null}
              <li>
                <form method="post" action={`/moderation/reports/${item.id}/handled`} class="inline-form">
                  <CsrfField token={props.ctx.csrfToken} />
                  <label for={`note-${item.id}`}>Note</label> <input id={`note-${item.id}`} name="note" type="text" maxLength={2000} />{' '}
                  <button type="submit" class="button">
                    Mark handled
                  </button>
                </form>
              </li>
            </ul>
          </li>
        ))}
      </ol>
    </Layout>
  );
}

export function WorkModerationPage(props: {
  ctx: PageContext;
  work: { id: number; title: string; creators: string[]; hiddenReason: string | null };
  errors: FieldErrors;
}) {
  const { work, errors } = props;
  const base = `/moderation/works/${work.id}`;
  return (
    <Layout ctx={props.ctx} title={`Moderate ${work.title}`}>
      <h1>
        Moderate <a href={`/works/${work.id}`}>{work.title}</a>
      </h1>
      <p>By {work.creators.join(', ') || 'no one'}.</p>
      <ErrorSummary errors={errors} />
      {work.hiddenReason !== null ? (
        <section>
          <h2>Hidden</h2>
          <p>Reason shown to the creator: {work.hiddenReason}</p>
          <form method="post" action={`${base}/unhide`} class="form">
            <CsrfField token={props.ctx.csrfToken} />
            <TextArea name="reason" label="Why unhide" errors={{}} rows={2} />
            <button type="submit" class="button">
              Unhide work
            </button>
          </form>
        </section>
      ) : (
        <section>
          <h2>Hide</h2>
          <form method="post" action={`${base}/hide`} class="form">
            <CsrfField token={props.ctx.csrfToken} />
            <TextArea name="reason" label="Reason (the creator will see it)" errors={errors} rows={3} />
            <button type="submit" class="button">
              Hide work
            </button>
          </form>
        </section>
      )}
      <section>
        <h2>Delete</h2>
        <form method="post" action={`${base}/delete`} class="form">
          <CsrfField token={props.ctx.csrfToken} />
          <TextArea name="reason" label="Reason for deleting (kept in the audit log)" errors={{}} rows={2} />
          <button type="submit" class="button button-danger">
            Delete work for good
          </button>
        </form>
      </section>
    </Layout>
  );
}

export function UserModerationPage(props: {
  ctx: PageContext;
  user: { login: string; id: number; email: string; joined: string; isAdmin: boolean; roles: string[]; suspension: string | null };
  canManageRoles: boolean;
  errors: FieldErrors;
}) {
  const { user, errors } = props;
  const base = `/moderation/users/${encodeURIComponent(user.login)}`;
  return (
    <Layout ctx={props.ctx} title={`Moderate ${user.login}`}>
      <h1>
        Moderate <a href={`/users/${encodeURIComponent(user.login)}`}>{user.login}</a>
      </h1>
      <dl class="work-meta">
        <dt>User id</dt>
        <dd>{user.id}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Joined</dt>
        <dd>{user.joined}</dd>
        <dt>Roles</dt>
        <dd>{[user.isAdmin ? 'admin' : '', ...user.roles].filter(Boolean).join(', ') || 'none'}</dd>
        <dt>Status</dt>
        <dd>{user.suspension ?? 'active'}</dd>
      </dl>
      <ErrorSummary errors={errors} />
      {user.suspension ? (
        <form method="post" action={`${base}/unsuspend`} class="form">
          <CsrfField token={props.ctx.csrfToken} />
          <TextArea name="reason" label="Why lift it" errors={{}} rows={2} />
          <button type="submit" class="button">
            Lift suspension
          </button>
        </form>
      ) : user.isAdmin ? null : (
        <form method="post" action={`${base}/suspend`} class="form">
          <h2>Suspend or ban</h2>
          <CsrfField token={props.ctx.csrfToken} />
          <SelectField
            name="duration"
            label="For how long"
            errors={errors}
            options={SUSPENSION_DURATIONS.map((d) => ({
              value: d,
              label: d === 'permanent' ? 'For good (ban)' : `${d} day${d === '1' ? '' : 's'}`,
            }))}
          />
          <TextArea name="message" label="Message to the user (shown when they try to log in)" errors={errors} rows={3} />
          <TextArea name="reason" label="Reason for the audit log" errors={errors} rows={2} />
          <button type="submit" class="button button-danger">
            Suspend
          </button>
        </form>
      )}
      {props.canManageRoles ? (
        <form method="post" action={`${base}/roles`} class="form">
          <h2>Roles</h2>
          <CsrfField token={props.ctx.csrfToken} />
          <SelectField
            name="role"
            label="Role"
            errors={{}}
            options={[
              { value: 'moderator', label: 'Moderator' },
              { value: 'tag_wrangler', label: 'Tag wrangler' },
            ]}
          />
          <SelectField
            name="grant"
            label="Action"
            errors={{}}
            options={[
              { value: 'grant', label: 'Grant' },
              { value: 'revoke', label: 'Revoke' },
            ]}
          />
          <button type="submit" class="button">
            Save role
          </button>
        </form>
      ) : null}
    </Layout>
  );
}

/** Shown above the text of a hidden work: only its creators and staff can see the page at all. */
export function HiddenWorkNotice(props: { reason: string }) {
  return (
    <div class="notice notice-moderation" role="note">
      <p>
        <strong>This work has been hidden by the moderators.</strong> Only you (and the moderators) can see it.
      </p>
      <p>Reason: {props.reason}</p>
    </div>
  );
}

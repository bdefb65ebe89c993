import { ErrorSummary, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';

export interface RelationPageView {
  login: string;
  relation: 'mute' | 'block';
  users: { login: string; since: string }[];
  values: Record<string, string>;
  errors: FieldErrors;
}

const TEXT = {
  mute: {
    title: 'Muted users',
    explain: 'You will not see works or comments by muted users anywhere on the archive. They are not told.',
    add: 'Mute',
    remove: 'Unmute',
    empty: 'You have not muted anyone.',
    path: 'muted',
  },
  block: {
    title: 'Blocked users',
    explain: 'Blocked users cannot comment on or reply to your works and comments, nor leave kudos on your works.',
    add: 'Block',
    remove: 'Unblock',
    empty: 'You have not blocked anyone.',
    path: 'blocked',
  },
} as const;

export function RelationPage(props: { ctx: PageContext; view: RelationPageView }) {
  const v = props.view;
  const t = TEXT[v.relation];
  const action = `/users/${encodeURIComponent(v.login)}/${t.path}`;
  return (
    <Layout ctx={props.ctx} title={t.title}>
      <h1>{t.title}</h1>
      <p>{t.explain}</p>
      <p>
        <a href={`/users/${encodeURIComponent(v.login)}/${v.relation === 'mute' ? 'blocked' : 'muted'}`}>
          {v.relation === 'mute' ? 'Manage blocked users' : 'Manage muted users'}
        </a>
      </p>
      <form method="post" action={action} novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <ErrorSummary errors={v.errors} />
        <input type="hidden" name="action" value="add" />
        <TextField name="user" label={`User name to ${t.add.toLowerCase()}`} errors={v.errors} value={v.values.user} autocomplete="off" />
        <button type="submit" class="button">
          {t.add}
        </button>
      </form>
      {v.users.length === 0 ? (
        <p>{t.empty}</p>
      ) : (
        <ul class="relation-list">
          {v.users.map((u) => (
            <li>
              <a href={`/users/${encodeURIComponent(u.login)}`}>{u.login}</a> (since {u.since}){' '}
              <form method="post" action={action} class="inline-form">
                <CsrfField token={props.ctx.csrfToken} />
                <input type="hidden" name="action" value="remove" />
                <input type="hidden" name="user" value={u.login} />
                <button type="submit" class="link-button" aria-label={`${t.remove} ${u.login}`}>
                  {t.remove}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

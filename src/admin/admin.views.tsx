import type { SafeHtml } from '../lib/safe-html.ts';
import { ErrorSummary, RawHtml, SelectField, TextArea, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';

type Values = Record<string, string>;

export function AdminHomePage(props: { ctx: PageContext; queue: number }) {
  return (
    <Layout ctx={props.ctx} title="Admin">
      <h1>Running the archive</h1>
      <ul>
        <li>
          <a href="/admin/settings">Site settings</a>
        </li>
        <li>
          <a href="/admin/embeds">Embedded players</a> (the hosts works may embed podfic and fanvids from)
        </li>
        <li>
          <a href="/admin/invitations">Invitations</a> ({props.queue} waiting)
        </li>
        <li>
          <a href="/admin_posts/new">Write a news post</a>
        </li>
        <li>
          <a href="/admin/users">Find a user</a>
        </li>
        <li>
          <a href="/moderation">Moderation queue</a>
        </li>
        <li>
          <a href="/admin/audit">Audit log</a>
        </li>
        <li>
          <a href="/admin/backup">Download a backup</a>
        </li>
      </ul>
    </Layout>
  );
}

export function SettingsPage(props: { ctx: PageContext; values: Values; errors: FieldErrors }) {
  const { values, errors } = props;
  return (
    <Layout ctx={props.ctx} title="Site settings">
      <h1>Site settings</h1>
      <ErrorSummary errors={errors} />
      <form method="post" action="/admin/settings" class="stack" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <TextField
          name="name"
          label="Site name"
          hint="Leave empty to use SITE_NAME from the environment."
          value={values.name}
          errors={errors}
          maxLength={100}
        />
        <TextArea name="description" label="Description" value={values.description} errors={errors} rows={3} />
        <SelectField
          name="signup_mode"
          label="Who can create an account"
          value={values.signup_mode}
          errors={errors}
          options={[
            { value: 'open', label: 'Anyone' },
            { value: 'invitations', label: 'Only people with an invitation' },
            { value: 'closed', label: 'No one (sign-up closed)' },
          ]}
        />
        <div class="field">
          <label class="checkbox">
            <input type="checkbox" name="guest_comments" value="1" id="field-guest_comments" checked={values.guest_comments === '1'} />{' '}
            Guests may comment
          </label>
        </div>
        <SelectField
          name="email_verification"
          label="New accounts confirm their email address"
          hint="Unconfirmed accounts can read, leave kudos and bookmark, but not post works or comments. Automatic: on when outgoing mail is delivered (SMTP_URL names a mail server)."
          value={values.email_verification ?? 'auto'}
          errors={errors}
          options={[
            { value: 'auto', label: 'Automatic (on when mail is configured)' },
            { value: 'on', label: 'Yes, before posting or commenting' },
            { value: 'off', label: 'No' },
          ]}
        />
        <TextArea
          name="content_policy"
          label="Content policy"
          hint="Shown at /content_policy. Plain text or simple HTML."
          value={values.content_policy}
          errors={errors}
          rows={12}
        />
        <button type="submit" class="button">
          Save settings
        </button>
      </form>
    </Layout>
  );
}

export function AboutPage(props: { ctx: PageContext; description: string; policyHtml: SafeHtml | null }) {
  return (
    <Layout ctx={props.ctx} title="Content policy">
      <h1>About {props.ctx.siteName}</h1>
      {props.description ? <p>{props.description}</p> : null}
      <h2>Content policy</h2>
      {props.policyHtml ? (
        <RawHtml class="userstuff" html={props.policyHtml} />
      ) : (
        <p>This archive has not published a content policy yet.</p>
      )}
    </Layout>
  );
}

export function InviteRequestPage(props: { ctx: PageContext; values: Values; errors: FieldErrors; done: boolean; mode: string }) {
  return (
    <Layout ctx={props.ctx} title="Request an invitation">
      <section class="narrow">
        <h1>Request an invitation</h1>
        {props.done ? (
          <p role="status">You are in the queue. The invitation will arrive by email when the admins release the next batch.</p>
        ) : null}
        {props.mode === 'closed' ? <p>Sign-up is closed at the moment; you can still join the queue for when it opens.</p> : null}
        <ErrorSummary errors={props.errors} />
        <form method="post" action="/invite_requests" class="stack" novalidate>
          <CsrfField token={props.ctx.csrfToken} />
          <TextField
            name="email"
            label="Your email"
            type="email"
            value={props.values.email}
            errors={props.errors}
            autocomplete="email"
            required
          />
          <button type="submit" class="button">
            Join the queue
          </button>
        </form>
      </section>
    </Layout>
  );
}

export function InvitationsAdminPage(props: { ctx: PageContext; queue: number; errors: FieldErrors; values: Values }) {
  return (
    <Layout ctx={props.ctx} title="Invitations">
      <h1>Invitations</h1>
      <p>{props.queue} people are waiting for an invitation.</p>
      <ErrorSummary errors={props.errors} />
      <form method="post" action="/admin/invitations/release" class="stack" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <TextField name="count" label="How many to invite now" type="number" value={props.values.count ?? '10'} errors={props.errors} />
        <button type="submit" class="button">
          Send invitations
        </button>
      </form>
    </Layout>
  );
}

export interface AdminPostView {
  id: number;
  title: string;
  author: string;
  date: string;
  html: SafeHtml;
}

export function AdminPostsPage(props: { ctx: PageContext; posts: AdminPostView[] }) {
  return (
    <Layout ctx={props.ctx} title="News">
      <h1>News</h1>
      <p>
        <a href="/admin_posts/feed.atom">Subscribe (Atom feed)</a>
      </p>
      {props.posts.length === 0 ? <p>No news yet.</p> : null}
      {props.posts.map((p) => (
        <article key={p.id} class="admin-post">
          <h2>
            <a href={`/admin_posts/${p.id}`}>{p.title}</a>
          </h2>
          <p class="byline">
            {p.author}, {p.date}
          </p>
          <RawHtml class="userstuff" html={p.html} />
        </article>
      ))}
    </Layout>
  );
}

export function AdminPostPage(props: {
  ctx: PageContext;
  post: AdminPostView;
  comments: Array<{ id: number; author: string; date: string; body: string }>;
  values: Values;
  errors: FieldErrors;
}) {
  const { post } = props;
  return (
    <Layout ctx={props.ctx} title={post.title}>
      <article class="admin-post">
        <h1>{post.title}</h1>
        <p class="byline">
          {post.author}, {post.date}
        </p>
        <RawHtml class="userstuff" html={post.html} />
      </article>
      <section aria-labelledby="comments-heading">
        <h2 id="comments-heading">Comments ({props.comments.length})</h2>
        <ol class="comment-list">
          {props.comments.map((c) => (
            <li key={c.id} id={`comment-${c.id}`}>
              <p class="byline">
                {c.author}, {c.date}
              </p>
              <p class="comment-body">{c.body}</p>
            </li>
          ))}
        </ol>
        {props.ctx.viewer ? (
          <form method="post" action={`/admin_posts/${post.id}/comments`} class="stack" novalidate>
            <ErrorSummary errors={props.errors} />
            <CsrfField token={props.ctx.csrfToken} />
            <TextArea name="comment" label="Your comment" value={props.values.comment} errors={props.errors} rows={4} />
            <button type="submit" class="button">
              Comment
            </button>
          </form>
        ) : (
          <p>
            <a href={`/login?return_to=/admin_posts/${post.id}`}>Log in</a> to comment.
          </p>
        )}
      </section>
    </Layout>
  );
}

export function NewAdminPostPage(props: { ctx: PageContext; values: Values; errors: FieldErrors }) {
  return (
    <Layout ctx={props.ctx} title="New news post">
      <h1>New news post</h1>
      <ErrorSummary errors={props.errors} />
      <form method="post" action="/admin_posts" class="stack" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <TextField name="title" label="Title" value={props.values.title} errors={props.errors} maxLength={200} />
        <TextArea name="body" label="Post" hint="Plain text or simple HTML." value={props.values.body} errors={props.errors} rows={12} />
        <button type="submit" class="button">
          Publish
        </button>
      </form>
    </Layout>
  );
}

export function UserLookupPage(props: {
  ctx: PageContext;
  q: string;
  users: Array<{ login: string; email: string; joined: string; isAdmin: boolean }>;
}) {
  return (
    <Layout ctx={props.ctx} title="Find a user">
      <h1>Find a user</h1>
      <form method="get" action="/admin/users" class="inline-form" role="search">
        <label for="field-q">Login or email contains</label> <input id="field-q" name="q" type="search" value={props.q} />{' '}
        <button type="submit" class="button">
          Find
        </button>
      </form>
      {props.q ? (
        props.users.length === 0 ? (
          <p>No account matches “{props.q}”.</p>
        ) : (
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Login</th>
                <th scope="col">Email</th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {props.users.map((u) => (
                <tr key={u.login}>
                  <td>
                    <a href={`/moderation/users/${encodeURIComponent(u.login)}`}>{u.login}</a>
                    {u.isAdmin ? ' (admin)' : ''}
                  </td>
                  <td>{u.email}</td>
                  <td>{u.joined}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </Layout>
  );
}

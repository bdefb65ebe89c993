import { ErrorSummary, Pagination } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';

export interface InboxItemView {
  id: number;
  kind: string;
  text: string;
  url: string;
  openHref: string;
  unread: boolean;
  date: string;
  /** The comment's words, for items about a comment that can still be seen. */
  excerpt: string | null;
  /** Where a reply goes, for items about a comment that can be answered. */
  replyTo: { commentId: number; workId: number } | null;
}

export interface InboxPageView {
  login: string;
  items: InboxItemView[];
  unread: number;
  filter: 'all' | 'unread' | 'read';
  page: number;
  hasNext: boolean;
  errors: FieldErrors;
}

const FILTERS = [
  { value: 'all', label: 'All' },
  { value: 'unread', label: 'Unread' },
  { value: 'read', label: 'Read' },
] as const;

const BULK_FORM = 'inbox-bulk';

function InboxItem(props: { item: InboxItemView; csrfToken: string }) {
  const { item } = props;
  return (
    <li class={item.unread ? 'inbox-item unread' : 'inbox-item'} data-kind={item.kind}>
      <p class="inbox-line">
        <input
          type="checkbox"
          name="ids"
          value={String(item.id)}
          id={`inbox-item-${item.id}`}
          form={BULK_FORM}
          aria-label={`Select: ${item.text}`}
        />{' '}
        {item.unread ? <strong class="inbox-unread">Unread: </strong> : null}
        <a href={item.openHref}>{item.text}</a> <span class="inbox-date">{item.date}</span>
      </p>
      {item.excerpt ? <blockquote class="inbox-excerpt">{item.excerpt}</blockquote> : null}
      {item.replyTo ? (
        <details class="inbox-reply">
          <summary>
            Reply<span class="visually-hidden"> to: {item.text}</span>
          </summary>
          <form method="post" action={`/works/${item.replyTo.workId}/comments`} class="comment-form">
            <CsrfField token={props.csrfToken} />
            <input type="hidden" name="parent_id" value={String(item.replyTo.commentId)} />
            <input type="hidden" name="return_to" value={`/comments/${item.replyTo.commentId}`} />
            <label for={`inbox-reply-${item.id}`}>Your reply</label>
            <textarea id={`inbox-reply-${item.id}`} name="comment" rows={4} />
            <button type="submit" class="button button-small">
              Post reply
            </button>
          </form>
        </details>
      ) : null}
    </li>
  );
}

/** The inbox: every kind of notification as text and a link, with bulk actions on checked items. */
export function InboxPage(props: { ctx: PageContext; view: InboxPageView }) {
  const v = props.view;
  const base = `/users/${encodeURIComponent(v.login)}/inbox`;
  return (
    <Layout ctx={props.ctx} title="Inbox">
      <h1>Inbox ({v.unread} unread)</h1>
      <nav aria-label="Your reading and people">
        <ul class="inline-list">
          <li>
            <a href={`/users/${encodeURIComponent(v.login)}/bookmarks`}>Bookmarks</a>
          </li>
          <li>
            <a href={`/users/${encodeURIComponent(v.login)}/readings?show=to-read`}>Marked for later</a>
          </li>
          <li>
            <a href={`/users/${encodeURIComponent(v.login)}/readings?show=history`}>History</a>
          </li>
          <li>
            <a href={`/users/${encodeURIComponent(v.login)}/muted`}>Muted users</a>
          </li>
          <li>
            <a href={`/users/${encodeURIComponent(v.login)}/blocked`}>Blocked users</a>
          </li>
        </ul>
      </nav>
      <nav aria-label="Inbox filter" class="inbox-filter">
        <ul>
          {FILTERS.map((f) => (
            <li>
              {f.value === v.filter ? <strong aria-current="page">{f.label}</strong> : <a href={`${base}?filter=${f.value}`}>{f.label}</a>}
            </li>
          ))}
        </ul>
      </nav>
      <ErrorSummary errors={v.errors} />
      {v.items.length === 0 ? (
        <p>Nothing here yet. Comments, replies and kudos on your works arrive here.</p>
      ) : (
        <>
          {/* Each item may hold a reply form, and forms do not nest: the checkboxes belong to the
              bulk form below through their form attribute. */}
          <ul class="inbox-items">
            {v.items.map((item) => (
              <InboxItem item={item} csrfToken={props.ctx.csrfToken} />
            ))}
          </ul>
          <form method="post" action={base} id={BULK_FORM} class="inbox-actions" aria-label="With the selected items">
            <CsrfField token={props.ctx.csrfToken} />
            <button type="submit" name="action" value="read" class="button button-secondary">
              Mark read
            </button>
            <button type="submit" name="action" value="unread" class="button button-secondary">
              Mark unread
            </button>
            <button type="submit" name="action" value="delete" class="button button-danger">
              Delete
            </button>
          </form>
        </>
      )}
      <Pagination page={v.page} hasNext={v.hasNext} href={(p) => `${base}?filter=${v.filter}&page=${p}`} />
    </Layout>
  );
}

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
        <form method="post" action={base}>
          <CsrfField token={props.ctx.csrfToken} />
          <ul class="inbox-items">
            {v.items.map((item) => (
              <li class={item.unread ? 'inbox-item unread' : 'inbox-item'} data-kind={item.kind}>
                <input
                  type="checkbox"
                  name="ids"
                  value={String(item.id)}
                  id={`inbox-item-${item.id}`}
                  aria-label={`Select: ${item.text}`}
                />{' '}
                {item.unread ? <strong class="inbox-unread">Unread: </strong> : null}
                <a href={item.openHref}>{item.text}</a> <span class="inbox-date">{item.date}</span>
              </li>
            ))}
          </ul>
          <div class="inbox-actions" role="group" aria-label="With the selected items">
            <button type="submit" name="action" value="read" class="button button-secondary">
              Mark read
            </button>{' '}
            <button type="submit" name="action" value="unread" class="button button-secondary">
              Mark unread
            </button>{' '}
            <button type="submit" name="action" value="delete" class="button button-danger">
              Delete
            </button>
          </div>
        </form>
      )}
      <Pagination page={v.page} hasNext={v.hasNext} href={(p) => `${base}?filter=${v.filter}&page=${p}`} />
    </Layout>
  );
}

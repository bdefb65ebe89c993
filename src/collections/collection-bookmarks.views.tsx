import type { FieldErrors } from '../web/form.ts';
import { ErrorSummary, RawHtml } from '../web/components.tsx';
import { CsrfField, type PageContext } from '../web/layout.tsx';
import { trustHtml } from '../lib/safe-html.ts';
import type { CollectionBookmarkView } from './collection-bookmarks.service.ts';

function BookmarkAction(props: { ctx: PageContext; id: number; action: 'approve' | 'reject' | 'remove'; label: string; returnTo: string }) {
  return (
    <form method="post" action={`/collection_bookmarks/${props.id}/${props.action}`} class="inline-form">
      <CsrfField token={props.ctx.csrfToken} />
      <input type="hidden" name="return_to" value={props.returnTo} />
      <button type="submit" class={props.action === 'approve' ? 'button' : 'button button-secondary'}>
        {props.label}
      </button>
    </form>
  );
}

/** The collection page's bookmarks: the list, and the form that adds one of the viewer's own. */
export function CollectionBookmarksSection(props: {
  ctx: PageContext;
  collectionName: string;
  collectionHref: string;
  bookmarks: CollectionBookmarkView[];
  ownBookmarks: Array<{ id: number; title: string }>;
  canAdd: boolean;
  errors: FieldErrors;
  values: { bookmark_id?: string };
}) {
  const { errors } = props;
  return (
    <section aria-labelledby="bookmarks-heading">
      <h2 id="bookmarks-heading">Bookmarks</h2>
      <ErrorSummary errors={errors} />
      {props.bookmarks.length === 0 ? (
        <p>No bookmarks are in this collection yet.</p>
      ) : (
        <ul class="collection-bookmarks">
          {props.bookmarks.map((b) => (
            <li>
              {b.target.external ? (
                <a href={b.target.href} rel="nofollow noopener">
                  {b.target.title}
                </a>
              ) : (
                <a href={b.target.href}>{b.target.title}</a>
              )}{' '}
              bookmarked by <a href={`/users/${encodeURIComponent(b.owner)}`}>{b.owner}</a>
              {b.pending ? ' (waiting for approval)' : ''}
              {/* Sanitized on the way in by the bookmarks slice. */}
              {b.notesHtml ? <RawHtml as="blockquote" class="userstuff" html={trustHtml(b.notesHtml)} /> : null}
              {b.pending ? (
                <>
                  <BookmarkAction ctx={props.ctx} id={b.id} action="approve" label="Approve" returnTo={props.collectionHref} />{' '}
                  <BookmarkAction ctx={props.ctx} id={b.id} action="reject" label="Reject" returnTo={props.collectionHref} />{' '}
                </>
              ) : null}
              {b.canRemove ? (
                <BookmarkAction ctx={props.ctx} id={b.id} action="remove" label="Remove" returnTo={props.collectionHref} />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {props.canAdd && props.ownBookmarks.length > 0 ? (
        <form method="post" action="/collection_bookmarks" class="form">
          <CsrfField token={props.ctx.csrfToken} />
          <input type="hidden" name="collection" value={props.collectionName} />
          <div class={errors.bookmark_id ? 'field field-error' : 'field'}>
            <label for="field-bookmark_id">Your bookmark</label>
            {errors.bookmark_id ? (
              <p class="error-message" id="error-bookmark_id">
                {errors.bookmark_id}
              </p>
            ) : null}
            <select id="field-bookmark_id" name="bookmark_id" aria-describedby={errors.bookmark_id ? 'error-bookmark_id' : undefined}>
              {props.ownBookmarks.map((b) => (
                <option value={String(b.id)} selected={props.values.bookmark_id === String(b.id)}>
                  {b.title}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button button-secondary">
            Add bookmark
          </button>
        </form>
      ) : null}
    </section>
  );
}

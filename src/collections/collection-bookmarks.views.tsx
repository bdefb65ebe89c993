import type { FieldErrors } from '../web/form.ts';
import { ErrorSummary, RawHtml, TextField } from '../web/components.tsx';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import { trustHtml } from '../lib/safe-html.ts';
import type { ApprovalStatus } from '../db/tables/collections.ts';
import type { CollectionBookmarkView, OwnCollectionBookmarkView } from './collection-bookmarks.service.ts';
import { collectionHref } from './collections.presenter.ts';

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

/** The collection page's bookmarks: the list, the form that adds one of the viewer's own, and the maintainers' invitation form. */
export function CollectionBookmarksSection(props: {
  ctx: PageContext;
  collectionName: string;
  collectionHref: string;
  bookmarks: CollectionBookmarkView[];
  ownBookmarks: Array<{ id: number; title: string }>;
  canAdd: boolean;
  /** A maintainer of the collection: offered the form that invites someone's bookmark. */
  maintainer?: boolean;
  errors: FieldErrors;
  values: { bookmark_id?: string; bookmark?: string };
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
              {b.invited ? ` (invited: waiting for ${b.owner} to accept)` : ''}
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
      {props.maintainer ? (
        <form method="post" action="/collection_bookmarks/invitations" class="form">
          <CsrfField token={props.ctx.csrfToken} />
          <input type="hidden" name="collection" value={props.collectionName} />
          <TextField
            name="bookmark"
            label="Invite someone’s bookmark"
            value={props.values.bookmark}
            errors={errors}
            required
            maxLength={2000}
            hint="Its link: on the bookmarker’s bookmarks page, each bookmark’s date links to it (…/bookmarks#bookmark-123). It joins once its owner accepts."
          />
          <button type="submit" class="button button-secondary">
            Invite bookmark
          </button>
        </form>
      ) : null}
    </section>
  );
}

function describeOwnState(collectionSide: ApprovalStatus, ownerSide: ApprovalStatus): string {
  if (ownerSide === 'pending') return 'invited by its maintainers: accept to show it there';
  if (ownerSide === 'rejected') return 'you declined the invitation';
  if (collectionSide === 'rejected') return 'declined by the collection';
  if (collectionSide === 'pending') return 'waiting for a maintainer’s approval';
  return 'in the collection';
}

/** The viewer's bookmarks in collections: invitations to accept or decline, and where the others stand. */
export function OwnCollectionBookmarksPage(props: { ctx: PageContext; login: string; bookmarks: OwnCollectionBookmarkView[] }) {
  const returnTo = `/users/${encodeURIComponent(props.login)}/collection_bookmarks`;
  return (
    <Layout ctx={props.ctx} title="Your bookmarks in collections">
      <h1>Your bookmarks in collections</h1>
      <p>
        A collection’s maintainers may invite your public bookmarks. An invited bookmark shows in the collection only once you accept it.
        Your works’ invitations are on <a href={`/users/${encodeURIComponent(props.login)}/collection_items`}>your works in collections</a>.
      </p>
      {props.bookmarks.length === 0 ? (
        <p>None of your bookmarks is in a collection or invited to one.</p>
      ) : (
        <ul class="collection-queue">
          {props.bookmarks.map((b) => (
            <li id={`collection-bookmark-${b.id}`}>
              Your bookmark of{' '}
              {b.external ? (
                <a href={b.href} rel="nofollow noopener">
                  {b.title}
                </a>
              ) : (
                <a href={b.href}>{b.title}</a>
              )}{' '}
              in <a href={collectionHref(b.collection.name)}>{b.collection.title}</a> —{' '}
              {describeOwnState(b.collectionApproval, b.ownerApproval)}{' '}
              {b.ownerApproval !== 'approved' ? (
                <>
                  <BookmarkAction ctx={props.ctx} id={b.id} action="approve" label="Accept" returnTo={returnTo} />{' '}
                  {b.ownerApproval === 'pending' ? (
                    <>
                      <BookmarkAction ctx={props.ctx} id={b.id} action="reject" label="Decline" returnTo={returnTo} />{' '}
                    </>
                  ) : null}
                </>
              ) : null}
              <BookmarkAction ctx={props.ctx} id={b.id} action="remove" label="Remove" returnTo={returnTo} />
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

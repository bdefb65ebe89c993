import { ErrorSummary, Pagination, RawHtml, TextArea, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import type { SafeHtml } from '../lib/safe-html.ts';
import type { CommentView } from './comments.presenter.ts';

export interface CommentFormView {
  workId: number;
  /** Empty on pages cached for every guest (the Origin check covers those forms). */
  csrfToken: string;
  guest: boolean;
  postingAs: string | null;
  values: Record<string, string>;
  errors: FieldErrors;
  parentId?: number | undefined;
  chapterId?: number | undefined;
  paragraph?: number | undefined;
  returnTo: string;
  legend: string;
}

export function CommentForm(props: { form: CommentFormView }) {
  const f = props.form;
  return (
    <form method="post" action={`/works/${f.workId}/comments`} class="comment-form" novalidate>
      {f.csrfToken ? <CsrfField token={f.csrfToken} /> : null}
      <ErrorSummary errors={f.errors} />
      <fieldset>
        <legend>{f.legend}</legend>
        {f.parentId !== undefined ? <input type="hidden" name="parent_id" value={String(f.parentId)} /> : null}
        {f.chapterId !== undefined ? <input type="hidden" name="chapter_id" value={String(f.chapterId)} /> : null}
        {f.paragraph !== undefined ? <input type="hidden" name="paragraph" value={String(f.paragraph)} /> : null}
        <input type="hidden" name="return_to" value={f.returnTo} />
        {f.guest ? (
          <>
            <TextField name="guest_name" label="Name" errors={f.errors} value={f.values.guest_name} autocomplete="name" maxLength={100} />
            <TextField
              name="guest_email"
              label="Email (never shown)"
              type="email"
              errors={f.errors}
              value={f.values.guest_email}
              autocomplete="email"
            />
          </>
        ) : f.postingAs ? (
          <p class="hint">Commenting as {f.postingAs}</p>
        ) : null}
        <TextArea
          name="comment"
          label="Comment"
          hint="Plain text or limited HTML (b, i, em, strong, a, p, br, blockquote...)."
          errors={f.errors}
          value={f.values.comment}
          rows={6}
        />
        <button type="submit" class="button">
          Comment
        </button>
      </fieldset>
    </form>
  );
}

function ModerationButton(props: { id: number; action: string; label: string; csrfToken: string }) {
  return (
    <form method="post" action={`/comments/${props.id}/${props.action}`} class="inline-form">
      <CsrfField token={props.csrfToken} />
      <button type="submit" class="link-button">
        {props.label}
      </button>
    </form>
  );
}

function CommentItem(props: { comment: CommentView; csrfToken: string; level: number }) {
  const c = props.comment;
  return (
    <li class="comment" id={`comment-${c.id}`}>
      {c.state === 'deleted' ? (
        <p class="comment-placeholder">This comment was deleted.</p>
      ) : c.state === 'hidden' ? (
        <p class="comment-placeholder">This comment has been hidden by the creator.</p>
      ) : c.state === 'muted' ? (
        <p class="comment-placeholder">This comment is from a user you muted.</p>
      ) : (
        <article aria-label={`Comment by ${c.author}`}>
          <h4 class="comment-byline">
            {c.authorHref ? <a href={c.authorHref}>{c.author}</a> : c.author}
            {c.isGuest ? ' (Guest)' : ''}
            {c.paragraph !== null && c.paragraphHref ? (
              <>
                {' '}
                on <a href={c.paragraphHref}>paragraph {c.paragraph}</a>
              </>
            ) : null}{' '}
            {/* The permalink finds the comment's page whatever page it is read on later. */}
            <a class="comment-date" href={`/comments/${c.id}`}>
              {c.date}
            </a>
            {c.edited ? <span class="comment-flag"> (edited)</span> : null}
            {c.pending ? <span class="comment-flag"> — awaiting approval</span> : null}
            {c.hiddenByCreator ? <span class="comment-flag"> — hidden from readers</span> : null}
            {c.frozen ? <span class="comment-flag"> — frozen</span> : null}
          </h4>
          <RawHtml class="userstuff comment-body" html={c.bodyHtml} />
          <ul class="comment-actions">
            {c.canReply ? (
              <li>
                <a href={`/comments/${c.id}/reply`}>Reply</a>
              </li>
            ) : null}
            {c.canEdit ? (
              <li>
                <a href={`/comments/${c.id}/edit`}>Edit</a>
              </li>
            ) : null}
            {c.canDelete && props.csrfToken ? (
              <li>
                <ModerationButton id={c.id} action="delete" label="Delete" csrfToken={props.csrfToken} />
              </li>
            ) : null}
            {c.canModerate && props.csrfToken ? (
              <>
                {c.pending ? (
                  <li>
                    <ModerationButton id={c.id} action="approve" label="Approve" csrfToken={props.csrfToken} />
                  </li>
                ) : null}
                <li>
                  <ModerationButton
                    id={c.id}
                    action={c.hiddenByCreator ? 'unhide' : 'hide'}
                    label={c.hiddenByCreator ? 'Make visible' : 'Hide'}
                    csrfToken={props.csrfToken}
                  />
                </li>
                <li>
                  <ModerationButton
                    id={c.id}
                    action={c.frozen ? 'unfreeze' : 'freeze'}
                    label={c.frozen ? 'Unfreeze thread' : 'Freeze thread'}
                    csrfToken={props.csrfToken}
                  />
                </li>
              </>
            ) : null}
          </ul>
        </article>
      )}
      {c.replies.length > 0 ? (
        <ol class="comment-thread" aria-label={`Replies to ${c.state === 'shown' ? c.author : 'this comment'}`}>
          {c.replies.map((r) => (
            <CommentItem comment={r} csrfToken={props.csrfToken} level={props.level + 1} />
          ))}
        </ol>
      ) : null}
    </li>
  );
}

export function CommentThread(props: { thread: CommentView[]; csrfToken: string }) {
  if (props.thread.length === 0) return <p>No comments yet.</p>;
  return (
    <ol class="comment-thread">
      {props.thread.map((c) => (
        <CommentItem comment={c} csrfToken={props.csrfToken} level={0} />
      ))}
    </ol>
  );
}

export interface CommentsPanelView {
  workId: number;
  count: number;
  thread: CommentView[];
  csrfToken: string;
  form: CommentFormView | null;
  /** Why there is no form (guest comments off, blocked...). */
  notice: string | null;
  settingsHref: string | null;
  /** On a chapter page: paragraphs that have comments, and the page showing them beside the text. */
  paragraphs: { annotatedHref: string; counts: { n: number; count: number; href: string }[] } | null;
  /** The second page of threads, when there are more than one page holds. */
  morePagesHref: string | null;
}

/** The comments section below the text: paragraph comment counts, the thread, the form. */
export function CommentsPanel(props: { view: CommentsPanelView }) {
  const v = props.view;
  return (
    <section class="comments-panel" id="comments" aria-labelledby="comments-heading">
      <h3 id="comments-heading">Comments ({v.count})</h3>
      {v.settingsHref ? (
        <p>
          <a href={v.settingsHref}>Comment settings</a> (guest comments, moderation)
        </p>
      ) : null}
      {v.paragraphs ? (
        <div class="paragraph-comments">
          <p>
            <a href={v.paragraphs.annotatedHref}>Read this chapter with paragraph comments</a> (comment on any paragraph)
          </p>
          {v.paragraphs.counts.length > 0 ? (
            <>
              <ul aria-label="Comments on paragraphs" data-paragraph-counts="">
                {v.paragraphs.counts.map((p) => (
                  <li>
                    <a href={p.href} data-paragraph={String(p.n)} data-count={String(p.count)}>
                      Paragraph {p.n}: {p.count === 1 ? '1 comment' : `${p.count} comments`}
                    </a>
                  </li>
                ))}
              </ul>
              <script src="/static/paragraph-comments.js?v=1" defer></script>
            </>
          ) : null}
        </div>
      ) : null}
      <CommentThread thread={v.thread} csrfToken={v.csrfToken} />
      {v.morePagesHref ? (
        <p class="more-comments">
          <a href={v.morePagesHref}>Older comment threads continue on page 2</a>
        </p>
      ) : null}
      {v.form ? <CommentForm form={v.form} /> : v.notice ? <p class="notice">{v.notice}</p> : null}
    </section>
  );
}

/** A page holding just a comment form: replies without JavaScript, and forms with errors. */
export function CommentFormPage(props: {
  ctx: PageContext;
  title: string;
  work: { id: number; title: string };
  parent?: CommentView | undefined;
  quote?: SafeHtml | undefined;
  form: CommentFormView;
  status?: string | undefined;
}) {
  return (
    <Layout ctx={props.ctx} title={props.title}>
      <h1>{props.title}</h1>
      <p>
        On <a href={`/works/${props.work.id}`}>{props.work.title}</a>
      </p>
      {props.status ? (
        <p class="error-message" role="alert">
          {props.status}
        </p>
      ) : null}
      {props.quote ? <RawHtml as="blockquote" class="userstuff paragraph-quote" html={props.quote} /> : null}
      {props.parent ? <CommentThread thread={[{ ...props.parent, replies: [] }]} csrfToken="" /> : null}
      <CommentForm form={props.form} />
    </Layout>
  );
}

export function EditCommentPage(props: {
  ctx: PageContext;
  commentId: number;
  backHref: string;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  return (
    <Layout ctx={props.ctx} title="Edit comment">
      <h1>Edit comment</h1>
      <form method="post" action={`/comments/${props.commentId}`} novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <ErrorSummary errors={props.errors} />
        <TextArea name="comment" label="Comment" errors={props.errors} value={props.values.comment} rows={8} />
        <button type="submit" class="button">
          Update comment
        </button>{' '}
        <a href={props.backHref}>Cancel</a>
      </form>
    </Layout>
  );
}

export interface ParagraphView {
  n: number;
  html: SafeHtml;
  count: number;
  href: string;
}

/** The chapter with a comment count and link beside each paragraph (Wattpad-style). */
export function AnnotatedChapterPage(props: {
  ctx: PageContext;
  work: { id: number; title: string };
  chapter: { heading: string; href: string };
  paragraphs: ParagraphView[];
}) {
  return (
    <Layout ctx={props.ctx} title={`${props.work.title} - ${props.chapter.heading} - paragraph comments`}>
      <h1>
        {props.work.title}: {props.chapter.heading}
      </h1>
      <p>
        <a href={props.chapter.href}>Back to the chapter</a>
      </p>
      <ol class="annotated-chapter">
        {props.paragraphs.map((p) => (
          <li class="annotated-paragraph" id={`paragraph-${p.n}`}>
            <RawHtml class="userstuff" html={p.html} />
            <a class="paragraph-comment-link" href={p.href}>
              {p.count > 0 ? `${p.count} ${p.count === 1 ? 'comment' : 'comments'} on paragraph ${p.n}` : `Comment on paragraph ${p.n}`}
            </a>
          </li>
        ))}
      </ol>
    </Layout>
  );
}

/** One page of a work's (or a chapter's) comment threads, past the first shown on the work page. */
export function CommentPage(props: {
  ctx: PageContext;
  work: { id: number; title: string };
  heading: string;
  backHref: string;
  thread: CommentView[];
  csrfToken: string;
  page: number;
  hasNext: boolean;
  pageHref: (page: number) => string;
}) {
  return (
    <Layout ctx={props.ctx} title={`${props.heading} - page ${props.page} - ${props.work.title}`}>
      <h1>
        {props.heading}, page {props.page}
      </h1>
      <p>
        On <a href={props.backHref}>{props.work.title}</a> (post a new comment there)
      </p>
      <section class="comments-panel" aria-label="Comments">
        <CommentThread thread={props.thread} csrfToken={props.csrfToken} />
      </section>
      <Pagination page={props.page} hasNext={props.hasNext} href={props.pageHref} />
    </Layout>
  );
}

export function ParagraphCommentsPage(props: {
  ctx: PageContext;
  work: { id: number; title: string };
  chapter: { heading: string; annotatedHref: string };
  paragraph: ParagraphView;
  thread: CommentView[];
  csrfToken: string;
  form: CommentFormView | null;
  notice: string | null;
  pagination?: { page: number; hasNext: boolean; href: (page: number) => string };
}) {
  const p = props.paragraph;
  return (
    <Layout ctx={props.ctx} title={`Comments on paragraph ${p.n} - ${props.work.title}`}>
      <h1>Comments on paragraph {p.n}</h1>
      <p>
        {props.chapter.heading} of <a href={`/works/${props.work.id}`}>{props.work.title}</a> ·{' '}
        <a href={`${props.chapter.annotatedHref}#paragraph-${p.n}`}>Back to the chapter with paragraph comments</a>
      </p>
      <RawHtml as="blockquote" class="userstuff paragraph-quote" html={p.html} />
      <section id="comments" aria-labelledby="paragraph-comments-heading">
        <h2 id="paragraph-comments-heading">Comments ({p.count})</h2>
        <CommentThread thread={props.thread} csrfToken={props.csrfToken} />
        {props.pagination ? (
          <Pagination page={props.pagination.page} hasNext={props.pagination.hasNext} href={props.pagination.href} />
        ) : null}
        {props.form ? <CommentForm form={props.form} /> : props.notice ? <p class="notice">{props.notice}</p> : null}
      </section>
    </Layout>
  );
}

export function CommentSettingsPage(props: {
  ctx: PageContext;
  work: { id: number; title: string; guestCommentsAllowed: boolean; commentsModerated: boolean };
}) {
  const w = props.work;
  return (
    <Layout ctx={props.ctx} title={`Comment settings - ${w.title}`}>
      <h1>Comment settings</h1>
      <p>
        For <a href={`/works/${w.id}`}>{w.title}</a>
      </p>
      <form method="post" action={`/works/${w.id}/comment_settings`}>
        <CsrfField token={props.ctx.csrfToken} />
        <fieldset>
          <legend>Who may comment, and when comments show</legend>
          <label class="checkbox">
            <input type="checkbox" name="guest_comments_allowed" value="1" checked={w.guestCommentsAllowed} /> Allow guests (readers who are
            not logged in) to comment
          </label>
          <label class="checkbox">
            <input type="checkbox" name="comments_moderated" value="1" checked={w.commentsModerated} /> Approve each comment before it shows
            (moderation)
          </label>
        </fieldset>
        <button type="submit" class="button">
          Save settings
        </button>
      </form>
    </Layout>
  );
}

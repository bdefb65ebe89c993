import { ErrorSummary, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';

export function SchedulePage(props: {
  ctx: PageContext;
  work: { id: number; title: string };
  scheduledFor: string | null;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  const base = `/works/${props.work.id}/schedule`;
  return (
    <Layout ctx={props.ctx} title={`Schedule ${props.work.title}`}>
      <section class="narrow">
        <h1>
          Schedule <a href={`/works/${props.work.id}`}>{props.work.title}</a>
        </h1>
        <p>The draft stays visible only to you until the time you choose; then it is posted and you get a notice in your inbox.</p>
        {props.scheduledFor ? <p role="status">Scheduled to be posted at {props.scheduledFor}.</p> : null}
        <ErrorSummary errors={props.errors} />
        <form method="post" action={base} class="stack" novalidate>
          <CsrfField token={props.ctx.csrfToken} />
          <TextField
            name="post_at"
            label="Post at (UTC)"
            type={'datetime-local' as 'text'}
            value={props.values.post_at}
            errors={props.errors}
            required
            hint="Date and time in UTC, e.g. 2030-01-31T18:00."
          />
          <button type="submit" class="button">
            {props.scheduledFor ? 'Change the time' : 'Schedule'}
          </button>
        </form>
        {props.scheduledFor ? (
          <form method="post" action={`${base}/cancel`} class="inline-form">
            <CsrfField token={props.ctx.csrfToken} />
            <button type="submit" class="button button-secondary">
              Cancel the schedule
            </button>
          </form>
        ) : null}
      </section>
    </Layout>
  );
}

/** What the scheduling forms of a chapter not posted yet need; built by the routes. */
export interface WaitingChapterView {
  workId: number;
  chapterId: number;
  /** "2030-01-31 18:00 UTC", or null for a chapter with no time set. */
  scheduledFor: string | null;
}

/**
 * "Change the time" and "Post now" for a chapter not posted yet: on its schedule page, its
 * edit page and (for its creators) its page. Two plain forms, so it must sit outside any other form.
 */
export function WaitingChapterForms(props: {
  csrfToken: string;
  chapter: WaitingChapterView;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  const base = `/works/${props.chapter.workId}/chapters/${props.chapter.chapterId}`;
  return (
    <section class="notice waiting-chapter" aria-label="Chapter not posted yet">
      <p>
        {props.chapter.scheduledFor ? `Not posted yet: scheduled to be posted at ${props.chapter.scheduledFor}.` : 'Not posted yet.'} Until
        then only the work's creators see this chapter.
      </p>
      <form method="post" action={`${base}/schedule`} class="stack" novalidate>
        <CsrfField token={props.csrfToken} />
        <TextField
          name="post_at"
          label="Post at (UTC)"
          type={'datetime-local' as 'text'}
          value={props.values.post_at}
          errors={props.errors}
          required
          hint="Date and time in UTC, e.g. 2030-01-31T18:00."
        />
        <div class="form-actions">
          <button type="submit" class="button button-secondary">
            Change the time
          </button>
        </div>
      </form>
      <form method="post" action={`${base}/post`} class="form-actions">
        <CsrfField token={props.csrfToken} />
        <button type="submit" class="button">
          Post now
        </button>
      </form>
    </section>
  );
}

/** The schedule page of a chapter not posted yet (where "Change the time" comes back with its errors). */
export function ChapterSchedulePage(props: {
  ctx: PageContext;
  work: { id: number; title: string };
  heading: string;
  chapter: WaitingChapterView;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  return (
    <Layout ctx={props.ctx} title={`Schedule ${props.heading} of ${props.work.title}`}>
      <section class="narrow">
        <h1>
          Schedule <a href={`/works/${props.work.id}/chapters/${props.chapter.chapterId}`}>{props.heading}</a> of{' '}
          <a href={`/works/${props.work.id}`}>{props.work.title}</a>
        </h1>
        <ErrorSummary errors={props.errors} />
        <WaitingChapterForms csrfToken={props.ctx.csrfToken} chapter={props.chapter} values={props.values} errors={props.errors} />
      </section>
    </Layout>
  );
}

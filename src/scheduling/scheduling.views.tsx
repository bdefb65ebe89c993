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
          <TextField name="post_at" label="Post at (UTC)" type={'datetime-local' as 'text'} value={props.values.post_at} errors={props.errors} required hint="Date and time in UTC, e.g. 2030-01-31T18:00." />
          <button type="submit" class="button">{props.scheduledFor ? 'Change the time' : 'Schedule'}</button>
        </form>
        {props.scheduledFor ? (
          <form method="post" action={`${base}/cancel`} class="inline-form">
            <CsrfField token={props.ctx.csrfToken} />
            <button type="submit" class="button button-secondary">Cancel the schedule</button>
          </form>
        ) : null}
      </section>
    </Layout>
  );
}

import { Pagination, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import { WorkBlurb } from '../works/blurb.tsx';
import type { WorkSummaryView } from '../works/works.presenter.ts';
import { MAX_GIFT_RECIPIENTS } from './gifts.schema.ts';

export const giftsHref = (login: string) => `/users/${encodeURIComponent(login)}/gifts`;

/** The work form's field (src/works/works.views.tsx renders it in "Associations and privacy"). */
export function GiftFields(props: { values: Record<string, string>; errors: FieldErrors }) {
  return (
    <TextField
      name="gifts"
      label="Gift this work to"
      value={props.values.gifts}
      errors={props.errors}
      hint={`Archive users by login or pseud, or anyone by name; separate names with commas (at most ${MAX_GIFT_RECIPIENTS}). Users on the archive are told and may refuse.`}
    />
  );
}

/** "For X, Y." on the work page: each archive recipient linked to their gifts page. */
export function GiftsPanel(props: { recipients: ReadonlyArray<{ name: string; login: string | null }> }) {
  return (
    <p class="work-gifts">
      For{' '}
      {props.recipients.map((r, i) => (
        <>
          {i > 0 ? (i === props.recipients.length - 1 ? ' and ' : ', ') : ''}
          {r.login ? <a href={giftsHref(r.login)}>{r.name === r.login ? r.name : `${r.name} (${r.login})`}</a> : r.name}
        </>
      ))}
      .
    </p>
  );
}

export function GiftsPage(props: {
  ctx: PageContext;
  login: string;
  isSelf: boolean;
  gifts: ReadonlyArray<{ giftId: number; work: WorkSummaryView }>;
  page: number;
  hasNext: boolean;
}) {
  const title = props.isSelf ? 'Gifts for you' : `Gifts for ${props.login}`;
  return (
    <Layout ctx={props.ctx} title={title}>
      <h1>{title}</h1>
      {props.gifts.length === 0 ? (
        <p>{props.isSelf ? 'No one has given you a work yet.' : `There are no gifts for ${props.login} that you can see.`}</p>
      ) : (
        <ol class="work-list">
          {props.gifts.map((g) => (
            <WorkBlurb work={g.work} headingLevel={2}>
              {props.isSelf ? (
                <form method="post" action={`/gifts/${g.giftId}/refuse`} class="inline-form" id={`gift_${g.giftId}`}>
                  <CsrfField token={props.ctx.csrfToken} />
                  <button type="submit" class="button button-secondary" aria-label={`Refuse gift of ${g.work.title}`}>
                    Refuse gift
                  </button>
                </form>
              ) : null}
            </WorkBlurb>
          ))}
        </ol>
      )}
      <Pagination page={props.page} hasNext={props.hasNext} href={(p) => `${giftsHref(props.login)}?page=${p}`} />
    </Layout>
  );
}

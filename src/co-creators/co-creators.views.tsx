import { ErrorSummary, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import type { CreditTarget } from './co-creators.repo.ts';
import { byline, type CreditsOfTarget, type InvitationView, targetHref } from './co-creators.service.ts';

const what = (target: CreditTarget) => (target.kind === 'work' ? 'work' : 'series');

/** A work's or series' creators: who is credited, who is invited, the invitation form, leaving. */
export function CreditsPage(props: { ctx: PageContext; credits: CreditsOfTarget; values: { pseud?: string }; errors: FieldErrors }) {
  const { credits, errors } = props;
  const href = targetHref(credits.target);
  const viewerId = props.ctx.viewer?.id;
  const others = credits.creators.some((c) => c.userId !== viewerId);
  return (
    <Layout ctx={props.ctx} title={`Creators of ${credits.title}`}>
      <h1>
        Creators of <a href={href}>{credits.title}</a>
      </h1>
      <ErrorSummary errors={errors} />
      <section aria-labelledby="credited">
        <h2 id="credited">Credited</h2>
        <ul>
          {credits.creators.map((c) => (
            <li>
              {byline(c.pseudName, c.login)}
              {c.userId === viewerId ? ' (you)' : ''}
            </li>
          ))}
        </ul>
      </section>
      {credits.invitations.length > 0 ? (
        <section aria-labelledby="invited">
          <h2 id="invited">Invited, not answered yet</h2>
          <ul>
            {credits.invitations.map((i) => (
              <li>{byline(i.pseudName, i.login)}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="invite">
        <h2 id="invite">Invite a co-creator</h2>
        <p class="hint">
          They are asked first, in their inbox. Once they accept, they are credited and can edit this {what(credits.target)}
          {credits.target.kind === 'work' ? ' and its chapters' : ''}. One of your own pseuds is added at once.
        </p>
        <form method="post" action={`${href}/creators/invitations`} class="form narrow">
          <CsrfField token={props.ctx.csrfToken} />
          <TextField
            name="pseud"
            label="Pseud or login"
            value={props.values.pseud}
            errors={errors}
            required
            maxLength={200}
            hint="For example: Rowan, or Rowan (rowan_writes) when several creators use that name."
          />
          <button type="submit" class="button">
            Send invitation
          </button>
        </form>
      </section>
      <section aria-labelledby="leave" class="danger-zone">
        <h2 id="leave">Remove yourself</h2>
        {others ? (
          <form method="post" action={`${href}/creators/leave`} class="form">
            <CsrfField token={props.ctx.csrfToken} />
            <p>Your pseuds are taken off this {what(credits.target)} and you can no longer edit it. The other creators keep it.</p>
            <button type="submit" class="button button-danger">
              Remove me as a creator
            </button>
          </form>
        ) : (
          <p>You are its only creator, so you cannot remove yourself. Invite a co-creator first, or orphan it.</p>
        )}
        <p>
          <a href={`${href}/orphan`}>Orphan this {what(credits.target)}</a>: give it up to the orphan account for good.
        </p>
      </section>
    </Layout>
  );
}

/** The viewer's invitations to co-create, each with accept and decline, and the preference. */
export function InvitationsPage(props: { ctx: PageContext; invitations: InvitationView[]; allowsInvitations: boolean }) {
  return (
    <Layout ctx={props.ctx} title="Co-creator invitations">
      <h1>Co-creator invitations</h1>
      {props.invitations.length === 0 ? (
        <p>No invitations are waiting for you.</p>
      ) : (
        <ul class="stack">
          {props.invitations.map((i) => (
            <li>
              <p>
                {i.inviterLogin ?? 'A former user'} invited your pseud <strong>{i.pseudName}</strong> to co-create the {what(i.target)}{' '}
                <a href={targetHref(i.target)}>{i.title}</a>.
              </p>
              <div class="form-actions">
                <form method="post" action={`/co_creator_invitations/${i.id}/accept`} class="inline-form">
                  <CsrfField token={props.ctx.csrfToken} />
                  <button type="submit" class="button">
                    Accept<span class="visually-hidden"> the invitation to {i.title}</span>
                  </button>
                </form>
                <form method="post" action={`/co_creator_invitations/${i.id}/decline`} class="inline-form">
                  <CsrfField token={props.ctx.csrfToken} />
                  <button type="submit" class="button button-secondary">
                    Decline<span class="visually-hidden"> the invitation to {i.title}</span>
                  </button>
                </form>
              </div>
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="preference" class="danger-zone">
        <h2 id="preference">Invitations</h2>
        <form method="post" action="/co_creator_invitations/preference" class="form">
          <CsrfField token={props.ctx.csrfToken} />
          <label class="checkbox">
            <input type="checkbox" name="allow" value="1" checked={props.allowsInvitations} /> Other creators may invite me to co-create
            works and series
          </label>
          <button type="submit" class="button button-secondary">
            Save
          </button>
        </form>
        <p>
          Giving up your works for good? <a href="/orphans">Orphan all your works</a> or <a href="/orphans/series">all your series</a>.
        </p>
      </section>
    </Layout>
  );
}

export type OrphanScope =
  | { kind: 'work'; id: number; title: string }
  | { kind: 'series'; id: number; title: string }
  | { kind: 'all'; titles: string[]; drafts: number };

/** Asks before orphaning, and says it cannot be undone. */
export function OrphanConfirmPage(props: { ctx: PageContext; scope: OrphanScope; values: { pseud?: string }; errors: FieldErrors }) {
  const { scope, errors } = props;
  const action = scope.kind === 'all' ? '/orphans' : `/${scope.kind === 'work' ? 'works' : 'series'}/${scope.id}/orphan`;
  const heading = scope.kind === 'all' ? 'Orphan all your works' : `Orphan ${scope.title}`;
  const keep = (props.values.pseud ?? 'keep') === 'keep';
  return (
    <Layout ctx={props.ctx} title={heading}>
      <h1>{heading}</h1>
      <ErrorSummary errors={errors} />
      <div class="notice">
        <p>
          <strong>Orphaning cannot be undone.</strong> The{' '}
          {scope.kind === 'all' ? 'works move' : `${scope.kind === 'work' ? 'work moves' : 'series moves'}`} to the orphan account: they
          stay on the archive with their kudos, comments, bookmarks and hits, and you can no longer edit
          {scope.kind === 'all' ? ' them' : ' it'}. Nobody can give them back to you.
        </p>
      </div>
      {scope.kind === 'all' ? (
        <>
          <p>
            {scope.titles.length === 1 ? 'One posted work' : `${scope.titles.length} posted works`} will be orphaned:{' '}
            {scope.titles.join(', ')}.
          </p>
          {scope.drafts > 0 ? (
            <p>Your {scope.drafts === 1 ? 'draft stays' : `${scope.drafts} drafts stay`} yours: drafts cannot be orphaned.</p>
          ) : null}
        </>
      ) : null}
      <form method="post" action={action} class="form">
        <CsrfField token={props.ctx.csrfToken} />
        {scope.kind === 'series' ? (
          <input type="hidden" name="pseud" value="orphan_account" />
        ) : (
          <fieldset class={errors.pseud ? 'field field-error' : 'field'} id="field-pseud">
            <legend>Your name on the orphaned {scope.kind === 'all' ? 'works' : 'work'}</legend>
            {errors.pseud ? <p class="error-message">{errors.pseud}</p> : null}
            <label class="checkbox">
              <input type="radio" name="pseud" value="keep" checked={keep} /> Keep my pseud’s name, shown as “name (orphan_account)”
            </label>
            <label class="checkbox">
              <input type="radio" name="pseud" value="orphan_account" checked={!keep} /> Remove my name: credit orphan_account only
            </label>
          </fieldset>
        )}
        <div class="form-actions">
          <button type="submit" class="button button-danger">
            Yes, orphan {scope.kind === 'all' ? 'all my works' : `this ${scope.kind}`}
          </button>
          <a
            href={
              scope.kind === 'all'
                ? `/users/${encodeURIComponent(props.ctx.viewer?.login ?? '')}/works`
                : `/${scope.kind === 'work' ? 'works' : 'series'}/${scope.id}`
            }
          >
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}

/** Asks before orphaning every series of the viewer's, lists them, and says it cannot be undone. */
export function OrphanAllSeriesPage(props: { ctx: PageContext; titles: string[]; errors: FieldErrors }) {
  const { titles, errors } = props;
  return (
    <Layout ctx={props.ctx} title="Orphan all your series">
      <h1>Orphan all your series</h1>
      <ErrorSummary errors={errors} />
      <div class="notice">
        <p>
          <strong>Orphaning cannot be undone.</strong> The orphan account takes your place among the creators of each series: the series
          stay on the archive with their works, and you can no longer edit them. Nobody can give them back to you. The works in them stay
          yours until you orphan those too.
        </p>
      </div>
      {titles.length === 0 ? (
        <p>You have no series to orphan.</p>
      ) : (
        <p>
          {titles.length === 1 ? 'One series' : `${titles.length} series`} will be orphaned: {titles.join(', ')}.
        </p>
      )}
      <form method="post" action="/orphans/series" class="form">
        <CsrfField token={props.ctx.csrfToken} />
        <input type="hidden" name="confirm" value="yes" />
        {errors.confirm ? (
          <p class="error-message" id="field-confirm">
            {errors.confirm}
          </p>
        ) : null}
        <div class="form-actions">
          <button type="submit" class="button button-danger">
            Yes, orphan all my series
          </button>
          <a href={`/users/${encodeURIComponent(props.ctx.viewer?.login ?? '')}`}>Cancel</a>
        </div>
      </form>
    </Layout>
  );
}

import { CsrfField } from '../web/layout.tsx';
import type { KudosGivers } from './kudos.service.ts';

export interface KudosPanelView {
  workId: number;
  givers: KudosGivers;
  /** 'give' shows the button; the others say why there is none. */
  state: 'give' | 'given' | 'creator' | 'blocked';
  /** Empty for guests: guest pages are cached for every guest, and the Origin check covers them. */
  csrfToken: string;
  returnTo: string;
}

/** The kudos button and the list of givers, below the text. */
export function KudosPanel(props: { view: KudosPanelView }) {
  const v = props.view;
  const g = v.givers;
  return (
    <section class="kudos-panel" id="kudos" aria-labelledby="kudos-heading">
      <h3 id="kudos-heading" class="visually-hidden">
        Kudos
      </h3>
      {v.state === 'give' ? (
        <form method="post" action={`/works/${v.workId}/kudos`} class="inline-form">
          {v.csrfToken ? <CsrfField token={v.csrfToken} /> : null}
          <input type="hidden" name="return_to" value={v.returnTo} />
          <button type="submit" class="button">
            Kudos ♥
          </button>
        </form>
      ) : v.state === 'given' ? (
        <p>You have already left kudos here. Thank you!</p>
      ) : null}
      {g.total === 0 ? (
        <p class="kudos-givers">No kudos yet.</p>
      ) : (
        <p class="kudos-givers">
          {g.users.map((u, i) => (
            <>
              {i > 0 ? ', ' : ''}
              <a href={`/users/${encodeURIComponent(u.login)}`}>{u.login}</a>
            </>
          ))}
          {g.users.length > 0 && g.guests > 0 ? ' as well as ' : ''}
          {g.guests > 0 ? (g.guests === 1 ? '1 guest' : `${g.guests} guests`) : ''} left kudos on this work!
        </p>
      )}
    </section>
  );
}

import { Layout, type PageContext } from '../web/layout.tsx';
import type { WorkSummaryView } from './works.presenter.ts';

/**
 * AO3's notice before a work rated Mature, Explicit or Not Rated. "Proceed" is a plain link
 * (?view_adult=true), so it works without JavaScript; the choice is then remembered until the
 * browser closes.
 */
export function AdultNoticePage(props: { ctx: PageContext; work: WorkSummaryView; proceedHref: string }) {
  const w = props.work;
  return (
    <Layout ctx={props.ctx} title={`${w.title} (adult content notice)`}>
      <section class="adult-notice" aria-labelledby="adult-notice-heading">
        <h1 id="adult-notice-heading">This work could have adult content</h1>
        <p>
          <strong>{w.title}</strong> is rated <strong>{w.required.rating}</strong>. If you continue, you have agreed that you are willing to
          see such content.
        </p>
        <p class="form-actions">
          <a class="button" href={props.proceedHref}>
            Proceed
          </a>
          <a class="button button-secondary" href="/works">
            Go back
          </a>
        </p>
        <p class="hint">
          To stop seeing this notice, choose “Show me adult content without checking” in your <a href="/preferences">reading preferences</a>
          .
        </p>
      </section>
    </Layout>
  );
}

import { ErrorSummary } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { WorkBlurb } from '../works/blurb.tsx';
import type { WorkSummaryView } from '../works/works.presenter.ts';
import type { ListingControlsView, PaginationView } from './listing.presenter.ts';
import { ListingFilters, ListingResults } from './listing.views.tsx';

export interface ListingView {
  title: string;
  heading: string;
  subheading?: string;
  /** A link under the heading (a creator's works: "Subscribe to …", src/subscriptions). */
  headingLink?: { href: string; text: string };
  /** "1 – 20 of 526 works", or what the listing says when nothing matches. */
  count: string;
  works: WorkSummaryView[];
  drafts?: WorkSummaryView[];
  controls: ListingControlsView;
  sort: string;
  pagination: PaginationView;
  errors: FieldErrors;
  notices: string[];
}

/** A listing of work blurbs beside the filter sidebar: all works, a tag's works, a creator's works. */
export function WorkListingPage(props: { ctx: PageContext; view: ListingView }) {
  const v = props.view;
  return (
    <Layout ctx={props.ctx} title={v.title}>
      <h1>{v.heading}</h1>
      {v.subheading ? <p class="lede">{v.subheading}</p> : null}
      {v.headingLink ? (
        <p>
          <a href={v.headingLink.href}>{v.headingLink.text}</a>
        </p>
      ) : null}
      <ErrorSummary errors={v.errors} />
      {v.drafts && v.drafts.length > 0 ? (
        <section class="drafts" aria-labelledby="drafts-heading">
          <h2 id="drafts-heading">Your drafts</h2>
          <ol class="work-list">
            {v.drafts.map((w) => (
              <WorkBlurb work={w} />
            ))}
          </ol>
        </section>
      ) : null}
      <div class="listing">
        <ListingFilters controls={v.controls} errors={v.errors} sort={v.sort} />
        <ListingResults count={v.count} chips={v.controls.chips} clearHref={v.controls.clearHref} pagination={v.pagination}>
          {v.notices.map((n) => (
            <p class="notice" role="status">
              {n}
            </p>
          ))}
          <ol class="work-list">
            {v.works.map((w) => (
              <WorkBlurb work={w} />
            ))}
          </ol>
        </ListingResults>
      </div>
    </Layout>
  );
}

import { Pagination } from '../web/components.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import { WorkBlurb } from '../works/blurb.tsx';
import type { WorkSummaryView } from '../works/works.presenter.ts';

export interface ListingView {
  title: string;
  heading: string;
  subheading?: string;
  /** A link under the heading (a creator's works: "Subscribe to …", src/subscriptions). */
  headingLink?: { href: string; text: string };
  total: number;
  page: number;
  perPage: number;
  hasNext: boolean;
  works: WorkSummaryView[];
  pageHref: (page: number) => string;
  drafts?: WorkSummaryView[];
  empty: string;
}

/** A listing of work blurbs: the works index, a tag's works, a creator's works. */
export function WorkListingPage(props: { ctx: PageContext; view: ListingView }) {
  const v = props.view;
  const first = (v.page - 1) * v.perPage + 1;
  const last = first + v.works.length - 1;
  return (
    <Layout ctx={props.ctx} title={v.title}>
      <h1>{v.heading}</h1>
      {v.subheading ? <p class="lede">{v.subheading}</p> : null}
      {v.headingLink ? (
        <p>
          <a href={v.headingLink.href}>{v.headingLink.text}</a>
        </p>
      ) : null}
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
      <p class="listing-count">
        {v.total === 0
          ? v.empty
          : `${first.toLocaleString('en')} – ${last.toLocaleString('en')} of ${v.total.toLocaleString('en')} ${v.total === 1 ? 'work' : 'works'}`}
      </p>
      <ol class="work-list">
        {v.works.map((w) => (
          <WorkBlurb work={w} />
        ))}
      </ol>
      <Pagination page={v.page} hasNext={v.hasNext} href={v.pageHref} />
    </Layout>
  );
}

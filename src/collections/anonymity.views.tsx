import { Layout, type PageContext } from '../web/layout.tsx';
import type { Concealment } from './anonymity.ts';
import { collectionHref } from './collections.presenter.ts';

function CollectionLinks(props: { collections: Concealment['collections'] }) {
  return (
    <>
      {props.collections.map((c, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <a href={collectionHref(c.name)}>{c.title}</a>
        </>
      ))}
    </>
  );
}

/** What readers see of an unrevealed work: that it exists, and the collection it belongs to. */
export function MysteryWorkPage(props: { ctx: PageContext; concealment: Concealment }) {
  return (
    <Layout ctx={props.ctx} title="Mystery work">
      <h1>Mystery work</h1>
      <p>
        Part of <CollectionLinks collections={props.concealment.collections} />. This work will be revealed soon: its maintainers reveal it,
        or it is revealed on the collection’s reveal date.
      </p>
    </Layout>
  );
}

/** For a concealed work's own creators on its page: what readers see instead of what they see. */
export function ConcealedNotice(props: { concealment: Concealment }) {
  const c = props.concealment;
  return (
    <p class="notice" role="note">
      {c.unrevealed
        ? 'Unrevealed: readers see this work as a “Mystery work” in '
        : 'Anonymous: readers see its creators as “Anonymous” in '}
      <CollectionLinks collections={c.collections} /> until the reveal. You see the work and its creators because you created it.
    </p>
  );
}

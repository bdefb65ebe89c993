import { Layout, type PageContext } from '../web/layout.tsx';
import type { LetterGroup, MediaView } from './directory.presenter.ts';

const n = (v: number) => v.toLocaleString('en');

/** /media: each media with its fandom count and biggest fandoms, as AO3's "Fandoms" menu opens. */
export function MediaIndexPage(props: { ctx: PageContext; media: MediaView[] }) {
  // Media with nothing to show yet go in one line at the end, not a column of empty cards.
  const shown = props.media.filter((m) => m.fandomCount > 0);
  const empty = props.media.filter((m) => m.fandomCount === 0);
  return (
    <Layout ctx={props.ctx} title="Fandoms by media" description="Every fandom on the archive, by media.">
      <h1>Fandoms</h1>
      <p class="lede">Choose a media to see all its fandoms, A to Z, with how many works each has.</p>
      <ul class="media-list">
        {shown.map((m) => (
          <li>
            <h2>
              <a href={m.href}>{m.name}</a> <span class="count">({n(m.fandomCount)})</span>
            </h2>
            <ol aria-label={`Biggest fandoms in ${m.name}`}>
              {m.top.map((f) => (
                <li>
                  <a href={f.href}>{f.name}</a> <span class="count">({n(f.works)})</span>
                </li>
              ))}
            </ol>
            <p>
              <a href={m.href}>All {m.name === 'Uncategorized Fandoms' ? 'uncategorized fandoms' : `${m.name} fandoms`}</a>
            </p>
          </li>
        ))}
      </ul>
      {shown.length === 0 ? <p>No fandoms have works yet.</p> : null}
      {empty.length > 0 ? (
        <p class="meta">
          No fandoms with works yet in{' '}
          {empty.map((m, i) => (
            <>
              {i > 0 ? ', ' : ''}
              <a href={m.href}>{m.name}</a>
            </>
          ))}
          .
        </p>
      ) : null}
    </Layout>
  );
}

/** /media/NAME/fandoms: a media's fandoms, A to Z by letter, with a letter index and work counts. */
export function MediaFandomsPage(props: { ctx: PageContext; media: string; groups: LetterGroup[]; total: number }) {
  return (
    <Layout ctx={props.ctx} title={`${props.media} fandoms`} description={`Fandoms in ${props.media}, A to Z.`}>
      <p class="meta">
        <a href="/media">Fandoms</a> › {props.media}
      </p>
      <h1>{props.media === 'Uncategorized Fandoms' ? 'Uncategorized Fandoms' : `${props.media} fandoms`}</h1>
      <p class="listing-count">
        {props.total === 0 ? 'No fandoms with works yet.' : `${n(props.total)} ${props.total === 1 ? 'fandom' : 'fandoms'}`}
      </p>
      {props.groups.length > 1 ? (
        <nav class="letter-index" aria-label="Fandoms by letter">
          <ul>
            {props.groups.map((g) => (
              <li>
                <a href={`#${g.anchor}`} aria-label={g.letter === '#' ? 'Numbers and symbols' : g.letter}>
                  {g.letter}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {props.groups.map((g) => (
        <section class="fandom-letter" aria-labelledby={g.anchor}>
          <h2 id={g.anchor}>{g.letter}</h2>
          <ul>
            {g.fandoms.map((f) => (
              <li>
                <a href={f.href}>{f.name}</a> <span class="count">({n(f.works)})</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>
  );
}

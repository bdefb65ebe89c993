import type { ComponentChildren } from 'preact';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import type { ProposalGroupView, ProposalView, StoryMapView } from './story-intelligence.presenter.ts';
import { ArcChart, ArcLegend, CharacterGraph, describeArc } from './story-map.tsx';

function Evidence(props: { proposal: ProposalView }) {
  const evidence = props.proposal.evidence;
  if (evidence.length === 0) return <p class="hint">No single passage: this follows from the story as a whole.</p>;
  return (
    <div class="evidence">
      {evidence.map((e) => (
        <figure class="evidence-passage">
          <blockquote>{e.text}</blockquote>
          {e.href ? (
            <figcaption class="meta">
              <a href={e.href}>{e.source ? `In ${e.source}` : 'In the story'}</a>
            </figcaption>
          ) : e.source ? (
            <figcaption class="meta">{e.source}</figcaption>
          ) : null}
        </figure>
      ))}
    </div>
  );
}

const KIND_WORD: Record<ProposalView['kind'], string> = {
  fandom: 'fandom',
  category: 'category',
  freeform: 'additional tag',
  relationship: 'relationship',
  character: 'character',
  rating: 'rating',
  warning: 'archive warning',
};

function ProposalGroups(props: { groups: ProposalGroupView[]; actions: (p: ProposalView) => ComponentChildren }) {
  return (
    <>
      {props.groups.map((g) => (
        <div class="proposal-group">
          <h4>{g.heading}</h4>
          <ul class="proposal-list">
            {g.proposals.map((p) => (
              <li class="proposal" data-kind={p.kind}>
                <p class="proposal-head">
                  <strong class="proposal-value">{p.value}</strong> <span class="meta">({p.note})</span>
                </p>
                <Evidence proposal={p} />
                <div class="proposal-actions">{props.actions(p)}</div>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}

/**
 * Proposals Fanfold is less sure of, closed until asked for (a native disclosure: no script), so what
 * is shown at once stays what is likely right.
 */
function LessCertain(props: { groups: ProposalGroupView[]; actions: (p: ProposalView) => ComponentChildren }) {
  if (props.groups.length === 0) return null;
  const count = props.groups.reduce((n, g) => n + g.proposals.length, 0);
  return (
    <details class="less-certain">
      <summary>Show less certain proposals ({count})</summary>
      <p class="hint">Fanfold is less sure of these: check each passage before you accept one.</p>
      <ProposalGroups groups={props.groups} actions={props.actions} />
    </details>
  );
}

type Groups = { groups: ProposalGroupView[]; lessCertain: ProposalGroupView[] };

/** The creator's panel on the work page: proposals with their passages, accept and dismiss. */
export function ProposalsPanel(props: {
  workId: number;
  csrfToken: string;
  returnTo: string;
  state:
    | { kind: 'pending'; analysed: number; total: number }
    /** `groups`: proposals from the chapters read, or null while others are still being read. */
    | { kind: 'failed'; failedPositions: number[]; reasons: string[]; total: number; groups: Groups | null }
    | ({ kind: 'ready' } & Groups);
}) {
  const base = `/works/${props.workId}/proposals`;
  const form = (action: 'accept' | 'dismiss', p: ProposalView, label: string, cls: string) => (
    <form method="post" action={`${base}/${action}`} class="inline-form">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="kind" value={p.kind} />
      <input type="hidden" name="value" value={p.value} />
      <input type="hidden" name="return_to" value={props.returnTo} />
      <button type="submit" class={cls}>
        {label}
        <span class="visually-hidden">
          {' '}
          the {KIND_WORD[p.kind]} {p.value}
        </span>
      </button>
    </form>
  );
  const actions = (p: ProposalView) => (
    <>
      {form('accept', p, 'Accept', 'button')} {form('dismiss', p, 'Dismiss', 'button button-secondary')}
    </>
  );
  return (
    <section class="proposals" id="proposals" aria-labelledby="proposals-heading">
      <h3 id="proposals-heading">Proposed by Fanfold</h3>
      {props.state.kind === 'failed' ? (
        <>
          <p role="alert">
            {props.state.total === 1
              ? 'Fanfold could not read this chapter.'
              : `Fanfold could not read ${chapterList(props.state.failedPositions)} of ${props.state.total}.`}
          </p>
          {props.state.reasons.length > 0 ? (
            <ul class="hint failure-reasons">
              {props.state.reasons.map((reason) => (
                <li>{reason.length > 300 ? `${reason.slice(0, 297)}...` : reason}</li>
              ))}
            </ul>
          ) : null}
          <p class="hint">
            Only you see this. Your work itself is fine: readers see it as usual. Try again; if it fails again, Fanfold cannot read this
            text yet.
          </p>
          <form method="post" action={`/works/${props.workId}/analysis/retry`} class="inline-form">
            <CsrfField token={props.csrfToken} />
            <input type="hidden" name="return_to" value={props.returnTo} />
            <button type="submit" class="button">
              Try again
            </button>
          </form>
          {props.state.groups && props.state.groups.groups.length + props.state.groups.lessCertain.length > 0 ? (
            <>
              <p class="hint">From the chapters Fanfold did read, it proposes these tags, each with the passages it rests on.</p>
              <ProposalGroups groups={props.state.groups.groups} actions={actions} />
              <LessCertain groups={props.state.groups.lessCertain} actions={actions} />
            </>
          ) : null}
        </>
      ) : props.state.kind === 'pending' ? (
        <div data-analysis-status={`/works/${props.workId}/analysis_status`}>
          <p role="status">
            Fanfold is reading your story…{props.state.total > 1 ? ` (${props.state.analysed} of ${props.state.total} chapters read)` : ''}
          </p>
          <p class="hint">
            Only you see this. <a href={props.returnTo}>Refresh the page</a> in a moment to see the tags Fanfold proposes.
          </p>
          <script src="/static/story-intelligence.js" defer></script>
        </div>
      ) : props.state.groups.length + props.state.lessCertain.length === 0 ? (
        <p class="hint">Only you see this. Fanfold has nothing to add to your tags.</p>
      ) : (
        <>
          <p class="hint">
            Only you see this.{' '}
            {props.state.groups.length === 0
              ? 'Fanfold read your story and is not sure enough of any tag to propose it.'
              : 'Fanfold read your story and proposes these tags, each with the passages it rests on. Accept the ones that fit; you decide.'}
          </p>
          <ProposalGroups groups={props.state.groups} actions={actions} />
          <LessCertain groups={props.state.lessCertain} actions={actions} />
        </>
      )}
    </section>
  );
}

/** "chapter 2", "chapters 2 and 5", "chapters 2, 5 and 7". */
function chapterList(positions: readonly number[]): string {
  if (positions.length === 1) return `chapter ${positions[0]}`;
  return `chapters ${positions.slice(0, -1).join(', ')} and ${positions[positions.length - 1]}`;
}

/**
 * The proposals box of the posting form (after "Suggest tags from my text"): accepting one
 * submits the form again, which puts the tag in its field and keeps everything typed.
 */
export function PostingProposals(props: Groups & { analysed: boolean }) {
  const accept = (p: ProposalView) => (
    <button
      type="submit"
      name="action"
      value="analyze"
      class="button button-secondary"
      formaction={`/works?accept=${encodeURIComponent(`${p.kind}:${p.value}`)}#proposals`}
    >
      Accept
      <span class="visually-hidden">
        {' '}
        the {KIND_WORD[p.kind]} {p.value}
      </span>
    </button>
  );
  return (
    <section class="proposals" id="proposals" aria-labelledby="proposals-heading">
      <h2 id="proposals-heading">Proposed by Fanfold</h2>
      {!props.analysed ? (
        <p class="hint">Add the text of your work first, then ask again.</p>
      ) : props.groups.length + props.lessCertain.length === 0 ? (
        <p class="hint">Fanfold has nothing to add to your tags.</p>
      ) : (
        <>
          <p class="hint">
            Fanfold read your text and proposes these tags, each with the passages it rests on. Accepting one adds it to its field above;
            nothing is posted until you press Post or Save as draft.
          </p>
          <ProposalGroups groups={props.groups} actions={accept} />
          <LessCertain groups={props.lessCertain} actions={accept} />
        </>
      )}
    </section>
  );
}
/** On the work page, below the text: the way to the story map, which never shows itself by default. */
export function StoryMapLink(props: { href: string }) {
  return (
    <section class="story-map-link" aria-labelledby="story-map-link-heading">
      <h3 id="story-map-link-heading">Story map</h3>
      <p>
        <a href={props.href}>Open the story map (contains spoilers)</a>: the characters and who talks to whom, the emotional arc and the
        scenes.
      </p>
    </section>
  );
}

export function StoryMapPage(props: { ctx: PageContext; view: StoryMapView }) {
  const { view } = props;
  const w = view.work;
  return (
    <Layout ctx={props.ctx} title={`Story map of ${w.title}`}>
      <h1>
        Story map of <a href={w.href}>{w.title}</a>
      </h1>
      <p class="notice">This page contains spoilers: it shows how the story goes.</p>
      {view.state === 'none' ? (
        <p role="status">
          {view.failedChapters > 0 ? 'Fanfold could not read this story.' : 'Fanfold has not read this story yet. Come back in a minute.'}
        </p>
      ) : (
        <>
          {view.state === 'partial' ? (
            <p class="hint">
              Fanfold has read {view.analysedChapters} of the {view.totalChapters} chapters
              {view.failedChapters > 0
                ? `; it could not read ${view.failedChapters === 1 ? 'one' : view.failedChapters} of them.`
                : ' so far.'}
            </p>
          ) : null}
          <section aria-labelledby="map-characters">
            <h2 id="map-characters">Characters and who talks to whom</h2>
            <figure class="story-figure">
              <CharacterGraph id="story-graph" title={`Characters of ${w.title} and their relationships`} view={view.graph} />
            </figure>
            {view.pairs.length > 0 ? (
              <table class="data-table story-pairs">
                <caption>Pairs of characters</caption>
                <thead>
                  <tr>
                    <th scope="col">Pair</th>
                    <th scope="col">Relationship</th>
                    <th scope="col">Strength</th>
                    <th scope="col">Lines of dialogue</th>
                  </tr>
                </thead>
                <tbody>
                  {view.pairs.map((p) => (
                    <tr>
                      <th scope="row">{p.tag || `${p.a} & ${p.b}`}</th>
                      <td>{p.kind}</td>
                      <td>{p.strength}</td>
                      <td>{p.lines}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p>No two characters interact.</p>
            )}
          </section>
          <section aria-labelledby="map-arc">
            <h2 id="map-arc">Emotional arc</h2>
            <figure class="story-figure">
              <ArcChart id="story-arc" title={`Emotional arc of ${w.title}`} view={view.arc} />
              <figcaption>{describeArc(view.arc)}</figcaption>
            </figure>
            <ArcLegend view={view.arc} />
          </section>
          <section aria-labelledby="map-scenes">
            <h2 id="map-scenes">Scenes</h2>
            {view.scenes.map((group) => (
              <>
                {view.scenes.length > 1 ? <h3>{group.chapter}</h3> : null}
                <ol class="scene-list">
                  {group.items.map((s) => (
                    <li>
                      <a href={s.href}>{s.excerpt}</a>
                    </li>
                  ))}
                </ol>
              </>
            ))}
          </section>
        </>
      )}
    </Layout>
  );
}

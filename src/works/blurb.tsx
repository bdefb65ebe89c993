import type { ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { RawHtml } from '../web/components.tsx';
import { ReaderPreferencesContext } from '../accounts/reader-preferences.ts';
import { formatReadingTime } from './reading-time.ts';
import type { RequiredTagsView, TagView, WorkSummaryView } from './works.presenter.ts';

/** Tags the reader chose to hide as spoilers: one click (no script) shows them. */
export function Spoiler(props: { label: string; children: ComponentChildren }) {
  return (
    <details class="spoiler">
      <summary>{props.label}</summary>
      {props.children}
    </details>
  );
}

/** The comma-separated links of a tag list. */
export function TagLinks(props: { tags: readonly TagView[]; class?: string }) {
  return (
    <>
      {props.tags.map((t, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <a class={props.class ?? 'tag'} href={t.href}>
            {t.name}
          </a>
        </>
      ))}
    </>
  );
}

export function Creators(props: { creators: WorkSummaryView['creators'] }) {
  if (props.creators.length === 0) return <span>Anonymous</span>;
  return (
    <>
      {props.creators.map((c, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <a rel="author" href={c.href}>
            {c.pseud === c.login ? c.pseud : `${c.pseud} (${c.login})`}
          </a>
        </>
      ))}
    </>
  );
}

const WARNING_LABEL = {
  yes: 'Archive warnings apply',
  no: 'No archive warnings apply',
  choosenotto: 'Creator chose not to use archive warnings',
} as const;

/** AO3's square of four required-tag symbols, each with its text equivalent. */
export function RequiredTags(props: { required: RequiredTagsView }) {
  const r = props.required;
  const category = r.categories.length === 0 ? 'No category' : r.categories.join(', ');
  const categoryCode =
    r.categories.length === 0 ? 'none' : r.categories.length > 1 ? 'multi' : r.categories[0]!.replace('/', '').toLowerCase();
  // A reader hiding warnings learns only that some apply (the symbol), not which.
  const hidden = useContext(ReaderPreferencesContext).hideWarnings;
  const warnings =
    r.warningState === 'yes' ? (hidden ? 'Archive warnings apply (hidden)' : r.warnings.join(', ')) : WARNING_LABEL[r.warningState];
  return (
    <ul class="required-tags" aria-label="Required tags">
      <li class={`req rating-${r.ratingCode}`} title={r.rating}>
        <span aria-hidden="true">{r.ratingAbbr}</span>
        <span class="visually-hidden">Rating: {r.rating}</span>
      </li>
      <li class={`req category-${categoryCode}`} title={category}>
        <span aria-hidden="true">{r.categories.length === 0 ? '–' : r.categories.length > 1 ? '∞' : r.categories[0]}</span>
        <span class="visually-hidden">Category: {category}</span>
      </li>
      <li class={`req warning-${r.warningState}`} title={warnings}>
        <span aria-hidden="true">{r.warningState === 'yes' ? '!' : r.warningState === 'no' ? '✓' : '?'}</span>
        <span class="visually-hidden">Warnings: {warnings}</span>
      </li>
      <li class={`req ${r.complete ? 'complete-yes' : 'complete-no'}`} title={r.complete ? 'Complete Work' : 'Work in Progress'}>
        <span aria-hidden="true">{r.complete ? '✔' : '…'}</span>
        <span class="visually-hidden">{r.complete ? 'Complete Work' : 'Work in Progress'}</span>
      </li>
    </ul>
  );
}

/**
 * The AO3 work blurb used by every listing. `children` go inside the card after the summary: a
 * search's matching excerpt, a bookmarker's notes.
 */
export function WorkBlurb(props: { work: WorkSummaryView; headingLevel?: 2 | 3; children?: ComponentChildren }) {
  const w = props.work;
  const preferences = useContext(ReaderPreferencesContext);
  const Heading = props.headingLevel === 2 ? 'h2' : 'h3';
  return (
    <li class="blurb" id={`work_${w.id}`}>
      <div class="blurb-header">
        <RequiredTags required={w.required} />
        <div class="blurb-heading">
          <Heading class="blurb-title">
            <a href={w.href}>{w.title}</a>
            {w.isRestricted ? (
              <span class="badge" title="Only registered users can read this work">
                Restricted
              </span>
            ) : null}
            {w.isDraft ? <span class="badge badge-draft">Draft</span> : null}
          </Heading>
          <p class="byline">
            by <Creators creators={w.creators} />
          </p>
          <p class="fandoms">
            <span class="visually-hidden">Fandoms: </span>
            <TagLinks tags={w.fandoms} />
          </p>
        </div>
        <p class="blurb-date">{w.published ? (w.updated > w.published ? w.updated : w.published) : 'Draft'}</p>
      </div>
      <ul class="blurb-tags" aria-label="Tags">
        {preferences.hideWarnings && w.warnings.length > 0 ? (
          <li class="tag-warning tag-spoiler">
            <Spoiler label="Show warnings">
              <TagLinks tags={w.warnings} />
            </Spoiler>
          </li>
        ) : (
          w.warnings.map((t) => (
            <li class="tag-warning">
              <a href={t.href}>{t.name}</a>
            </li>
          ))
        )}
        {w.relationships.map((t) => (
          <li class="tag-relationship">
            <a href={t.href}>{t.name}</a>
          </li>
        ))}
        {w.characters.map((t) => (
          <li class="tag-character">
            <a href={t.href}>{t.name}</a>
          </li>
        ))}
        {preferences.hideFreeforms && w.freeforms.length > 0 ? (
          <li class="tag-freeform tag-spoiler">
            <Spoiler label="Show additional tags">
              <TagLinks tags={w.freeforms} />
            </Spoiler>
          </li>
        ) : (
          w.freeforms.map((t) => (
            <li class="tag-freeform">
              <a href={t.href}>{t.name}</a>
            </li>
          ))
        )}
      </ul>
      {w.summaryHtml ? (
        <blockquote class="summary userstuff">
          <RawHtml html={w.summaryHtml} />
        </blockquote>
      ) : null}
      {props.children}
      <WorkStats work={w} />
    </li>
  );
}

/** The stats line: language, words, chapters, kudos, comments, bookmarks, hits. */
export function WorkStats(props: { work: WorkSummaryView; full?: boolean; nextChapterDate?: string | undefined }) {
  const w = props.work;
  const n = (v: number) => v.toLocaleString('en');
  const readingTime = formatReadingTime(w.words);
  return (
    <dl class="stats">
      {props.full && w.published ? (
        <>
          <dt>Published:</dt>
          <dd>{w.published}</dd>
          {w.updated !== w.published ? (
            <>
              <dt>{w.isComplete ? 'Completed:' : 'Updated:'}</dt>
              <dd>{w.updated}</dd>
            </>
          ) : null}
        </>
      ) : null}
      <dt>Language:</dt>
      <dd lang={w.language}>{w.languageName}</dd>
      <dt>Words:</dt>
      <dd>{n(w.words)}</dd>
      {readingTime ? (
        <>
          <dt>Reading time:</dt>
          <dd title="Estimated at 250 words a minute">{readingTime}</dd>
        </>
      ) : null}
      <dt>Chapters:</dt>
      <dd>{w.chapters}</dd>
      {props.nextChapterDate ? (
        <>
          <dt>Next chapter:</dt>
          <dd>{props.nextChapterDate}</dd>
        </>
      ) : null}
      <dt>Comments:</dt>
      <dd>{n(w.comments)}</dd>
      <dt>Kudos:</dt>
      <dd>{n(w.kudos)}</dd>
      <dt>Bookmarks:</dt>
      <dd>{n(w.bookmarks)}</dd>
      <dt>Hits:</dt>
      <dd>{n(w.hits)}</dd>
    </dl>
  );
}

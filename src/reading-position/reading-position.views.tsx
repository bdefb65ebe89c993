import { CsrfField } from '../web/layout.tsx';
import type { SavedPositionView } from './reading-position.service.ts';

export const SCRIPT_URL = '/static/reading-position.js?v=1';

/**
 * Above the text, for signed-in readers only (guests' pages are cached and shared): the
 * "continue" link, and what the script needs — the CSRF token, where to save, the chapter ids.
 */
export function ReadingPositionHead(props: {
  workId: number;
  csrfToken: string;
  chapterIds: number[];
  saved: SavedPositionView | undefined;
  showContinue: boolean;
}) {
  return (
    <div
      class="reading-position"
      id="reading-position"
      data-save-url={`/works/${props.workId}/position`}
      data-chapter-ids={props.chapterIds.join(',')}
    >
      <meta name="csrf-token" content={props.csrfToken} />
      <script src={SCRIPT_URL} defer />
      {props.saved && props.showContinue ? (
        <p class="notice continue-reading">
          <a href={props.saved.href}>Continue where you stopped ({props.saved.heading})</a>
        </p>
      ) : null}
    </div>
  );
}

/** Without JavaScript: a button that saves the chapter being read (or a choice of chapter on the entire-work view). */
export function RememberPlaceForm(props: {
  workId: number;
  csrfToken: string;
  chapters: Array<{ id: number; heading: string }>;
  currentChapterId: number | undefined;
  returnTo: string;
}) {
  const single = props.currentChapterId ?? (props.chapters.length === 1 ? props.chapters[0]!.id : undefined);
  return (
    <form method="post" action={`/works/${props.workId}/position`} class="inline-form remember-place">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="return_to" value={props.returnTo} />
      {single !== undefined ? (
        <input type="hidden" name="chapter_id" value={String(single)} />
      ) : (
        <>
          <label for="remember-chapter">Chapter</label>{' '}
          <select id="remember-chapter" name="chapter_id">
            {props.chapters.map((c) => (
              <option value={String(c.id)}>{c.heading}</option>
            ))}
          </select>{' '}
        </>
      )}
      <button type="submit" class="button button-secondary">
        Remember my place here
      </button>
    </form>
  );
}

import { escapeHtml, trustHtml } from '../lib/safe-html.ts';
import { tagHref, type WorkSummaryView } from '../works/works.presenter.ts';
import type { Concealment } from './anonymity.ts';
import { collectionHref } from './collections.presenter.ts';

/**
 * A work's summary as readers may see it (decision 043): an anonymous work without its creators
 * (the blurb says "Anonymous"), an unrevealed one as a "Mystery work" that names its collections
 * and nothing else (no tags, text, counts or dates that could point at its creator).
 */
export function toConcealedSummary(view: WorkSummaryView, concealment: Concealment | undefined): WorkSummaryView {
  if (!concealment) return view;
  if (!concealment.unrevealed) return { ...view, creators: [] };
  const names = concealment.collections.map((c) => `<a href="${escapeHtml(collectionHref(c.name))}">${escapeHtml(c.title)}</a>`);
  return {
    ...view,
    title: 'Mystery work',
    isMystery: true,
    creators: [],
    fandoms: [],
    relationships: [],
    characters: [],
    freeforms: [],
    warnings: [],
    categories: [],
    ratingTag: { name: 'Not Rated', href: tagHref('Not Rated') },
    required: {
      rating: 'Not Rated',
      ratingCode: 'notrated',
      ratingAbbr: 'NR',
      warnings: [],
      warningState: 'choosenotto',
      categories: [],
      complete: false,
    },
    summaryHtml: trustHtml(`<p>Part of ${names.join(', ')}. This work will be revealed soon.</p>`),
    words: 0,
    chapters: '?',
    kudos: 0,
    comments: 0,
    bookmarks: 0,
    hits: 0,
    // The blurb's date line reads these; a real date could point at the creator's posting habits.
    published: 'Unrevealed',
    updated: 'Unrevealed',
  };
}

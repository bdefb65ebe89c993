import type { Viewer } from '../web/viewer.ts';

/** What a series decision needs: who created it. */
export interface SeriesAccessFacts {
  creatorUserIds: readonly number[];
}

/** Only the users who created a series may edit it, order it, or add and remove works. */
export function canEditSeries(viewer: Viewer | null, series: SeriesAccessFacts): boolean {
  return viewer !== null && series.creatorUserIds.includes(viewer.id);
}

/**
 * A series page is shown to its creators, and to others once it holds a work they may read
 * (an empty or draft-only series does not leak its title).
 */
export function canSeeSeries(viewer: Viewer | null, series: SeriesAccessFacts, readableWorkCount: number): boolean {
  return canEditSeries(viewer, series) || readableWorkCount > 0;
}

/** A creator adds only works they are credited on. */
export function canAddWorkToSeries(viewer: Viewer | null, series: SeriesAccessFacts, workCreatorUserIds: readonly number[]): boolean {
  return canEditSeries(viewer, series) && viewer !== null && workCreatorUserIds.includes(viewer.id);
}

import type { Viewer } from '../web/viewer.ts';

/** What a visibility decision needs to know about a work. */
export interface WorkAccessFacts {
  isDraft: boolean;
  isRestricted: boolean;
  creatorUserIds: readonly number[];
  /** Hidden by a moderator (src/moderation): only its creators and moderators see it. */
  isHidden?: boolean;
}

export type ReadDecision =
  | { allowed: true }
  | { allowed: false; status: 401 | 404; reason: string };

export function isCreator(viewer: Viewer | null, work: WorkAccessFacts): boolean {
  return viewer !== null && work.creatorUserIds.includes(viewer.id);
}

/**
 * Who may read a work: drafts only their creators (others get a 404, so a draft's existence
 * does not leak); restricted works only signed-in users.
 */
export function canReadWork(viewer: Viewer | null, work: WorkAccessFacts): ReadDecision {
  if (work.isHidden && !isCreator(viewer, work) && !viewer?.isAdmin && !viewer?.isModerator) {
    return { allowed: false, status: 404, reason: 'There is no work with this id. It may have been deleted.' };
  }
  if (work.isDraft && !isCreator(viewer, work)) {
    return { allowed: false, status: 404, reason: 'There is no work with this id. It may have been deleted, or it is a draft.' };
  }
  if (work.isRestricted && viewer === null) {
    return { allowed: false, status: 401, reason: 'This work is only available to registered users of the archive. Log in to read it.' };
  }
  return { allowed: true };
}

/** Only a work's creators may edit, post or delete it. */
export function canEditWork(viewer: Viewer | null, work: WorkAccessFacts): boolean {
  return isCreator(viewer, work);
}

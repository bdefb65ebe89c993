import type { Viewer } from '../web/viewer.ts';

/** What a visibility decision needs to know about a work. */
export interface WorkAccessFacts {
  isDraft: boolean;
  isRestricted: boolean;
  creatorUserIds: readonly number[];
  /**
   * Hidden by a moderator (src/moderation): only its creators and moderators see it. Required, so
   * that no caller can forget it and show a hidden work by leaving it out.
   */
  isHidden: boolean;
}

export type ReadDecision = { allowed: true } | { allowed: false; status: 401 | 404; reason: string };

export function isCreator(viewer: Viewer | null, work: Pick<WorkAccessFacts, 'creatorUserIds'>): boolean {
  return viewer !== null && work.creatorUserIds.includes(viewer.id);
}

/**
 * Who may read a work: drafts only their creators (others get a 404, so a draft's existence
 * does not leak); hidden works only their creators, moderators and admins (404 to others);
 * restricted works only signed-in users. SQL that must agree with this (which tags a viewer
 * may see, src/tags/tag-visibility.ts) is checked against it by a test.
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

/**
 * Only a work's creators may edit, post or delete it: the pseuds in work_creators, so a co-creator
 * once they accepted (src/co-creators) and never a pending invitee or a creator who left or orphaned it.
 */
export function canEditWork(viewer: Viewer | null, work: WorkAccessFacts): boolean {
  return isCreator(viewer, work);
}

export type EditDecision = { allowed: true } | { allowed: false; status: 403 | 404; reason: string };

/**
 * Whether the viewer may change the work (creators only) and, when not, what to answer: a work
 * they may not even read (someone else's draft, a hidden work) does not exist for them, 404, so
 * that the edit pages do not tell them what the work page hides; any other work is not theirs, 403.
 */
export function decideWorkEdit(
  viewer: Viewer | null,
  work: WorkAccessFacts,
  forbidden = 'Only the creators of this work can change it.',
): EditDecision {
  if (canEditWork(viewer, work)) return { allowed: true };
  const read = canReadWork(viewer, work);
  if (!read.allowed && read.status === 404) return { allowed: false, status: 404, reason: read.reason };
  return { allowed: false, status: 403, reason: forbidden };
}

import type { Viewer } from '../web/viewer.ts';
import { canReadWork, decideWorkEdit, isCreator } from '../works/works.policy.ts';
import type { InteractionWork } from './work-access.ts';

export type Decision = { allowed: true } | { allowed: false; status: 401 | 403 | 404 | 422; reason: string };

const ok: Decision = { allowed: true };

/** Who may post a comment or reply on a work. */
export function canComment(
  viewer: Viewer | null,
  work: InteractionWork,
  facts: {
    blockedByCreator: boolean;
    parent?: { isFrozen: boolean; isDeleted: boolean; blockedByAuthor: boolean; visible: boolean } | undefined;
  },
): Decision {
  const read = canReadWork(viewer, work);
  if (!read.allowed) return read;
  if (work.isDraft) return { allowed: false, status: 422, reason: 'Drafts cannot be commented on. Post the work first.' };
  if (viewer === null && !work.guestCommentsAllowed) {
    return { allowed: false, status: 403, reason: 'The creator has turned off guest comments on this work. Log in to comment.' };
  }
  if (facts.blockedByCreator)
    return { allowed: false, status: 403, reason: "The creator of this work has blocked you, so you can't comment on it." };
  const parent = facts.parent;
  if (parent) {
    if (!parent.visible) return { allowed: false, status: 404, reason: 'There is no such comment to reply to. It may have been deleted.' };
    if (parent.isFrozen) return { allowed: false, status: 403, reason: 'This comment thread is frozen: no one can reply to it.' };
    if (parent.isDeleted) return { allowed: false, status: 422, reason: 'This comment was deleted, so you cannot reply to it.' };
    if (parent.blockedByAuthor)
      return { allowed: false, status: 403, reason: "This commenter has blocked you, so you can't reply to them." };
  }
  return ok;
}

/** Only the signed-in author edits a comment. */
export function canEditComment(viewer: Viewer | null, comment: { userId: number | null; isDeleted: boolean }): Decision {
  if (viewer === null) return { allowed: false, status: 401, reason: 'You need to log in to edit a comment.' };
  if (comment.userId !== viewer.id) return { allowed: false, status: 403, reason: 'You can only edit your own comments.' };
  if (comment.isDeleted) return { allowed: false, status: 422, reason: 'This comment was deleted; it cannot be edited.' };
  return ok;
}

/** Moderators and admins act on any comment (reported ones above all); their actions are audited. */
export function isStaff(viewer: Viewer | null): boolean {
  return viewer !== null && (viewer.isAdmin || viewer.isModerator === true);
}

/** The author deletes their comment; a work's creator, or staff, deletes any comment on it. */
export function canDeleteComment(viewer: Viewer | null, comment: { userId: number | null }, work: InteractionWork): Decision {
  if (viewer === null) return { allowed: false, status: 401, reason: 'You need to log in to delete a comment.' };
  if (comment.userId === viewer.id || isCreator(viewer, work) || isStaff(viewer)) return ok;
  return { allowed: false, status: 403, reason: 'You can only delete your own comments, or comments on your own works.' };
}

/** Approving, hiding and freezing belong to the work's creators, and to staff. */
export function canModerateComments(viewer: Viewer | null, work: InteractionWork): Decision {
  if (viewer === null) return { allowed: false, status: 401, reason: 'You need to log in to moderate comments.' };
  if (!isCreator(viewer, work) && !isStaff(viewer))
    return { allowed: false, status: 403, reason: 'Only the creator of this work can moderate its comments.' };
  return ok;
}

/** A work's comment settings (guest comments, moderation) belong to its creators alone. */
export function canChangeCommentSettings(viewer: Viewer | null, work: InteractionWork): Decision {
  if (viewer === null) return { allowed: false, status: 401, reason: 'You need to log in to change comment settings.' };
  // Someone else's draft or a hidden work is a 404, as its page is (decideWorkEdit).
  const edit = decideWorkEdit(viewer, work, 'Only the creator of this work can change its comment settings.');
  if (!edit.allowed) return edit;
  return ok;
}

import { HttpError } from '../web/errors.tsx';
import type { Viewer } from '../web/viewer.ts';

/** Moderators and admins work the moderation queue. */
export function isStaff(viewer: Viewer | null): boolean {
  return viewer !== null && (viewer.isAdmin || viewer.isModerator === true);
}

/** The viewer when they are a moderator or admin; 401 for guests, 403 for everyone else. */
export function requireStaff(viewer: Viewer | null): Viewer {
  if (!viewer) throw new HttpError(401, 'You need to log in to do that.');
  if (!isStaff(viewer)) throw new HttpError(403, 'Only moderators and admins can do that.');
  return viewer;
}

/** The viewer when they are an admin; 401 for guests, 403 for everyone else. */
export function requireAdmin(viewer: Viewer | null): Viewer {
  if (!viewer) throw new HttpError(401, 'You need to log in to do that.');
  if (!viewer.isAdmin) throw new HttpError(403, 'Only admins can do that.');
  return viewer;
}

/** Staff cannot suspend themselves or an admin (an admin's account is managed from the command line). */
export function canSuspend(actor: Viewer, target: { id: number; isAdmin: boolean }): boolean {
  return actor.id !== target.id && !target.isAdmin;
}

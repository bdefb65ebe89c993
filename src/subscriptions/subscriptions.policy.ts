import type { Viewer } from '../web/viewer.ts';
import { canReadWork, isCreator, type ReadDecision, type WorkAccessFacts } from '../works/works.policy.ts';

export type SubscribeDecision = { allowed: true } | { allowed: false; status: 401 | 403 | 404 | 422; reason: string };

/** A signed-in reader may follow a work they can read, unless it is their own. */
export function canSubscribeToWork(viewer: Viewer | null, work: WorkAccessFacts): SubscribeDecision {
  if (!viewer) return { allowed: false, status: 401, reason: 'Log in to subscribe: updates arrive in your inbox.' };
  const read: ReadDecision = canReadWork(viewer, work);
  if (!read.allowed) return read;
  if (work.isDraft) return { allowed: false, status: 422, reason: 'You can subscribe to a work once it is posted.' };
  if (isCreator(viewer, work)) return { allowed: false, status: 422, reason: 'This is your own work: you already know when it changes.' };
  return { allowed: true };
}

/** A signed-in user may follow any other creator. */
export function canSubscribeToCreator(viewer: Viewer | null, creatorUserId: number): SubscribeDecision {
  if (!viewer) return { allowed: false, status: 401, reason: 'Log in to subscribe: updates arrive in your inbox.' };
  if (viewer.id === creatorUserId) return { allowed: false, status: 422, reason: 'You cannot subscribe to yourself.' };
  return { allowed: true };
}

/** A signed-in user may follow a series they can see. */
export function canSubscribeToSeries(viewer: Viewer | null, seriesVisible: boolean): SubscribeDecision {
  if (!viewer) return { allowed: false, status: 401, reason: 'Log in to subscribe: updates arrive in your inbox.' };
  if (!seriesVisible) return { allowed: false, status: 404, reason: 'There is no series with this id. It may have been deleted.' };
  return { allowed: true };
}

/** Only the user themselves sees their subscriptions and stats. */
export function isSelf(viewer: Viewer | null, userId: number): boolean {
  return viewer !== null && viewer.id === userId;
}

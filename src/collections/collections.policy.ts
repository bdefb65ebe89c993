import type { Viewer } from '../web/viewer.ts';
import type { CollectionRole } from '../db/tables/collections.ts';

/** What a collection decision needs: who runs it, and whether it takes new works. */
export interface CollectionAccessFacts {
  participants: ReadonlyArray<{ userId: number; role: CollectionRole }>;
  isClosed: boolean;
}

function roleOf(viewer: Viewer | null, facts: CollectionAccessFacts): CollectionRole | undefined {
  return viewer ? facts.participants.find((p) => p.userId === viewer.id)?.role : undefined;
}

/** Owners change the collection's settings, its maintainers, and delete it. */
export function isCollectionOwner(viewer: Viewer | null, facts: CollectionAccessFacts): boolean {
  return roleOf(viewer, facts) === 'owner';
}

/** Owners and moderators ("maintainers") approve, reject, invite and remove items. */
export function isCollectionMaintainer(viewer: Viewer | null, facts: CollectionAccessFacts): boolean {
  return roleOf(viewer, facts) !== undefined;
}

/**
 * A closed collection takes no new works from anyone but its maintainers (who may still invite);
 * an open one takes any signed-in creator's own works.
 */
export function canAddToCollection(viewer: Viewer | null, facts: CollectionAccessFacts): boolean {
  return viewer !== null && (!facts.isClosed || isCollectionMaintainer(viewer, facts));
}

import type { Viewer } from '../web/viewer.ts';

/** Who is acting, as the tag policy sees them: the viewer plus their roles. */
export interface TagActor {
  viewer: Viewer | null;
  roles: readonly string[];
}

/** Tag wranglers and admins may wrangle: make canonical, synonyms, merges, parents, meta tags. */
export function canWrangle(actor: TagActor): boolean {
  if (!actor.viewer) return false;
  return actor.viewer.isAdmin || actor.roles.includes('tag_wrangler');
}

/** Only admins grant and revoke the tag wrangler role. */
export function canManageWranglers(actor: TagActor): boolean {
  return actor.viewer?.isAdmin === true;
}

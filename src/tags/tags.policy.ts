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

/**
 * Who is looking at tags: the account (its roles are read with the tags, so an account id is enough), or
 * null for a guest, and for feeds and catalogues, which carry no session.
 */
export type TagViewer = Pick<Viewer, 'id'> | null;

/*
 * Which tags a viewer may see, on every surface that names or answers for a tag (its page, the works
 * listing of it, autocomplete, the API, OPDS, feeds, and the synonyms, parents and children a tag page
 * lists): a tag is visible when it is canonical, or used by at least one work the viewer may read
 * (canReadWork, src/works/works.policy.ts), or the viewer wrangles tags (tag wranglers and admins see
 * every tag on /wrangling already). Anything else is a 404, so a name typed on a draft or kept on a
 * hidden work does not leak. The rule runs as SQL, in one place: visibleTagCondition in tags.repo.ts.
 * Other slices take it from here.
 */
export { readableWorkCondition, visibleTagCondition } from './tags.repo.ts';

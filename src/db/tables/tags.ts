// Tables of one feature slice: tag model: canonical tags, synonyms, parents, wrangling, saved searches (issue 3).
// Each slice declares its tables here, so slices add tables without editing one shared interface.
// The columns the tag model adds to `tags` and `works` (canonical, merger_id, unwrangled, sortable_name,
// filter_tag_ids) are declared on TagsTable and WorksTable in ../schema.ts, since an interface
// cannot declare the same table twice.
import type { ColumnType, Generated } from 'kysely';

/** How a parent tag relates to its child. */
export const TAG_PARENT_KINDS = ['fandom', 'media', 'meta', 'character'] as const;
export type TagParentKind = (typeof TAG_PARENT_KINDS)[number];

/**
 * parent → child: 'fandom' (fandom → character/relationship/freeform), 'media' (media → fandom),
 * 'meta' (meta tag → sub tag), 'character' (character → a relationship naming it).
 */
export interface TagParentsTable {
  parent_id: number;
  child_id: number;
  kind: TagParentKind;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** Roles beyond the admin flag: 'tag_wrangler' here; other slices add their own role names. */
export interface UserRolesTable {
  user_id: number;
  role: string;
  granted_by: number | null;
  granted_at: Generated<Date>;
}

export interface TagTables {
  tag_parents: TagParentsTable;
  user_roles: UserRolesTable;
}

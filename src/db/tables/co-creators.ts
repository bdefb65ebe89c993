// Tables of co-creators and orphaning (migration 0023_co_creators).
import type { Generated } from 'kysely';
import type { CreatedAt } from '../schema.ts';

export interface CoCreatorTables {
  co_creator_invitations: CoCreatorInvitationsTable;
  co_creator_preferences: { user_id: number; allows_invitations: Generated<boolean> };
}

/** A pending invitation of a pseud to co-create one work or one series (never both). */
export interface CoCreatorInvitationsTable {
  id: Generated<number>;
  work_id: number | null;
  series_id: number | null;
  pseud_id: number;
  invited_by_user_id: number | null;
  created_at: CreatedAt;
}

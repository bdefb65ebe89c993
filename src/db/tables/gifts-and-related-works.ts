// Tables of gifts and related works (issue 14, parts 5 and 6; migration 0022).
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface GiftAndRelatedWorkTables {
  work_gifts: WorkGiftsTable;
  related_works: RelatedWorksTable;
}

export interface WorkGiftsTable {
  id: Generated<number>;
  work_id: number;
  /** The archive user it is for, or null for a free-text name. */
  recipient_user_id: number | null;
  /** The pseud it was addressed to, when the creator named one. */
  recipient_pseud_id: number | null;
  /** The name shown in "for …": the pseud's name, or the free text. */
  recipient_name: string;
  refused_at: Timestamp | null;
  /** When the recipient was told (null while the work is a draft). */
  announced_at: Timestamp | null;
  created_at: CreatedAt;
}

export type Relation = 'inspired_by' | 'translation_of' | 'remix_of' | 'podfic_of';
export type RelatedStatus = 'pending' | 'approved' | 'removed';

export interface RelatedWorksTable {
  id: Generated<number>;
  /** The work that names its parent (the translation, remix, podfic…). */
  work_id: number;
  relation: Relation;
  parent_work_id: number | null;
  external_url: string | null;
  external_title: string | null;
  external_creator: string | null;
  /** The parent's creators' answer; external links stay 'pending' (nobody here answers for them). */
  status: Generated<RelatedStatus>;
  announced_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

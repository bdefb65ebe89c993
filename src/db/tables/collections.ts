// Tables of the second half of issue 5: series, subscriptions and their notifications,
// daily hits for creators' stats, reading positions (migration 0009_series_subscriptions).
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../schema.ts';

export type EmailMode = 'each' | 'digest' | 'off';

export interface CollectionTables extends ArchiveCollectionTables {
  series: SeriesTable;
  series_creators: { series_id: number; user_id: number };
  series_works: { series_id: number; work_id: number; position: number };
  subscriptions: SubscriptionsTable;
  subscription_preferences: { user_id: number; email_mode: Generated<EmailMode> };
  subscription_notifications: SubscriptionNotificationsTable;
  work_hits_daily: { work_id: number; day: ColumnType<string, string, string>; hits: Generated<number> };
  reading_positions: ReadingPositionsTable;
}

export interface SeriesTable {
  id: Generated<number>;
  title: string;
  summary_html: Generated<string>;
  notes_html: Generated<string>;
  is_complete: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SubscriptionsTable {
  id: Generated<number>;
  user_id: number;
  work_id: number | null;
  creator_user_id: number | null;
  series_id: number | null;
  created_at: CreatedAt;
}

export interface SubscriptionNotificationsTable {
  id: Generated<number>;
  user_id: number;
  event_key: string;
  work_id: number | null;
  subject: string;
  text: string;
  url: string;
  email_mode: EmailMode;
  emailed_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface ReadingPositionsTable {
  user_id: number;
  work_id: number;
  chapter_id: number;
  paragraph: number | null;
  fraction: number | null;
  updated_at: Timestamp;
}

/** Collections of works run by owners and moderators (migration 0019_collections; src/collections). */
export interface ArchiveCollectionTables {
  collections: CollectionsTable;
  collection_participants: CollectionParticipantsTable;
  collection_items: CollectionItemsTable;
  collection_bookmarks: CollectionBookmarksTable;
}

export type CollectionRole = 'owner' | 'moderator';
export type ApprovalStatus = 'pending' | 'approved' | 'rejected';

export interface CollectionsTable {
  id: Generated<number>;
  name: string;
  title: string;
  description_html: Generated<string>;
  rules_html: Generated<string>;
  faq_html: Generated<string>;
  parent_id: number | null;
  is_closed: Generated<boolean>;
  is_moderated: Generated<boolean>;
  /** Creators shown as "Anonymous" / works shown as "Mystery work" until the reveal (decision 043). */
  is_anonymous: Generated<boolean>;
  is_unrevealed: Generated<boolean>;
  /** The scheduled reveal (migration 0024); null: only the maintainers' button reveals. */
  reveal_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CollectionParticipantsTable {
  collection_id: number;
  user_id: number;
  role: CollectionRole;
  created_at: CreatedAt;
}

export interface CollectionItemsTable {
  id: Generated<number>;
  collection_id: number;
  work_id: number;
  collection_approval: ApprovalStatus;
  creator_approval: ApprovalStatus;
  added_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** A bookmark in a collection (migration 0024): its owner adds it and the collection may have to approve, or a maintainer invites it and its owner must accept. */
export interface CollectionBookmarksTable {
  id: Generated<number>;
  collection_id: number;
  bookmark_id: number;
  collection_approval: ApprovalStatus;
  /** Migration 0031: pending while a maintainer's invitation waits for the bookmark's owner; approved when the owner added it. */
  owner_approval: Generated<ApprovalStatus>;
  added_by: number | null;
  created_at: CreatedAt;
}

// Tables of one feature slice: kudos, comments, bookmarks, series, subscriptions, inbox, muting and blocking (issue 5).
// Each slice declares its tables here, so slices add tables without editing one shared interface.
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../schema.ts';

export interface InteractionTables {
  interaction_secrets: { name: string; value: string };
  kudos: KudosTable;
  comments: CommentsTable;
  bookmarks: BookmarksTable;
  readings: ReadingsTable;
  interaction_preferences: { user_id: number; history_enabled: Generated<boolean> };
  inbox_items: InboxItemsTable;
  mutes: { user_id: number; muted_user_id: number; created_at: CreatedAt };
  blocks: { user_id: number; blocked_user_id: number; created_at: CreatedAt };
}

export interface KudosTable {
  id: Generated<number>;
  work_id: number;
  user_id: number | null;
  guest_fingerprint: string | null;
  created_at: CreatedAt;
}

export interface CommentsTable {
  id: Generated<number>;
  work_id: number;
  chapter_id: number | null;
  /** 1-based index of a top-level <p> of the chapter's stored HTML. */
  paragraph: number | null;
  parent_id: number | null;
  user_id: number | null;
  pseud_name: string | null;
  guest_name: string | null;
  guest_email: string | null;
  body_html: string;
  /** sha256 of the poster's address with the installation secret: rate limits without keeping addresses. */
  address_hash: string;
  is_approved: Generated<boolean>;
  is_hidden: Generated<boolean>;
  is_frozen: Generated<boolean>;
  deleted_at: Timestamp | null;
  edited_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface BookmarksTable {
  id: Generated<number>;
  user_id: number;
  work_id: number | null;
  /** A bookmark of a series (references series, on delete cascade: migration 0010). */
  series_id: number | null;
  external_url: string | null;
  external_title: string | null;
  external_creator: string | null;
  external_fandom: string | null;
  external_summary_html: string | null;
  notes_html: Generated<string>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  is_private: Generated<boolean>;
  is_rec: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ReadingsTable {
  user_id: number;
  work_id: number;
  to_read: Generated<boolean>;
  visits: Generated<number>;
  last_read_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface InboxItemsTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  work_id: number | null;
  comment_id: number | null;
  actor_user_id: number | null;
  text: string;
  url: string;
  dedupe_key: string | null;
  read_at: Timestamp | null;
  created_at: CreatedAt;
}

declare module '../schema.ts' {
  interface WorksTable {
    /** Whether guests (not signed in) may comment; the creator turns it off. */
    guest_comments_allowed: Generated<boolean>;
    /** Whether the creator approves each comment before it shows. */
    comments_moderated: Generated<boolean>;
  }
}

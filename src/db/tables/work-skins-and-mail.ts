// Tables of work skins, notification mail and email verification (issue 13, migration 0016).
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface WorkSkinAndMailTables {
  work_skins: WorkSkinsTable;
  work_skin_uses: WorkSkinUsesTable;
  notification_preferences: NotificationPreferencesTable;
  notification_digest_items: NotificationDigestItemsTable;
  user_email_verifications: UserEmailVerificationsTable;
  signing_secrets: SigningSecretsTable;
}

export interface WorkSkinsTable {
  id: Generated<number>;
  user_id: number;
  title: string;
  /** What the creator wrote, shown again in the form. */
  source_css: string;
  /** What readers' browsers get: cleaned and scoped (src/work-skins/skin-css.ts). */
  css: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface WorkSkinUsesTable {
  work_id: number;
  skin_id: number;
}

/** How a kind of notification reaches a user by email. */
export type MailChoice = 'each' | 'digest' | 'off';

export interface NotificationPreferencesTable {
  user_id: number;
  comments: Generated<MailChoice>;
  replies: Generated<MailChoice>;
  kudos: Generated<MailChoice>;
  gifts: Generated<MailChoice>;
  /** Migration 0031: filled from `comments`, which related-work mail followed before. */
  related_works: Generated<MailChoice>;
  updated_at: Timestamp;
}

export interface NotificationDigestItemsTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  text: string;
  url: string;
  created_at: CreatedAt;
}

export interface UserEmailVerificationsTable {
  user_id: number;
  email: string;
  verified_at: Timestamp;
}

export interface SigningSecretsTable {
  purpose: string;
  secret: string;
}

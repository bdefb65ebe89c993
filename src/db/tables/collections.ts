// Tables of the second half of issue 5: series, subscriptions and their notifications,
// daily hits for creators' stats, reading positions (migration 0009_series_subscriptions).
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../schema.ts';

export type EmailMode = 'each' | 'digest' | 'off';

export interface CollectionTables {
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

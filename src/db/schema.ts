import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { AnalysisTables } from './tables/analysis.ts';
import type { DownloadTables } from './tables/downloads.ts';
import type { InteractionTables } from './tables/interactions.ts';
import type { ModerationTables } from './tables/moderation.ts';
import type { TagTables } from './tables/tags.ts';
import type { SearchTables } from './tables/search.ts';
import type { CollectionTables } from './tables/collections.ts';
import type { OAuthTables } from '../oauth/oauth.tables.ts';
import type { ApiTables } from '../api/api.tables.ts';
import type { ReaderPreferencesTables } from './tables/reader-preferences.ts';
import type { WorkSkinAndMailTables } from './tables/work-skins-and-mail.ts';
import type { GiftAndRelatedWorkTables } from './tables/gifts-and-related-works.ts';
import type { CoCreatorTables } from './tables/co-creators.ts';
import type { GiftExchangeTables } from './tables/gift-exchanges.ts';
import type { PromptMemeTables } from './tables/prompt-memes.ts';

/** The database as Kysely sees it: table names in snake_case, one interface a table. */
export interface Database
  extends CoreTables,
    TagTables,
    InteractionTables,
    DownloadTables,
    ModerationTables,
    AnalysisTables,
    SearchTables,
    CollectionTables,
    WorkSkinAndMailTables,
    ReaderPreferencesTables,
    GiftAndRelatedWorkTables,
    CoCreatorTables,
    GiftExchangeTables,
    PromptMemeTables,
    OAuthTables,
    ApiTables {}

/** Accounts, works, chapters, tags as posted, and jobs: what every slice stands on. */
export interface CoreTables {
  users: UsersTable;
  pseuds: PseudsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  works: WorksTable;
  work_creators: WorkCreatorsTable;
  chapters: ChaptersTable;
  tags: TagsTable;
  work_tags: WorkTagsTable;
  jobs: JobsTable;
}

export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: Generated<number>;
  login: string;
  email: string;
  password_hash: string;
  is_admin: Generated<boolean>;
  created_at: CreatedAt;
}

export interface PseudsTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  is_default: Generated<boolean>;
  description: Generated<string>;
  created_at: CreatedAt;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface WorksTable {
  id: Generated<number>;
  title: string;
  summary_html: Generated<string>;
  notes_html: Generated<string>;
  end_notes_html: Generated<string>;
  language: Generated<string>;
  is_complete: Generated<boolean>;
  expected_chapters: number | null;
  is_draft: Generated<boolean>;
  is_restricted: Generated<boolean>;
  word_count: Generated<number>;
  chapter_count: Generated<number>;
  hits: Generated<number>;
  kudos_count: Generated<number>;
  comments_count: Generated<number>;
  bookmarks_count: Generated<number>;
  version: Generated<number>;
  published_at: Timestamp | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  created_at: CreatedAt;
  /** Canonical tag ids plus meta ancestors plus rating/warnings/categories; src/tags/filter-tags.ts keeps it. */
  filter_tag_ids: ColumnType<number[], number[] | undefined, number[]>;
  /** The creator shows readers when the next scheduled chapter is due (migration 0015). */
  show_next_chapter_date: Generated<boolean>;
}

export interface WorkCreatorsTable {
  work_id: number;
  pseud_id: number;
  position: Generated<number>;
}

export interface ChaptersTable {
  id: Generated<number>;
  work_id: number;
  position: number;
  title: Generated<string>;
  summary_html: Generated<string>;
  notes_html: Generated<string>;
  end_notes_html: Generated<string>;
  body_html: string;
  word_count: Generated<number>;
  published_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** False while a chapter waits for its scheduled time: only the work's creators see it (migration 0011). */
  posted: Generated<boolean>;
  scheduled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export const TAG_TYPES = ['rating', 'warning', 'category', 'media', 'fandom', 'relationship', 'character', 'freeform'] as const;
export type TagType = (typeof TAG_TYPES)[number];

export interface TagsTable {
  id: Generated<number>;
  type: TagType;
  name: string;
  created_at: CreatedAt;
  /** Tag model (migration 0003): canonical tags, synonyms (merger_id → the canonical), wrangling state. */
  canonical: Generated<boolean>;
  merger_id: number | null;
  unwrangled: Generated<boolean>;
  sortable_name: Generated<string>;
}

export interface WorkTagsTable {
  work_id: number;
  tag_id: number;
  /** The order the creator typed the tags in. */
  position: Generated<number>;
}

export type UserRow = Selectable<UsersTable>;
export type PseudRow = Selectable<PseudsTable>;
export type WorkRow = Selectable<WorksTable>;
export type ChapterRow = Selectable<ChaptersTable>;
export type TagRow = Selectable<TagsTable>;
export type NewChapter = Insertable<ChaptersTable>;

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload: ColumnType<unknown, string | undefined, string>;
  run_at: Timestamp;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_at: Timestamp | null;
  locked_by: string | null;
  last_error: string | null;
  done_at: Timestamp | null;
  failed_at: Timestamp | null;
  dedupe_key: string | null;
  created_at: CreatedAt;
}

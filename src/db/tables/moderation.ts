// Tables of one feature slice: reports, moderation actions, audit log, site settings, invitations, admin posts,
// hardened accounts and scheduled posts (issue 7, migration 0007_moderation).
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ModerationTables {
  reports: ReportsTable;
  audit_log: AuditLogTable;
  hidden_works: HiddenWorksTable;
  user_suspensions: UserSuspensionsTable;
  site_settings: SiteSettingsTable;
  invitation_requests: InvitationRequestsTable;
  invitations: InvitationsTable;
  admin_posts: AdminPostsTable;
  admin_post_comments: AdminPostCommentsTable;
  user_two_factor: UserTwoFactorTable;
  recovery_codes: RecoveryCodesTable;
  pending_logins: PendingLoginsTable;
  password_resets: PasswordResetsTable;
  scheduled_posts: ScheduledPostsTable;
}

export type ReportTargetType = 'work' | 'comment' | 'user';

export interface ReportsTable {
  id: Generated<number>;
  reporter_id: number | null;
  target_type: ReportTargetType;
  target_id: number;
  reason: string;
  details: Generated<string>;
  status: Generated<'open' | 'handled'>;
  handled_by: number | null;
  handled_at: Timestamp | null;
  created_at: CreatedAt;
}

/** Append-only: the database refuses UPDATE, DELETE and TRUNCATE (a trigger). */
export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  actor_login: string;
  action: string;
  target_type: string;
  target_id: string;
  reason: Generated<string>;
  details: ColumnType<unknown, string | undefined, never>;
  created_at: CreatedAt;
}

export interface HiddenWorksTable {
  work_id: number;
  reason: string;
  hidden_by: number | null;
  hidden_at: CreatedAt;
}

export interface UserSuspensionsTable {
  user_id: number;
  /** null: banned for good. */
  until: Timestamp | null;
  message: string;
  created_by: number | null;
  created_at: CreatedAt;
}

export type SignupMode = 'open' | 'invitations' | 'closed';

export interface SiteSettingsTable {
  id: number;
  name: string | null;
  description: Generated<string>;
  signup_mode: Generated<SignupMode>;
  guest_comments: Generated<boolean>;
  content_policy: Generated<string>;
  /** Whether new accounts must verify their email before posting; null: when SMTP_URL is set (migration 0016). */
  email_verification: boolean | null;
  /** Hosts whose players works may embed; null: the built-in list (migration 0017). */
  embed_hosts: string[] | null;
  updated_at: Timestamp;
}

export interface InvitationRequestsTable {
  id: Generated<number>;
  email: string;
  created_at: CreatedAt;
  invited_at: Timestamp | null;
}

export interface InvitationsTable {
  id: Generated<number>;
  code_hash: string;
  email: string | null;
  created_by: number | null;
  created_at: CreatedAt;
  used_at: Timestamp | null;
  used_by: number | null;
}

export interface AdminPostsTable {
  id: Generated<number>;
  author_id: number | null;
  title: string;
  body_html: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface AdminPostCommentsTable {
  id: Generated<number>;
  post_id: number;
  user_id: number | null;
  body: string;
  created_at: CreatedAt;
}

export interface UserTwoFactorTable {
  user_id: number;
  secret: string;
  enabled_at: Timestamp | null;
  /** The last TOTP time step accepted, so a code works once. */
  last_step: ColumnType<string, string | number | undefined, string | number>;
}

export interface RecoveryCodesTable {
  user_id: number;
  code_hash: string;
  used_at: Timestamp | null;
}

export interface PendingLoginsTable {
  token_hash: string;
  user_id: number;
  expires_at: Timestamp;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: number;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface ScheduledPostsTable {
  work_id: number;
  post_at: Timestamp;
  created_at: CreatedAt;
}

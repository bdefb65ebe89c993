// Tables of the OAuth slice (migration 0018_oauth).
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface OAuthTables {
  oauth_apps: OAuthAppsTable;
  oauth_codes: OAuthCodesTable;
  oauth_tokens: OAuthTokensTable;
}

export interface OAuthAppsTable {
  id: Generated<number>;
  /** The public client id apps send; not a secret (apps are public clients and prove themselves with PKCE). */
  client_id: string;
  owner_user_id: number;
  name: string;
  /** The one address codes are sent back to, compared exactly. */
  redirect_uri: string;
  created_at: CreatedAt;
}

export interface OAuthCodesTable {
  id: Generated<number>;
  code_hash: string;
  app_id: number;
  user_id: number;
  redirect_uri: string;
  scopes: string[];
  /** The S256 challenge; every code has one (plain PKCE and codes without PKCE are refused). */
  code_challenge: string;
  expires_at: Timestamp;
}

export interface OAuthTokensTable {
  id: Generated<number>;
  access_token_hash: string;
  access_expires_at: Timestamp;
  refresh_token_hash: string;
  refresh_expires_at: Timestamp;
  app_id: number;
  user_id: number;
  scopes: string[];
  created_at: CreatedAt;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

import type { ColumnType } from 'kysely';

/** The API's own tables (migration 0021). */
export interface ApiTables {
  api_idempotency_keys: ApiIdempotencyKeysTable;
}

export interface ApiIdempotencyKeysTable {
  user_id: number;
  method: string;
  path: string;
  key: string;
  /** A hash of the request's body: the same key with another body is refused. */
  fingerprint: string;
  /** Null while the first request runs; its status once it succeeded. */
  status: number | null;
  content_type: string | null;
  location: string | null;
  body: string | null;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

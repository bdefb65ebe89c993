// Tables of gift exchanges (issue 14, part 2; migration 0027, decision 046).
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type ExchangeStatus = 'signups' | 'matching' | 'matched' | 'sent';

export interface GiftExchangeTables {
  gift_exchanges: GiftExchangesTable;
  exchange_signups: ExchangeSignupsTable;
  exchange_assignments: ExchangeAssignmentsTable;
  exchange_tag_nominations: ExchangeTagNominationsTable;
}

export interface GiftExchangesTable {
  id: Generated<number>;
  collection_id: number;
  signups_open_at: Timestamp;
  signups_close_at: Timestamp;
  /** When assigned works are due; a reminder job runs a few days before. */
  due_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The matcher's ExchangeRules (src/exchanges/matching), JSON. */
  rules: Json<unknown>;
  /** Allowed tag names per tag type, JSON. */
  tag_set: Json<unknown>;
  status: Generated<ExchangeStatus>;
  /** The last matching's explanations and potential matches, for the maintainers' review. */
  match_summary: ColumnType<unknown, string | null | undefined, string | null>;
  match_error: string | null;
  /** How many tags of each type one participant may nominate ({ fandom: 3 }), JSON; a type absent takes none. */
  nomination_limits: ColumnType<unknown, string | undefined, string>;
  /** The nomination window (migration 0032): null opening is from the making, null closing is when sign-ups close. */
  nominations_open_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  nominations_close_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ExchangeSignupsTable {
  id: Generated<number>;
  exchange_id: number;
  user_id: number;
  /** Prompts ({ tags: { type: [names] }, any: [types] }), JSON. */
  requests: Json<unknown>;
  offers: Json<unknown>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ExchangeAssignmentsTable {
  id: Generated<number>;
  exchange_id: number;
  recipient_signup_id: number;
  /** Null while a defaulted assignment waits for a pinch hitter. */
  giver_user_id: number | null;
  weight: Generated<number>;
  pinch_hit: Generated<boolean>;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Givers who gave this assignment up: not offered it again. */
  defaulted_user_ids: ColumnType<number[], number[] | undefined, number[]>;
  work_id: number | null;
  fulfilled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

export type NominationStatus = 'pending' | 'approved' | 'rejected';

export interface ExchangeTagNominationsTable {
  id: Generated<number>;
  exchange_id: number;
  user_id: number;
  tag_type: string;
  /** Spelled as the archive spells the tag. */
  tag_name: string;
  status: Generated<NominationStatus>;
  decided_by_user_id: number | null;
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

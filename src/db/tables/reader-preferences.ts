// Tables of one feature slice: reader preferences (issue 13, migration 0015).
import type { ColumnType } from 'kysely';

/** One account's reading choices; no row means the defaults (src/accounts/reader-preferences.ts). */
export interface ReaderPreferencesTable {
  user_id: number;
  show_adult: ColumnType<boolean, boolean | undefined, boolean>;
  hide_warnings: ColumnType<boolean, boolean | undefined, boolean>;
  hide_freeforms: ColumnType<boolean, boolean | undefined, boolean>;
  text_size: ColumnType<string, string | undefined, string>;
  line_width: ColumnType<string, string | undefined, string>;
  font: ColumnType<string, string | undefined, string>;
  theme: ColumnType<string, string | undefined, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ReaderPreferencesTables {
  reader_preferences: ReaderPreferencesTable;
}

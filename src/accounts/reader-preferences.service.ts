import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { DEFAULT_PREFERENCES, parsePreferences, serializePreferences, type ReaderPreferences } from './reader-preferences.ts';
import { findReaderPreferencesRow, upsertReaderPreferencesRow, type ReaderPreferencesRow } from './reader-preferences.repo.ts';

/** The row's values, each checked against the fixed lists (the table's checks say the same). */
function toPreferences(row: ReaderPreferencesRow | undefined): ReaderPreferences {
  if (!row) return { ...DEFAULT_PREFERENCES };
  // One parser for cookie and row, so a value neither list knows falls back the same way.
  return parsePreferences(
    serializePreferences({
      showAdult: row.show_adult,
      hideWarnings: row.hide_warnings,
      hideFreeforms: row.hide_freeforms,
      textSize: row.text_size as ReaderPreferences['textSize'],
      lineWidth: row.line_width as ReaderPreferences['lineWidth'],
      font: row.font as ReaderPreferences['font'],
      theme: row.theme as ReaderPreferences['theme'],
    }),
  );
}

/** An account's preferences; the defaults when it never saved any. */
export async function loadReaderPreferences(db: Kysely<Database>, userId: number): Promise<ReaderPreferences> {
  return toPreferences(await findReaderPreferencesRow(db, userId));
}

/** Saves an account's preferences (one statement, so one transaction). */
export async function saveReaderPreferences(db: Kysely<Database>, userId: number, p: ReaderPreferences): Promise<void> {
  await upsertReaderPreferencesRow(db, {
    user_id: userId,
    show_adult: p.showAdult,
    hide_warnings: p.hideWarnings,
    hide_freeforms: p.hideFreeforms,
    text_size: p.textSize,
    line_width: p.lineWidth,
    font: p.font,
    theme: p.theme,
  });
}

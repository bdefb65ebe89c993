import { z } from 'zod';
import { FONTS, LINE_WIDTHS, TEXT_SIZES, THEMES, type ReaderPreferences } from './reader-preferences.ts';

const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => v !== undefined && v !== '' && v !== '0' && v !== 'false');

const choice = <T extends readonly [string, ...string[]]>(values: T, what: string, fallback: T[number]) =>
  z
    .string({ error: `Choose a ${what} from the list.` })
    .optional()
    .transform((v) => v ?? fallback)
    .pipe(z.enum(values, { error: `Choose a ${what} from the list (${values.join(', ')}).` }));

/** The preferences form: unticked boxes are absent, so they read as off. */
export const ReaderPreferencesSchema = z
  .object({
    show_adult: checkbox,
    hide_warnings: checkbox,
    hide_freeforms: checkbox,
    text_size: choice(TEXT_SIZES, 'text size', 'medium'),
    line_width: choice(LINE_WIDTHS, 'line width', 'medium'),
    font: choice(FONTS, 'font', 'serif'),
    theme: choice(THEMES, 'theme', 'system'),
  })
  .transform(
    (f): ReaderPreferences => ({
      showAdult: f.show_adult,
      hideWarnings: f.hide_warnings,
      hideFreeforms: f.hide_freeforms,
      textSize: f.text_size,
      lineWidth: f.line_width,
      font: f.font,
      theme: f.theme,
    }),
  );
export type ReaderPreferencesInput = z.infer<typeof ReaderPreferencesSchema>;

/** The form's values from saved preferences (to fill it in). */
export function toPreferencesFormValues(p: ReaderPreferences): Record<string, string> {
  return {
    show_adult: p.showAdult ? '1' : '',
    hide_warnings: p.hideWarnings ? '1' : '',
    hide_freeforms: p.hideFreeforms ? '1' : '',
    text_size: p.textSize,
    line_width: p.lineWidth,
    font: p.font,
    theme: p.theme,
  };
}

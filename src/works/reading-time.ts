/*
 * Estimated reading time, as blurbs and work pages show it: words at 250 a minute (a common
 * figure for silent reading of fiction in English), rounded so the figure never claims more
 * precision than an estimate has:
 *   under a minute        → "under 1 min"
 *   under an hour         → to the nearest minute ("7 min")
 *   under ten hours       → to the nearest 5 minutes ("1 h 35 min", "2 h")
 *   ten hours and more    → to the nearest hour ("14 h")
 */

export const WORDS_PER_MINUTE = 250;

/** The estimate's text for a word count, or null when there is nothing to read. */
export function formatReadingTime(words: number): string | null {
  if (!Number.isFinite(words) || words <= 0) return null;
  const minutes = words / WORDS_PER_MINUTE;
  if (minutes < 1) return 'under 1 min';
  if (minutes < 59.5) return `${Math.round(minutes)} min`;
  const step = minutes < 600 ? 5 : 60;
  const rounded = Math.round(minutes / step) * step;
  const h = Math.floor(rounded / 60);
  const m = rounded % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

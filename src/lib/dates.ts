/** A date as AO3 shows it on blurbs and stats: YYYY-MM-DD, in UTC. */
export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

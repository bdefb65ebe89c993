// The stats slice's interface for other slices: they import from here, never from stats.repo.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { CsvCell } from './csv.ts';
import * as repo from './stats.repo.ts';

export { addDailyHits } from './stats.repo.ts';

export const METRICS = ['hits', 'kudos', 'comments', 'bookmarks', 'subscriptions'] as const;
export type Metric = (typeof METRICS)[number];
export type Counts = Record<Metric, number>;

export const PERIODS = [7, 30, 90, 365] as const;

const zero = (): Counts => ({ hits: 0, kudos: 0, comments: 0, bookmarks: 0, subscriptions: 0 });

/** The UTC days from `days - 1` days before `today` to `today`, as yyyy-mm-dd. */
export function dayRange(today: Date, days: number): string[] {
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

export interface CreatorStats {
  works: Array<{ id: number; title: string; totals: Counts; words: number }>;
  totals: Counts;
  days: string[];
  /** Per day, all works together. */
  daily: Counts[];
  /** Per work and day, only the days with something in them (for the CSV). */
  perWorkDaily: Array<{ workId: number; title: string; day: string; counts: Counts }>;
}

/** Totals per work, and day-by-day figures over the period, for one creator's posted works. */
export async function loadCreatorStats(
  db: Kysely<Database>,
  userId: number,
  options: { days: number; today?: Date },
): Promise<CreatorStats> {
  const rows = await repo.findWorkTotals(db, userId);
  const works = rows.map((r) => ({
    id: r.id,
    title: r.title,
    words: r.word_count,
    totals: {
      hits: r.hits,
      kudos: r.kudos_count,
      comments: r.comments_count,
      bookmarks: r.bookmarks_count,
      subscriptions: Number(r.subscriptions ?? 0),
    },
  }));
  const totals = zero();
  for (const w of works) for (const m of METRICS) totals[m] += w.totals[m];
  const days = dayRange(options.today ?? new Date(), options.days);
  const counts = await repo.findDailyCounts(
    db,
    works.map((w) => w.id),
    days[0]!,
    days[days.length - 1]!,
  );
  const index = new Map(days.map((d, i) => [d, i]));
  const daily = days.map(zero);
  const perWork = new Map<string, { workId: number; day: string; counts: Counts }>();
  for (const c of counts) {
    const i = index.get(c.day);
    if (i === undefined) continue;
    daily[i]![c.metric] += c.n;
    const key = `${c.work_id}:${c.day}`;
    const entry = perWork.get(key) ?? { workId: c.work_id, day: c.day, counts: zero() };
    entry.counts[c.metric] += c.n;
    perWork.set(key, entry);
  }
  const titles = new Map(works.map((w) => [w.id, w.title]));
  const perWorkDaily = [...perWork.values()]
    .sort((a, b) => (a.day === b.day ? a.workId - b.workId : a.day < b.day ? -1 : 1))
    .map((e) => ({ ...e, title: titles.get(e.workId) ?? '' }));
  return { works, totals, days, daily, perWorkDaily };
}

/** The CSV download: one row per work per day with activity, then each work's all-time totals. */
export function toStatsCsvRows(stats: CreatorStats): CsvCell[][] {
  const header: CsvCell[] = ['date', 'work_id', 'work_title', ...METRICS];
  const daily = stats.perWorkDaily.map((e): CsvCell[] => [e.day, e.workId, e.title, ...METRICS.map((m) => e.counts[m])]);
  const totals = stats.works.map((w): CsvCell[] => ['all time', w.id, w.title, ...METRICS.map((m) => w.totals[m])]);
  return [header, ...daily, ...totals];
}

import type { Selectable } from 'kysely';
import { trustHtml, type SafeHtml } from '../lib/safe-html.ts';
import { formatDate } from '../lib/dates.ts';
import type { SeriesTable } from '../db/tables/collections.ts';

export interface SeriesView {
  id: number;
  href: string;
  title: string;
  summaryHtml: SafeHtml;
  notesHtml: SafeHtml;
  isComplete: boolean;
  updated: string;
  creators: Array<{ login: string; href: string }>;
}

/** Maps a series row and its creators to what the templates show. */
export function toSeriesView(row: Selectable<SeriesTable>, creators: ReadonlyArray<{ login: string }>): SeriesView {
  return {
    id: row.id,
    href: `/series/${row.id}`,
    title: row.title,
    summaryHtml: trustHtml(row.summary_html),
    notesHtml: trustHtml(row.notes_html),
    isComplete: row.is_complete,
    updated: formatDate(row.updated_at),
    creators: creators.map((c) => ({ login: c.login, href: `/users/${encodeURIComponent(c.login)}` })),
  };
}

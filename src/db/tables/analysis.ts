// Tables of one feature slice: stored story analyses per chapter version (issue 4).
// Each slice declares its tables here, so slices add tables without editing one shared interface.
import type { ColumnType } from 'kysely';

/** The analysis of one chapter version (src/story-intelligence/stored.ts describes `result`). */
export interface ChapterAnalysesTable {
  chapter_id: number;
  /** sha256 (hex) of the chapter's body_html when it was analysed. */
  content_hash: string;
  result: ColumnType<unknown, string, string>;
  analyzed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A chapter version whose analysis job failed for good (migration 0012). */
export interface ChapterAnalysisFailuresTable {
  chapter_id: number;
  /** sha256 (hex) of the chapter's body_html the job was enqueued for. */
  content_hash: string;
  /** The job's last error message. */
  error: string;
  failed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A proposal the work's creator dismissed. */
export interface AnalysisDismissalsTable {
  work_id: number;
  kind: string;
  /** The proposed value, lower-cased. */
  value_key: string;
  dismissed_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface AnalysisTables {
  chapter_analyses: ChapterAnalysesTable;
  analysis_dismissals: AnalysisDismissalsTable;
  chapter_analysis_failures: ChapterAnalysisFailuresTable;
}

// The analysis job's registration on the job runner: the handler and what happens when it fails
// for good. Apart from the routes so a test can register it again with another analyzer.
import type { JobRunner } from '../jobs/runner.ts';
import { ANALYSIS_JOB } from './enqueue.ts';
import { analyzeChapterHtml, recordAnalysisFailure, runChapterAnalysis, type ChapterAnalyzer } from './story-intelligence.service.ts';

export interface AnalysisJobOptions {
  /** What reads a chapter: the library by default (tests pass one that throws). */
  analyze?: ChapterAnalyzer;
  /** Called with the work's id after an analysis or a failure was stored (its cached pages show the story map). */
  onChanged?: (workId: number) => void;
}

/**
 * Registers the `analysis.chapter` job: a throwing analysis is retried by the runner
 * (ANALYSIS_ATTEMPTS in all); after the last attempt the failure is recorded per chapter version
 * (chapter_analysis_failures) for the creator's panel and /works/:id/analysis_status.
 */
export function registerAnalysisJob(jobs: JobRunner, options: AnalysisJobOptions = {}): void {
  const analyze = options.analyze ?? analyzeChapterHtml;
  jobs.register(
    ANALYSIS_JOB,
    async (db, payload) => {
      const workId = await runChapterAnalysis(db, payload, analyze);
      if (workId !== undefined) options.onChanged?.(workId);
    },
    {
      onFailure: async (db, payload, error) => {
        const workId = await recordAnalysisFailure(db, payload, error);
        if (workId !== undefined) options.onChanged?.(workId);
      },
    },
  );
}

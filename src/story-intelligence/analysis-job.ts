// The analysis job's registration on the job runner: the handler and what happens when it fails
// for good. Apart from the routes so a test can register it again with another analyzer.
import type { JobRunner } from '../jobs/runner.ts';
import { ANALYSIS_JOB } from './enqueue.ts';
import { JobGiveUpError } from '../jobs/runner.ts';
import { describeLimit, TaskLimitError } from '../workers/task-pool.ts';
import { analyzeChapterInWorker, recordAnalysisFailure, runChapterAnalysis, type ChapterAnalyzer } from './story-intelligence.service.ts';

export interface AnalysisJobOptions {
  /** What reads a chapter: the library in the worker pool by default (tests pass one that throws). */
  analyze?: ChapterAnalyzer;
  /** Called with the work's id after an analysis or a failure was stored (its cached pages show the story map). */
  onChanged?: (workId: number) => void;
}

/**
 * Registers the `analysis.chapter` job: a throwing analysis is retried by the runner
 * (ANALYSIS_ATTEMPTS in all); after the last attempt the failure is recorded per chapter version
 * (chapter_analysis_failures) for the creator's panel and /works/:id/analysis_status. An analysis
 * stopped at the worker pool's time or memory limit is not retried.
 */
export function registerAnalysisJob(jobs: JobRunner, options: AnalysisJobOptions = {}): void {
  const analyze = options.analyze ?? analyzeChapterInWorker;
  jobs.register(
    ANALYSIS_JOB,
    async (db, payload) => {
      let workId: number | undefined;
      try {
        workId = await runChapterAnalysis(db, payload, analyze);
      } catch (error) {
        // The same text would pass the same limit again: no retry, the creator is told at once.
        if (error instanceof TaskLimitError) throw new JobGiveUpError(describeLimit(error, 'Reading this chapter'));
        throw error;
      }
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

// A chapter's text as the author gave it, to the sanitized HTML that is stored. Short texts are
// converted here; longer ones in the worker pool, where a hostile body (nesting, sheer size) costs
// one bounded task instead of every other request's time.
import type { SafeHtml } from '../lib/safe-html.ts';
import { describeLimit, REQUEST_TASK_MS, TaskInputError, TaskLimitError, taskPool } from '../workers/task-pool.ts';
import { configuredEmbedHosts, countWords, NestingTooDeepError, toChapterHtml, type TextFormat } from './text/index.ts';

/** Up to this many characters a conversion takes well under a millisecond: not worth a thread hop. */
const INLINE_CHARS = 32 * 1024;

/** The text cannot become a chapter (nested too deep, too slow or too large to format); the message says why. */
export class ChapterTextError extends Error {
  readonly statusCode = 422;
  override name = 'ChapterTextError';
}

export interface ConvertedChapter {
  bodyHtml: SafeHtml;
  words: number;
}

/**
 * Converts and counts; throws the text library's own errors (the worker task's body). A worker
 * thread is handed the embed hosts in force in the main thread, which only the main thread knows.
 */
export function convertChapterNow(text: string, format: TextFormat, embedHosts?: readonly string[]): ConvertedChapter {
  const bodyHtml = toChapterHtml(text, format, embedHosts === undefined ? {} : { embedHosts });
  return { bodyHtml, words: countWords(bodyHtml) };
}

/** Converts a chapter's text, off the event loop when it is long; throws ChapterTextError for the author. */
export async function convertChapterText(text: string, format: TextFormat): Promise<ConvertedChapter> {
  if (text.length <= INLINE_CHARS) {
    try {
      return convertChapterNow(text, format);
    } catch (error) {
      if (error instanceof NestingTooDeepError) throw new ChapterTextError(error.message);
      throw error;
    }
  }
  try {
    return await taskPool().run('convertChapter', { text, format, embedHosts: [...configuredEmbedHosts()] }, REQUEST_TASK_MS);
  } catch (error) {
    if (error instanceof TaskInputError) throw new ChapterTextError(error.message);
    if (error instanceof TaskLimitError) {
      throw new ChapterTextError(
        `${describeLimit(error, 'Formatting this text')} Simplify its formatting or split it into chapters, and try again.`,
      );
    }
    throw error;
  }
}

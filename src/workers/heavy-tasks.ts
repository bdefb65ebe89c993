// The tasks the worker pool runs: pure functions of untrusted input, each wrapped so that an error
// meant for a person (a file the import cannot read, formatting nested too deep) crosses back to
// the main thread as data with its message, and anything else as a crash.
import { analyzeChapterHtml } from '../story-intelligence/analyze-chapter.ts';
import { buildStaticFormat, type StaticFormat } from '../downloads/static-formats.ts';
import type { Book } from '../downloads/epub/index.ts';
import { ImportError } from '../imports/imported-work.ts';
import { recognizeFile } from '../imports/recognize-file.ts';
import { convertChapterNow } from '../works/chapter-text.ts';
import { NestingTooDeepError, toChapterHtml, type TextFormat } from '../works/text/index.ts';
import { UploadError } from '../works/text/upload.ts';
import { cleanSkinCss } from '../work-skins/skin-css.ts';
import { type MatchTaskInput, runExchangeChange, runExchangeMatching } from '../exchanges/exchanges.tasks.ts';
import type { Assignment, ManualChange } from '../exchanges/matching/index.ts';
import type { TaskOutcome } from './task-pool.ts';

/** Errors whose message is written for the person who sent the input. */
function isInputError(error: unknown): error is Error {
  return error instanceof ImportError || error instanceof UploadError || error instanceof NestingTooDeepError;
}

/** Runs a task (sync or async) into the envelope that crosses the thread boundary. */
async function outcomeOf<T>(compute: () => T | Promise<T>): Promise<TaskOutcome<T>> {
  try {
    return { ok: true, value: await compute() };
  } catch (error) {
    if (!isInputError(error)) throw error;
    return { ok: false, kind: error.name, message: error.message };
  }
}

/** The functions the worker file exports, one per task, answering TaskOutcome envelopes. */
export const workerEntryPoints = {
  convertChapter: (input: { text: string; format: TextFormat; embedHosts?: string[] }) =>
    outcomeOf(() => convertChapterNow(input.text, input.format, input.embedHosts)),
  analyzeChapter: (input: { bodyHtml: string }) => outcomeOf(() => analyzeChapterHtml(input.bodyHtml)),
  /** Text not yet posted (the posting form's "Suggest tags"): formatted, then analysed. */
  analyzeDraft: (input: { text: string; format: TextFormat }) =>
    outcomeOf(() => analyzeChapterHtml(toChapterHtml(input.text, input.format))),
  recognizeImport: (input: { bytes: Uint8Array; fileName: string; embedHosts?: string[] }) =>
    outcomeOf(() => recognizeFile(input.bytes, input.fileName, input.embedHosts)),
  buildBook: (input: { book: Book; format: StaticFormat; cover?: boolean }) =>
    outcomeOf(() => buildStaticFormat(input.book, input.format, input.cover === undefined ? {} : { cover: input.cover })),
  /** A work skin's CSS, parsed, checked and scoped (src/work-skins). */
  cleanWorkSkin: (input: { css: string }) => outcomeOf(() => cleanSkinCss(input.css)),
  /** A gift exchange's matching and its potential matches (src/exchanges, decision 046). */
  matchExchange: (input: MatchTaskInput) => outcomeOf(() => runExchangeMatching(input)),
  /** A maintainer's hand change to an exchange's assignments. */
  changeExchange: (input: MatchTaskInput & { assignments: Assignment[]; change: ManualChange }) =>
    outcomeOf(() => runExchangeChange(input)),
};

type EntryPoints = typeof workerEntryPoints;

/** What the tasks take and give, as the pool's callers see them (derived from the entry points). */
export type HeavyTasks = {
  [K in keyof EntryPoints]: (
    input: Parameters<EntryPoints[K]>[0],
  ) => Promise<Extract<Awaited<ReturnType<EntryPoints[K]>>, { ok: true }>['value']>;
};

export type HeavyTaskName = keyof HeavyTasks;

// Reading one chapter: its stored HTML to the stored analysis. Pure, so the worker pool can run it.
import { analyzeText } from '../analysis/index.ts';
import { htmlToText } from '../works/text/index.ts';
import { toStoredAnalysis, type StoredAnalysis } from './stored.ts';

/** Analyses a chapter's visible text. */
export function analyzeChapterHtml(bodyHtml: string): StoredAnalysis {
  const text = htmlToText(bodyHtml);
  return toStoredAnalysis(text, analyzeText(text));
}

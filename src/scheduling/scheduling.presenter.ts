import { inputTime, shownTime } from './scheduling.schema.ts';
import type { WaitingChapterView } from './scheduling.views.tsx';

/** The forms' view of a chapter not posted yet. */
export function toWaitingChapterView(workId: number, chapter: { id: number; scheduled_at: Date | null }): WaitingChapterView {
  return { workId, chapterId: chapter.id, scheduledFor: chapter.scheduled_at ? shownTime(chapter.scheduled_at) : null };
}

/** The time field of "Change the time" starts at the chapter's current time. */
export function waitingChapterValues(chapter: { scheduled_at: Date | null }): Record<string, string> {
  return chapter.scheduled_at ? { post_at: inputTime(chapter.scheduled_at) } : {};
}

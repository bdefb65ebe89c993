import type { ChapterRow, WorkRow } from '../db/schema.ts';
import type { CreatorRow, WorkTagRow } from '../works/works.service.ts';
import { chapterCount } from '../works/works.presenter.ts';

/** A work as the API shows it: plain JSON, snake_case, dates in ISO 8601. */
export interface ApiWork {
  id: number;
  url: string;
  title: string;
  creators: Array<{ pseud: string; login: string }>;
  rating: string;
  warnings: string[];
  categories: string[];
  fandoms: string[];
  relationships: string[];
  characters: string[];
  freeforms: string[];
  summary_html: string;
  language: string;
  words: number;
  chapters: string;
  chapter_count: number;
  expected_chapters: number | null;
  complete: boolean;
  restricted: boolean;
  draft: boolean;
  kudos: number;
  comments: number;
  bookmarks: number;
  hits: number;
  published_at: string | null;
  updated_at: string;
}

export interface ApiChapter {
  id: number;
  position: number;
  title: string;
  summary_html: string;
  notes_html: string;
  end_notes_html: string;
  body_html: string;
  words: number;
}

/** The work with its own notes, as GET /api/v1/works/:id shows it. */
export interface ApiWorkDetail extends ApiWork {
  notes_html: string;
  end_notes_html: string;
}

/**
 * GET /api/v1/works/:id and POST /api/v1/works: the work and its chapters side by side, since
 * the work's `chapters` field is already the "x/y" count, as in the list.
 */
export interface ApiWorkResponse {
  work: ApiWorkDetail;
  chapters: ApiChapter[];
}

export interface ApiWorkListResponse {
  works: ApiWork[];
  page: number;
  hasNext: boolean;
}

/** Maps a work row with its creators and tags to the API's work object. */
export function toApiWork(baseUrl: string, row: WorkRow, creators: readonly CreatorRow[], tags: readonly WorkTagRow[]): ApiWork {
  const named = (type: WorkTagRow['type']) => tags.filter((t) => t.type === type).map((t) => t.name);
  return {
    id: row.id,
    url: `${baseUrl}/works/${row.id}`,
    title: row.title,
    creators: creators.map((c) => ({ pseud: c.pseud_name, login: c.login })),
    rating: named('rating')[0] ?? 'Not Rated',
    warnings: named('warning'),
    categories: named('category'),
    fandoms: named('fandom'),
    relationships: named('relationship'),
    characters: named('character'),
    freeforms: named('freeform'),
    summary_html: row.summary_html,
    language: row.language,
    words: row.word_count,
    chapters: chapterCount(row.chapter_count, row.expected_chapters),
    chapter_count: row.chapter_count,
    expected_chapters: row.expected_chapters,
    complete: row.is_complete,
    restricted: row.is_restricted,
    draft: row.is_draft,
    kudos: row.kudos_count,
    comments: row.comments_count,
    bookmarks: row.bookmarks_count,
    hits: row.hits,
    published_at: row.published_at ? new Date(row.published_at).toISOString() : null,
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

/** The full response for one work: the work, its notes and its chapters in order. */
export function toApiWorkResponse(
  baseUrl: string,
  loaded: { work: WorkRow; shownCreators: readonly CreatorRow[]; tags: readonly WorkTagRow[]; chapters: readonly ChapterRow[] },
): ApiWorkResponse {
  return {
    work: {
      // The creators the caller may see: none while the work is anonymous (decision 043).
      ...toApiWork(baseUrl, loaded.work, loaded.shownCreators, loaded.tags),
      notes_html: loaded.work.notes_html,
      end_notes_html: loaded.work.end_notes_html,
    },
    chapters: loaded.chapters.map(toApiChapter),
  };
}

export function toApiChapter(c: ChapterRow): ApiChapter {
  return {
    id: c.id,
    position: c.position,
    title: c.title,
    summary_html: c.summary_html,
    notes_html: c.notes_html,
    end_notes_html: c.end_notes_html,
    body_html: c.body_html,
    words: c.word_count,
  };
}

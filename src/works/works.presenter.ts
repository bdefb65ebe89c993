import type { WorkRow } from '../db/schema.ts';
import { formatDate } from '../lib/dates.ts';
import { trustHtml, type SafeHtml } from '../lib/safe-html.ts';
import type { CreatorRow, WorkTagRow } from './works.repo.ts';
import { LANGUAGES, RATING_SYMBOLS, type Rating } from './vocabulary.ts';

const LANGUAGE_NAMES = new Map(LANGUAGES.map((l) => [l.code, l.name]));

export interface CreatorView {
  pseud: string;
  login: string;
  href: string;
}

export interface TagView {
  name: string;
  href: string;
}

export interface RequiredTagsView {
  rating: string;
  ratingCode: string;
  ratingAbbr: string;
  warnings: string[];
  /** 'yes' (a warning applies), 'no' (none apply), or 'choosenotto'. */
  warningState: 'yes' | 'no' | 'choosenotto';
  categories: string[];
  complete: boolean;
}

/** Everything the blurb and the work page's header show, with no database types left. */
export interface WorkSummaryView {
  id: number;
  href: string;
  title: string;
  creators: CreatorView[];
  fandoms: TagView[];
  relationships: TagView[];
  characters: TagView[];
  freeforms: TagView[];
  warnings: TagView[];
  categories: TagView[];
  ratingTag: TagView;
  required: RequiredTagsView;
  summaryHtml: SafeHtml;
  /** BCP 47 code, for lang attributes. */
  language: string;
  languageName: string;
  words: number;
  chapters: string;
  kudos: number;
  comments: number;
  bookmarks: number;
  hits: number;
  published: string | null;
  updated: string;
  isDraft: boolean;
  isRestricted: boolean;
  isComplete: boolean;
  version: number;
  /** An unrevealed collection's work shown as a "Mystery work" (decision 043): feeds leave out its dates too. */
  isMystery?: true;
}

export function tagHref(name: string): string {
  return `/tags/${encodeTagName(name)}/works`;
}

/** AO3's URL escaping of tag names: '/' and '.' and '&' and '?' and '#' have their own forms. */
export function encodeTagName(name: string): string {
  return encodeURIComponent(
    name.replace(/\//g, '*s*').replace(/&/g, '*a*').replace(/\./g, '*d*').replace(/\?/g, '*q*').replace(/#/g, '*h*'),
  );
}

/** The inverse of encodeTagName (the router has already percent-decoded the segment). */
export function decodeTagName(segment: string): string {
  return segment.replace(/\*s\*/g, '/').replace(/\*a\*/g, '&').replace(/\*d\*/g, '.').replace(/\*q\*/g, '?').replace(/\*h\*/g, '#');
}

/** "1/1", "2/?" — chapters posted over chapters expected. */
export function chapterCount(posted: number, expected: number | null): string {
  return `${posted}/${expected ?? '?'}`;
}

/** Maps a work row with its creators and tags to the view the templates receive. */
export function toWorkSummaryView(row: WorkRow, creators: readonly CreatorRow[], tags: readonly WorkTagRow[]): WorkSummaryView {
  const ofType = (type: WorkTagRow['type']) => tags.filter((t) => t.type === type).map((t) => ({ name: t.name, href: tagHref(t.name) }));
  const warnings = ofType('warning');
  const rating = (ofType('rating')[0]?.name ?? 'Not Rated') as Rating;
  const symbol = RATING_SYMBOLS[rating] ?? RATING_SYMBOLS['Not Rated'];
  const warningNames = warnings.map((w) => w.name);
  const warningState =
    warningNames.length === 0 || warningNames.every((w) => w === 'Creator Chose Not To Use Archive Warnings')
      ? 'choosenotto'
      : warningNames.every((w) => w === 'No Archive Warnings Apply')
        ? 'no'
        : 'yes';
  const categories = ofType('category');
  return {
    id: row.id,
    href: `/works/${row.id}`,
    title: row.title,
    creators: creators.map((c) => ({
      pseud: c.pseud_name,
      login: c.login,
      href: `/users/${encodeURIComponent(c.login)}/pseuds/${encodeURIComponent(c.pseud_name)}`,
    })),
    fandoms: ofType('fandom'),
    relationships: ofType('relationship'),
    characters: ofType('character'),
    freeforms: ofType('freeform'),
    warnings,
    categories,
    ratingTag: { name: rating, href: tagHref(rating) },
    required: {
      rating,
      ratingCode: symbol.code,
      ratingAbbr: symbol.abbr,
      warnings: warningNames,
      warningState,
      categories: categories.map((c) => c.name),
      complete: row.is_complete,
    },
    summaryHtml: trustHtml(row.summary_html),
    language: row.language,
    languageName: LANGUAGE_NAMES.get(row.language) ?? row.language,
    words: row.word_count,
    chapters: chapterCount(row.chapter_count, row.expected_chapters),
    kudos: row.kudos_count,
    comments: row.comments_count,
    bookmarks: row.bookmarks_count,
    hits: row.hits,
    published: row.published_at ? formatDate(row.published_at) : null,
    updated: formatDate(row.updated_at),
    isDraft: row.is_draft,
    isRestricted: row.is_restricted,
    isComplete: row.is_complete,
    version: row.version,
  };
}

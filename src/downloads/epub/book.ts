// The plain view model every download writer takes: a work as readers see it, with no
// database or app types. A leaf: imports nothing.

/** A credited creator: the name shown, and their page on the archive. */
export interface BookCreator {
  name: string;
  url?: string | undefined;
}

/** A series the work belongs to, with the work's place in it. */
export interface BookSeries {
  title: string;
  index: number;
  url?: string | undefined;
}

export interface BookChapter {
  /** The chapter's own title ('' when untitled). */
  title: string;
  /** "Chapter 2: The Storm" — what tables of contents show. */
  heading: string;
  summaryHtml: string;
  notesHtml: string;
  endNotesHtml: string;
  /** Sanitized HTML5 as stored. */
  bodyHtml: string;
  words: number;
}

/** A work ready to be written as a book. HTML fields are the archive's sanitized HTML5. */
export interface Book {
  id: number;
  title: string;
  /** The work's public URL, also the book's identifier. */
  url: string;
  siteName: string;
  siteUrl: string;
  /** BCP 47 code. */
  language: string;
  creators: BookCreator[];
  summaryHtml: string;
  notesHtml: string;
  endNotesHtml: string;
  rating: string;
  warnings: string[];
  categories: string[];
  fandoms: string[];
  relationships: string[];
  characters: string[];
  freeforms: string[];
  series: BookSeries[];
  published: Date | null;
  updated: Date;
  words: number;
  /** "3/5", "2/?". */
  chaptersLabel: string;
  complete: boolean;
  chapters: BookChapter[];
}

/** The labelled tag groups of the title page, in AO3's order, empty groups left out. */
export function tagGroups(book: Book): Array<{ label: string; key: string; tags: string[] }> {
  const groups = [
    { label: 'Rating', key: 'rating', tags: book.rating ? [book.rating] : [] },
    { label: 'Archive Warnings', key: 'warning', tags: book.warnings },
    { label: 'Categories', key: 'category', tags: book.categories },
    { label: 'Fandoms', key: 'fandom', tags: book.fandoms },
    { label: 'Relationships', key: 'relationship', tags: book.relationships },
    { label: 'Characters', key: 'character', tags: book.characters },
    { label: 'Additional Tags', key: 'freeform', tags: book.freeforms },
  ];
  return groups.filter((g) => g.tags.length > 0);
}

/** Every tag, in title-page order, for subject lists. */
export function allTags(book: Book): string[] {
  return tagGroups(book).flatMap((g) => g.tags);
}

/** The creators' names joined for a byline: "A", "A and B", "A, B and C". */
export function byline(book: Book): string {
  const names = book.creators.map((c) => c.name);
  if (names.length <= 1) return names[0] ?? 'Anonymous';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** YYYY-MM-DD in UTC. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

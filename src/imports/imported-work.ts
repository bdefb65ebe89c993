/** What an imported file was recognised to hold; HTML fields are untrusted until sanitized. */
export interface ImportedChapter {
  title: string;
  summaryHtml: string;
  notesHtml: string;
  endNotesHtml: string;
  bodyHtml: string;
}

export interface ImportedWork {
  /** What the file was read as: 'epub', 'ao3-html' (AO3's download HTML) or 'html'. */
  source: 'epub' | 'ao3-html' | 'html';
  title: string;
  /** Creators as the file names them (text only: the work is posted under the importer's pseud). */
  creators: string[];
  summaryHtml: string;
  notesHtml: string;
  endNotesHtml: string;
  /** A language code the archive knows, or '' when not recognised. */
  language: string;
  rating: string;
  warnings: string[];
  categories: string[];
  fandoms: string[];
  relationships: string[];
  characters: string[];
  freeforms: string[];
  /** Where the file says it came from (AO3's work URL, an EPUB's identifier). */
  sourceUrl: string;
  chapters: ImportedChapter[];
}

/** A file that cannot be imported; `message` tells the author what was wrong and how to fix it. */
export class ImportError extends Error {
  override name = 'ImportError';
}

export function emptyImport(source: ImportedWork['source']): ImportedWork {
  return {
    source,
    title: '',
    creators: [],
    summaryHtml: '',
    notesHtml: '',
    endNotesHtml: '',
    language: '',
    rating: '',
    warnings: [],
    categories: [],
    fandoms: [],
    relationships: [],
    characters: [],
    freeforms: [],
    sourceUrl: '',
    chapters: [],
  };
}

/** "Chapter 3: The Storm" → "The Storm"; "Chapter 3" → "". */
export function chapterTitleFromHeading(heading: string, workTitle: string): string {
  const h = heading.replace(/\s+/g, ' ').trim();
  if (h === workTitle.trim()) return '';
  const m = /^Chapter\s+\d+\s*(?:[:.\-–—]\s*(.*))?$/i.exec(h);
  if (m) return (m[1] ?? '').trim();
  return h;
}

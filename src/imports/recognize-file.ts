// Recognising an uploaded file: EPUB or HTML in, a sanitized preview out. Pure (no database, no
// files): it runs in the worker pool (src/workers), where a hostile file costs one task.
import type { SafeHtml } from '../lib/safe-html.ts';
import { countWords, sanitizeFieldHtml, sanitizeWorkHtml } from '../works/text/index.ts';
import { CATEGORIES, LANGUAGE_CODES, RATINGS, WARNINGS } from '../works/vocabulary.ts';
import { MAX_CHAPTER_CHARS, MAX_CHAPTERS } from '../works/works.schema.ts';
import { ImportError, type ImportedWork } from './imported-work.ts';
import { parseEpub } from './parse-epub.ts';
import { parseHtmlFile } from './parse-html.ts';

export interface PreviewChapter {
  title: string;
  summaryHtml: SafeHtml;
  notesHtml: SafeHtml;
  endNotesHtml: SafeHtml;
  bodyHtml: SafeHtml;
  words: number;
}

/** What was recognised, sanitized: shown to the author before posting, and posted from. */
export interface ImportPreview {
  source: ImportedWork['source'];
  fileName: string;
  title: string;
  creators: string[];
  sourceUrl: string;
  summaryHtml: SafeHtml;
  notesHtml: SafeHtml;
  endNotesHtml: SafeHtml;
  language: string;
  rating: string;
  warnings: string[];
  categories: string[];
  fandoms: string[];
  relationships: string[];
  characters: string[];
  freeforms: string[];
  /** Tags the file had that the archive's fixed vocabularies do not know. */
  unrecognised: string[];
  chapters: PreviewChapter[];
  words: number;
}

/** Reads an uploaded EPUB or HTML file; throws ImportError with a message for the author. */
export function recognizeFile(bytes: Uint8Array, fileName: string, embedHosts?: readonly string[]): ImportPreview {
  if (bytes.length === 0) throw new ImportError('The file is empty. Choose an .epub or .html file.');
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  let imported: ImportedWork;
  if (isZip || /\.epub$/i.test(fileName)) {
    imported = parseEpub(bytes);
  } else if (/\.x?html?$/i.test(fileName) || /<html|<body|<p[\s>]/i.test(Buffer.from(bytes.subarray(0, 4096)).toString('latin1'))) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
    } catch {
      throw new ImportError('This HTML file is not UTF-8 text. Save it as UTF-8 and upload it again.');
    }
    imported = parseHtmlFile(text);
  } else {
    throw new ImportError('Upload an EPUB (.epub) or an HTML file (.html), such as a work downloaded from AO3.');
  }
  return toPreview(imported, fileName, embedHosts);
}

function toPreview(work: ImportedWork, fileName: string, embedHosts: readonly string[] | undefined): ImportPreview {
  const unrecognised: string[] = [];
  const keep = (values: string[], allowed: readonly string[]) =>
    values.filter((v) => {
      const ok = allowed.includes(v);
      if (!ok) unrecognised.push(v);
      return ok;
    });
  const rating = (RATINGS as readonly string[]).includes(work.rating) ? work.rating : '';
  if (work.rating && !rating) unrecognised.push(work.rating);
  const chapters = work.chapters.map((c) => {
    // Chapter text keeps players (from the embed hosts) and classes; summaries and notes are fields.
    const bodyHtml = sanitizeWorkHtml(c.bodyHtml, embedHosts === undefined ? {} : { embedHosts });
    return {
      title: c.title.slice(0, 255),
      summaryHtml: sanitizeFieldHtml(c.summaryHtml),
      notesHtml: sanitizeFieldHtml(c.notesHtml),
      endNotesHtml: sanitizeFieldHtml(c.endNotesHtml),
      bodyHtml,
      words: countWords(bodyHtml),
    };
  });
  if (chapters.length === 0 || chapters.every((c) => c.bodyHtml === '')) throw new ImportError('No chapter text was found in this file.');
  if (chapters.length > MAX_CHAPTERS)
    throw new ImportError(`This file has ${chapters.length} chapters; a work has at most ${MAX_CHAPTERS}.`);
  const tooLong = chapters.findIndex((c) => c.bodyHtml.length > MAX_CHAPTER_CHARS);
  if (tooLong >= 0)
    throw new ImportError(
      `Chapter ${tooLong + 1} is longer than a chapter may be (${MAX_CHAPTER_CHARS.toLocaleString('en')} characters). Split it and import again.`,
    );
  const tag = (values: string[]) => [
    ...new Set(
      values
        .map((v) =>
          v
            .replace(/[,^*<>{}=`\\%]/g, ' ')
            .replace(/\s+/g, ' ')
            .trim()
            .slice(0, 100),
        )
        .filter(Boolean),
    ),
  ];
  return {
    source: work.source,
    fileName,
    title: work.title.slice(0, 255),
    creators: work.creators,
    sourceUrl: /^https?:\/\//.test(work.sourceUrl) ? work.sourceUrl : '',
    summaryHtml: sanitizeFieldHtml(work.summaryHtml),
    notesHtml: sanitizeFieldHtml(work.notesHtml),
    endNotesHtml: sanitizeFieldHtml(work.endNotesHtml),
    language: LANGUAGE_CODES.has(work.language)
      ? work.language
      : LANGUAGE_CODES.has(work.language.slice(0, 2))
        ? work.language.slice(0, 2)
        : 'en',
    rating,
    warnings: keep(work.warnings, WARNINGS),
    categories: keep(work.categories, CATEGORIES),
    fandoms: tag(work.fandoms),
    relationships: tag(work.relationships),
    characters: tag(work.characters),
    freeforms: tag(work.freeforms),
    unrecognised,
    chapters,
    words: chapters.reduce((n, c) => n + c.words, 0),
  };
}

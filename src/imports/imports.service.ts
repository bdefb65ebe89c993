import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import type { SafeHtml } from '../lib/safe-html.ts';
import type { Viewer } from '../web/viewer.ts';
import { countWords, sanitizeWorkHtml } from '../works/text/index.ts';
import { CATEGORIES, LANGUAGE_CODES, RATINGS, WARNINGS } from '../works/vocabulary.ts';
import { MAX_CHAPTER_CHARS, MAX_CHAPTERS, type WorkMetadataInput } from '../works/works.schema.ts';
import { createWork } from '../works/works.service.ts';
import { ImportError, type ImportedWork } from './imported-work.ts';
import { parseEpub } from './parse-epub.ts';
import { parseHtmlFile } from './parse-html.ts';

type Db = Kysely<Database>;

/** An import drafts' folder: recognised files wait here between the preview and the post. */
const DRAFTS = 'imports';
/** Drafts older than this are removed when the next import is recognised. */
const DRAFT_TTL_MS = 24 * 60 * 60 * 1000;

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
export function recognizeFile(bytes: Uint8Array, fileName: string): ImportPreview {
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
  return toPreview(imported, fileName);
}

function toPreview(work: ImportedWork, fileName: string): ImportPreview {
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
    const bodyHtml = sanitizeWorkHtml(c.bodyHtml);
    return {
      title: c.title.slice(0, 255),
      summaryHtml: sanitizeWorkHtml(c.summaryHtml),
      notesHtml: sanitizeWorkHtml(c.notesHtml),
      endNotesHtml: sanitizeWorkHtml(c.endNotesHtml),
      bodyHtml,
      words: countWords(bodyHtml),
    };
  });
  if (chapters.length === 0 || chapters.every((c) => c.bodyHtml === '')) throw new ImportError('No chapter text was found in this file.');
  if (chapters.length > MAX_CHAPTERS) throw new ImportError(`This file has ${chapters.length} chapters; a work has at most ${MAX_CHAPTERS}.`);
  const tooLong = chapters.findIndex((c) => c.bodyHtml.length > MAX_CHAPTER_CHARS);
  if (tooLong >= 0) throw new ImportError(`Chapter ${tooLong + 1} is longer than a chapter may be (${MAX_CHAPTER_CHARS.toLocaleString('en')} characters). Split it and import again.`);
  const tag = (values: string[]) => [...new Set(values.map((v) => v.replace(/[,^*<>{}=`\\%]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100)).filter(Boolean))];
  return {
    source: work.source,
    fileName,
    title: work.title.slice(0, 255),
    creators: work.creators,
    sourceUrl: /^https?:\/\//.test(work.sourceUrl) ? work.sourceUrl : '',
    summaryHtml: sanitizeWorkHtml(work.summaryHtml),
    notesHtml: sanitizeWorkHtml(work.notesHtml),
    endNotesHtml: sanitizeWorkHtml(work.endNotesHtml),
    language: LANGUAGE_CODES.has(work.language) ? work.language : LANGUAGE_CODES.has(work.language.slice(0, 2)) ? work.language.slice(0, 2) : 'en',
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

const PreviewSchema = z.object({
  source: z.enum(['epub', 'ao3-html', 'html']),
  fileName: z.string(),
  title: z.string(),
  creators: z.array(z.string()),
  sourceUrl: z.string(),
  summaryHtml: z.string(),
  notesHtml: z.string(),
  endNotesHtml: z.string(),
  language: z.string(),
  rating: z.string(),
  warnings: z.array(z.string()),
  categories: z.array(z.string()),
  fandoms: z.array(z.string()),
  relationships: z.array(z.string()),
  characters: z.array(z.string()),
  freeforms: z.array(z.string()),
  unrecognised: z.array(z.string()),
  chapters: z.array(z.object({ title: z.string(), summaryHtml: z.string(), notesHtml: z.string(), endNotesHtml: z.string(), bodyHtml: z.string(), words: z.number() })).min(1),
  words: z.number(),
});

function draftsDir(dataDir: string): string {
  return path.join(dataDir, DRAFTS);
}

/** Keeps a recognised file for its author until they post it; returns the token naming it. */
export async function saveImportDraft(dataDir: string, userId: number, preview: ImportPreview): Promise<string> {
  const dir = draftsDir(dataDir);
  await fs.promises.mkdir(dir, { recursive: true });
  const now = Date.now();
  for (const name of await fs.promises.readdir(dir)) {
    const stat = await fs.promises.stat(path.join(dir, name)).catch(() => undefined);
    if (stat && now - stat.mtimeMs > DRAFT_TTL_MS) await fs.promises.rm(path.join(dir, name), { force: true });
  }
  const token = randomBytes(16).toString('hex');
  await fs.promises.writeFile(path.join(dir, `${userId}-${token}.json`), JSON.stringify(preview));
  return token;
}

/** The author's recognised file, or undefined when the token is unknown, someone else's or expired. */
export async function loadImportDraft(dataDir: string, userId: number, token: string): Promise<ImportPreview | undefined> {
  if (!/^[0-9a-f]{32}$/.test(token)) return undefined;
  const text = await fs.promises.readFile(path.join(draftsDir(dataDir), `${userId}-${token}.json`), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const parsed = PreviewSchema.safeParse(JSON.parse(text));
  return parsed.success ? (parsed.data as ImportPreview) : undefined;
}

/**
 * Posts the recognised chapters with the metadata the author confirmed, through the same
 * createWork as the posting form (tags, counts, notifications), in one transaction.
 */
export async function postImport(db: Db, dataDir: string, viewer: Viewer, token: string, preview: ImportPreview, meta: WorkMetadataInput, draft: boolean): Promise<number> {
  const [first, ...rest] = preview.chapters.map((c) => ({ title: c.title, summary: c.summaryHtml, notes: c.notesHtml, endNotes: c.endNotesHtml, text: c.bodyHtml, format: 'html' as const }));
  const workId = await createWork(db, viewer, { meta, chapter: first!, moreChapters: rest, draft });
  await fs.promises.rm(path.join(draftsDir(dataDir), `${viewer.id}-${token}.json`), { force: true });
  return workId;
}

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../web/viewer.ts';
import type { WorkMetadataInput } from '../works/works.schema.ts';
import { createWork } from '../works/works.service.ts';
import { describeLimit, REQUEST_TASK_MS, TaskInputError, TaskLimitError, taskPool } from '../workers/task-pool.ts';
import { configuredEmbedHosts } from '../works/text/index.ts';
import { ImportError } from './imported-work.ts';
import type { ImportPreview } from './recognize-file.ts';

export type { ImportPreview, PreviewChapter } from './recognize-file.ts';

type Db = Kysely<Database>;

/** An import drafts' folder: recognised files wait here between the preview and the post. */
const DRAFTS = 'imports';
/** Drafts older than this are removed when the next import is recognised. */
const DRAFT_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Reads an uploaded EPUB or HTML file in the worker pool (unzipping, parsing and sanitizing a
 * hostile file must not hold up other requests); throws ImportError with a message for the author,
 * also when the file took too long or too much memory to read.
 */
export async function recognizeUpload(bytes: Uint8Array, fileName: string): Promise<ImportPreview> {
  try {
    return await taskPool().run('recognizeImport', { bytes, fileName, embedHosts: [...configuredEmbedHosts()] }, REQUEST_TASK_MS);
  } catch (error) {
    if (error instanceof TaskInputError) throw new ImportError(error.message);
    if (error instanceof TaskLimitError) {
      throw new ImportError(
        `${describeLimit(error, 'Reading this file')} Split the work into smaller files, or simplify its formatting, and try again.`,
      );
    }
    throw error;
  }
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
  chapters: z
    .array(
      z.object({
        title: z.string(),
        summaryHtml: z.string(),
        notesHtml: z.string(),
        endNotesHtml: z.string(),
        bodyHtml: z.string(),
        words: z.number(),
      }),
    )
    .min(1),
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
export async function postImport(
  db: Db,
  dataDir: string,
  viewer: Viewer,
  token: string,
  preview: ImportPreview,
  meta: WorkMetadataInput,
  draft: boolean,
): Promise<number> {
  const [first, ...rest] = preview.chapters.map((c) => ({
    title: c.title,
    summary: c.summaryHtml,
    notes: c.notesHtml,
    endNotes: c.endNotesHtml,
    text: c.bodyHtml,
    format: 'html' as const,
  }));
  const workId = await createWork(db, viewer, { meta, chapter: first!, moreChapters: rest, draft });
  await fs.promises.rm(path.join(draftsDir(dataDir), `${viewer.id}-${token}.json`), { force: true });
  return workId;
}

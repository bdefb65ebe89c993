// The download formats: extension, media type, and how each is built from a Book.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BACKGROUND_TASK_MS, taskPool } from '../workers/task-pool.ts';
import { EPUB_MEDIA_TYPE, type Book } from './epub/index.ts';

const run = promisify(execFile);

export const FORMATS = ['epub', 'html', 'txt', 'pdf', 'azw3', 'mobi'] as const;
export type DownloadFormat = (typeof FORMATS)[number];

export const FORMAT_INFO: Record<DownloadFormat, { label: string; mediaType: string; needsCalibre: boolean }> = {
  epub: { label: 'EPUB', mediaType: EPUB_MEDIA_TYPE, needsCalibre: false },
  azw3: { label: 'AZW3', mediaType: 'application/vnd.amazon.ebook', needsCalibre: true },
  mobi: { label: 'MOBI', mediaType: 'application/x-mobipocket-ebook', needsCalibre: true },
  pdf: { label: 'PDF', mediaType: 'application/pdf', needsCalibre: false },
  html: { label: 'HTML', mediaType: 'text/html; charset=utf-8', needsCalibre: false },
  txt: { label: 'Plain text', mediaType: 'text/plain; charset=utf-8', needsCalibre: false },
};

export function isFormat(value: string): value is DownloadFormat {
  return (FORMATS as readonly string[]).includes(value);
}

let calibre: boolean | undefined;
/** Whether Calibre's ebook-convert is on the PATH (checked once). */
export function hasCalibre(): boolean {
  if (calibre === undefined) {
    calibre = (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, 'ebook-convert')));
  }
  return calibre;
}

/** The formats this installation can produce, in menu order. */
export function availableFormats(): DownloadFormat[] {
  return (['epub', 'azw3', 'mobi', 'pdf', 'html', 'txt'] as const).filter((f) => !FORMAT_INFO[f].needsCalibre || hasCalibre());
}

export class FormatUnavailableError extends Error {}

/** Converts the EPUB with Calibre; a temporary folder keeps concurrent conversions apart. */
async function convertWithCalibre(epub: Uint8Array, format: 'azw3' | 'mobi'): Promise<Buffer> {
  if (!hasCalibre())
    throw new FormatUnavailableError(`${format.toUpperCase()} downloads need Calibre's ebook-convert, which is not installed here.`);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'fanfold-convert-'));
  try {
    const input = path.join(dir, 'book.epub');
    const output = path.join(dir, `book.${format}`);
    await fs.promises.writeFile(input, epub);
    await run('ebook-convert', [input, output], {
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' },
    });
    return await fs.promises.readFile(output);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Builds the book in a format; returns its bytes. The writing happens in the worker pool (a long
 * work's EPUB or PDF takes seconds of CPU); Calibre runs as its own process, with its own timeout.
 */
export async function buildFormat(book: Book, format: DownloadFormat): Promise<Uint8Array> {
  const build = (f: 'epub' | 'html' | 'txt' | 'pdf', cover?: boolean) =>
    taskPool().run('buildBook', { book, format: f, ...(cover === undefined ? {} : { cover }) }, BACKGROUND_TASK_MS);
  switch (format) {
    case 'epub':
    case 'html':
    case 'txt':
    case 'pdf':
      return build(format);
    case 'azw3':
    case 'mobi':
      return convertWithCalibre(await build('epub', false), format);
  }
}

/** An ASCII file name from a title: accents dropped, anything else an underscore. */
export function asciiFileName(title: string, id: number): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60)
    .replace(/_+$/, '');
  return base || `work_${id}`;
}

/** The title as a file name (characters file systems refuse removed), for filename*=. */
export function unicodeFileName(title: string, id: number): string {
  // eslint-disable-next-line no-control-regex
  const name = title
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
  return name || `work_${id}`;
}

/** Content-Disposition with a safe ASCII name and the real one in RFC 5987 form. */
export function contentDisposition(title: string, id: number, format: DownloadFormat): string {
  const ascii = `${asciiFileName(title, id)}.${format}`;
  const utf8 = encodeURIComponent(`${unicodeFileName(title, id)}.${format}`).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/** The download URL of a work in a format: /downloads/ID/Title.ext?updated_at=VERSION. */
export function downloadHref(work: { id: number; title: string; version: number }, format: DownloadFormat): string {
  return `/downloads/${work.id}/${asciiFileName(work.title, work.id)}.${format}?updated_at=${work.version}`;
}

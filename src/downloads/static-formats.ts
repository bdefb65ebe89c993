// The formats built in-process from a Book (everything but Calibre's): pure, so the worker pool
// runs them and a huge or deeply formatted work never holds up the event loop.
import { buildEpub, type Book } from './epub/index.ts';
import { buildHtml } from './formats/html.ts';
import { buildPdf } from './formats/pdf.ts';
import { buildText } from './formats/text.ts';

export type StaticFormat = 'epub' | 'html' | 'txt' | 'pdf';

/** The book's bytes in a format; `cover: false` leaves the generated cover out of an EPUB (Calibre's input). */
export async function buildStaticFormat(book: Book, format: StaticFormat, options: { cover?: boolean } = {}): Promise<Uint8Array> {
  switch (format) {
    case 'epub':
      return buildEpub(book, { cover: options.cover ?? true });
    case 'html':
      return Buffer.from(buildHtml(book), 'utf8');
    case 'txt':
      return Buffer.from(buildText(book), 'utf8');
    case 'pdf':
      return buildPdf(book);
  }
}

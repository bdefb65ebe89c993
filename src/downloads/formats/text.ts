// Plain text: the title block, then each chapter's text with paragraphs separated by blank lines.
import { htmlToText } from '../../works/text/index.ts';
import { byline, isoDate, tagGroups, type Book } from '../epub/index.ts';

const RULE = '='.repeat(60);

function notes(label: string, html: string): string {
  const text = htmlToText(html).trim();
  return text ? `${label}:\n\n${text}\n\n` : '';
}

/** Writes the whole work as UTF-8 text with Unix line endings. */
export function buildText(book: Book): string {
  let out = `${book.title}\nby ${byline(book)}\n\nPosted on ${book.siteName} at ${book.url}\n\n`;
  for (const g of tagGroups(book)) out += `${g.label}: ${g.tags.join(', ')}\n`;
  for (const s of book.series) out += `Series: Part ${s.index} of ${s.title}\n`;
  out += `Stats: ${[book.published ? `Published: ${isoDate(book.published)}` : null, `Updated: ${isoDate(book.updated)}`, `Words: ${book.words}`, `Chapters: ${book.chaptersLabel}`].filter(Boolean).join('  ')}\n\n`;
  out += notes('Summary', book.summaryHtml) + notes('Notes', book.notesHtml);
  for (const c of book.chapters) {
    out += `${RULE}\n${book.chapters.length > 1 || c.title ? c.heading : book.title}\n${RULE}\n\n`;
    out += notes('Chapter Summary', c.summaryHtml) + notes('Chapter Notes', c.notesHtml);
    out += `${htmlToText(c.bodyHtml).trim()}\n\n`;
    out += notes('Chapter End Notes', c.endNotesHtml);
  }
  out += notes('End Notes', book.endNotesHtml);
  return out.replace(/\n{3,}/g, '\n\n');
}

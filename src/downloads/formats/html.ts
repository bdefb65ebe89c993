// HTML: one self-contained file (styles inline, no scripts, no external resources but links).
import { byline, escapeXml as x, isoDate, tagGroups, toXhtml, type Book } from '../epub/index.ts';

const STYLE = `body{font-family:Georgia,serif;line-height:1.5;max-width:42em;margin:2em auto;padding:0 1em;color:#111;background:#fff}
h1,h2,h3{font-family:sans-serif;line-height:1.2}h1{text-align:center}.byline{text-align:center}
dl.tags dt{font-weight:bold;float:left;clear:left;margin-right:.5em}dl.tags dd{margin:0 0 .3em 0}
.notes,.summary{border-left:3px solid #999;padding:.1em 1em;margin:1em 0}.big{font-size:larger}
nav ol{padding-left:1.5em}hr{width:30%;margin:2em auto}.chapter{margin-top:3em}`;

function block(kind: string, heading: string, html: string, book: Book, idPrefix: string): string {
  if (!html.trim()) return '';
  return `<div class="${kind}"><h3>${x(heading)}</h3>\n${toXhtml(html, { baseUrl: book.siteUrl, idPrefix })}\n</div>\n`;
}

/** Writes the whole work as one HTML document. */
export function buildHtml(book: Book): string {
  const tags = tagGroups(book)
    .map((g) => `<dt>${x(g.label)}:</dt><dd>${g.tags.map(x).join(', ')}</dd>`)
    .concat(book.series.map((s) => `<dt>Series:</dt><dd>Part ${s.index} of ${x(s.title)}</dd>`))
    .join('\n');
  const stats = [
    book.published ? `Published: ${isoDate(book.published)}` : null,
    `Updated: ${isoDate(book.updated)}`,
    `Words: ${book.words.toLocaleString('en')}`,
    `Chapters: ${book.chaptersLabel}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const many = book.chapters.length > 1;
  const toc = many
    ? `<nav aria-label="Contents"><h2>Contents</h2><ol>${book.chapters.map((c, i) => `<li><a href="#chapter-${i + 1}">${x(c.heading)}</a></li>`).join('')}</ol></nav>\n`
    : '';
  const chapters = book.chapters
    .map((c, i) => {
      const p = `c${i + 1}-`;
      return `<section class="chapter" id="chapter-${i + 1}">
${many || c.title ? `<h2>${x(c.heading)}</h2>\n` : ''}${block('summary', 'Chapter Summary', c.summaryHtml, book, `${p}s-`)}${block('notes', 'Chapter Notes', c.notesHtml, book, `${p}n-`)}<div class="userstuff">
${toXhtml(c.bodyHtml, { baseUrl: book.siteUrl, idPrefix: p })}
</div>
${block('notes', 'Chapter End Notes', c.endNotesHtml, book, `${p}e-`)}</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${x(book.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${x(book.title)}</title>
<meta name="author" content="${x(byline(book))}">
<meta name="generator" content="${x(book.siteName)}">
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${x(book.title)}</h1>
<p class="byline">by ${book.creators.map((c) => (c.url ? `<a href="${x(c.url)}">${x(c.name)}</a>` : x(c.name))).join(', ') || 'Anonymous'}</p>
<p class="byline">Posted on ${x(book.siteName)} at <a href="${x(book.url)}">${x(book.url)}</a></p>
<dl class="tags">
${tags}
<dt>Stats:</dt><dd>${x(stats)}</dd>
</dl>
${block('summary', 'Summary', book.summaryHtml, book, 'summary-')}${block('notes', 'Notes', book.notesHtml, book, 'notes-')}</header>
${toc}<main>
${chapters}
</main>
${block('notes', 'End Notes', book.endNotesHtml, book, 'endnotes-')}</body>
</html>
`;
}

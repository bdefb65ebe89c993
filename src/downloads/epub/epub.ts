// EPUB 3 writer: a Book in, the bytes of an .epub out (zipped with fflate). Every document is
// built as XHTML from escaped parts; chapter HTML goes through toXhtml. Also carries an NCX
// table of contents for EPUB 2 reading systems. A leaf: imports fflate and its siblings only.
import { strToU8, zipSync, type Zippable } from 'fflate';
import { allTags, byline, isoDate, tagGroups, type Book, type BookChapter } from './book.ts';
import { escapeXml as x, toXhtml } from './xhtml.ts';

export const EPUB_MEDIA_TYPE = 'application/epub+zip';

const STYLESHEET = `body { font-family: serif; line-height: 1.4; margin: 0 5%; }
h1, h2, h3 { font-family: sans-serif; line-height: 1.2; }
h1.title { text-align: center; margin-top: 2em; }
p.byline { text-align: center; font-size: 1.1em; }
dl.tags { margin: 1.5em 0; }
dl.tags dt { font-weight: bold; margin-top: 0.4em; }
dl.tags dd { margin-left: 1.5em; }
.notes, .summary { margin: 1em 0; padding: 0.2em 1em; border-left: 3px solid #999; }
.stats { font-size: 0.9em; }
.big { font-size: larger; }
p { margin: 0 0 0.8em 0; }
hr { margin: 1.5em auto; width: 30%; }
.cover { text-align: center; margin: 0; padding: 0; }
.cover img { max-width: 100%; max-height: 100%; }
`;

export interface EpubOptions {
  /** Adds a generated SVG cover (title and byline on a plain background). */
  cover?: boolean;
  /** The modification time written into the package; defaults to the book's updated date. */
  modified?: Date;
}

function xhtmlDocument(title: string, language: string, body: string, extraNamespaces = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"${extraNamespaces} lang="${x(language)}" xml:lang="${x(language)}">
<head>
<meta charset="utf-8"/>
<title>${x(title)}</title>
<link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
${body}
</body>
</html>
`;
}

function chapterFile(index: number): string {
  return `chapter-${String(index + 1).padStart(3, '0')}.xhtml`;
}

/** The block of fields the archive shows for a book: rating, warnings, tags, series, stats. */
function tagBlock(book: Book): string {
  let out = '<dl class="tags">\n';
  for (const group of tagGroups(book)) {
    out += `<dt>${x(group.label)}:</dt>\n<dd>${group.tags.map(x).join(', ')}</dd>\n`;
  }
  for (const s of book.series) {
    out += `<dt>Series:</dt>\n<dd>Part ${s.index} of ${x(s.title)}</dd>\n`;
  }
  const stats = [
    book.published ? `Published: ${isoDate(book.published)}` : null,
    `Updated: ${isoDate(book.updated)}`,
    `Words: ${book.words.toLocaleString('en')}`,
    `Chapters: ${book.chaptersLabel}`,
  ].filter(Boolean);
  out += `<dt>Stats:</dt>\n<dd class="stats">${x(stats.join(' · '))}</dd>\n</dl>`;
  return out;
}

function section(kind: string, heading: string, html: string, baseUrl: string, idPrefix: string): string {
  if (!html.trim()) return '';
  return `<div class="${kind}">\n<h3>${x(heading)}</h3>\n${toXhtml(html, { baseUrl, idPrefix })}\n</div>\n`;
}

function titlePage(book: Book): string {
  const creators = book.creators.map((c) => (c.url ? `<a href="${x(c.url)}">${x(c.name)}</a>` : x(c.name))).join(', ');
  const body = `<section epub:type="titlepage">
<h1 class="title">${x(book.title)}</h1>
<p class="byline">by ${creators || 'Anonymous'}</p>
<p class="byline">Posted on ${x(book.siteName)} at <a href="${x(book.url)}">${x(book.url)}</a></p>
${tagBlock(book)}
${section('summary', 'Summary', book.summaryHtml, book.siteUrl, 'summary-')}${section('notes', 'Notes', book.notesHtml, book.siteUrl, 'notes-')}</section>`;
  return xhtmlDocument(book.title, book.language, body);
}

function chapterPage(book: Book, chapter: BookChapter, index: number, last: boolean): string {
  const p = `c${index + 1}-`;
  const showHeading = book.chapters.length > 1 || chapter.title !== '';
  const body = `<section epub:type="chapter" id="chapter">
${showHeading ? `<h2>${x(chapter.heading)}</h2>\n` : `<h2>${x(book.title)}</h2>\n`}${section('summary', 'Chapter Summary', chapter.summaryHtml, book.siteUrl, `${p}summary-`)}${section('notes', 'Chapter Notes', chapter.notesHtml, book.siteUrl, `${p}notes-`)}<div class="userstuff">
${toXhtml(chapter.bodyHtml, { baseUrl: book.siteUrl, idPrefix: p })}
</div>
${section('notes end-notes', 'Chapter End Notes', chapter.endNotesHtml, book.siteUrl, `${p}endnotes-`)}${last ? section('notes end-notes', 'End Notes', book.endNotesHtml, book.siteUrl, 'work-endnotes-') : ''}</section>`;
  return xhtmlDocument(chapter.heading || book.title, book.language, body);
}

function navDocument(book: Book): string {
  const items = book.chapters.map((c, i) => `<li><a href="${chapterFile(i)}">${x(c.heading)}</a></li>`).join('\n');
  const body = `<nav epub:type="toc" id="toc">
<h1>Contents</h1>
<ol>
<li><a href="title.xhtml">${x(book.title)}</a></li>
${items}
</ol>
</nav>
<nav epub:type="landmarks" id="landmarks" hidden="hidden">
<h2>Landmarks</h2>
<ol>
<li><a epub:type="titlepage" href="title.xhtml">Title page</a></li>
<li><a epub:type="bodymatter" href="${chapterFile(0)}">Start of content</a></li>
</ol>
</nav>`;
  return xhtmlDocument('Contents', book.language, body);
}

function ncxDocument(book: Book): string {
  const points = [{ label: book.title, src: 'title.xhtml' }, ...book.chapters.map((c, i) => ({ label: c.heading, src: chapterFile(i) }))];
  return `<?xml version="1.0" encoding="utf-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${x(book.language)}">
<head>
<meta name="dtb:uid" content="${x(book.url)}"/>
<meta name="dtb:depth" content="1"/>
<meta name="dtb:totalPageCount" content="0"/>
<meta name="dtb:maxPageNumber" content="0"/>
</head>
<docTitle><text>${x(book.title)}</text></docTitle>
<docAuthor><text>${x(byline(book))}</text></docAuthor>
<navMap>
${points.map((pt, i) => `<navPoint id="nav-${i + 1}" playOrder="${i + 1}"><navLabel><text>${x(pt.label)}</text></navLabel><content src="${pt.src}"/></navPoint>`).join('\n')}
</navMap>
</ncx>
`;
}

/** Breaks a title into lines of at most `width` characters for the cover. */
function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && (line + ' ' + word).length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, width - 1)}…`;
    return kept;
  }
  return lines.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
}

function coverSvg(book: Book): string {
  const title = wrap(book.title, 22, 6);
  const authors = wrap(byline(book), 30, 2);
  const fandom = wrap(book.fandoms.join(', '), 34, 2);
  const text = (lines: string[], y: number, size: number, step: number) =>
    lines.map((l, i) => `<text x="300" y="${y + i * step}" font-size="${size}" text-anchor="middle">${x(l)}</text>`).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="600" height="900" viewBox="0 0 600 900">
<rect x="0" y="0" width="600" height="900" fill="#6b1a1a"/>
<rect x="30" y="30" width="540" height="840" fill="none" stroke="#f3e9d2" stroke-width="3"/>
<g fill="#f3e9d2" font-family="serif">
${text(title, 260, 44, 54)}
${text(authors, 640, 28, 36)}
${text(fandom, 760, 20, 28)}
<text x="300" y="840" font-size="16" text-anchor="middle">${x(book.siteName)}</text>
</g>
</svg>
`;
}

function packageDocument(book: Book, options: EpubOptions): string {
  const modified = (options.modified ?? book.updated).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const creators = book.creators
    .map(
      (c, i) => `<dc:creator id="creator${i + 1}">${x(c.name)}</dc:creator>
<meta refines="#creator${i + 1}" property="role" scheme="marc:relators">aut</meta>
<meta refines="#creator${i + 1}" property="file-as">${x(c.name)}</meta>`,
    )
    .join('\n');
  const subjects = [...new Set(allTags(book))].map((t) => `<dc:subject>${x(t)}</dc:subject>`).join('\n');
  const typed = tagGroups(book)
    .flatMap((g) => g.tags.map((t) => `<meta property="fanfold:${g.key}">${x(t)}</meta>`))
    .join('\n');
  const series = book.series
    .map(
      (s, i) => `<meta property="belongs-to-collection" id="series${i + 1}">${x(s.title)}</meta>
<meta refines="#series${i + 1}" property="collection-type">series</meta>
<meta refines="#series${i + 1}" property="group-position">${s.index}</meta>`,
    )
    .join('\n');
  const description = book.summaryHtml.trim() ? `<dc:description>${x(stripTags(book.summaryHtml))}</dc:description>` : '';
  const chapters = book.chapters
    .map((_, i) => `<item id="chapter${i + 1}" href="${chapterFile(i)}" media-type="application/xhtml+xml"/>`)
    .join('\n');
  const spine = book.chapters.map((_, i) => `<itemref idref="chapter${i + 1}"/>`).join('\n');
  const cover = options.cover
    ? `<item id="cover-image" href="cover.svg" media-type="image/svg+xml" properties="cover-image"/>
<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>`
    : '';
  return `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="${x(book.language)}" prefix="fanfold: ${x(book.siteUrl)}/ns/epub#">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">${x(book.url)}</dc:identifier>
<dc:title>${x(book.title)}</dc:title>
<dc:language>${x(book.language)}</dc:language>
${creators}
<dc:publisher>${x(book.siteName)}</dc:publisher>
<dc:source>${x(book.url)}</dc:source>
${book.published ? `<dc:date>${book.published.toISOString().replace(/\.\d{3}Z$/, 'Z')}</dc:date>` : ''}
${description}
${subjects}
<meta property="dcterms:modified">${modified}</meta>
${typed}
${series}
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="style" href="style.css" media-type="text/css"/>
${cover}
<item id="titlepage" href="title.xhtml" media-type="application/xhtml+xml"/>
${chapters}
</manifest>
<spine toc="ncx">
${options.cover ? '<itemref idref="cover" linear="yes"/>\n' : ''}<itemref idref="titlepage"/>
${spine}
<itemref idref="nav" linear="no"/>
</spine>
</package>
`.replace(/\n{2,}/g, '\n');
}

function stripTags(html: string): string {
  return html
    .replace(/<\/(p|div|br|li|blockquote|h\d)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** Writes the book as an EPUB 3 file (with an NCX for older readers); returns its bytes. */
export function buildEpub(book: Book, options: EpubOptions = {}): Uint8Array {
  if (book.chapters.length === 0) throw new Error('a book needs at least one chapter');
  const files: Zippable = {
    mimetype: [strToU8('application/epub+zip'), { level: 0 }],
    'META-INF/container.xml': strToU8(`<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
`),
    'OEBPS/content.opf': strToU8(packageDocument(book, options)),
    'OEBPS/nav.xhtml': strToU8(navDocument(book)),
    'OEBPS/toc.ncx': strToU8(ncxDocument(book)),
    'OEBPS/style.css': strToU8(STYLESHEET),
    'OEBPS/title.xhtml': strToU8(titlePage(book)),
  };
  if (options.cover) {
    files['OEBPS/cover.svg'] = strToU8(coverSvg(book));
    files['OEBPS/cover.xhtml'] = strToU8(
      xhtmlDocument(
        'Cover',
        book.language,
        `<div class="cover" epub:type="cover"><img src="cover.svg" alt="${x(`${book.title} by ${byline(book)}`)}"/></div>`,
      ),
    );
  }
  book.chapters.forEach((chapter, i) => {
    files[`OEBPS/${chapterFile(i)}`] = strToU8(chapterPage(book, chapter, i, i === book.chapters.length - 1));
  });
  return zipSync(files, { level: 6, mtime: book.updated });
}

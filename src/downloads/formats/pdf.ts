// PDF: the title page and chapters set in DejaVu Serif (full Unicode) when Debian's
// fonts-dejavu-core is installed, in pdfkit's built-in Times otherwise (Latin-1 only).
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import { byline, embedLink, isoDate, parseFragment, tagGroups, type Book } from '../epub/index.ts';
import { BLOCK_ELEMENTS } from '../../works/text/index.ts';

const DEJAVU = '/usr/share/fonts/truetype/dejavu';
type Face = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'mono';

function fontFiles(): Record<Face, string> {
  const files: Record<Face, string> = {
    regular: `${DEJAVU}/DejaVuSerif.ttf`,
    bold: `${DEJAVU}/DejaVuSerif-Bold.ttf`,
    italic: `${DEJAVU}/DejaVuSerif-Italic.ttf`,
    boldItalic: `${DEJAVU}/DejaVuSerif-BoldItalic.ttf`,
    mono: `${DEJAVU}/DejaVuSansMono.ttf`,
  };
  if (Object.values(files).every((f) => fs.existsSync(f))) return files;
  return { regular: 'Times-Roman', bold: 'Times-Bold', italic: 'Times-Italic', boldItalic: 'Times-BoldItalic', mono: 'Courier' };
}

interface Run {
  text: string;
  bold: boolean;
  italic: boolean;
  mono: boolean;
  link?: string | undefined;
}
interface Block {
  kind: 'p' | 'h' | 'quote' | 'hr' | 'pre' | 'li';
  align: 'left' | 'center' | 'right' | 'justify';
  runs: Run[];
  level: number;
}

/** Flattens sanitized HTML into blocks of styled runs, the shape pdfkit lays out. */
export function toBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  const open = (kind: Block['kind'], align: Block['align'], level: number): Block => {
    current = { kind, align, runs: [], level };
    blocks.push(current);
    return current;
  };
  type Style = {
    bold: boolean;
    italic: boolean;
    mono: boolean;
    link?: string | undefined;
    kind: Block['kind'];
    align: Block['align'];
    level: number;
    pre: boolean;
  };
  const walk = (nodes: ReturnType<typeof parseFragment>, style: Style): void => {
    for (const node of nodes) {
      if (node.type === 'text') {
        const text = style.pre ? node.text : node.text.replace(/[ \t\n\r\f]+/g, ' ');
        if (!text) continue;
        const target: Block = current ?? open(style.kind, style.align, style.level);
        if (target.runs.length === 0 && !style.pre && text === ' ') continue;
        target.runs.push({ text, bold: style.bold, italic: style.italic, mono: style.mono, link: style.link });
        continue;
      }
      const name = node.name;
      if (name === 'br') {
        (current ?? open(style.kind, style.align, style.level)).runs.push({ text: '\n', bold: false, italic: false, mono: false });
        continue;
      }
      if (name === 'hr') {
        open('hr', 'center', 0);
        current = null;
        continue;
      }
      if (['iframe', 'embed', 'audio', 'video', 'source', 'track'].includes(name)) {
        // A player becomes a link to its media: a book plays nothing and fetches nothing.
        const player = embedLink(node);
        if (player !== null) {
          (current ?? open(style.kind, style.align, style.level)).runs.push({
            text: player.label,
            bold: false,
            italic: true,
            mono: false,
            link: player.href,
          });
        }
        continue;
      }
      if (name === 'img') {
        const alt = node.attribs.alt ? `[Image: ${node.attribs.alt}]` : '[Image]';
        (current ?? open(style.kind, style.align, style.level)).runs.push({ text: alt, bold: false, italic: true, mono: false });
        continue;
      }
      const alignAttr = (node.attribs.align ?? /text-align:\s*(\w+)/.exec(node.attribs.style ?? '')?.[1] ?? '').toLowerCase();
      const next: Style = { ...style };
      if (['left', 'center', 'right', 'justify'].includes(alignAttr)) next.align = alignAttr as Block['align'];
      if (name === 'center') next.align = 'center';
      if (['b', 'strong', 'th', 'dt', 'summary'].includes(name) || /^h\d$/.test(name)) next.bold = true;
      if (['i', 'em', 'cite', 'dfn', 'var', 'address'].includes(name)) next.italic = true;
      if (['code', 'kbd', 'samp', 'tt', 'pre'].includes(name)) next.mono = true;
      if (name === 'a' && node.attribs.href && /^https?:/.test(node.attribs.href)) next.link = node.attribs.href;
      if (/^h\d$/.test(name)) next.kind = 'h';
      else if (name === 'blockquote') next.kind = 'quote';
      else if (name === 'pre') {
        next.kind = 'pre';
        next.pre = true;
      } else if (name === 'li' || name === 'dd') {
        next.kind = 'li';
        next.level = style.level + 1;
      }
      if (BLOCK_ELEMENTS.has(name)) {
        current = null;
        if (name === 'li') open('li', next.align, next.level).runs.push({ text: '• ', bold: false, italic: false, mono: false });
        walk(node.children, next);
        current = null;
      } else if (name === 'td' || name === 'th') {
        walk(node.children, next);
        (current ?? open(style.kind, style.align, style.level)).runs.push({ text: '    ', bold: false, italic: false, mono: false });
      } else {
        walk(node.children, next);
      }
    }
  };
  walk(parseFragment(html), { bold: false, italic: false, mono: false, kind: 'p', align: 'left', level: 0, pre: false });
  return blocks.filter((b) => b.kind === 'hr' || b.runs.some((r) => r.text.trim() !== ''));
}

/** Writes the book as a PDF: title page, then each chapter from a new page; numbered pages. */
export function buildPdf(book: Book): Promise<Buffer> {
  const fonts = fontFiles();
  const doc = new PDFDocument({
    size: 'A5',
    margins: { top: 54, bottom: 60, left: 50, right: 50 },
    bufferPages: true,
    info: {
      Title: book.title,
      Author: byline(book),
      Subject: book.fandoms.join(', '),
      Keywords: tagGroups(book)
        .flatMap((g) => g.tags)
        .join(', '),
      CreationDate: book.updated,
    },
    lang: book.language,
    displayTitle: true,
  } as PDFKit.PDFDocumentOptions);
  for (const [face, file] of Object.entries(fonts)) doc.registerFont(face, file);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const face = (r: { bold: boolean; italic: boolean; mono: boolean }): Face =>
    r.mono ? 'mono' : r.bold && r.italic ? 'boldItalic' : r.bold ? 'bold' : r.italic ? 'italic' : 'regular';
  const width = doc.page.width - 100;

  const writeBlocks = (html: string, baseSize = 10.5) => {
    for (const block of toBlocks(html)) {
      if (block.kind === 'hr') {
        const y = doc.y + 6;
        doc
          .moveTo(doc.page.width / 2 - 40, y)
          .lineTo(doc.page.width / 2 + 40, y)
          .lineWidth(0.5)
          .stroke('#666666');
        doc.moveDown(1);
        continue;
      }
      const size = block.kind === 'h' ? baseSize + 2 : block.kind === 'pre' ? baseSize - 1.5 : baseSize;
      const indent = block.kind === 'quote' ? 20 : block.kind === 'li' ? 12 * block.level : 0;
      const runs = block.runs.filter((r) => r.text !== '');
      runs.forEach((run, i) => {
        doc.font(face(run)).fontSize(size).fillColor('#000000');
        doc.text(run.text, doc.page.margins.left + indent, undefined, {
          width: width - indent,
          align: block.kind === 'pre' ? 'left' : block.align,
          continued: i < runs.length - 1,
          lineGap: 2,
          ...(run.link ? { link: run.link, underline: false } : {}),
        });
      });
      doc.moveDown(0.5);
    }
  };

  // Title page.
  doc.font('bold').fontSize(20).text(book.title, { align: 'center' });
  doc.moveDown(0.5);
  doc
    .font('regular')
    .fontSize(12)
    .text(`by ${byline(book)}`, { align: 'center' });
  doc.moveDown(0.3);
  doc.fontSize(9).fillColor('#444444').text(`Posted on ${book.siteName} at ${book.url}`, { align: 'center', link: book.url });
  doc.fillColor('#000000').moveDown(1.5);
  const fields = [
    ...tagGroups(book).map((g) => ({ label: g.label, value: g.tags.join(', ') })),
    ...book.series.map((s) => ({ label: 'Series', value: `Part ${s.index} of ${s.title}` })),
    {
      label: 'Stats',
      value: [
        book.published ? `Published: ${isoDate(book.published)}` : null,
        `Updated: ${isoDate(book.updated)}`,
        `Words: ${book.words.toLocaleString('en')}`,
        `Chapters: ${book.chaptersLabel}`,
      ]
        .filter(Boolean)
        .join(' · '),
    },
  ];
  for (const f of fields) {
    doc.font('bold').fontSize(9.5).text(`${f.label}: `, { continued: true }).font('regular').text(f.value);
    doc.moveDown(0.3);
  }
  if (book.summaryHtml.trim()) {
    doc.moveDown(0.8).font('bold').fontSize(11).text('Summary');
    doc.moveDown(0.3);
    writeBlocks(book.summaryHtml, 10);
  }
  if (book.notesHtml.trim()) {
    doc.moveDown(0.5).font('bold').fontSize(11).text('Notes');
    doc.moveDown(0.3);
    writeBlocks(book.notesHtml, 10);
  }

  book.chapters.forEach((chapter, index) => {
    doc.addPage();
    doc
      .font('bold')
      .fontSize(15)
      .text(book.chapters.length > 1 || chapter.title ? chapter.heading : book.title, { align: 'center' });
    doc.moveDown(1);
    const notes: Array<[string, string]> = [
      ['Chapter Summary', chapter.summaryHtml],
      ['Chapter Notes', chapter.notesHtml],
    ];
    for (const [label, html] of notes) {
      if (!html.trim()) continue;
      doc.font('bold').fontSize(10).text(label);
      writeBlocks(html, 9.5);
      doc.moveDown(0.5);
    }
    writeBlocks(chapter.bodyHtml);
    const end: Array<[string, string]> = [['Chapter End Notes', chapter.endNotesHtml]];
    if (index === book.chapters.length - 1) end.push(['End Notes', book.endNotesHtml]);
    for (const [label, html] of end) {
      if (!html.trim()) continue;
      doc.moveDown(0.5).font('bold').fontSize(10).text(label);
      writeBlocks(html, 9.5);
    }
  });

  // Page numbers, centred in the bottom margin of every page but the title page.
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(8.5)
      .fillColor('#555555')
      .text(String(i + 1), 0, doc.page.height - 36, { width: doc.page.width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

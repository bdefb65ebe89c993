// Reads an EPUB (2 or 3): metadata from the package document, chapters from the spine. Fanfold's
// own EPUBs are recognised closely (typed tags, notes, chapter titles) so that export → import
// gives the same work back; other EPUBs give one chapter a spine document.
import { Inflate } from 'fflate';
import { chapterTitleFromHeading, emptyImport, ImportError, type ImportedChapter, type ImportedWork } from './imported-work.ts';
import { elements, findAll, findFirst, hasClass, localName, parseMarkup, textOf, toHtml, type ElementNode, type Node } from './dom.ts';

// A zip's headers state each file's unpacked size, and a hostile one under-states it (a 1 MB file
// that unpacks to 1 GB). So the sizes are never trusted: files are inflated in small steps with a
// count of the bytes actually produced, and reading stops at these limits.
/** The most an EPUB may unpack to, counting every file read from it. */
export const MAX_EPUB_UNPACKED_BYTES = 60 * 1024 * 1024;
/** The most one file inside an EPUB may unpack to (a whole novel in one XHTML file is a few MB). */
export const MAX_EPUB_FILE_BYTES = 20 * 1024 * 1024;
/** The most files an EPUB's directory may list. */
export const MAX_EPUB_FILES = 10_000;
// Compressed bytes inflated per step: deflate expands at most ~1,032 times, so one step produces
// at most ~8 MB before the count is checked again.
const INFLATE_STEP = 8 * 1024;

const MB = 1024 * 1024;
const NOT_A_ZIP = 'This file is not a readable EPUB (it is not a valid zip archive). Export it again from the archive or app it came from.';
const SPLIT = 'Split the work into smaller parts, or import it as HTML.';

interface ZipEntry {
  name: string;
  method: number;
  /** Where the compressed data starts and how long it is (from the headers; checked against the file). */
  start: number;
  compressedSize: number;
}

/** The directory of a zip archive: its files by name, none of them unpacked yet. */
function readZipDirectory(bytes: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  // The end-of-directory record sits in the last 22 bytes plus up to 65,535 of comment.
  let end = -1;
  for (let i = bytes.length - 22; i >= 0 && i >= bytes.length - 22 - 0xffff; i--) {
    if (u32(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ImportError(NOT_A_ZIP);
  const count = u16(end + 10);
  let at = u32(end + 16);
  if (count === 0xffff || at === 0xffffffff) throw new ImportError(NOT_A_ZIP); // Zip64: no EPUB needs it
  if (count > MAX_EPUB_FILES) {
    throw new ImportError(
      `This EPUB holds ${count.toLocaleString('en')} files; the archive reads at most ${MAX_EPUB_FILES.toLocaleString('en')} files from one EPUB. ${SPLIT}`,
    );
  }
  const entries = new Map<string, ZipEntry>();
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || u32(at) !== 0x02014b50) throw new ImportError(NOT_A_ZIP);
    const flags = u16(at + 8);
    const nameLength = u16(at + 28);
    const local = u32(at + 42);
    if (at + 46 + nameLength > bytes.length || local + 30 > bytes.length || u32(local) !== 0x04034b50) throw new ImportError(NOT_A_ZIP);
    if (flags & 1)
      throw new ImportError(
        'This EPUB is encrypted (it has DRM), so its text cannot be read. Import a copy without DRM, or the work as HTML.',
      );
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
    const name = flags & 0x800 ? new TextDecoder().decode(nameBytes) : String.fromCharCode(...nameBytes);
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    const entry = { name, method: u16(at + 10), start, compressedSize: u32(at + 20) };
    if (start + entry.compressedSize > bytes.length) throw new ImportError(NOT_A_ZIP);
    if (!entries.has(name)) entries.set(name, entry);
    at += 46 + nameLength + u16(at + 30) + u16(at + 32);
  }
  return entries;
}

/** Reads files out of an EPUB's zip, counting what it unpacks against the limits. */
class EpubArchive {
  private readonly entries: Map<string, ZipEntry>;
  private unpacked = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.entries = readZipDirectory(bytes);
  }

  /** The file's text, or undefined when the archive has no such file. */
  read(name: string): string | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    const data = this.bytes.subarray(entry.start, entry.start + entry.compressedSize);
    if (entry.method === 0) {
      this.count(entry, data.length);
      return new TextDecoder().decode(data);
    }
    if (entry.method !== 8) {
      throw new ImportError(
        `This EPUB stores ${entry.name} with a compression method EPUBs do not use, so it cannot be read. Export it again from the app it came from.`,
      );
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const inflate = new Inflate((chunk) => {
      chunks.push(chunk);
      size += chunk.length;
    });
    try {
      for (let i = 0; i < data.length || i === 0; i += INFLATE_STEP) {
        const last = i + INFLATE_STEP >= data.length;
        inflate.push(data.subarray(i, i + INFLATE_STEP), last);
        this.count(entry, size);
        if (last) break;
      }
    } catch (error) {
      if (error instanceof ImportError) throw error;
      throw new ImportError(
        `This EPUB's file ${entry.name} is damaged (it cannot be unpacked). Export the EPUB again from the app it came from.`,
      );
    }
    this.unpacked += size;
    const text = new TextDecoder().decode(concat(chunks, size));
    return text;
  }

  /** Throws once the file being read, or everything read so far, passes its limit. */
  private count(entry: ZipEntry, fileBytes: number): void {
    if (fileBytes > MAX_EPUB_FILE_BYTES) {
      throw new ImportError(
        `This EPUB's file ${entry.name} unpacks to more than ${MAX_EPUB_FILE_BYTES / MB} MB; ` +
          `the archive reads at most ${MAX_EPUB_FILE_BYTES / MB} MB from one file inside an EPUB. ${SPLIT}`,
      );
    }
    if (this.unpacked + fileBytes > MAX_EPUB_UNPACKED_BYTES) {
      throw new ImportError(
        `This EPUB unpacks to more than ${MAX_EPUB_UNPACKED_BYTES / MB} MB; the archive reads at most ${MAX_EPUB_UNPACKED_BYTES / MB} MB from one EPUB. ${SPLIT}`,
      );
    }
  }
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function resolve(base: string, href: string): string {
  const parts = (base ? `${base}/${href}` : href).split('#')[0]!.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.map(decodePathPart).join('/');
}

/** `%20` → space; a malformed escape (`%E0%A4`) stays as written, matching no file rather than failing. */
function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Splits "<h3>Label</h3> content" blocks by label (Fanfold's notes and summaries). */
function labelledBlocks(container: ElementNode): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const div of findAll(container.children, (n) => n.name === 'div' && (hasClass(n, 'notes') || hasClass(n, 'summary')))) {
    const heading = elements(div.children).find((n) => /^h\d$/.test(n.name));
    if (!heading) continue;
    blocks.set(textOf(heading), toHtml(div.children.filter((n) => n !== heading)).trim());
  }
  return blocks;
}

const TAG_KEYS: Record<
  string,
  keyof Pick<ImportedWork, 'warnings' | 'categories' | 'fandoms' | 'relationships' | 'characters' | 'freeforms'>
> = {
  warning: 'warnings',
  category: 'categories',
  fandom: 'fandoms',
  relationship: 'relationships',
  character: 'characters',
  freeform: 'freeforms',
};

/**
 * Reads an EPUB's bytes into what it holds. Throws ImportError for a file it cannot read, one that
 * unpacks past MAX_EPUB_UNPACKED_BYTES (or one file past MAX_EPUB_FILE_BYTES), one listing more than
 * MAX_EPUB_FILES files, or markup nested deeper than MAX_NESTING.
 */
export function parseEpub(bytes: Uint8Array): ImportedWork {
  const archive = new EpubArchive(bytes);
  const read = (name: string) => archive.read(name);
  const container = read('META-INF/container.xml');
  if (!container) throw new ImportError('This EPUB has no META-INF/container.xml, so its contents cannot be found.');
  const rootfile = findFirst(parseMarkup(container, { xml: true, where: 'META-INF/container.xml' }), (n) => localName(n) === 'rootfile')
    ?.attribs['full-path'];
  const opfText = rootfile ? read(rootfile) : undefined;
  if (!rootfile || !opfText) throw new ImportError('This EPUB names no package document (content.opf), so its chapters cannot be found.');
  const opfDir = rootfile.includes('/') ? rootfile.slice(0, rootfile.lastIndexOf('/')) : '';
  const opf = parseMarkup(opfText, { xml: true, where: rootfile });
  const metadata = findFirst(opf, (n) => localName(n) === 'metadata');
  const work = emptyImport('epub');
  const meta = metadata ? elements(metadata.children) : [];
  const dc = (name: string) => meta.filter((n) => n.name.toLowerCase() === `dc:${name}` || (localName(n) === name && n.name.includes(':')));
  work.title = textOf(dc('title')[0] ?? []) || 'Untitled';
  work.creators = dc('creator')
    .map((n) => textOf(n))
    .filter(Boolean);
  work.language = textOf(dc('language')[0] ?? []);
  work.sourceUrl = textOf(dc('identifier')[0] ?? []);
  const description = textOf(dc('description')[0] ?? []);
  const typed = meta.filter((n) => localName(n) === 'meta' && (n.attribs.property ?? '').startsWith('fanfold:'));
  if (typed.length > 0) {
    for (const m of typed) {
      const key = m.attribs.property!.slice('fanfold:'.length);
      const value = textOf(m);
      if (key === 'rating') work.rating = value;
      else if (TAG_KEYS[key]) work[TAG_KEYS[key]].push(value);
    }
  } else {
    work.freeforms = dc('subject')
      .map((n) => textOf(n))
      .filter(Boolean);
  }

  const manifest = new Map<string, { href: string; type: string; properties: string }>();
  for (const item of findAll(opf, (n) => localName(n) === 'item')) {
    if (item.attribs.id && item.attribs.href)
      manifest.set(item.attribs.id, {
        href: resolve(opfDir, item.attribs.href),
        type: item.attribs['media-type'] ?? '',
        properties: item.attribs.properties ?? '',
      });
  }
  const spine = findAll(opf, (n) => localName(n) === 'itemref')
    .map((ref) => ({ id: ref.attribs.idref ?? '', item: manifest.get(ref.attribs.idref ?? '') }))
    .filter((s) => s.item && /html/.test(s.item.type) && !s.item.properties.split(/\s+/).includes('nav'));

  // A document listed twice in the reading order is read once: reading it again would only repeat
  // a chapter, and would let a small file be parsed thousands of times.
  const seen = new Set<string>();
  for (const { id, item } of spine) {
    if (seen.has(item!.href)) continue;
    seen.add(item!.href);
    const text = read(item!.href);
    if (!text) continue;
    const doc = parseMarkup(text, { where: item!.href });
    const body = findFirst(doc, (n) => n.name === 'body');
    if (!body) continue;
    const types = findAll(body.children, (n) => n.attribs['epub:type'] !== undefined).map((n) => n.attribs['epub:type']!);
    if (id === 'cover' || types.includes('cover')) continue;
    if (id === 'titlepage' || types.includes('titlepage')) {
      const blocks = labelledBlocks(body);
      work.summaryHtml = blocks.get('Summary') ?? work.summaryHtml;
      work.notesHtml = blocks.get('Notes') ?? work.notesHtml;
      continue;
    }
    work.chapters.push(readChapter(body, work));
  }
  if (!work.summaryHtml && description)
    work.summaryHtml = description
      .split(/\n+/)
      .map((p) => `<p>${escapeText(p)}</p>`)
      .join('');
  if (work.chapters.length === 0) throw new ImportError('This EPUB has no chapters in its reading order.');
  return work;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function readChapter(body: ElementNode, work: ImportedWork): ImportedChapter {
  const userstuff = findFirst(body.children, (n) => n.name === 'div' && hasClass(n, 'userstuff'));
  if (userstuff) {
    // A Fanfold chapter: heading, labelled notes, the text in div.userstuff.
    const heading = findFirst(body.children, (n) => n.name === 'h2');
    const blocks = labelledBlocks(body);
    const workEnd = blocks.get('End Notes');
    if (workEnd) work.endNotesHtml = workEnd;
    return {
      title: heading ? chapterTitleFromHeading(textOf(heading), work.title) : '',
      summaryHtml: blocks.get('Chapter Summary') ?? '',
      notesHtml: blocks.get('Chapter Notes') ?? '',
      endNotesHtml: blocks.get('Chapter End Notes') ?? '',
      bodyHtml: toHtml(userstuff.children).trim(),
    };
  }
  // Any other EPUB: the first heading names the chapter, the rest is its text.
  let content: Node[] = body.children;
  const wrappers = elements(content);
  if (
    wrappers.length === 1 &&
    ['section', 'div', 'article'].includes(wrappers[0]!.name) &&
    content.every((n) => n.type === 'element' || !n.text.trim())
  )
    content = wrappers[0]!.children;
  const heading = elements(content).find((n) => /^h[1-3]$/.test(n.name));
  return {
    title: heading ? chapterTitleFromHeading(textOf(heading), work.title) : '',
    summaryHtml: '',
    notesHtml: '',
    endNotesHtml: '',
    bodyHtml: toHtml(content.filter((n) => n !== heading)).trim(),
  };
}

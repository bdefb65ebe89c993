// Reads an EPUB (2 or 3): metadata from the package document, chapters from the spine. Fanfold's
// own EPUBs are recognised closely (typed tags, notes, chapter titles) so that export → import
// gives the same work back; other EPUBs give one chapter a spine document.
import { strFromU8, unzipSync } from 'fflate';
import { chapterTitleFromHeading, emptyImport, ImportError, type ImportedChapter, type ImportedWork } from './imported-work.ts';
import { elements, findAll, findFirst, hasClass, localName, parseFragment, textOf, toHtml, type ElementNode, type Node } from './dom.ts';

/** Uncompressed size limit: a zip bomb stops here. */
const MAX_UNZIPPED = 60 * 1024 * 1024;

function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  let total = 0;
  try {
    return unzipSync(bytes, {
      filter(file) {
        total += file.originalSize;
        if (total > MAX_UNZIPPED) throw new ImportError('This EPUB unpacks to more than 60 MB; split the work or import it as HTML.');
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError('This file is not a readable EPUB (it is not a valid zip archive). Export it again from the archive or app it came from.');
  }
}

function resolve(base: string, href: string): string {
  const parts = (base ? `${base}/${href}` : href).split('#')[0]!.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.map((p) => decodeURIComponent(p)).join('/');
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

const TAG_KEYS: Record<string, keyof Pick<ImportedWork, 'warnings' | 'categories' | 'fandoms' | 'relationships' | 'characters' | 'freeforms'>> = {
  warning: 'warnings',
  category: 'categories',
  fandom: 'fandoms',
  relationship: 'relationships',
  character: 'characters',
  freeform: 'freeforms',
};

/** Reads an EPUB's bytes into what it holds. */
export function parseEpub(bytes: Uint8Array): ImportedWork {
  const files = unzip(bytes);
  const read = (name: string) => {
    const file = files[name];
    return file ? strFromU8(file) : undefined;
  };
  const container = read('META-INF/container.xml');
  if (!container) throw new ImportError('This EPUB has no META-INF/container.xml, so its contents cannot be found.');
  const rootfile = findFirst(parseFragment(container, { xml: true }), (n) => localName(n) === 'rootfile')?.attribs['full-path'];
  const opfText = rootfile ? read(rootfile) : undefined;
  if (!rootfile || !opfText) throw new ImportError('This EPUB names no package document (content.opf), so its chapters cannot be found.');
  const opfDir = rootfile.includes('/') ? rootfile.slice(0, rootfile.lastIndexOf('/')) : '';
  const opf = parseFragment(opfText, { xml: true });
  const metadata = findFirst(opf, (n) => localName(n) === 'metadata');
  const work = emptyImport('epub');
  const meta = metadata ? elements(metadata.children) : [];
  const dc = (name: string) => meta.filter((n) => n.name.toLowerCase() === `dc:${name}` || (localName(n) === name && n.name.includes(':')));
  work.title = textOf(dc('title')[0] ?? []) || 'Untitled';
  work.creators = dc('creator').map((n) => textOf(n)).filter(Boolean);
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
    work.freeforms = dc('subject').map((n) => textOf(n)).filter(Boolean);
  }

  const manifest = new Map<string, { href: string; type: string; properties: string }>();
  for (const item of findAll(opf, (n) => localName(n) === 'item')) {
    if (item.attribs.id && item.attribs.href) manifest.set(item.attribs.id, { href: resolve(opfDir, item.attribs.href), type: item.attribs['media-type'] ?? '', properties: item.attribs.properties ?? '' });
  }
  const spine = findAll(opf, (n) => localName(n) === 'itemref')
    .map((ref) => ({ id: ref.attribs.idref ?? '', item: manifest.get(ref.attribs.idref ?? '') }))
    .filter((s) => s.item && /html/.test(s.item.type) && !s.item.properties.split(/\s+/).includes('nav'));

  for (const { id, item } of spine) {
    const text = read(item!.href);
    if (!text) continue;
    const doc = parseFragment(text, { xml: false });
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
  if (!work.summaryHtml && description) work.summaryHtml = description.split(/\n+/).map((p) => `<p>${escapeText(p)}</p>`).join('');
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
  if (wrappers.length === 1 && ['section', 'div', 'article'].includes(wrappers[0]!.name) && content.every((n) => n.type === 'element' || !n.text.trim())) content = wrappers[0]!.children;
  const heading = elements(content).find((n) => /^h[1-3]$/.test(n.name));
  return {
    title: heading ? chapterTitleFromHeading(textOf(heading), work.title) : '',
    summaryHtml: '',
    notesHtml: '',
    endNotesHtml: '',
    bodyHtml: toHtml(content.filter((n) => n !== heading)).trim(),
  };
}

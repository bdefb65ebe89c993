// Reads an HTML file: AO3's download HTML (preface with the tag list, byline, summary and notes;
// chapters with their notes; afterword with end notes) when it looks like one, otherwise any
// HTML page as one chapter titled by its <h1> or <title>.
import { LANGUAGES } from '../works/vocabulary.ts';
import { chapterTitleFromHeading, emptyImport, type ImportedChapter, type ImportedWork } from './imported-work.ts';
import { elements, findAll, findFirst, hasClass, parseMarkup, textOf, toHtml, type ElementNode, type Node } from './dom.ts';

const LABELS: Record<string, 'rating' | 'warnings' | 'categories' | 'fandoms' | 'relationships' | 'characters' | 'freeforms' | 'language'> =
  {
    rating: 'rating',
    'archive warning': 'warnings',
    'archive warnings': 'warnings',
    category: 'categories',
    categories: 'categories',
    fandom: 'fandoms',
    fandoms: 'fandoms',
    relationship: 'relationships',
    relationships: 'relationships',
    character: 'characters',
    characters: 'characters',
    'additional tags': 'freeforms',
    'additional tag': 'freeforms',
    language: 'language',
  };

const LANGUAGE_BY_NAME = new Map([
  ...LANGUAGES.map((l) => [l.name.toLowerCase(), l.code] as const),
  ['english', 'en'],
  ['spanish', 'es'],
  ['french', 'fr'],
  ['german', 'de'],
  ['italian', 'it'],
  ['russian', 'ru'],
  ['chinese', 'zh'],
  ['japanese', 'ja'],
  ['korean', 'ko'],
  ['polish', 'pl'],
  ['dutch', 'nl'],
]);

/** "Summary" <blockquote>...</blockquote> pairs in a container, by label. */
function labelledQuotes(nodes: readonly Node[]): Map<string, string> {
  const found = new Map<string, string>();
  const list = elements(nodes);
  list.forEach((node, i) => {
    const next = list[i + 1];
    if (node.name === 'p' && next?.name === 'blockquote') found.set(textOf(node).replace(/:$/, ''), toHtml(next.children).trim());
  });
  return found;
}

function isAo3(doc: readonly Node[]): boolean {
  return (
    findFirst(doc, (n) => n.attribs.id === 'preface') !== undefined && findFirst(doc, (n) => n.attribs.id === 'chapters') !== undefined
  );
}

/** Reads an HTML file's text into what it holds; throws ImportError for markup nested too deep. */
export function parseHtmlFile(text: string): ImportedWork {
  const doc = parseMarkup(text);
  return isAo3(doc) ? parseAo3(doc) : parseGenericHtml(doc);
}

function parseAo3(doc: readonly Node[]): ImportedWork {
  const work = emptyImport('ao3-html');
  const preface = findFirst(doc, (n) => n.attribs.id === 'preface')!;
  const meta = findFirst(preface.children, (n) => hasClass(n, 'meta')) ?? preface;
  const tags = findFirst(preface.children, (n) => n.name === 'dl' && hasClass(n, 'tags'));
  if (tags) {
    let label = '';
    for (const node of elements(tags.children)) {
      if (node.name === 'dt') label = textOf(node).replace(/:$/, '').toLowerCase();
      else if (node.name === 'dd') {
        const key = LABELS[label];
        if (!key) continue;
        const links = findAll(node.children, (n) => n.name === 'a')
          .map((a) => textOf(a))
          .filter(Boolean);
        const values =
          links.length > 0
            ? links
            : textOf(node)
                .split(',')
                .map((v) => v.trim())
                .filter(Boolean);
        if (key === 'rating') work.rating = values[0] ?? '';
        else if (key === 'language') work.language = LANGUAGE_BY_NAME.get(textOf(node).toLowerCase()) ?? '';
        else work[key].push(...values);
      }
    }
  }
  const h1 = findFirst(preface.children, (n) => n.name === 'h1');
  work.title = h1 ? textOf(h1) : textOf(findFirst(doc, (n) => n.name === 'title') ?? []) || 'Untitled';
  const byline = findFirst(preface.children, (n) => hasClass(n, 'byline'));
  if (byline) {
    const authors = findAll(byline.children, (n) => n.name === 'a');
    work.creators = authors.length > 0 ? authors.map((a) => textOf(a)) : [textOf(byline).replace(/^by\s+/i, '')];
  }
  const message = findFirst(preface.children, (n) => hasClass(n, 'message'));
  const workLink = message
    ? findAll(message.children, (n) => n.name === 'a')
        .map((a) => a.attribs.href ?? '')
        .find((h) => /\/works\/\d+/.test(h))
    : undefined;
  work.sourceUrl = workLink ?? '';
  const quotes = labelledQuotes(meta.children);
  work.summaryHtml = quotes.get('Summary') ?? '';
  work.notesHtml = quotes.get('Notes') ?? '';
  const afterword = findFirst(doc, (n) => n.attribs.id === 'afterword');
  const endnotes = afterword ? findFirst(afterword.children, (n) => n.attribs.id === 'endnotes') : undefined;
  if (endnotes) work.endNotesHtml = labelledQuotes(endnotes.children).get('End Notes') ?? '';

  const chaptersRoot = findFirst(doc, (n) => n.attribs.id === 'chapters')!;
  work.chapters = readAo3Chapters(chaptersRoot, work.title);
  return work;
}

function newChapter(title = ''): ImportedChapter {
  return { title, summaryHtml: '', notesHtml: '', endNotesHtml: '', bodyHtml: '' };
}

/** Walks #chapters in order: a heading starts a chapter; meta groups hold its notes; userstuff its text. */
function readAo3Chapters(root: ElementNode, workTitle: string): ImportedChapter[] {
  const chapters: ImportedChapter[] = [];
  let current: ImportedChapter | undefined;
  let sawText = false;
  const start = (title: string) => {
    current = newChapter(title);
    chapters.push(current);
    sawText = false;
  };
  const visit = (nodes: readonly Node[]) => {
    for (const node of nodes) {
      if (node.type === 'text') {
        if (node.text.trim()) {
          if (!current) start('');
          current!.bodyHtml += toHtml([node]);
          sawText = true;
        }
        continue;
      }
      if (
        /^h[1-3]$/.test(node.name) &&
        (hasClass(node, 'toc-heading') || hasClass(node, 'heading') || /^chapter\s+\d+/i.test(textOf(node)))
      ) {
        start(chapterTitleFromHeading(textOf(node), workTitle));
        continue;
      }
      if (node.name === 'div' && hasClass(node, 'meta')) {
        // A heading inside the meta group (newer downloads) starts the chapter.
        const heading = elements(node.children).find((n) => /^h[1-3]$/.test(n.name));
        if (heading && (!current || sawText || current.bodyHtml)) start(chapterTitleFromHeading(textOf(heading), workTitle));
        else if (heading && current) current.title = chapterTitleFromHeading(textOf(heading), workTitle);
        if (!current) start('');
        const quotes = labelledQuotes(node.children);
        const c = current!;
        if (sawText) c.endNotesHtml = quotes.get('Chapter End Notes') ?? c.endNotesHtml;
        else {
          c.summaryHtml = quotes.get('Chapter Summary') ?? c.summaryHtml;
          c.notesHtml = quotes.get('Chapter Notes') ?? c.notesHtml;
          c.endNotesHtml = quotes.get('Chapter End Notes') ?? c.endNotesHtml;
        }
        continue;
      }
      if (node.name === 'div' && hasClass(node, 'userstuff')) {
        if (!current || (sawText && current.bodyHtml)) start('');
        const nested = elements(node.children).some((n) => n.name === 'div' && (hasClass(n, 'userstuff') || hasClass(n, 'meta')));
        if (nested) visit(node.children);
        else {
          current!.bodyHtml += toHtml(node.children).trim();
          sawText = true;
        }
        continue;
      }
      if (!current) start('');
      current!.bodyHtml += toHtml([node]);
      sawText = true;
    }
  };
  visit(root.children);
  return chapters.filter((c) => c.bodyHtml.trim() !== '');
}

function parseGenericHtml(doc: readonly Node[]): ImportedWork {
  const work = emptyImport('html');
  const body = findFirst(doc, (n) => n.name === 'body');
  const content = body ? body.children : doc.filter((n) => n.type === 'text' || !['head', 'html'].includes(n.name));
  const h1 = findFirst(content, (n) => n.name === 'h1');
  const titleTag = findFirst(doc, (n) => n.name === 'title');
  work.title = (h1 ? textOf(h1) : '') || (titleTag ? textOf(titleTag) : '') || 'Untitled';
  const author = findFirst(doc, (n) => n.name === 'meta' && (n.attribs.name ?? '').toLowerCase() === 'author');
  if (author?.attribs.content) work.creators = [author.attribs.content];
  const html = findFirst(doc, (n) => n.name === 'html');
  work.language = LANGUAGES.some((l) => l.code === html?.attribs.lang) ? html!.attribs.lang! : '';
  const without = (nodes: readonly Node[]): Node[] =>
    nodes.filter((n) => n !== h1).map((n) => (n.type === 'element' ? { ...n, children: without(n.children) } : n));
  work.chapters = [{ ...newChapter(), bodyHtml: toHtml(without(content)).trim() }];
  return work;
}

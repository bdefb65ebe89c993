// The EPUB writer and the book view model every download format takes. A pure leaf.
export { buildEpub, EPUB_MEDIA_TYPE, type EpubOptions } from './epub.ts';
export { allTags, byline, isoDate, tagGroups, type Book, type BookChapter, type BookCreator, type BookSeries } from './book.ts';
export { embedLink, escapeXml, parseFragment, toXhtml, type ElementNode, type Node, type TextNode } from './xhtml.ts';

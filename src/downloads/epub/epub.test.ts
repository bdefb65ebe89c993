import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unzipSync, strFromU8 } from 'fflate';
import { buildEpub } from './index.ts';
import { toXhtml } from './xhtml.ts';
import { escapingBook, everyElementBook, foundingBook, longBook } from '../test-books.ts';
import { ebookMeta, epubcheck, tempFile } from '../test-tools.ts';

function check(name: string, bytes: Uint8Array): void {
  const report = epubcheck(tempFile(`${name}.epub`, bytes));
  assert.equal(report.fatals + report.errors + report.warnings, 0, report.output);
}

describe('EPUB writer', () => {
  it('writes the founding story as an EPUB that epubcheck passes with no errors or warnings', () => {
    const bytes = buildEpub(foundingBook(), { cover: true });
    check('founding', bytes);
    const files = unzipSync(bytes);
    assert.equal(Object.keys(files)[0], 'mimetype');
    const chapter = strFromU8(files['OEBPS/chapter-001.xhtml']!);
    assert.match(chapter, /Caroline rushed to her mothers bedside/);
    assert.match(chapter, /A chapter note\./);
    assert.match(chapter, /Thanks for reading\./);
    const title = strFromU8(files['OEBPS/title.xhtml']!);
    assert.match(title, /Caroline Forbes\/Stefan Salvatore/);
    assert.match(title, /Major Character Death/);
    const opf = strFromU8(files['OEBPS/content.opf']!);
    assert.match(opf, /<dc:identifier id="uid">http:\/\/archive\.test\/works\/7<\/dc:identifier>/);
    assert.match(opf, /<meta property="fanfold:rating">Mature<\/meta>/);
    assert.match(opf, /properties="cover-image"/);
    assert.ok(files['OEBPS/toc.ncx'] && files['OEBPS/nav.xhtml']);
  });

  it('passes epubcheck with 50 chapters, each in the nav document and the NCX', () => {
    const bytes = buildEpub(longBook(50, 300));
    check('fifty', bytes);
    const files = unzipSync(bytes);
    const nav = strFromU8(files['OEBPS/nav.xhtml']!);
    assert.equal((nav.match(/chapter-\d{3}\.xhtml/g) ?? []).length, 51); // 50 in the toc, one landmark
    assert.equal((strFromU8(files['OEBPS/toc.ncx']!).match(/<navPoint /g) ?? []).length, 51);
  });

  it('passes epubcheck with every element the sanitizer allows', () => {
    const bytes = buildEpub(everyElementBook());
    check('every-element', bytes);
    const chapter = strFromU8(unzipSync(bytes)['OEBPS/chapter-001.xhtml']!);
    // Obsolete elements became their modern forms; remote images became links.
    assert.doesNotMatch(chapter, /<(center|big|tt|strike|acronym|img)\b/);
    assert.match(chapter, /<a href="https:\/\/example\.org\/pic\.png">\[Image: A picture\]<\/a>/);
    assert.match(chapter, /<a href="http:\/\/archive\.test\/works\/2">relative<\/a>/);
    assert.match(chapter, /<br\/>/);
    assert.match(chapter, /a\u00a0b/);
    // AO3's formatting kept in HTML5 terms: figures, work-skin classes, sizes and list types as CSS.
    assert.match(
      chapter,
      /<figure class="fanart"><a href="https:\/\/example\.org\/art\.png">\[Image: Fan art\]<\/a><figcaption class="credit">/,
    );
    assert.match(chapter, /<p class="text-message sent">A skinned paragraph<\/p>/);
    assert.match(chapter, /<table style="width: 80%; border: 1px solid">/);
    assert.match(chapter, /<ul style="list-style-type: square">/);
    // Each player is a link to its media: nothing plays or is fetched from a book.
    assert.doesNotMatch(chapter, /<(iframe|embed|audio|video|source|track)\b/);
    assert.match(chapter, /<a href="https:\/\/www\.youtube\.com\/embed\/abc">\[Player: Storm vid \(www\.youtube\.com\)\]<\/a>/);
    assert.match(chapter, /<a href="https:\/\/archive\.org\/download\/podfic\/ch1\.mp3">\[Audio: Chapter 1 podfic \(archive\.org\)\]<\/a>/);
    assert.match(chapter, /<a href="https:\/\/archive\.org\/v\.webm">\[Video \(archive\.org\)\]<\/a>/);
    assert.match(chapter, /<a href="https:\/\/archiveofourown\.org\/player\.swf">\[Player \(archiveofourown\.org\)\]<\/a>/);
  });

  it('escapes titles, names and tags with & < > " \' and unicode, and Calibre reads them back', () => {
    const book = escapingBook();
    const bytes = buildEpub(book, { cover: true });
    check('escaping', bytes);
    const meta = ebookMeta(tempFile('escaping.epub', bytes));
    assert.equal(meta.Title, book.title);
    // Calibre shows a literal & in an author's name doubled, and joins authors with &.
    assert.equal(meta['Author(s)']?.replace(/\s*\[.*\]$/, ''), `O'Brien && <Co> & Zoë "Z"`);
    const tags = meta.Tags!.split(', ');
    for (const tag of ['Tom & Jerry', 'Ça <marche>', '<3', 'a > b', '日本語のタグ', 'Jérôme "J" O\'Neil', 'General Audiences'])
      assert.ok(tags.includes(tag), `missing tag ${tag} in ${meta.Tags}`);
    assert.equal(meta.Series, 'Cats & Mice <Saga> #2');
  });

  it("gives Calibre the founding story's title, creator and tags", () => {
    const meta = ebookMeta(tempFile('founding.epub', buildEpub(foundingBook())));
    assert.equal(meta.Title, 'Founding Story');
    assert.match(meta['Author(s)']!, /^author/);
    assert.match(meta.Tags!, /The Vampire Diaries \(TV\)/);
    assert.match(meta.Tags!, /Caroline Forbes\/Stefan Salvatore/);
  });
});

describe('toXhtml', () => {
  it('closes void elements, decodes entities and keeps ids unique and fragment links resolvable', () => {
    const out = toXhtml('<p>a<br>b&nbsp;&amp;<hr><a href="#x">x</a><a id="x">1</a><a id="x">2</a><a href="#nope">n</a></p>', {
      baseUrl: 'http://a.test',
      idPrefix: 'p-',
    });
    // The parser closes the paragraph at <hr>, as browsers do.
    assert.equal(out, '<p>a<br/>b\u00a0&amp;</p><hr/><a href="#p-x">x</a><a id="p-x">1</a><a>2</a><a>n</a><p></p>');
  });

  it('drops characters XML cannot hold', () => {
    assert.equal(toXhtml('<p>a\u0001b\uFFFEc</p>', { baseUrl: 'http://a.test' }), '<p>abc</p>');
  });
});

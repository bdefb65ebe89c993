import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deflateSync, strToU8, zipSync, type Zippable } from 'fflate';
import { ImportError } from './imported-work.ts';
import { MAX_EPUB_FILE_BYTES, MAX_EPUB_FILES, MAX_EPUB_UNPACKED_BYTES, parseEpub } from './parse-epub.ts';
import { parseHtmlFile } from './parse-html.ts';

const CONTAINER = `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`;

function packageDocument(hrefs: readonly string[]): string {
  const items = hrefs.map((href, i) => `<item id="c${i}" href="${href}" media-type="application/xhtml+xml"/>`).join('');
  const refs = hrefs.map((_, i) => `<itemref idref="c${i}"/>`).join('');
  return `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>The Work</dc:title><dc:creator>Someone</dc:creator><dc:language>en</dc:language></metadata><manifest>${items}</manifest><spine>${refs}</spine></package>`;
}

const chapter = (n: number, body: string) =>
  `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>c</title></head><body><h1>Chapter ${n}: Part ${n}</h1>${body}</body></html>`;

/** An EPUB built with fflate: container, package document and the chapters' XHTML. */
function buildEpub(chapters: readonly string[], options: { hrefs?: string[]; level?: 0 | 1 | 6; extra?: Zippable } = {}): Uint8Array {
  const hrefs = options.hrefs ?? chapters.map((_, i) => `ch${i + 1}.xhtml`);
  const files: Zippable = {
    mimetype: [strToU8('application/epub+zip'), { level: 0 }],
    'META-INF/container.xml': strToU8(CONTAINER),
    'OEBPS/content.opf': strToU8(packageDocument(hrefs)),
    ...options.extra,
  };
  chapters.forEach((c, i) => {
    files[`OEBPS/ch${i + 1}.xhtml`] = strToU8(c);
  });
  return zipSync(files, { level: options.level ?? 6 });
}

/** Rewrites every file's stated unpacked size, in its local header and in the directory. */
function understateSizes(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  let end = out.length - 22;
  while (view.getUint32(end, true) !== 0x06054b50) end--;
  let at = view.getUint32(end + 16, true);
  for (let n = view.getUint16(end + 10, true); n > 0; n--) {
    assert.equal(view.getUint32(at, true), 0x02014b50);
    view.setUint32(at + 24, size, true);
    view.setUint32(view.getUint32(at + 42, true) + 22, size, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}

/** A zip written by hand around already-deflated data, so one stream can be stored many times. */
function zipOfDeflated(files: readonly { name: string; deflated: Uint8Array; statedSize: number }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const directory: Uint8Array[] = [];
  let offset = 0;
  for (const file of files) {
    const name = strToU8(file.name);
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true);
    l.setUint16(8, 8, true);
    l.setUint32(18, file.deflated.length, true);
    l.setUint32(22, file.statedSize, true);
    l.setUint16(26, name.length, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const c = new DataView(central.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(10, 8, true);
    c.setUint32(20, file.deflated.length, true);
    c.setUint32(24, file.statedSize, true);
    c.setUint16(28, name.length, true);
    c.setUint32(42, offset, true);
    central.set(name, 46);
    parts.push(local, file.deflated);
    directory.push(central);
    offset += local.length + file.deflated.length;
  }
  const directorySize = directory.reduce((n, d) => n + d.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, files.length, true);
  e.setUint16(10, files.length, true);
  e.setUint32(12, directorySize, true);
  e.setUint32(16, offset, true);
  const all = [...parts, ...directory, end];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const refusedWith = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof ImportError, `expected ImportError, got ${String(error)}`);
  assert.match(error.message, pattern);
  return true;
};

const MB = 1024 * 1024;

describe('parseEpub', () => {
  test('reads an ordinary EPUB: metadata and one chapter a spine document', () => {
    const work = parseEpub(buildEpub([chapter(1, '<p>First.</p>'), chapter(2, '<p>Second.</p>')]));
    assert.equal(work.title, 'The Work');
    assert.deepEqual(work.creators, ['Someone']);
    assert.deepEqual(
      work.chapters.map((c) => [c.title, c.bodyHtml]),
      [
        ['Part 1', '<p>First.</p>'],
        ['Part 2', '<p>Second.</p>'],
      ],
    );
  });

  test('a file whose headers under-state its size is stopped by the bytes actually unpacked', () => {
    // 30 MB of text compresses to about 30 KB; the headers are made to say 1 KB.
    const body = '<p>' + 'a'.repeat(30 * MB) + '</p>';
    const epub = understateSizes(buildEpub([chapter(1, body)], { level: 1 }), 1024);
    assert.ok(epub.length < MB);
    assert.throws(
      () => parseEpub(epub),
      refusedWith(
        /^This EPUB's file OEBPS\/ch1\.xhtml unpacks to more than 20 MB; the archive reads at most 20 MB from one file inside an EPUB\. Split the work into smaller parts, or import it as HTML\.$/,
      ),
    );
    assert.equal(MAX_EPUB_FILE_BYTES, 20 * MB);
  });

  test('the whole EPUB is limited too: four files of 16 MB pass one by one, not together', () => {
    const xhtml = strToU8(chapter(1, '<p>' + 'b'.repeat(16 * MB) + '</p>'));
    const deflated = deflateSync(xhtml, { level: 1 });
    const epub = zipOfDeflated([
      { name: 'META-INF/container.xml', deflated: deflateSync(strToU8(CONTAINER)), statedSize: CONTAINER.length },
      {
        name: 'OEBPS/content.opf',
        deflated: deflateSync(strToU8(packageDocument(['a.xhtml', 'b.xhtml', 'c.xhtml', 'd.xhtml']))),
        statedSize: 1000,
      },
      ...['a', 'b', 'c', 'd'].map((n) => ({ name: `OEBPS/${n}.xhtml`, deflated, statedSize: 100 })),
    ]);
    assert.throws(
      () => parseEpub(epub),
      refusedWith(/^This EPUB unpacks to more than 60 MB; the archive reads at most 60 MB from one EPUB\./),
    );
    assert.equal(MAX_EPUB_UNPACKED_BYTES, 60 * MB);
  });

  test('files the import does not read (pictures, fonts) are never unpacked', () => {
    const epub = understateSizes(
      buildEpub([chapter(1, '<p>Text.</p>')], { extra: { 'OEBPS/cover.png': [new Uint8Array(70 * MB), { level: 1 }] } }),
      10,
    );
    assert.equal(parseEpub(epub).chapters[0]!.bodyHtml, '<p>Text.</p>');
  });

  test('more files than MAX_EPUB_FILES are refused from the directory alone', () => {
    const files: Zippable = {};
    for (let i = 0; i <= MAX_EPUB_FILES; i++) files[`f${i}`] = new Uint8Array(0);
    assert.throws(
      () => parseEpub(zipSync(files)),
      refusedWith(/^This EPUB holds 10,001 files; the archive reads at most 10,000 files from one EPUB\./),
    );
  });

  test('a spine that lists one document many times reads it once', () => {
    const epub = buildEpub([chapter(1, '<p>Once.</p>')], { hrefs: Array.from({ length: 5_000 }, () => 'ch1.xhtml') });
    assert.equal(parseEpub(epub).chapters.length, 1);
  });

  test('markup nested 10,000 deep is refused naming the file; 199 deep is read', () => {
    assert.throws(
      () => parseEpub(buildEpub([chapter(1, '<div>'.repeat(10_000) + 'x')])),
      refusedWith(
        /^This file nests its markup 10,00\d levels deep \(in OEBPS\/ch1\.xhtml\); the archive accepts at most 200\. Remove the extra nesting/,
      ),
    );
    const deep = parseEpub(buildEpub([chapter(1, '<div>'.repeat(196) + 'deep' + '</div>'.repeat(196))]));
    assert.match(deep.chapters[0]!.bodyHtml, /deep/);
  });

  test('damaged, encrypted and odd archives are ImportErrors, never crashes', () => {
    assert.throws(() => parseEpub(strToU8('PK\u0003\u0004 not really a zip')), refusedWith(/not a valid zip archive/));
    assert.throws(() => parseEpub(new Uint8Array(0)), refusedWith(/not a valid zip archive/));
    const good = buildEpub([chapter(1, '<p>x</p>')]);
    const truncated = good.slice(0, good.length - 30);
    assert.throws(
      () => parseEpub(truncated),
      (error: unknown) => error instanceof ImportError,
    );
    const encrypted = good.slice();
    const view = new DataView(encrypted.buffer);
    for (let i = 0; i < encrypted.length - 4; i++) if (view.getUint32(i, true) === 0x02014b50) view.setUint16(i + 8, 1, true);
    assert.throws(() => parseEpub(encrypted), refusedWith(/encrypted \(it has DRM\)/));
    // A malformed %-escape in an href matches no file instead of throwing URIError.
    assert.throws(() => parseEpub(buildEpub([chapter(1, '<p>x</p>')], { hrefs: ['ch%E0%A4%A.xhtml'] })), refusedWith(/no chapters/));
  });
});

describe('parseHtmlFile nesting', () => {
  test('10,000 nested elements are an ImportError with the depth and the limit; 199 are read', () => {
    assert.throws(
      () => parseHtmlFile('<div>'.repeat(10_000) + 'x'),
      refusedWith(
        /^This file nests its markup 10,000 levels deep; the archive accepts at most 200\. Remove the extra nesting \(or export the file again from the app it came from\) and try again\.$/,
      ),
    );
    const work = parseHtmlFile(
      '<html><body><h1>T</h1>' + '<blockquote>'.repeat(197) + 'deep' + '</blockquote>'.repeat(197) + '</body></html>',
    );
    assert.equal(work.title, 'T');
    assert.match(work.chapters[0]!.bodyHtml, /deep/);
  });
});

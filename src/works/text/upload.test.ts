import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeUpload, MAX_UPLOAD_BYTES, UploadError } from './index.ts';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The UploadError thrown for these bytes (fails if none is). */
function refusal(bytes: Uint8Array, filename = 'story.txt'): UploadError {
  try {
    decodeUpload(bytes, filename);
  } catch (error) {
    assert.ok(error instanceof UploadError, `expected an UploadError, got ${String(error)}`);
    // A user-facing sentence: says what is wrong and ends properly.
    assert.match(error.message, /^[A-Z].{30,}\.$/s);
    return error;
  }
  assert.fail('expected decodeUpload to refuse the file');
}

describe('decodeUpload: format from the extension', () => {
  const cases: Array<[string, string]> = [
    ['chapter.txt', 'plain'],
    ['chapter.TEXT', 'plain'],
    ['chapter.md', 'markdown'],
    ['Chapter One.markdown', 'markdown'],
    ['chapter.html', 'html'],
    ['CHAPTER.HTM', 'html'],
    ['C:\\fakepath\\chapter.htm', 'html'],
    ['dir/sub.dir/chapter.md', 'markdown'],
  ];
  for (const [name, format] of cases) {
    test(`${name} → ${format}`, () => {
      assert.deepEqual(decodeUpload(utf8('# Not a heading in .txt <p>'), name).format, format);
    });
  }

  test('the text comes back exactly, CRLF and all', () => {
    const text = 'Line one\r\n\r\n" I SAID NO!" Its Ill\ttab — café 漢字 🙂\n';
    assert.deepEqual(decodeUpload(utf8(text), 'a.txt'), { text, format: 'plain' });
  });

  test('a UTF-8 byte order mark is stripped', () => {
    assert.equal(decodeUpload(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Hi')]), 'a.txt').text, 'Hi');
  });
});

describe('decodeUpload: format sniffed when the extension does not say', () => {
  const cases: Array<[string, string, string]> = [
    ['an HTML document', '<!DOCTYPE html><html><body><p>Hi</p></body></html>', 'html'],
    ['an HTML fragment', '<p>One</p>\n<p>Two <em>three</em></p>', 'html'],
    ['Markdown with a heading', '# Chapter 1\n\nShe ran.', 'markdown'],
    ['Markdown with bold and a link', 'She **ran** to [the house](https://e.example).', 'markdown'],
    ['plain prose', 'She ran.\n\n"Stop!" he said. * * * It was <3 over.', 'plain'],
    ['prose mentioning one tag', 'He typed <b> into the box.', 'plain'],
  ];
  for (const [what, text, format] of cases) {
    test(`${what} → ${format}`, () => {
      assert.equal(decodeUpload(utf8(text), 'chapter').format, format);
      assert.equal(decodeUpload(utf8(text), 'chapter.doc.bak').format, format);
    });
  }
});

describe('decodeUpload: refusals with a clear message', () => {
  test('over 5 MiB', () => {
    assert.equal(MAX_UPLOAD_BYTES, 5 * 1024 * 1024);
    assert.doesNotThrow(() => decodeUpload(new Uint8Array(MAX_UPLOAD_BYTES).fill(0x61), 'a.txt'));
    const error = refusal(new Uint8Array(MAX_UPLOAD_BYTES + 1).fill(0x61));
    assert.match(error.message, /5\.0 MB.*5 MB limit.*Split/);
  });

  test('empty or blank', () => {
    assert.match(refusal(new Uint8Array(0)).message, /empty/);
    assert.match(refusal(utf8(' \n\r\n\t ')).message, /empty/);
    assert.match(refusal(new Uint8Array([0xef, 0xbb, 0xbf])).message, /empty/);
  });

  test('not UTF-8 (Windows-1252), with the line of the first bad byte', () => {
    const bytes = new Uint8Array([...utf8('Fine line\nSecond line\nCaf'), 0xe9, ...utf8(' au lait\n')]);
    const error = refusal(bytes);
    assert.match(error.message, /isn't UTF-8.*line 3.*Windows-1252.*Save it again.*UTF-8/);
  });

  test('UTF-16, with or without a byte order mark', () => {
    const le = new Uint8Array([...'Hello there'].flatMap((c) => [c.charCodeAt(0), 0]));
    assert.match(refusal(new Uint8Array([0xff, 0xfe, ...le])).message, /UTF-16.*UTF-8/);
    assert.match(refusal(new Uint8Array([0xfe, 0xff, ...[...le].reverse()])).message, /UTF-16/);
    assert.match(refusal(le).message, /UTF-16/);
  });

  test('Word, OpenDocument, EPUB, PDF, RTF and images are named', () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]);
    assert.match(refusal(zip, 'story.docx').message, /Word document \(\.docx\).*Save As.*\.html.*\.txt/);
    assert.match(refusal(zip, 'story.odt').message, /OpenDocument/);
    assert.match(refusal(zip, 'story.epub').message, /EPUB/);
    assert.match(refusal(zip, 'story.txt').message, /compressed file/);
    assert.match(refusal(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'story.doc').message, /older Word document/);
    assert.match(refusal(utf8('%PDF-1.7\n%âãÏÓ\n'), 'story.pdf').message, /PDF/);
    assert.match(refusal(utf8('{\\rtf1\\ansi Hello}'), 'story.rtf').message, /Rich Text/);
    assert.match(refusal(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'cover.png').message, /image/);
    assert.match(refusal(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'x.txt').message, /image/);
  });

  test('other binary data', () => {
    assert.match(refusal(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x61, 0x62])).message, /binary/);
    const controls = utf8('text' + '\u0001\u0002\u0003\u0005'.repeat(10) + 'more text');
    assert.match(refusal(controls).message, /binary/);
  });

  test('a stray control character or form feed in real text is not binary', () => {
    const text = 'Chapter one.\f\nShe ran.\u001a';
    assert.equal(decodeUpload(utf8(text), 'a.txt').text, text);
  });

  test('UploadError is an Error with its own name', () => {
    const error = refusal(new Uint8Array(0));
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'UploadError');
  });
});

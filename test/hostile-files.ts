// Files that lie or nest, as a hostile uploader makes them: for the tests of what the archive refuses.
import { strToU8, zipSync } from 'fflate';

/** An EPUB whose one chapter unpacks to `unpackedBytes`, while its zip headers claim 1 KB for it. */
export function buildLyingEpub(unpackedBytes: number): Buffer {
  const chapter = new Uint8Array(unpackedBytes).fill(0x20);
  chapter.set(strToU8('<html xmlns="http://www.w3.org/1999/xhtml"><body><p>'));
  const zip = zipSync({
    mimetype: [strToU8('application/epub+zip'), { level: 0 }],
    'META-INF/container.xml': strToU8(
      '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
    ),
    'content.opf': strToU8(
      '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Lies</dc:title></metadata><manifest><item id="c1" href="chapter.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/></spine></package>',
    ),
    'chapter.xhtml': [chapter, { level: 9 }],
  });
  const bytes = Buffer.from(zip);
  // Local headers (PK\3\4) keep the uncompressed size at offset 22, central ones (PK\1\2) at 24.
  for (let i = 0; i + 4 <= bytes.length; i++) {
    const signature = bytes.readUInt32LE(i);
    if (signature === 0x04034b50) bytes.writeUInt32LE(Math.min(1024, bytes.readUInt32LE(i + 22)), i + 22);
    else if (signature === 0x02014b50) bytes.writeUInt32LE(Math.min(1024, bytes.readUInt32LE(i + 24)), i + 24);
  }
  return bytes;
}

/** HTML of `depth` nested elements around one word. */
export function nestedHtml(depth: number, tag = 'b'): string {
  return `<${tag}>`.repeat(depth) + 'deep' + `</${tag}>`.repeat(depth);
}

/** Markdown quoting one line `depth` levels deep. */
export function nestedMarkdownQuote(depth: number): string {
  return `${'>'.repeat(depth)} deep\n`;
}

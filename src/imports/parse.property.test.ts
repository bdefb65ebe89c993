// The import readers on arbitrary input: they finish, throw nothing but ImportError, and cost time
// linear in the file (doubling the input at most about doubles the time).
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { assertLinear, HTML_PIECES, onlyDocumentedErrors, repeat, soup, unicodeText } from '../works/text/linear-cost.test-helper.ts';
import { ImportError } from './imported-work.ts';
import { parseEpub } from './parse-epub.ts';
import { parseHtmlFile } from './parse-html.ts';

// The pieces AO3's download HTML is recognised by, mixed into the tag soup.
const AO3_PIECES = [
  '<div id="preface">',
  '<div id="chapters">',
  '<div id="afterword">',
  '<div id="endnotes">',
  '<div class="userstuff">',
  '<div class="meta">',
  '<div class="byline">',
  '<div class="message">',
  '<dl class="tags">',
  '<dt>',
  'Rating:',
  'Fandom:',
  'Additional Tags:',
  'Language:',
  '<dd>',
  '<a href="https://archiveofourown.org/works/1">',
  '<h1>',
  '<h2 class="heading">',
  '<h2 class="toc-heading">',
  'Chapter 1',
  'Chapter 2: Title',
  '<p>Summary:</p>',
  '<p>Notes:</p>',
  '<p>Chapter End Notes:</p>',
  '<p>End Notes</p>',
  '<blockquote class="userstuff">',
  '</blockquote>',
  '</div>',
  '<html lang="en">',
  '<body>',
  '<title>',
  '<meta name="author" content="x">',
];
const htmlFile = fc.oneof(soup([...HTML_PIECES, ...AO3_PIECES], 150), unicodeText);
const html = (text: string) => onlyDocumentedErrors(() => parseHtmlFile(text), ImportError);
const epub = (bytes: Uint8Array) => onlyDocumentedErrors(() => parseEpub(bytes), ImportError);

const CONTAINER = `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`;

/** An EPUB of one chapter document per body, stored uncompressed (quick to build). */
function buildEpub(bodies: readonly string[], opfExtra = ''): Uint8Array {
  const items = bodies.map((_, i) => `<item id="c${i}" href="c${i}.xhtml" media-type="application/xhtml+xml"/>`).join('');
  const refs = bodies.map((_, i) => `<itemref idref="c${i}"/>`).join('');
  const opf = `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>T</dc:title>${opfExtra}</metadata><manifest>${items}</manifest><spine>${refs}</spine></package>`;
  const files: Record<string, Uint8Array> = { 'META-INF/container.xml': strToU8(CONTAINER), 'OEBPS/content.opf': strToU8(opf) };
  bodies.forEach((body, i) => {
    files[`OEBPS/c${i}.xhtml`] = strToU8(`<html xmlns="http://www.w3.org/1999/xhtml"><body>${body}</body></html>`);
  });
  return zipSync(files, { level: 0 });
}

describe('import readers on arbitrary input', () => {
  test('HTML files: Unicode, tag soup and AO3-shaped soup give a work or an ImportError', { timeout: 60_000 }, () => {
    fc.assert(fc.property(htmlFile, html), { numRuns: 1000, seed: 41 });
    fc.assert(
      fc.property(fc.tuple(htmlFile, fc.integer({ min: 100, max: 2_000 })), ([piece, times]) =>
        html((piece || 'x').repeat(times).slice(0, 40_000)),
      ),
      { numRuns: 30, seed: 42 },
    );
  });

  test('EPUBs: chapters and metadata of soup, and arbitrary bytes', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.array(htmlFile, { minLength: 1, maxLength: 4 }), htmlFile, (bodies, meta) => epub(buildEpub(bodies, meta))),
      { numRuns: 300, seed: 43 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), epub), { numRuns: 500, seed: 44 });
  });

  test('EPUBs with bytes damaged anywhere (headers, sizes, offsets, data)', { timeout: 60_000 }, () => {
    const good = buildEpub(['<h1>Chapter 1</h1><p>Some text.</p>', '<p>More text.</p>']);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { minLength: 1, maxLength: 6 }), (edits) => {
        const bytes = good.slice();
        for (const [at, value] of edits) bytes[at] = value;
        epub(bytes);
      }),
      { numRuns: 1500, seed: 45 },
    );
  });
});

// Inputs that find quadratic behaviour in a reader: many chapters, many labelled notes, nesting
// near the limit repeated, unclosed tags, self-closed <svg>, and random soup.
const HTML_CASES: Record<string, (n: number) => string> = {
  'AO3 chapters': (n) =>
    '<div id="preface"><h1>T</h1></div><div id="chapters">' +
    repeat('<h2 class="heading">Chapter 1: A</h2><div class="userstuff"><p>x</p></div>')(n) +
    '</div>',
  'AO3 notes': (n) =>
    '<div id="preface"><div class="meta">' +
    repeat('<p>Summary:</p><blockquote><p>s</p></blockquote>')(n) +
    '</div></div><div id="chapters"><p>x</p></div>',
  'AO3 tag lists': (n) =>
    '<div id="preface"><dl class="tags">' + repeat('<dt>Fandom:</dt><dd><a>F</a>, </dd>')(n) + '</dl></div><div id="chapters">x</div>',
  'nested userstuff': (n) =>
    '<div id="preface"></div><div id="chapters">' + repeat('<div class="userstuff">'.repeat(50) + 'x' + '</div>'.repeat(50))(n) + '</div>',
  'divs 190 deep, repeated': repeat('<div>'.repeat(190) + 'x' + '</div>'.repeat(190)),
  'unclosed tag starts': repeat('<a'),
  'self-closed svg': repeat('<svg/>'),
  'open paragraphs': repeat('<p>x'),
  'a run of spaces': (n) => '<p>a' + ' '.repeat(n - 8) + 'b</p>',
  'long class attributes': repeat('<div class="' + 'c '.repeat(200) + '">x</div>'),
};

describe('import readers cost time linear in the file', () => {
  test('HTML files', { timeout: 120_000 }, () => {
    for (const [name, build] of Object.entries(HTML_CASES)) assertLinear(`parseHtmlFile: ${name}`, build, html);
    fc.sample(
      soup([...HTML_PIECES, ...AO3_PIECES], 80).filter((s) => s.length >= 8),
      { numRuns: 3, seed: 46 },
    ).forEach((unit, i) => {
      assertLinear(`parseHtmlFile: random soup ${i}`, repeat(unit), html);
    });
  });

  test('EPUBs: one large chapter, many chapters, long metadata', { timeout: 120_000 }, () => {
    for (const name of ['divs 190 deep, repeated', 'self-closed svg', 'unclosed tag starts', 'a run of spaces']) {
      const build = HTML_CASES[name]!;
      // The EPUB is built once per size (outside the timing) and read as bytes.
      const cache = new Map<string, Uint8Array>();
      assertLinear(`parseEpub chapter: ${name}`, build, (body) => {
        if (!cache.has(body)) cache.set(body, buildEpub([body]));
        epub(cache.get(body)!);
      });
    }
    const chapterCache = new Map<string, Uint8Array>();
    assertLinear(
      'parseEpub: many chapters',
      (n) => 'x'.repeat(n),
      (s) => {
        if (!chapterCache.has(s))
          chapterCache.set(s, buildEpub(Array.from({ length: Math.floor(s.length / 100) }, (_, i) => `<h2>Chapter ${i}</h2><p>text</p>`)));
        epub(chapterCache.get(s)!);
      },
    );
    const metaCache = new Map<string, Uint8Array>();
    assertLinear('parseEpub: many metadata entries', repeat('<dc:subject>tag</dc:subject><meta property="x">y</meta>'), (s) => {
      if (!metaCache.has(s)) metaCache.set(s, buildEpub(['<p>x</p>'], s));
      epub(metaCache.get(s)!);
    });
  });
});

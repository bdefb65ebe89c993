// Every text parser of the posting path, on arbitrary input: it finishes, throws nothing but its
// documented errors, and costs time linear in the input (doubling the input at most about doubles
// the time: a check for quadratic behaviour, not a speed target).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  countWords,
  decodeUpload,
  htmlToText,
  measureHtmlNesting,
  NestingTooDeepError,
  toChapterHtml,
  toFieldHtml,
  UploadError,
} from './index.ts';
import { sniffFormat } from './upload.ts';
import { assertLinear, HTML_PIECES, MARKDOWN_PIECES, onlyDocumentedErrors, repeat, soup, unicodeText } from './linear-cost.test-helper.ts';

const htmlSoup = soup(HTML_PIECES);
const markdownSoup = soup(MARKDOWN_PIECES);
/** A short piece repeated into a very long line (or many lines): where quadratic regexes show. */
const longText = fc
  .tuple(fc.oneof(htmlSoup, markdownSoup, unicodeText), fc.integer({ min: 200, max: 3_000 }))
  .map(([piece, times]) => (piece === '' ? 'x' : piece).repeat(times).slice(0, 40_000));
const anyText = fc.oneof(unicodeText, htmlSoup, markdownSoup);

function everyTextParser(input: string): void {
  for (const format of ['plain', 'markdown', 'html'] as const) {
    onlyDocumentedErrors(() => {
      const html = toChapterHtml(input, format);
      assert.equal(typeof html, 'string');
      // Escaped text may mention anything; no tag may carry a script or an event handler.
      assert.doesNotMatch(html, /<script|<[a-z][^>]*\s(?:on[a-z]+|href\s*=\s*"\s*javascript:)/i);
    }, NestingTooDeepError);
  }
  onlyDocumentedErrors(() => toFieldHtml(input), NestingTooDeepError);
  assert.ok(Number.isInteger(countWords(input)) && countWords(input) >= 0);
  assert.equal(typeof htmlToText(input), 'string');
  assert.ok(measureHtmlNesting(input) >= 0);
  assert.ok(['plain', 'markdown', 'html'].includes(sniffFormat(input)));
  for (const name of ['story.txt', 'story.md', 'story.html', 'story', 'story.epub']) {
    onlyDocumentedErrors(() => decodeUpload(new TextEncoder().encode(input), name), UploadError);
  }
}

describe('text parsers on arbitrary input', () => {
  test('Unicode text, HTML-ish tag soup and Markdown syntax soup: each finishes with a result or a documented error', {
    timeout: 60_000,
  }, () => {
    fc.assert(fc.property(anyText, everyTextParser), { numRuns: 1000, seed: 11 });
  });

  test('very long lines and repeated fragments', { timeout: 60_000 }, () => {
    fc.assert(fc.property(longText, everyTextParser), { numRuns: 40, seed: 12 });
  });

  test('arbitrary bytes as an upload: a text and format, or an UploadError', { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom('a.txt', 'a.md', 'a.html', 'a', 'a.docx'), (bytes, name) => {
        onlyDocumentedErrors(() => decodeUpload(bytes, name), UploadError);
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Cost at n and 2n characters, on input built to find the quadratic cases (long runs of one
// character, many unclosed or dropped tags) and on random soup. Markdown: markdown.property.test.ts.

// Inputs that made (or would make) one of these parsers quadratic: a run of spaces not followed by
// a line break, dropped images and links cut out of the output, unclosed tags, comments and
// hidden elements searched to the end once each, self-closed <svg> growing the parser's stack.
const ADVERSARIAL: Record<string, (n: number) => string> = {
  'spaces then text': (n) => 'a' + ' '.repeat(n - 2) + 'b',
  'spaces and tabs then text': (n) => 'a' + ' \t'.repeat(n / 2 - 1) + 'b',
  'images without src': repeat('x<img>'),
  'links without href': repeat('<a>x</a>'),
  'unclosed tag starts': repeat('<a'),
  'unclosed comments': repeat('<!--'),
  'unclosed scripts': repeat('<script>'),
  'self-closed svg': repeat('<svg/>'),
  'open p': repeat('<p>x'),
  'stray closing tags': repeat('</b></i>'),
  entities: repeat('&#x41;&amp;&unknown;&#'),
  'nested 150 deep, repeated': repeat('<div>'.repeat(150) + 'x\ny\n\nz' + '</div>'.repeat(150)),
  'quotes 40 deep, repeated': repeat('>'.repeat(40) + ' x\n\n'),
  'emphasis openers': repeat('*a '),
  'strong openers': repeat('**a '),
  'link openers': repeat('[a '),
  'link destinations': repeat('[a]('),
  backticks: repeat('`a'),
  'list indentation': repeat(Array.from({ length: 60 }, (_, i) => ' '.repeat(2 * i) + '- x').join('\n') + '\n\n'),
  'table rows': (n) => '|a|b|\n|-|-|\n' + repeat('|x|y|\n')(n - 12),
  'hard breaks': repeat('a  \n'),
  'brackets for sniffing': repeat('['),
};

function randomUnits(count: number, seed: number): string[] {
  return fc.sample(
    fc.oneof(htmlSoup, markdownSoup, unicodeText).filter((s) => s.length >= 8),
    { numRuns: count, seed },
  );
}

describe('text parsers cost time linear in the input', () => {
  const documented = (f: () => unknown) => () => onlyDocumentedErrors(f, NestingTooDeepError);

  test('HTML: sanitizing (the chapter and the field paths)', { timeout: 120_000 }, () => {
    const builders = { ...ADVERSARIAL, ...Object.fromEntries(randomUnits(3, 21).map((u, i) => [`random soup ${i}`, repeat(u)])) };
    for (const [name, build] of Object.entries(builders)) {
      assertLinear(`toChapterHtml html: ${name}`, build, (s) => documented(() => toChapterHtml(s, 'html'))());
    }
    assertLinear('toFieldHtml: spaces then text', ADVERSARIAL['spaces then text']!, (s) => documented(() => toFieldHtml(s))());
    assertLinear('toFieldHtml: images without src', ADVERSARIAL['images without src']!, (s) => documented(() => toFieldHtml(s))());
  });

  test('reading text back: htmlToText, countWords, sniffing and decoding uploads', { timeout: 120_000 }, () => {
    const builders = { ...ADVERSARIAL, ...Object.fromEntries(randomUnits(2, 24).map((u, i) => [`random soup ${i}`, repeat(u)])) };
    for (const [name, build] of Object.entries(builders)) {
      assertLinear(`htmlToText + countWords + sniffFormat: ${name}`, build, (s) => {
        htmlToText(s);
        countWords(s);
        sniffFormat(s);
      });
    }
    assertLinear('decodeUpload', repeat('Line one\u00a0“quoted”\r\n'), (s) => decodeUpload(new TextEncoder().encode(s), 'story'));
  });
});

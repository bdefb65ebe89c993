// Markdown (and plain text) conversion costs time linear in the input: doubling the input at most
// about doubles the time. Inputs are built to find the quadratic cases marked had (a run of spaces,
// a long name before an @, a bare link ending in punctuation, openers or `<?` searching to the end
// for their closer) and nesting re-read once per level, plus random syntax soup. Arbitrary input is covered in parsers.property.test.ts.
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { NestingTooDeepError, toChapterHtml } from './index.ts';
import { assertLinear, MARKDOWN_PIECES, onlyDocumentedErrors, repeat, soup, unicodeText } from './linear-cost.test-helper.ts';

const markdown = (input: string) => onlyDocumentedErrors(() => toChapterHtml(input, 'markdown'), NestingTooDeepError);

const CASES: Record<string, (n: number) => string> = {
  'a run of spaces': (n) => 'a' + ' '.repeat(n - 2) + 'b',
  'a long name before an @': (n) => 'a'.repeat(n - 1) + '@',
  'a line of !': repeat('!'),
  'a bare link ending in dots': (n) => 'www.a' + '.'.repeat(n - 5),
  'a bare link ending in parentheses': (n) => 'www.a' + ')'.repeat(n - 5),
  'quotes 40 deep, repeated': repeat('>'.repeat(40) + ' x\n\n'),
  'lists by indentation, 60 deep, repeated': repeat(Array.from({ length: 60 }, (_, i) => ' '.repeat(2 * i) + '- x').join('\n') + '\n\n'),
  'emphasis openers': repeat('*a '),
  'link destinations': repeat('[a]('),
  backticks: repeat('`a'),
  'hard breaks': repeat('a  \n'),
  'openers that never close': repeat("_'\\*"),
  'strong-emphasis openers among text': repeat('&amp;***ア>+ Z/'),
  'processing instructions that never close': repeat('?<?xml '),
  'declarations that never close': repeat('<!DOCTYPE x '),
};

describe('Markdown costs time linear in the input', () => {
  test('built cases', { timeout: 120_000 }, () => {
    for (const [name, build] of Object.entries(CASES)) assertLinear(`markdown: ${name}`, build, markdown);
  });

  test('random syntax soup, repeated', { timeout: 120_000 }, () => {
    const units = fc.sample(
      fc.oneof(soup(MARKDOWN_PIECES, 60), unicodeText).filter((s) => s.length >= 8),
      { numRuns: 4, seed: 31 },
    );
    units.forEach((unit, i) => assertLinear(`markdown: random soup ${i} ${JSON.stringify(unit.slice(0, 40))}`, repeat(unit), markdown));
  });

  test('plain text', { timeout: 60_000 }, () => {
    assertLinear('plain: a run of spaces', CASES['a run of spaces']!, (s) => toChapterHtml(s, 'plain'));
    assertLinear(
      'plain: unicode soup',
      repeat(
        fc.sample(
          unicodeText.filter((s) => s.length >= 8),
          { numRuns: 1, seed: 32 },
        )[0]!,
      ),
      (s) => toChapterHtml(s, 'plain'),
    );
  });
});

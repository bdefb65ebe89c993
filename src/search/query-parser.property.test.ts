// The search box's parser on arbitrary queries: it finishes, gives a tree or a QueryParseError
// pointing inside the query, and costs time linear in the query.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { assertLinear, char, N, repeat, soup, unicodeText } from '../works/text/linear-cost.test-helper.ts';
import { parseQuery, pointAt, QUERY_FIELDS, QueryParseError, walkQuery } from './query-parser.ts';

const QUERY_PIECES = [
  '"',
  '"',
  '“',
  '”',
  "'",
  '(',
  ')',
  '((',
  '))',
  '-',
  '--',
  ' -',
  'OR',
  ' OR ',
  'AND',
  ' AND ',
  'or',
  'NOT',
  ':',
  '::',
  '>',
  '>=',
  '<',
  '<=',
  '=',
  '1',
  '1,000',
  '2000000001',
  '99999999999999999999',
  '1-5',
  '5-1',
  '-',
  ' ',
  '  ',
  '\t',
  '\n',
  '\u00a0',
  '\u3000',
  'true',
  'no',
  'en',
  'pt-BR',
  'constructor:',
  '__proto__:',
  'toString:',
  'author:',
  'word_count:',
  'lang:',
  'additional:',
  'x:',
  'Harry Potter',
  'spider-man',
  ...QUERY_FIELDS.map((field) => `${field}:`),
];
const query = fc.oneof(soup(QUERY_PIECES, 60), unicodeText, fc.string({ unit: char, maxLength: 1_100 }));

function parseOrExplain(input: string): void {
  try {
    const tree = parseQuery(input);
    if (tree === null) assert.equal(input.trim() === '' || /^[\s\u00a0\u3000]*$/.test(input), true);
    walkQuery(tree, () => {});
  } catch (error) {
    assert.ok(error instanceof QueryParseError, `only QueryParseError may escape, got ${String(error)}`);
    assert.ok(
      error.position >= 0 && error.position <= Math.max(input.length, 1000),
      `position ${error.position} in a query of ${input.length}`,
    );
    assert.ok(error.message.length > 0 && error.message.length < 300);
    assert.equal(typeof pointAt(input, error), 'string');
  }
}

describe('parseQuery on arbitrary input', () => {
  test('quotes, parentheses, minus signs, field prefixes and any Unicode: a tree or a QueryParseError', { timeout: 60_000 }, () => {
    fc.assert(fc.property(query, parseOrExplain), { numRuns: 3_000, seed: 51 });
  });

  test('field names that are Object properties are plain words', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      assert.deepEqual(parseQuery(`${name}:x`), { kind: 'text', text: `${name}:x`, phrase: false });
    }
  });
});

describe('parseQuery costs time linear in the query', () => {
  // Queries are at most 1,000 characters, so the check compares 500 and 1,000 (each timed over
  // many parses); past the limit the refusal must not depend on the length at all.
  const many = (input: string) => {
    for (let i = 0; i < 1_500; i++) {
      try {
        parseQuery(input);
      } catch (error) {
        if (!(error instanceof QueryParseError)) throw error;
      }
    }
  };
  const CASES: Record<string, (n: number) => string> = {
    words: repeat('vampire '),
    phrases: repeat('"first kiss" '),
    'an unclosed quotation mark': (n) => '"' + 'a'.repeat(n - 1),
    'nested groups with ORs': repeat('(a OR -b) '),
    'field prefixes': repeat('fandom:"Harry Potter" words:>1000 '),
    'minus signs': repeat('-a '),
    colons: repeat('a:'),
    spaces: (n) => 'a' + ' '.repeat(n - 2) + 'b',
  };

  test('at 500 and 1,000 characters', { timeout: 60_000 }, () => {
    for (const [name, build] of Object.entries(CASES)) assertLinear(`parseQuery: ${name}`, build, many, 500);
    fc.sample(
      soup(QUERY_PIECES, 40).filter((s) => s.length >= 8),
      { numRuns: 3, seed: 52 },
    ).forEach((unit, i) => {
      assertLinear(`parseQuery: random soup ${i}`, repeat(unit), many, 500);
    });
  });

  test('a query past the length limit is refused without reading it', () => {
    assertLinear('parseQuery: too long', repeat('(a OR "b'), many, N);
    assert.throws(() => parseQuery('a'.repeat(1_001)), {
      name: 'QueryParseError',
      message: 'The query is too long (at most 1000 characters).',
    });
  });
});

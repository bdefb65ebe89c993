import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuery, pointAt, QueryParseError } from './query-parser.ts';

function errorOf(input: string): QueryParseError {
  try {
    parseQuery(input);
  } catch (error) {
    assert.ok(error instanceof QueryParseError, `expected a QueryParseError for ${input}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(input)} to be refused`);
}

describe('query parser', () => {
  it('parses an empty query to null', () => {
    assert.equal(parseQuery(''), null);
    assert.equal(parseQuery('   '), null);
  });

  it('parses words, phrases and fields, ANDed by default', () => {
    assert.deepEqual(parseQuery('vampire "first kiss" fandom:"Harry Potter" title:dawn'), {
      kind: 'and',
      items: [
        { kind: 'text', text: 'vampire', phrase: false },
        { kind: 'text', text: 'first kiss', phrase: true },
        { kind: 'tag', field: 'fandom', name: 'Harry Potter' },
        { kind: 'field', field: 'title', text: 'dawn', phrase: false },
      ],
    });
  });

  it('parses exclusion, OR and parentheses with OR binding looser than AND', () => {
    assert.deepEqual(parseQuery('a b OR -c (d OR e)'), {
      kind: 'or',
      items: [
        {
          kind: 'and',
          items: [
            { kind: 'text', text: 'a', phrase: false },
            { kind: 'text', text: 'b', phrase: false },
          ],
        },
        {
          kind: 'and',
          items: [
            { kind: 'not', item: { kind: 'text', text: 'c', phrase: false } },
            {
              kind: 'or',
              items: [
                { kind: 'text', text: 'd', phrase: false },
                { kind: 'text', text: 'e', phrase: false },
              ],
            },
          ],
        },
      ],
    });
    assert.deepEqual(parseQuery('-fandom:X'), { kind: 'not', item: { kind: 'tag', field: 'fandom', name: 'X' } });
    assert.deepEqual(parseQuery('x AND y'), {
      kind: 'and',
      items: [
        { kind: 'text', text: 'x', phrase: false },
        { kind: 'text', text: 'y', phrase: false },
      ],
    });
  });

  it('keeps hyphenated words and unknown colons as text', () => {
    assert.deepEqual(parseQuery('spider-man'), { kind: 'text', text: 'spider-man', phrase: false });
    assert.deepEqual(parseQuery('Re:Zero'), { kind: 'text', text: 'Re:Zero', phrase: false });
  });

  it('parses number comparisons and ranges', () => {
    assert.deepEqual(parseQuery('words:>1000'), { kind: 'number', field: 'words', op: '>', value: 1000 });
    assert.deepEqual(parseQuery('kudos:>=50'), { kind: 'number', field: 'kudos', op: '>=', value: 50 });
    assert.deepEqual(parseQuery('hits:<=10'), { kind: 'number', field: 'hits', op: '<=', value: 10 });
    assert.deepEqual(parseQuery('hits:<10'), { kind: 'number', field: 'hits', op: '<', value: 10 });
    assert.deepEqual(parseQuery('words:=500'), { kind: 'number', field: 'words', op: '=', value: 500 });
    assert.deepEqual(parseQuery('words:1,000-5,000'), { kind: 'range', field: 'words', min: 1000, max: 5000 });
    assert.deepEqual(parseQuery('complete:true language:pt-BR rating:Explicit'), {
      kind: 'and',
      items: [
        { kind: 'complete', value: true },
        { kind: 'language', code: 'pt-BR' },
        { kind: 'tag', field: 'rating', name: 'Explicit' },
      ],
    });
  });

  it('points at the problem in a bad query', () => {
    assert.equal(errorOf('fandom:"Harry Potter').position, 7);
    assert.match(errorOf('fandom:"Harry Potter').message, /never closed/);
    const paren = errorOf('a (b OR c');
    assert.equal(paren.position, 2);
    assert.match(paren.message, /never closed/);
    assert.equal(errorOf('a b)').position, 3);
    assert.equal(errorOf('words:>lots').position, 6);
    assert.match(errorOf('words:>lots').message, /takes a number/);
    assert.equal(errorOf('a OR').position, 2);
    assert.equal(errorOf('OR a').position, 0);
    assert.equal(errorOf('kudos: 5').position, 0);
    assert.equal(errorOf('words:5000-100').position, 6);
    assert.equal(errorOf('complete:maybe').position, 9);
    assert.equal(errorOf('x ()').position, 2);
    assert.equal(errorOf('x - y').position, 2);
    assert.equal(errorOf('a'.repeat(1001)).position, 1000);
    assert.equal(errorOf('('.repeat(30) + 'a' + ')'.repeat(30)).position, 20);
    assert.equal(errorOf('words:99999999999').position, 6);
  });

  it('draws a caret under the problem', () => {
    const input = 'fandom:X words:>lots';
    assert.equal(pointAt(input, errorOf(input)), 'fandom:X words:>lots\n               ^^^^^');
  });
});

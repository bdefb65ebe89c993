import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endsSentence, findSentenceEnd, lastSentenceStart, sentenceEnds, tokens, upperBound } from './speaker-text.ts';

test('tokens are words and single punctuation marks, lower-cased, within the window', () => {
  const text = '"Well," said Mrs. O\u2019Hara quietly.';
  assert.deepEqual(
    tokens(text, 0, text.length, 20).map((t) => t.lower),
    ['"', 'well', ',', '"', 'said', 'mrs', '.', 'o\u2019hara', 'quietly', '.'],
  );
  assert.equal(tokens(text, 0, text.length, 3).length, 3);
  assert.deepEqual(
    tokens('a   b', 0, 2, 5).map((t) => t.lower),
    ['a'],
  );
});

test('a full stop after a title or an initial ends no sentence', () => {
  const text = 'Mr. Bell met J. Doe. Then he left! Why? yes, fine.';
  const ends = [...text].map((_, i) => i).filter((i) => endsSentence(text, i));
  assert.deepEqual(
    ends.map((i) => text.slice(i - 3, i + 1)),
    [' Doe.', 'left!', ' Why?', 'fine.'].map((s) => s.slice(-4)),
  );
  // the cheap count used between quotations: a mark before a capital or the window's end
  assert.equal(sentenceEnds('Mr. Bell left. She stayed. ok.', 0, 30), 3);
});

test('the last sentence start and the next sentence end', () => {
  const text = 'She waited. He came in. ';
  assert.equal(text.slice(lastSentenceStart(text, 0, text.length)).trim(), 'He came in.');
  assert.equal(text.slice(0, findSentenceEnd(text, 0, text.length)), 'She waited.');
});

test('upperBound finds the first element greater than x', () => {
  const a = Int32Array.from([1, 3, 3, 7]);
  assert.deepEqual(
    [0, 1, 3, 6, 7, 9].map((x) => upperBound(a, x)),
    [0, 1, 3, 3, 4, 4],
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WordTable } from './wordtable.ts';

test('finds words by slice without allocating them', () => {
  const t = new WordTable(['joy', 'grief', 'love']);
  const text = 'xx grief love joys';
  assert.equal(t.words[t.find(text, 3, 8)], 'grief');
  assert.equal(t.words[t.find(text, 9, 13)], 'love');
  assert.equal(t.find(text, 14, 18), -1);
  assert.equal(t.find(text, 0, 2), -1);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from './index.ts';

test('an arc from grief to joy rises, with emotions per point', () => {
  const sad = 'She cried and sobbed in grief. The loss was painful and she felt alone and broken. ';
  const happy = 'She laughed and smiled, happy and safe. They kissed, full of love and joy. ';
  const a = analyzeText(sad.repeat(20) + happy.repeat(20));
  assert.ok(a.arc.length >= 5);
  assert.ok(a.arc[0]!.valence < -0.3, String(a.arc[0]!.valence));
  assert.ok(a.arc[a.arc.length - 1]!.valence > 0.3);
  assert.ok((a.arc[0]!.emotions.sadness ?? 0) > 0.5);
  assert.ok(a.arc.every((p, i) => i === 0 || p.offset > a.arc[i - 1]!.offset));
});

test('negation weakens and flips', () => {
  const a = analyzeText('He was not happy. He was not happy. He was not happy. He was not happy. He was not happy.');
  assert.ok(a.arc.every((p) => p.valence <= 0));
});

test('the number of arc points can be chosen', () => {
  const a = analyzeText('She smiled. '.repeat(200), { arcPoints: 12 });
  assert.equal(a.arc.length, 12);
});

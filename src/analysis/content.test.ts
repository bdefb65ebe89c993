import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from './index.ts';

test('a gentle story is General Audiences with no archive warnings', () => {
  const a = analyzeText('Mara baked bread. Jon came over and they ate it in the garden. It was a good day.');
  assert.equal(a.rating.value, 'General Audiences');
  assert.deepEqual(
    a.warnings.map((w) => w.value),
    ['No Archive Warnings Apply'],
  );
});

test('implied sex is Mature, with the passages that show it', () => {
  const a = analyzeText('Mara kissed Jon. They undressed each other slowly. Later they made love until dawn.');
  assert.equal(a.rating.value, 'Mature');
  assert.ok(a.rating.evidence.some((e) => e.text.includes('made love')));
});

test('a death around a named character proposes Major Character Death', () => {
  const text =
    "Mara held her father's hand. Her father died that night. Mara sat by his body until the doctors came. At the funeral Mara could not speak.";
  const a = analyzeText(text);
  const w = a.warnings.find((x) => x.value === 'Major Character Death');
  assert.ok(w);
  assert.ok(w.confidence > 0 && w.confidence <= 0.9);
  assert.ok(w.evidence.length >= 2);
});

test('one violent verb does not make Graphic Depictions Of Violence', () => {
  const a = analyzeText('Jon snapped his neck and left. Mara sighed.');
  assert.ok(!a.warnings.some((w) => w.value === 'Graphic Depictions Of Violence'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from './index.ts';

const text = [
  'Anna and Ben walked home. Carl followed them.',
  '"Good night, brother," Carl said to Ben. Ben waved.',
  "Anna took Ben's hand. Ben kissed her softly.",
  '"I love you, Ben," Anna whispered.',
  '"I love you too," Ben said, and held her close.',
].join('\n\n');

test('the kissing pair is the strongest, romantic, with an A/B tag', () => {
  const r = analyzeText(text).relationships;
  assert.equal(r[0]!.kind, 'romantic');
  assert.deepEqual([r[0]!.a, r[0]!.b].sort(), ['Anna', 'Ben']);
  assert.ok(r[0]!.tag === 'Anna/Ben' || r[0]!.tag === 'Ben/Anna');
  assert.ok(r[0]!.evidence.length > 0);
  assert.equal(r[0]!.strength, 1);
});

test('"brother" said to someone makes the pair family, tagged A & B', () => {
  const r = analyzeText(text).relationships.find((x) => [x.a, x.b].includes('Carl') && [x.a, x.b].includes('Ben'));
  assert.ok(r);
  assert.equal(r.kind, 'family');
  assert.ok(r.tag.includes(' & '));
});

test('a character named by a family word ("Mom" in a texting log) is family to the one she talks with', () => {
  const log = [
    'Jess stared at the screen before she answered.',
    'Mom: Are you coming home for lunch?\nJess: Maybe. Depends on work.\nMom: Your cousin is bringing someone.\nJess: who??\nMom: Come and find out.',
    'She put the phone down and laughed.',
  ].join('\n\n');
  const r = analyzeText(log).relationships.find((x) => [x.a, x.b].includes('Mom') && [x.a, x.b].includes('Jess'));
  assert.ok(r);
  assert.equal(r.kind, 'family');
});

test('violence done to a person is never the evidence of a friendship', () => {
  const story = [
    'Ray found Lena in the kitchen. Lena looked up from her book, and Ray sat down.',
    'Without a word Ray stepped behind Lena and snapped her neck.',
    'Ray walked out. Lena lay still on the floor.',
  ].join('\n\n');
  for (const r of analyzeText(story).relationships) {
    if (r.kind !== 'friendship' && r.kind !== 'romantic') continue;
    for (const e of r.evidence) assert.doesNotMatch(e.text, /snapped/, `${r.tag} (${r.kind}) rests on violence`);
  }
  const pair = analyzeText(story).relationships.find((r) => r.tag.includes('Ray') && r.tag.includes('Lena'));
  assert.equal(pair?.kind, 'conflict');
});

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

/** Two who talk on a cold night, perhaps sit close, perhaps hold hands: no word of love either way. */
const steps = (close: boolean, hands: boolean): string =>
  [
    'Tom and Sam sat on the steps outside the hall.',
    '"Cold?" Tom asked.',
    '"A bit," Sam said.',
    '"We could go in," Tom said.',
    '"Not yet," Sam said.',
    '"The stars, then," Tom said.',
    close ? 'Sam leaned against Tom and said nothing. Tom tucked the blanket round Sam.' : 'Sam looked at Tom and said nothing.',
    hands ? "After a while Tom reached over and took Sam's hand." : 'After a while Tom looked up at the sky with Sam.',
    '"Better," Sam said.',
  ].join('\n\n');
const tomAndSam = (story: string) => analyzeText(story).relationships.find((r) => r.tag.includes('Tom') && r.tag.includes('Sam'));

test('holding hands makes a pair who talk and sit close a romance, with no other word of it', () => {
  assert.equal(tomAndSam(steps(true, false))?.kind, 'friendship');
  const held = tomAndSam(steps(true, true));
  assert.equal(held?.kind, 'romantic');
  assert.ok(held.evidence.some((e) => /took Sam's hand/.test(e.text)));
  const laced = steps(true, true).replace("took Sam's hand", "caught Sam's hand, lacing their fingers");
  assert.equal(tomAndSam(laced)?.kind, 'romantic');
});

test('a hand taken once, with nothing else close between them, is no romance and no evidence of a friendship', () => {
  const pair = tomAndSam(steps(false, true));
  assert.notEqual(pair?.kind, 'romantic');
  for (const e of pair?.evidence ?? []) assert.doesNotMatch(e.text, /took Sam's hand/);
  const dream = [
    'Alice sat by the river with her sister, and Dinah slept in the grass.',
    'Alice began to dream that she was walking hand in hand with Dinah through a wood.',
    'Dinah yawned at Alice and went back to sleep.',
  ].join('\n\n');
  const alice = analyzeText(dream).relationships.find((r) => r.tag.includes('Alice') && r.tag.includes('Dinah'));
  assert.notEqual(alice?.kind, 'romantic');
});

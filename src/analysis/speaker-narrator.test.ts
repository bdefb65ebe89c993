import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from './index.ts';

const exchange = (caller: string): string =>
  [
    `Holmes was sitting by the fire when I came in. ${caller === 'Holmes' ? '' : 'Lestrade followed me.'}`,
    '"You have been in Afghanistan, I perceive," he said. "Sit down, Watson."',
    '"How on earth did you know that?" I asked.',
    '"Never mind, Watson. The fact is that I have a case."',
    '"A case?" I said.',
    '"Come, Watson, the game is afoot."',
    '"I am coming," I said.',
  ].join('\n\n');

test('a first-person narrator the others keep calling by name speaks as that character', () => {
  const a = analyzeText(exchange('Holmes'));
  const mine = a.quotes.filter((q) => q.speakerKey === 'narrator');
  assert.ok(mine.length >= 3);
  for (const q of mine) assert.equal(q.speaker, 'Watson');
  assert.equal(a.quotes[0]!.speaker, 'Holmes');
});

test('a narrator called by no one stays the Narrator', () => {
  const text = [
    'The house was dark when I reached it. Anna opened the door.',
    '"You are late," she said.',
    '"The train was slow," I said.',
    '"It always is."',
    '"Then I am never late," I said.',
  ].join('\n\n');
  const mine = analyzeText(text).quotes.filter((q) => q.speakerKey === 'narrator');
  assert.ok(mine.length >= 2);
  for (const q of mine) assert.equal(q.speaker, 'Narrator');
});

test('someone called by name who speaks in turns of their own is not taken for the narrator', () => {
  const text = [
    'I found Anna and Max in the kitchen.',
    '"Max, pass the salt," said Anna.',
    '"Here," said Max.',
    '"Thank you, Max," I said.',
    '"Max, the pepper too," said Anna.',
    '"Anything else?" said Max.',
    '"No," I said.',
  ].join('\n\n');
  const mine = analyzeText(text).quotes.filter((q) => q.speakerKey === 'narrator');
  for (const q of mine) assert.equal(q.speaker, 'Narrator');
});

test('one call is enough when no one else is called; someone the narration names is not the narrator', () => {
  const once = [
    'Holmes was by the fire when I came in.',
    '"Sit down, Watson. You look tired."',
    '"I have walked from Kensington," I said.',
    '"On such a night!"',
    '"On such a night," I said.',
  ].join('\n\n');
  for (const q of analyzeText(once).quotes.filter((x) => x.speakerKey === 'narrator')) assert.equal(q.speaker, 'Watson');
  const torn = [
    'Holmes and Lestrade were by the fire when I came in. Lestrade was wet through.',
    '"Sit down, Watson," said Holmes.',
    '"I have walked from Kensington," I said.',
    '"You are wet through, Lestrade," said Holmes.',
    '"On such a night," I said.',
  ].join('\n\n');
  // Lestrade, called twice beside the narrator's turns but named by the narration, is someone else
  for (const q of analyzeText(torn).quotes.filter((x) => x.speakerKey === 'narrator')) assert.equal(q.speaker, 'Watson');
});

test('the call nearest the narrator\'s turn counts: "…, Bildad. … down ye go, Ishmael." before "said I"', () => {
  const text = [
    'I, Ishmael, went down to the cabin, where Peleg sat at a table and Bildad sat reading. Bildad never looked up.',
    '"Ye want to ship?" said Peleg.',
    '"I do," said I.',
    '"Bildad, mend that pen. Now then, down ye go here, Ishmael, for the three hundredth lay."',
    '"Thank you, Captain Peleg," said I.',
  ].join('\n\n');
  const mine = analyzeText(text).quotes.filter((q) => q.speakerKey === 'narrator');
  assert.ok(mine.length >= 2);
  for (const q of mine) assert.equal(q.speaker, 'Ishmael');
});

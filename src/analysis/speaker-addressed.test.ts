import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from './index.ts';

const disabled = new Set(['addressed-name'] as const);

test('"said the nurse" is the woman the turn before calls by name', () => {
  const text = [
    'Mrs. Thingummy had sat up all night, and the surgeon rose at last from the bed.',
    '"It is all over, Mrs. Thingummy," said the surgeon.',
    '"Ah, poor dear, so it is," said the nurse.',
  ].join('\n\n');
  const a = analyzeText(text);
  assert.equal(a.quotes[1]!.speakerKey, 'n:nurse');
  assert.equal(a.quotes[1]!.speaker, 'Mrs. Thingummy');
  // the pass is what names her: without it the phrase stays a phrase
  assert.equal(analyzeText(text, { speakers: { disabled } }).quotes[1]!.speaker, null);
});

test('"said my brother\'s wife" is the woman the reply calls by name', () => {
  const text = [
    'Rose came down to breakfast before any of us.',
    '"I wonder when you are going to do anything, Robert?" said my brother\'s wife.',
    '"My dear Rose," I answered, "why should I do anything?"',
  ].join('\n\n');
  assert.equal(analyzeText(text).quotes[0]!.speaker, 'Rose');
});

test('a call of the other gender, or of someone of unknown gender, names no one', () => {
  const man = [
    'Mr. Temple and Alice Eldridge walked along the river.',
    '"It is late," said the old woman.',
    '"It is, Mr. Temple," said Alice.',
  ].join('\n\n');
  assert.equal(analyzeText(man).quotes[0]!.speaker, null);
  // "Pip, sir." answers the question, and calls no one: a name of unknown gender is not taken
  const unknown = [
    'The convict held Pip upside down on the stone.',
    '"Tell us your name!" said the man.',
    '"Pip, sir," said the boy.',
  ].join('\n\n');
  assert.equal(analyzeText(unknown).quotes[0]!.speaker, null);
});

test('two neighbours calling two different people leave the phrase a phrase', () => {
  const text = [
    'Mr. Denham and Mr. Rodney stood at the window with Katharine.',
    '"You are late, Mr. Denham," said Katharine.',
    '"I was kept," said the gentleman.',
    '"Nonsense, Mr. Rodney," said Katharine.',
  ].join('\n\n');
  assert.equal(analyzeText(text).quotes[1]!.speaker, null);
});

test("the rest of a named phrase speaker's turn is the same person", () => {
  const text = [
    'At the table, Alice Quinn counted the trays. She did not look up when Mrs. Adeyemi let herself in with a paper bag, and Theo turned from the sink.',
    '"Fair," said Theo.',
    '"I brought you the good honey," the older woman announced. "Don\'t argue."',
    '"Thank you, Mrs. Adeyemi," said Theo.',
  ].join('\n\n');
  const a = analyzeText(text);
  assert.deepEqual(
    a.quotes.map((q) => q.speaker),
    ['Theo', 'Mrs. Adeyemi', 'Mrs. Adeyemi', 'Theo'],
  );
});

test('the phrase the reply names is that person for the rest of the scene, not in another one', () => {
  const filler = 'The summer went by, and nothing much was said at the breakfast table. '.repeat(30);
  const text = [
    'Rose came down to breakfast before any of us.',
    '"I wonder when you are going to do anything?" said my brother\'s wife.',
    '"My dear Rose," I answered, "why should I do anything?"',
    'I buttered my toast and looked out of the window for a while.',
    '"Nonsense!" said my brother\'s wife.',
    filler,
    '"More tea?" said my brother\'s wife.',
  ].join('\n\n');
  assert.deepEqual(
    analyzeText(text).quotes.map((q) => q.speaker),
    ['Rose', 'Narrator', 'Narrator', 'Rose', null],
  );
});

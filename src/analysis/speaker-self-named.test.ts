import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText } from './index.ts';

const disabled = new Set(['self-name'] as const);
const speakers = (text: string, off = false): (string | null)[] =>
  analyzeText(text, off ? { speakers: { disabled } } : {}).quotes.map((q) => q.speaker);

test('a narrator who gives their name in answer to "What is your name?" is that character', () => {
  const text = [
    'I was crying by the churchyard wall when a man started up from among the graves. Pip, the blacksmith had once called after me, and Pip had stuck.',
    '"Hold your noise!" cried the man. "Tell us your name!"',
    '"Quick!" said the man.',
    '"Pip, sir."',
    '"Once more," said the man, staring at me.',
    '"Pip. Pip, sir," I said.',
  ].join('\n\n');
  assert.equal(speakers(text, true)[3], 'Narrator');
  const named = speakers(text);
  assert.equal(named[3], 'Pip');
  assert.equal(named[5], 'Pip', 'every quotation of the narrator');
});

test('"I am Dracula" names the noun phrase that said it, and every quotation it says', () => {
  const text = [
    'Jonathan Harker knocked, and the door was opened by a tall old man.',
    '"Welcome to my house," said the old man. "I am Dracula, and I bid you welcome."',
    '"Thank you," said Jonathan Harker.',
    '"Come in," said the old man.',
  ].join('\n\n');
  const named = speakers(text);
  assert.equal(named[0], 'Dracula');
  assert.equal(named[3], 'Dracula');
});

test("a name that is not given as the speaker's own names no one: a question, a possessive, a call", () => {
  const text = [
    'Tom Baxter and the stranger stood at the gate. The stranger frowned.',
    '"Am I Tom Baxter?" said the stranger. "I am Tom Baxter\'s cousin, and I\'m sorry."',
    '"Who are you, then?" said Tom Baxter.',
    '"You know me," said the stranger.',
  ].join('\n\n');
  assert.deepEqual(speakers(text), [null, null, 'Tom Baxter', null]);
});

test('"the old man" who named himself is that character in his scene only', () => {
  const filler = 'The road ran on through the hills, and nothing happened for a long while. '.repeat(30);
  const text = [
    'Jonathan Harker knocked, and the door was opened by a tall old man.',
    '"I am Dracula, and I bid you welcome," said the old man.',
    '"Thank you," said Jonathan Harker.',
    '"Come in," said the old man.',
    filler,
    '"Fine weather," said the old man at the inn.',
  ].join('\n\n');
  assert.deepEqual(speakers(text), ['Dracula', 'Jonathan Harker', 'Dracula', null]);
});

test('"his name\'s George" names someone else; "Name\'s Bond" at the start of a clause is the speaker', () => {
  const text = [
    'Lucy sat with her cousin at the long table. An old man leaned across from the window.',
    '"This is my son," said the old man; "his name\'s George."',
    '"How do you do," said Lucy.',
    'A stranger in a grey coat stood at the bar.',
    '"Name\'s Bond," said the stranger. "James Bond."',
  ].join('\n\n');
  const named = speakers(text);
  assert.equal(named[0], null, named.join(', '));
  assert.match(named[3] ?? '', /Bond/, named.join(', '));
});

test('"Call me Ishmael." in the narration names the narrator who introduces themself to the reader', () => {
  const text = [
    'Call me Ishmael. Some years ago I went to sea, and Captain Peleg took me on.',
    '"Can you pull an oar?" asked Captain Peleg.',
    '"I can," I said.',
  ].join('\n\n');
  assert.equal(speakers(text, true)[1], 'Narrator');
  assert.equal(speakers(text)[1], 'Ishmael');
});

test('a bare "I am" in the narration is not a self-introduction: "I am Tom\'s friend" is not Tom', () => {
  const text = ["I am Tom's friend, and I stood by him all that winter.", '"Ready?" I asked.', '"Yes," said Tom.'].join('\n\n');
  assert.equal(speakers(text)[0], 'Narrator');
});

test('"Thou art speaking to Captain Peleg" names the phrase speaker who says it, for the scene', () => {
  const text = [
    'In the tent sat an elderly man, brown and brawny. Captain Peleg owned the ship.',
    '"Is this the Captain of the Pequod?" said I.',
    '"Supposing it be, what dost thou want of him?" the old man demanded.',
    '"I was thinking of shipping."',
    '"Thou art speaking to Captain Peleg, young man. Sit ye down."',
  ].join('\n\n');
  assert.equal(speakers(text, true)[1], null);
  const named = speakers(text);
  assert.equal(named[1], 'Captain Peleg');
  assert.equal(named[3], 'Captain Peleg');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from './index.ts';

const speakers = (text: string): (string | null)[] => analyzeText(text).quotes.map((q) => q.speaker);

test('explicit attribution before and after, inverted or not', () => {
  const text = ['Nora looked up. Max sat down.', '"Coffee?" said Nora.', 'Max said, "Please."', '"Sugar?" Nora asked.'].join('\n\n');
  assert.deepEqual(speakers(text), ['Nora', 'Max', 'Nora']);
});

test('pronouns resolve to the last character of that gender', () => {
  const text = ['Nora and Max sat in the car. Max started the engine.', '"Ready?" he asked.', '"Always," she said.'].join('\n\n');
  assert.deepEqual(speakers(text), ['Max', 'Nora']);
});

test('a vocative names the addressee, not the speaker', () => {
  const text = ['Nora watched Max pace the room.', '"Max, sit down." Nora pointed at the chair.', '"Fine."'].join('\n\n');
  const a = analyzeText(text);
  assert.equal(a.quotes[0]!.speaker, 'Nora');
  assert.equal(a.quotes[0]!.addressee, 'Max');
  assert.equal(a.quotes[1]!.speaker, 'Max');
});

test('unattributed turns alternate between the two speakers', () => {
  const text = ['"Where were you?" asked Nora.', '"Out," said Max.', '"Out where?"', '"Just out."', '"With whom?"'].join('\n\n');
  assert.deepEqual(speakers(text), ['Nora', 'Max', 'Nora', 'Max', 'Nora']);
});

test('an action beat in the same paragraph names the speaker', () => {
  const text = ['Nora and Max stood by the door.', '"We should go." Max opened it.', 'Nora frowned. "In this rain?"'].join('\n\n');
  assert.deepEqual(speakers(text), ['Max', 'Nora']);
});

test('every quotation gets a confidence between 0 and 1', () => {
  for (const q of analyzeText('"Hello," said Ann.\n\n"Hi."').quotes) assert.ok(q.confidence >= 0 && q.confidence <= 1);
});

test('a first-person narrator speaks as "Narrator" and takes turns', () => {
  const text = ['I opened the door. Mara stood there, soaked.', '"Come in," I said.', '"Thanks." She shook off the rain.', '"Tea?"', '"Please."', '"Long day?" I asked.', '"The longest," Mara said. "And you?"'].join('\n\n');
  assert.deepEqual(speakers(text), ['Narrator', 'Mara', 'Narrator', 'Mara', 'Narrator', 'Mara', 'Mara']);
});

// A long paragraph that has lost its line breaks (as in sentence-per-line corpora).
const filler = 'The fire burned low in the grate and the wind moved in the chimney while the clock ticked on the shelf. '.repeat(8);

test('a short attribution after a question stays with it; the answer is a new turn', () => {
  const text = `Tom and Ann sat by the fire. ${filler}"Is it late?" Ann asked. "Nearly midnight." Tom looked at the clock. ${filler}"We should sleep," said Ann. ${filler}"Soon."`;
  const a = analyzeText(text);
  assert.equal(a.quotes[0]!.speaker, 'Ann');
  assert.equal(a.quotes[0]!.method, 'explicit');
  assert.notEqual(a.quotes[1]!.speaker, 'Ann');
});

test('an indefinite speaker ("somebody exclaimed") is the speaker mention, not a named character', () => {
  const text = ['Tom stood by the door.', '"We should go," somebody exclaimed.'].join('\n\n');
  const q = analyzeText(text).quotes[0]!;
  assert.equal(q.speaker, null);
  assert.ok(q.speakerMention !== null);
  assert.equal(text.slice(q.speakerMention.start, q.speakerMention.end), 'somebody');
});

test('a word of a full name after a speech verb names that character', () => {
  const text = ['Captain Arthur Quill came in with Nora Vale.', 'They sat down.', '"Rain again," said Quill.', '"Always," said Nora.'].join('\n\n');
  const a = analyzeText(text);
  assert.equal(a.quotes[0]!.method, 'explicit');
  assert.match(a.quotes[0]!.speaker ?? '', /Quill/);
});

test('turn-taking continues from the turn before, across unnamed speakers of one gender', () => {
  const text = ['Tom knocked. The old woman put down her cup and looked at Tom.', '"You came back," said the old woman.', '"I did," Tom said.', '"Why?"', '"To see you."'].join('\n\n');
  const a = analyzeText(text);
  assert.equal(a.quotes[3]!.speaker, 'Tom');
  assert.equal(a.quotes[2]!.speaker, null);
  assert.ok(a.quotes[2]!.speakerMention !== null);
  assert.equal(text.slice(a.quotes[2]!.speakerMention.start, a.quotes[2]!.speakerMention.end).toLowerCase(), 'the old woman');
});

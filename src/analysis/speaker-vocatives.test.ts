import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findVocative } from './speaker-vocatives.ts';
import { buildSpeakerContext } from './speakers.test-helpers.ts';

function vocativesOf(text: string): (string | null)[] {
  const ctx = buildSpeakerContext(text);
  const at = new Map(ctx.mentions.map((m) => [m.start, m]));
  return ctx.quotes.map((q, i) => {
    const v = findVocative(ctx.text, q, ctx.mentions, at, ctx.quotes[i - 1]);
    return v === null ? null : v.character >= 0 ? ctx.characters[v.character]!.name : v.key;
  });
}

test('a name opening or closing the quotation, or after "too", is the addressee', () => {
  const text = [
    'Nora and Max looked at each other. Max sighed. Nora smiled.',
    '"Max, sit down."',
    '"I love you too Nora."',
    '"We talked about Max yesterday."',
  ].join('\n\n');
  assert.deepEqual(vocativesOf(text), ['Max', 'Nora', null]);
});

test('a family word or title used to address someone is a nominal vocative', () => {
  assert.deepEqual(vocativesOf('"Yes, uncle."\n\n"Good night, my dear."'), ['n:uncle', null]);
});

test('a name that answers a question is not a call', () => {
  const text = ['Nora and Bingley sat. Bingley laughed. Nora frowned.', '"Who came?"', '"Bingley."'].join('\n\n');
  assert.deepEqual(vocativesOf(text), [null, null]);
  // a name as the first sentence answers a question about a person, and calls after any other
  const who = ['Nora and Bingley sat. Bingley laughed. Nora frowned.', '"Who said that?"', '"Bingley. He told me so."'].join('\n\n');
  assert.deepEqual(vocativesOf(who), [null, null]);
  assert.deepEqual(vocativesOf(who.replace('Who said that?', 'Is it late?')), [null, 'Bingley']);
});

test('a name after a word the name finder dropped is not a call ("Also Georgiana.")', () => {
  const text = [
    'Georgiana Gargery lay in the churchyard. Georgiana had been a good mother, and Georgiana was missed.',
    '"That is my mother. Also Georgiana."',
    '"Also Georgiana."',
    '"Georgiana, come here."',
  ].join('\n\n');
  assert.deepEqual(vocativesOf(text), [null, null, 'Georgiana Gargery']);
});

test('a name opening the answer to "What name?" is the speaker\'s own, not a call', () => {
  const text = [
    'Mr. Greyson paid the boy. Greyson was in a hurry.',
    '"Shall I bring the change, sir? What name?"',
    '"Greyson, office on second floor."',
    '"Greyson, wait a moment."',
  ].join('\n\n');
  assert.deepEqual(vocativesOf(text), [null, null, 'Mr. Greyson']);
});

test('a name after a preposition is looked at, not called; "come on, Max" still calls', () => {
  const text = [
    'Nora and Max sat by the stove. Max yawned. Nora read.',
    '"Have ye clapped eye on Max?"',
    '"Come on Max, get up."',
    '"Calm down Nora."',
  ].join('\n\n');
  assert.deepEqual(vocativesOf(text), [null, 'Max', 'Nora']);
});

test("a name answering the question before it is not a call, even with the question's attribution between", () => {
  const text = [
    'Nora and Ahab were strangers to Max. Ahab sailed. Nora stayed.',
    '"Who\'s Old Thunder?" said Max, again riveted by the stranger.',
    '"Ahab."',
  ].join('\n\n');
  assert.deepEqual(vocativesOf(text), [null, null]);
});

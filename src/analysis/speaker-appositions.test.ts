import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText } from './index.ts';
import { describedBy, findAppositions } from './speaker-appositions.ts';
import type { NameMention } from './characters.ts';

/** A narration mention of character `character` at the first occurrence of `name` in `text`. */
function mention(text: string, name: string, character: number): NameMention {
  const start = text.indexOf(name);
  return { start, end: start + name.length, character, form: name, inQuote: false, sentenceInitial: false, possessive: false };
}

test('a description set beside a name, before it or after it, is that character', () => {
  const text = 'Near the easel sat the artist himself, Basil Hallward. Millie, her lymphatic maid, brought the tray.';
  const found = findAppositions(text, [mention(text, 'Basil Hallward', 0), mention(text, 'Millie', 1)]);
  assert.deepEqual(
    found.map((a) => [a.noun, a.character]),
    [
      ['artist', 0],
      ['maid', 1],
    ],
  );
  assert.equal(describedBy(found, 'maid', 0, text.length), 1);
  assert.equal(describedBy(found, 'maid', 0, text.indexOf('Millie')), -1, 'not before it was said');
});

test('a clause or a prepositional phrase after the name is no description', () => {
  const text = 'Tom waited for Jonah, who was late. He saw Sid, the eldest of the boys, and Amy, a friend to all.';
  const mentions = ['Jonah', 'Sid', 'Amy'].map((n, i) => mention(text, n, i));
  assert.deepEqual(
    findAppositions(text, mentions).map((a) => a.noun),
    [],
  );
});

test('a description may end in a phrase of place ("the clerk at church")', () => {
  const text = 'Mr. Wopsle, the clerk at church, came in. Millie, her maid from Paris, followed.';
  const found = findAppositions(text, [mention(text, 'Mr. Wopsle', 0), mention(text, 'Millie', 1)]);
  assert.deepEqual(
    found.map((a) => [a.noun, a.character]),
    [
      ['clerk', 0],
      ['maid', 1],
    ],
  );
});

test('"answered the artist" is the character the narration called the artist', () => {
  const text = [
    'In the middle of the studio sat the artist himself, Basil Hallward, and on the divan Lord Henry smoked.',
    '"It is your best work, Basil," said Lord Henry.',
    '"I shall not send it anywhere," answered the artist.',
  ].join('\n\n');
  assert.deepEqual(
    analyzeText(text).quotes.map((q) => q.speaker),
    ['Lord Henry', 'Basil Hallward'],
  );
});

test('a plain "the boy" is the described boy only in the scene that described him', () => {
  const far = 'The afternoon went by slowly. '.repeat(80);
  const scene = [
    'Tom came home in time to help Jim, the small boy, saw the wood.',
    far,
    'Tom met Sid at the fence.',
    '"I can lick you!" said the boy.',
  ].join('\n\n');
  assert.notEqual(analyzeText(scene).quotes[0]!.speaker, 'Jim');
});

test('a name defined by another woman\'s "her" ("Mary, her maid") is not the "she" who goes on', () => {
  const text = [
    'Mrs. Hall lit the fire and went to cook. As soon as the bacon was under way, and Mary, her lymphatic maid, had been scolded a little, she carried the cloth into the parlour.',
    '"Can I take your hat, sir?" she said.',
    'Mary stayed in the kitchen.',
  ].join('\n\n');
  assert.equal(analyzeText(text).quotes[0]!.speaker, 'Mrs. Hall');
});

test('a name after another\'s "her" description ("her maid, Millie") may be the "she" who goes on', () => {
  const text = [
    'Mrs. Hall rang the bell, and her maid, Millie, came up from the kitchen with the tray.',
    '"Will there be anything else, ma\'am?" she asked.',
    'Mrs. Hall shook her head. Millie curtsied, and she went back down to her kitchen.',
  ].join('\n\n');
  assert.equal(analyzeText(text).quotes[0]!.speaker, 'Millie');
});

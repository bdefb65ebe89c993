import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from './index.ts';

const story = [
  'Miss Harper walked into the kitchen. Eleanor Harper was tired, and she sat down.',
  '"Will you eat?" asked Tom. He put a plate in front of her.',
  '"Perfect," Eleanor said. "Its fine. Thank you, Tom."',
  'Eventually, Tom smiled. Nothing was wrong. Slowly Eleanor laughed.',
  'Oh, the rain. Will it stop? Alright. Hey. Ill go, she thought. Tom nodded and left for London.',
  'Jonah waved from the garden.',
].join('\n\n');

test('interjections, sentence openers and typos are not characters', () => {
  const names = analyzeText(story).characters.flatMap((c) => [c.name, ...c.aliases]);
  for (const trap of ['Will', 'Perfect', 'Its', 'Thank', 'Eventually', 'Nothing', 'Slowly', 'Oh', 'Alright', 'Hey', 'Ill', 'London']) {
    assert.ok(!names.includes(trap), `${trap} should not be a character (got ${names.join(', ')})`);
  }
});

test('full names, first names and titled surnames cluster into one character', () => {
  const a = analyzeText(story);
  const eleanor = a.characters.find((c) => c.name === 'Eleanor Harper');
  assert.ok(eleanor, a.characters.map((c) => c.name).join(', '));
  assert.ok(eleanor.aliases.includes('Eleanor'));
  assert.ok(eleanor.aliases.includes('Miss Harper'));
  assert.equal(eleanor.gender, 'female');
  assert.ok(eleanor.mentions >= 4);
});

test('a name seen once, at a sentence start before a verb, is still a character', () => {
  const a = analyzeText(story);
  assert.ok(a.characters.some((c) => c.name === 'Jonah'));
});

test('roles follow prominence', () => {
  const a = analyzeText(story);
  const roles = Object.fromEntries(a.characters.map((c) => [c.name, c.role]));
  assert.equal(roles['Eleanor Harper'], 'protagonist');
  assert.equal(roles['Jonah'], 'minor');
});

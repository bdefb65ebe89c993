import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findParagraphs } from './structure.ts';
import { findScenes } from './scenes.ts';

const starts = (text: string): string[] =>
  findScenes(text, findParagraphs(text)).map((s) => text.slice(s.start, s.start + 12).split('\n')[0]!);

test('explicit markers break scenes and belong to none', () => {
  const text = 'Kim left.\n\nShe ran.\n\n* * *\n\nMorning again.\n\nShe woke.\n\n~~~\n\nThe end.';
  assert.deepEqual(starts(text), ['Kim left.', 'Morning agai', 'The end.']);
});

test('paragraphs opening with a shift of time or place start a scene', () => {
  const text = [
    'Kim cried.',
    'Kim slept.',
    'Three days later, Kim smiled.',
    'She ate.',
    'When the sun came up she sang.',
    'It was fine.',
    'Kim drove Ana home.',
  ].join('\n\n');
  assert.deepEqual(starts(text), ['Kim cried.', 'Three days l', 'When the sun', 'Kim drove An']);
});

test('no shift inside a paragraph, and scenes are at least two paragraphs long', () => {
  const text = ['Kim cried for the next few hours.', 'Kim slept.', 'The next morning she rose.', 'The next day she left.'].join('\n\n');
  assert.deepEqual(starts(text), ['Kim cried fo', 'The next mor']);
});

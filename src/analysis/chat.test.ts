import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from './index.ts';

const lines = (text: string): [string, string | null][] => analyzeText(text).quotes.map((q) => [q.text, q.speaker]);

test('timestamped chat lines are quotations of their handles', () => {
  const text =
    'Her phone buzzed.\n\n[21:04] kat_wolfe: are u still up\n[21:05] max_power: ya cant sleep\n[21:05] kat_wolfe: same\n\nShe smiled.';
  assert.deepEqual(lines(text), [
    ['are u still up', 'kat_wolfe'],
    ['ya cant sleep', 'max_power'],
    ['same', 'kat_wolfe'],
  ]);
});

test('IRC lines with and without timestamps', () => {
  assert.deepEqual(lines('<kat> hi\n<max> hey you\n<kat> whats up'), [
    ['hi', 'kat'],
    ['hey you', 'max'],
    ['whats up', 'kat'],
  ]);
  assert.deepEqual(lines('(9:15 PM) <kat> hi\n(9:16 PM) <max> hey'), [
    ['hi', 'kat'],
    ['hey', 'max'],
  ]);
});

test('texting and script lines: a name in capitals joins the character and is shown in title case', () => {
  const text = 'KAT: Are you coming?\n\n(Max shrugs and looks away.)\n\nMAX: Maybe.\n\nKAT: That is not an answer.\n\nMAX: Fine. Yes.';
  assert.deepEqual(lines(text), [
    ['Are you coming?', 'Kat'],
    ['Maybe.', 'Max'],
    ['That is not an answer.', 'Kat'],
    ['Fine. Yes.', 'Max'],
  ]);
});

test('prose with one colon, or a story header, is not a chat', () => {
  assert.deepEqual(lines('He had one rule: never look back.\n\nShe knew it too.'), []);
  const header = 'Summary: Kat and Max meet again.\nRating: Teen\nNotes: thanks to my beta\n\nKat walked in.';
  assert.deepEqual(lines(header), []);
  assert.deepEqual(lines('Kat: hi\nMax: hey\n\nThey talked all night.'), [], 'two bare lines are too few to call a chat');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findParagraphs } from './structure.ts';
import { findQuotations } from './quotes.ts';

const spans = (text: string): string[] => findQuotations(text, findParagraphs(text)).map((q) => text.slice(q.start, q.end));
const contents = (text: string): string[] =>
  findQuotations(text, findParagraphs(text)).map((q) => text.slice(q.contentStart, q.contentEnd));

test('straight and curly double quotes, spans include the marks', () => {
  assert.deepEqual(spans('"Go home," Mia said. \u201cNow.\u201d'), ['"Go home,"', '\u201cNow.\u201d']);
});

test('a stray space inside the opening mark is kept in the text', () => {
  assert.deepEqual(contents('" STOP IT!" Tom yelled.'), [' STOP IT!']);
});

test('a quotation running over paragraphs closes only at the last', () => {
  const text = '"The first part of the speech.\n\n"The second part," she finished.\n\nShe left.';
  assert.deepEqual(spans(text), ['"The first part of the speech.\n\n"The second part,"']);
});

test('an unterminated quotation stops at its paragraph end', () => {
  const text = '"I never closed this\n\nNarration goes on here. "But this one," he said.';
  assert.deepEqual(spans(text), ['"I never closed this', '"But this one,"']);
});

test('British single quotes, with apostrophes left alone', () => {
  const text = "\u2018I can\u2019t,\u2019 said Jo. \u2018It\u2019s Sam\u2019s turn.\u2019 'Aye,' said Pat. 'We're off.'";
  assert.deepEqual(contents(text), ['I can\u2019t,', 'It\u2019s Sam\u2019s turn.', 'Aye,', "We're off."]);
});

test('em-dash dialogue paragraphs', () => {
  const text = '\u2014Where are you going? \u2014asked Lena.\n\n\u2014Home.';
  assert.deepEqual(contents(text), ['Where are you going?', 'Home.']);
});

test('dash dialogue inside running text, when a text has no quotation marks', () => {
  const text =
    'He came up the stairs and called out: \u2014 Come up, Kinch! Come up! He turned. \u2014 Back to barracks! he said sternly. Slow music, please. Stephen waited. \u2014 Thanks, old chap, he cried. That will do.';
  assert.deepEqual(contents(text), [
    ' Come up, Kinch! Come up!',
    ' Back to barracks!',
    'Slow music, please.',
    ' Thanks, old chap,',
    'That will do.',
  ]);
});

test('a straight mark whose spacing shows its direction puts a long paragraph back in step after an unbalanced mark', () => {
  // the first quotation has no closing mark; without resynchronising, every later quotation would be inverted
  const text =
    'He read the entry aloud: "JOHN WARD, BOSTON. "One of the Boston men," said the clerk. The man nodded. "Good morning," he said.';
  assert.deepEqual(contents(text), ['JOHN WARD, BOSTON.', 'One of the Boston men,', 'Good morning,']);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SPEECH_VERBS } from './lexicons/words.ts';
import { assignUnits, conversationBroken, findUnitBoundaries } from './speaker-turns.ts';
import { buildSpeakerContext } from './speakers.test-helpers.ts';

test('each paragraph is a turn', () => {
  const ctx = buildSpeakerContext(['"Hi," said Ann.', '"Hello," said Bob.', 'They walked on.'].join('\n\n'));
  const starts = Int32Array.from(findUnitBoundaries(ctx, SPEECH_VERBS));
  assert.deepEqual(assignUnits(starts, ctx.quotes), [0, 1]);
});

test('a long paragraph that lost its line breaks is cut after each quotation that ends a sentence', () => {
  const filler = 'The rain went on over the fields and the long road for a while. '.repeat(12);
  const para = `${filler}"Where were you?" asked Ann. "Out." "Out where?" "Just out, in the rain." ${filler}`;
  const ctx = buildSpeakerContext(para);
  const starts = Int32Array.from(findUnitBoundaries(ctx, SPEECH_VERBS));
  const units = assignUnits(starts, ctx.quotes);
  assert.equal(ctx.quotes.length, 4);
  assert.equal(new Set(units).size, 4, 'four turns in one paragraph');
});

test('a chapter heading or three paragraphs of narration end a conversation', () => {
  const text = ['"One."', 'CHAPTER II', '"Two."', 'A.', 'B.', 'C.', '"Three."', '"Four."'].join('\n\n');
  const ctx = buildSpeakerContext(text);
  const [q1, q2, q3, q4] = ctx.quotes;
  assert.equal(conversationBroken(ctx, q1!.end, q2!.start), true);
  assert.equal(conversationBroken(ctx, q2!.end, q3!.start), true);
  assert.equal(conversationBroken(ctx, q3!.end, q4!.start), false);
});
